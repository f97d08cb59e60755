"""The fixed reference sample: ordinary sentences per language, shipped with the package.

Frame thresholds are placed against how the frame's anchors score compared
with these sentences (see :mod:`framing.frames.match`), so a document's
decision does not depend on which other documents are in the run. The
sentences are plain, topic-neutral news-like and everyday sentences written
for framing (``framing/frames/reference/<lang>.txt``, one a line, ``#``
starts a comment).

Examples
--------
>>> ref = reference_sentences()
>>> sorted(ref["lang"].unique())
['en', 'nl']
>>> bool((ref.groupby("lang").size() >= 200).all())
True
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def reference_languages() -> list[str]:
    """Languages with a shipped reference sample (ISO 639-1 codes, sorted)."""
    return sorted(p.stem for p in REFERENCE_DIR.glob("*.txt"))


def reference_sentences() -> pd.DataFrame:
    """Every shipped reference sentence.

    Returns
    -------
    DataFrame with sentence_id (``ref-<lang>-<line>``), text and lang, in a
    fixed order (by language, then line).
    """
    rows = []
    for lang in reference_languages():
        path = REFERENCE_DIR / f"{lang}.txt"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            text = line.strip()
            if text and not text.startswith("#"):
                rows.append({"sentence_id": f"ref-{lang}-{n}", "text": text, "lang": lang})
    return pd.DataFrame(rows, columns=["sentence_id", "text", "lang"])
