"""Coding texts with a language model and a frame catalog: the ``llm_codes`` table.

``llm_codes`` has one row per coded item and frame of the catalog, keyed
like the frame tables (``doc_id`` + ``frame_id`` as in ``document_frames``;
``sentence_id`` + ``frame_id`` as in ``sentence_frames``, with the
sentence's ``doc_id`` beside it):

========== ==============================================================
level      ``document`` or ``sentence``
doc_id     the document (sentence level: the sentence's document)
sentence_id the sentence (None at document level)
frame_id   a frame of the catalog
matched    whether the model coded the frame (a parent: one of its sub-frames)
quote      the passage that shows it, as it stands in the text (None: no
           quote, or the model's quote was not in the text)
quote_start, quote_end  the quote's character offsets in the coded text
voice      own / quote / reported: whose words the passage is (None when not matched)
model      the model that coded it
========== ==============================================================

Items without a valid answer after the retries have no rows (run.json counts them).

Examples
--------
>>> from framing.frames.catalog import load_catalog
>>> from framing.llm.schemas import CodedFrame
>>> cat = load_catalog("news-frames")
>>> keys = pd.DataFrame({"doc_id": ["d1"], "sentence_id": [None]})
>>> t = codes_table(keys, [[CodedFrame("moral", "own", None, None, None)]], cat, "gemma", "document")
>>> t.loc[t.matched, "frame_id"].tolist(), len(t)
(['moral'], 5)
"""

from __future__ import annotations

import pandas as pd

from .codebook import codable_frames, coding_messages
from .schemas import coding_schema, locate_quotes, parse_coding

LLM_CODES = "llm_codes"
CODE_COLUMNS = ["level", "doc_id", "sentence_id", "frame_id", "matched", "quote", "quote_start", "quote_end",
                "voice", "model"]


def code_texts(texts: list[str], catalog, client, *, level: str = "document", langs: list | None = None,
               max_chars: int = 12000, examples_per_frame: int = 3, progress: bool = False, stage: str = "code"):
    """Ask the model to code each text (one request per text) with the catalog as codebook.

    Parameters
    ----------
    texts : list of str
    catalog : FrameCatalog
    client : ChatClient
    level : {"document", "sentence"}
    langs : list of str, optional
        Each text's language (the codebook's examples follow it).
    max_chars : int
        Longer texts are cut to their first ``max_chars`` characters.

    Returns
    -------
    codes : list, aligned with ``texts``
        Each text's :class:`~framing.llm.schemas.CodedFrame` list, or None when no valid answer came.
    stats : StageStats
        With ``truncated`` (texts cut) and ``quotes_discarded`` (quotes not found in their text) added.
    """
    ids = [f.id for f in codable_frames(catalog)]
    langs = langs if langs is not None else [None] * len(texts)
    sent = [t[:max_chars] for t in texts]
    requests = [coding_messages(catalog, t, level, lang, examples_per_frame) for t, lang in zip(sent, langs)]
    answers, stats = client.ask_many(requests, lambda content: parse_coding(content, ids), schema=coding_schema(ids),
                                     stage=stage, progress=progress)
    codes, discarded = [], 0
    for text, answer in zip(sent, answers):
        if answer is None:
            codes.append(None)
            continue
        found = locate_quotes(answer.parsed, text)
        discarded += sum(c.quote is None for c in found)
        codes.append(found)
    info = stats.to_dict()
    info.update(truncated=sum(len(t) > max_chars for t in texts), quotes_discarded=discarded, level=level)
    return codes, info


def roll_up(coded: list, catalog) -> dict:
    """Each frame's code in one item, by frame id: the coded frames, and every parent of a coded frame."""
    out = {c.frame_id: c for c in coded}
    for c in coded:
        parent = catalog.get(c.frame_id).parent if c.frame_id in catalog.ids else None
        while parent and parent not in out and parent in catalog.ids:
            out[parent] = c
            parent = catalog.get(parent).parent
    return out


def codes_table(keys: pd.DataFrame, codes: list, catalog, model: str, level: str) -> pd.DataFrame:
    """The ``llm_codes`` rows of coded items: one per item (with an answer) and frame of the catalog.

    Parameters
    ----------
    keys : DataFrame with doc_id and sentence_id, one row per item, aligned with ``codes``
    codes : list of CodedFrame lists (None: the item got no valid answer and gets no rows)
    """
    rows = []
    for (doc_id, sentence_id), coded in zip(keys[["doc_id", "sentence_id"]].itertuples(index=False), codes):
        if coded is None:
            continue
        by_frame = roll_up(coded, catalog)
        for fid in catalog.ids:
            c = by_frame.get(fid)
            rows.append({"level": level, "doc_id": doc_id, "sentence_id": sentence_id, "frame_id": fid,
                         "matched": c is not None, "quote": c.quote if c else None,
                         "quote_start": c.start if c else None, "quote_end": c.end if c else None,
                         "voice": c.voice if c else None, "model": model})
    table = pd.DataFrame(rows, columns=CODE_COLUMNS)
    for col in ("quote_start", "quote_end"):
        table[col] = table[col].astype("Int64")
    table["matched"] = table["matched"].astype(bool)
    return table


def codes_as_labels(table: pd.DataFrame) -> pd.DataFrame:
    """``llm_codes`` as a label table ``frames train --labels`` reads: the item's id and its list of frames.

    Document level gives ``doc_id`` + ``frames``; sentence level ``sentence_id`` + ``frames``
    (:func:`framing.frames.labelled.codes_labels`, which ``frames train --labels llm_codes.parquet`` uses).

    >>> t = pd.DataFrame({"level": ["document"] * 3, "doc_id": ["a", "a", "b"], "sentence_id": [None] * 3,
    ...                   "frame_id": ["f", "g", "f"], "matched": [True, False, False]})
    >>> codes_as_labels(t).to_dict("records")
    [{'doc_id': 'a', 'frames': ['f']}, {'doc_id': 'b', 'frames': []}]
    """
    from ..frames.labelled import codes_labels

    return codes_labels(table, LLM_CODES)
