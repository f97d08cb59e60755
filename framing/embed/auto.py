"""``embedding.model: auto``: the English model for English corpora, else the multilingual one.

all-MiniLM-L6-v2 is the stronger and faster model on English text but maps
other languages poorly; USE multilingual v3 puts sixteen languages in one
space, so a Dutch and an English sentence on the same event land near each
other. ``auto`` therefore picks MiniLM only when at least
``embedding.english_share`` of the sentences whose language is known are
English.

Examples
--------
>>> from framing.config import EmbeddingConfig
>>> choose_model(["en"] * 99 + ["nl"], EmbeddingConfig())[0]
'sentence-transformers'
>>> choose_model(["en"] * 60 + ["nl"] * 40, EmbeddingConfig())[0]
'use-multilingual'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..config import EmbeddingConfig

ENGLISH_MODEL = "sentence-transformers"
MULTILINGUAL_MODEL = "use-multilingual"
_UNKNOWN = {"", "unknown", "und", "xx", "none"}


def _known(langs: Sequence[str | None]) -> list[str]:
    return [str(lang).lower() for lang in langs if lang is not None and str(lang).lower() not in _UNKNOWN]


def choose_model(langs: Sequence[str | None], cfg: EmbeddingConfig) -> tuple[str, str]:
    """Pick the embedder for ``auto`` from the sentences' languages.

    Parameters
    ----------
    langs : sequence of str or None
        ISO 639-1 code of each sentence (``unknown`` / None are ignored).
    cfg : EmbeddingConfig
        ``english_share`` is the threshold.

    Returns
    -------
    (spec, reason)
        A registered embedder name and a sentence saying why.
    """
    known = _known(langs)
    if not known:
        return MULTILINGUAL_MODEL, (
            f"auto chose {MULTILINGUAL_MODEL} (USE multilingual v3): no sentence has an identified language, "
            "and the multilingual model is the safe choice."
        )
    counts = Counter(known)
    share = counts.get("en", 0) / len(known)
    others = ", ".join(f"{lang} {n}" for lang, n in counts.most_common() if lang != "en") or "none"
    stats = f"{share:.1%} of {len(known)} sentences with a known language are English (others: {others})"
    if share >= cfg.english_share:
        return ENGLISH_MODEL, (
            f"auto chose {ENGLISH_MODEL} (all-MiniLM-L6-v2, English): {stats}, "
            f"at least embedding.english_share = {cfg.english_share:.0%}."
        )
    return MULTILINGUAL_MODEL, (
        f"auto chose {MULTILINGUAL_MODEL} (USE multilingual v3): {stats}, "
        f"below embedding.english_share = {cfg.english_share:.0%}."
    )


def resolve_model(spec: str, langs: Sequence[str | None], cfg: EmbeddingConfig) -> tuple[str, str]:
    """``auto`` through :func:`choose_model`; any other spec as given, with a reason.

    >>> resolve_model("hashing", [], EmbeddingConfig())
    ('hashing', "embedding.model is set to 'hashing'.")
    """
    if spec == "auto":
        return choose_model(langs, cfg)
    return spec, f"embedding.model is set to '{spec}'."
