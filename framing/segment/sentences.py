"""The ``sentences`` table: every unit split into sentences, with the language of each sentence and unit.

:func:`build_sentences` applies :func:`framing.segment.split.split_sentences`
to the ``documents`` table, names the language of each sentence and unit,
and returns the ``sentences`` table (columns :data:`SENTENCE_COLUMNS`).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..corpus.langid import UNDETERMINED, LanguageIdentifier, manifest_languages, segmentation_languages, sentence_languages
from ..corpus.model import stable_id
from ..errors import InputError, LanguageWarning
from ..voice import sentence_voices
from .split import _WORD_CHAR, count_word_chars, count_words, split_sentences

if TYPE_CHECKING:
    from ..config import Config

logger = logging.getLogger(__name__)


SENTENCE_COLUMNS = (
    "sentence_id", "doc_id", "page_id", "source", "role", "author", "date",
    "lang", "lang_confidence", "start", "end", "text", "n_words", "is_fragment", "voice", "speaker",
)  # fmt: skip
_COPIED = ("page_id", "source", "role", "author", "date")
def _unit_texts(documents: pd.DataFrame) -> list[str]:
    missing = [c for c in ("doc_id", "text") if c not in documents.columns]
    if missing:
        raise InputError(
            f"The documents table lacks the column(s) {', '.join(missing)}; it has {', '.join(map(str, documents.columns))}. "
            "Pass the table made by the ingest stage."
        )
    return [t if isinstance(t, str) else "" for t in documents["text"].tolist()]


def split_units(texts: Sequence[str], manifest: Sequence[str | None], ident: LanguageIdentifier, max_chars: int,
                progress: bool = False) -> tuple[list[list[tuple[int, int]]], list[tuple[str, float]], list[list]]:
    """Sentence spans of every unit, the language of every sentence and of every unit.

    Each unit's result depends on that unit alone (its text and manifest
    language), so units can be split in partitions and the results joined in order.

    Returns
    -------
    spans : list (one per unit) of list of (start, end); ``[(0, 0)]`` for a unit without sentences
    per_sentence : list of (language, confidence), one per span, in order
    units : list of [language, confidence, ...], one per unit
    """
    seg_langs = segmentation_languages(texts, manifest, ident)
    pairs = zip(texts, seg_langs)
    if progress:
        from tqdm.auto import tqdm

        pairs = tqdm(pairs, total=len(texts), desc="Splitting sentences", unit="doc", leave=False)
    spans = [split_sentences(t, lang, max_chars) or [(0, 0)] for t, lang in pairs]
    sent_texts = [texts[u][s:e] for u, unit in enumerate(spans) for s, e in unit]
    per_sentence, units = sentence_languages(texts, sent_texts, [len(unit) for unit in spans], manifest, ident)
    return spans, per_sentence, units


def build_sentences(
    documents: pd.DataFrame, cfg: Config, identifier: LanguageIdentifier | None = None, progress: bool = False,
    split: Callable | None = None,
) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Split every unit into sentences and name the language of each sentence and unit.

    A sentence with at least ``cfg.language.min_chars`` non-space characters
    whose best language scores at least ``cfg.language.min_confidence``
    keeps its own language. A shorter or unsure sentence takes the language
    of the nearest sure sentences around it in its unit when they agree
    (a heading inside a republished English article is English), else its
    unit's language and confidence. A unit's language is the one holding most
    characters among its sure sentences; when there are none, the whole
    unit text is scored, and when that is unsure too, the manifest's
    language (``documents.language``) is used, with the detector's
    confidence for it; without one the unit is ``"und"``.

    Parameters
    ----------
    documents : DataFrame of shape (n_units, ...)
        The documents table; needs ``doc_id`` and ``text``, and copies
        ``page_id, source, role, author, date`` when present.
    cfg : Config
        Uses ``cfg.language`` and ``cfg.segment``.
    identifier : LanguageIdentifier, optional
        Defaults to one built from ``cfg.language``.
    progress : bool
        Show a progress bar while splitting (on stderr).
    split : callable, optional
        Stands in for :func:`split_units` (same arguments and results);
        :mod:`framing.segment.partitioned` passes one that runs it over partitions on Dask.

    Returns
    -------
    sentences : DataFrame of shape (n_sentences, 16)
        Columns ``SENTENCE_COLUMNS``; ``text == documents.text[start:end]``;
        ``voice`` (own / quote / reported) and ``speaker`` from :mod:`framing.voice`.
        A unit without text gives one row with ``start == end == 0``,
        ``text == ""`` and ``is_fragment`` True.
    language : Series of str, aligned with ``documents.index``
    lang_confidence : Series of float, aligned with ``documents.index``

    Examples
    --------
    >>> from framing.config import Config
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ["The war goes on. It does.\\n\\n?"], "language": ["en"]})
    >>> sents, lang, conf = build_sentences(docs, Config())
    >>> sents[["text", "lang", "is_fragment"]].values.tolist()
    [['The war goes on.', 'en', False], ['It does.', 'en', False], ['?', 'en', True]]
    """
    ident = identifier or LanguageIdentifier.from_config(cfg.language)
    texts = _unit_texts(documents)
    manifest = manifest_languages(documents["language"] if "language" in documents.columns else [None] * len(texts))
    spans, per_sentence, units = (split or split_units)(texts, manifest, ident, cfg.segment.max_chars, progress)
    unit_of = np.repeat(np.arange(len(texts)), [len(s) for s in spans])
    starts = np.fromiter((s for unit in spans for s, _ in unit), dtype=np.int64, count=len(unit_of))
    ends = np.fromiter((e for unit in spans for _, e in unit), dtype=np.int64, count=len(unit_of))
    sent_texts = [texts[u][s:e] for u, s, e in zip(unit_of.tolist(), starts.tolist(), ends.tolist())]
    langs = [lang for lang, _ in per_sentence]
    confs = [conf for _, conf in per_sentence]
    table = _sentence_table(documents, unit_of, starts, ends, sent_texts, langs, confs, cfg.segment.min_chars)
    # Who speaks (framing.voice): quotes are paired across sentences, so this reads each unit's whole text.
    table["voice"], table["speaker"] = sentence_voices(texts, unit_of.tolist(), starts.tolist(), ends.tolist(), langs)
    _warn_undetermined(documents, texts, units)
    unit_lang = pd.Series([u[0] for u in units], index=documents.index, name="language", dtype=object)
    unit_conf = pd.Series([float(u[1]) for u in units], index=documents.index, name="lang_confidence", dtype=float)
    return table, unit_lang, unit_conf


