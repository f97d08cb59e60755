"""Synthetic topical sentences for topic-model tests: three subjects, each told in two documents."""

from __future__ import annotations

import numpy as np

WORDS = {
    "war": ["rocket", "missile", "base", "withdrawal", "soldiers", "drone"],
    "health": ["vaccine", "hospital", "patients", "virus", "nurses", "doses"],
    "vote": ["election", "ballot", "fraud", "voters", "turnout", "recount"],
}
DIM = 16


def topical_blobs(rng: np.random.Generator, per_blob: int = 14, dim: int = DIM):
    """Texts, vectors, document ids and blob numbers of three tight subject blobs (axes 0, 1, 2).

    Subject ``b`` has ``per_blob`` sentences alternating between documents ``NAME-0`` and ``NAME-1``.
    Returns four lists (texts, rows, docs, blobs) that the caller extends with its own sentences.
    """
    texts, rows, docs, blobs = [], [], [], []
    for b, (name, words) in enumerate(WORDS.items()):
        center = np.zeros(dim)
        center[b] = 8.0
        for i in range(per_blob):
            w = [words[(i + k) % len(words)] for k in range(3)]
            texts.append(f"The {w[0]} and the {w[1]} of the {w[2]} report number {i}")
            rows.append(center + rng.normal(size=dim))
            docs.append(f"{name}-{i % 2}")
            blobs.append(b)
    return texts, rows, docs, blobs


def add_tight_blob(rng: np.random.Generator, texts: list, rows: list, docs: list, blobs: list, per_doc: int,
                   text_for, dim: int = DIM, axis: int = 5) -> None:
    """Append ``per_doc`` lines to every document, their vectors in one tight blob on ``axis`` (blob -1).

    ``text_for(k, texts)`` gives the text of the document's ``k``-th line (``texts`` as appended so far).
    """
    center = np.zeros(dim)
    center[axis] = 8.0
    for d in sorted(set(docs)):
        for k in range(per_doc):
            texts.append(text_for(k, texts))
            rows.append(center + 0.1 * rng.normal(size=dim))
            docs.append(d)
            blobs.append(-1)
