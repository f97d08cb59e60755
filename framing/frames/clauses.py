"""Clause windows of long sentences, and the row normalisation every frame score starts from.

A long sentence often asserts a frame in one clause or apposition, which the
embedding of the whole sentence dilutes: :func:`clause_windows` gives the
spans a matcher scores besides the whole sentence.
"""

from __future__ import annotations

import re

import numpy as np

_CLAUSE_SPLIT = re.compile(r"\s*(?:[,;:()\u2013\u2014]|\s-\s|\.{2,})\s*")


def clause_windows(text: str, min_words: int = 4, min_sentence_words: int = 16) -> list[str]:
    """Spans of one or two consecutive clauses of a long sentence.

    A long sentence often asserts a frame in one clause or apposition ("the
    US, the greatest terrorist entity on earth, attacked ..."), which the
    embedding of the whole sentence dilutes. Sentences shorter than
    ``min_sentence_words`` give no windows.

    Examples
    --------
    >>> clause_windows("Unbelievable: the US, the greatest terror entity on our earth, illegally present "
    ...                "on Syrian soil, attacked Syrian troops near Khusham and killed more than 100 fighters.")[:2]
    ['the US, the greatest terror entity on our earth', 'the greatest terror entity on our earth']
    """
    if len(text.split()) < min_sentence_words:
        return []
    parts = [p for p in _CLAUSE_SPLIT.split(text) if p.strip()]
    seps = [m.group(0) for m in _CLAUSE_SPLIT.finditer(text)]
    if len(parts) < 2:
        return []
    windows = []
    for i, part in enumerate(parts):
        for j in (i, i + 1):
            if j >= len(parts) or (j == i + 1 and len(parts) == 2):
                continue
            span = part if j == i else part + (seps[i].strip() or " ") + " " + parts[j]
            span = re.sub(r"\s+", " ", span).strip()
            if len(span.split()) >= min_words and span not in windows:
                windows.append(span)
    return windows


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)