def _warn_undetermined(documents: pd.DataFrame, texts: list[str], units: list[list]) -> None:
    unknown = [i for i, (lang, _) in enumerate(units) if lang == UNDETERMINED and _WORD_CHAR.search(texts[i])]
    if unknown:
        first = documents["doc_id"].iloc[unknown[0]]
        warnings.warn(
            f"{len(unknown)} of {len(texts)} units have no identifiable language (lang 'und'), for example "
            f"doc_id {first!r}. Give them a 'language' in the manifest, or list their language in "
            "language.languages.",
            LanguageWarning,
            stacklevel=3,
        )


def _sentence_table(documents, unit_of, starts, ends, sent_texts, langs, confs, min_chars) -> pd.DataFrame:
    doc_ids = documents["doc_id"].astype(str).to_numpy()[unit_of]
    data = {
        "sentence_id": [stable_id(d, s, e) for d, s, e in zip(doc_ids.tolist(), starts.tolist(), ends.tolist())],
        "doc_id": doc_ids,
    }
    for col in _COPIED:
        data[col] = documents[col].to_numpy(dtype=object)[unit_of] if col in documents.columns else None
    data.update(
        lang=langs,
        lang_confidence=np.asarray(confs, dtype=np.float64),
        start=starts,
        end=ends,
        text=sent_texts,
        n_words=np.fromiter((count_words(t) for t in sent_texts), dtype=np.int64, count=len(sent_texts)),
        is_fragment=np.fromiter((count_word_chars(t) < min_chars for t in sent_texts), dtype=bool, count=len(sent_texts)),
        voice=None,
        speaker=None,
    )
    return pd.DataFrame(data, columns=list(SENTENCE_COLUMNS))
