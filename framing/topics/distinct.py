"""Distinct sentences: each (text, embedding) pair is clustered once and its topic given to every copy."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def distinct_rows(texts: Sequence[str], embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each distinct (text, embedding) pair, in input order, and each row's pair.

    Returns
    -------
    first : ndarray of shape (n_distinct,), int
        Rows of the first occurrence of each pair, ascending: ``texts[first]`` keep their order.
    inverse : ndarray of shape (n_rows,), int
        For each row, its pair's position in ``first`` (``first[inverse[i]]`` has row ``i``'s text and
        embedding).

    Examples
    --------
    >>> emb = np.array([[1.0], [2.0], [1.0], [3.0]], dtype=np.float32)
    >>> first, inverse = distinct_rows(["a", "b", "a", "a"], emb)
    >>> first.tolist(), inverse.tolist()
    ([0, 1, 3], [0, 1, 0, 2])
    """
    n = len(texts)
    index: dict = {}
    first: list[int] = []
    group = np.empty(n, dtype=np.int64)
    for i, text in enumerate(texts):
        g = index.get(text)
        if g is None:
            g = index[text] = len(first)
            first.append(i)
        group[i] = g
    if len(first) == n:
        return np.arange(n, dtype=np.int64), group
    # The same text with another embedding (a contextual embedder) is a point of its own. Only the
    # copies are compared: no second (n, dim) array at 140k sentences.
    copies = np.flatnonzero(np.asarray(first, dtype=np.int64)[group] != np.arange(n))
    origin = np.asarray(first, dtype=np.int64)[group[copies]]
    differs = copies[~(embeddings[copies] == embeddings[origin]).all(axis=1)]
    if len(differs):
        extra: dict = {}
        for i in differs.tolist():
            key = (int(group[i]), embeddings[i].tobytes())
            if key not in extra:
                extra[key] = len(first)
                first.append(i)
            group[i] = extra[key]
    first_arr = np.asarray(first, dtype=np.int64)
    order = np.argsort(first_arr, kind="stable")  # input order, so a corpus without copies is fitted as before
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return first_arr[order], rank[group]
