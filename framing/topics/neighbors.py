"""Exact nearest neighbours for UMAP on corpora of up to tens of thousands of sentences.

UMAP starts from each point's nearest neighbours. Below 4,096 points it
computes every pairwise distance with its own numba metric, one pair at a
time; from 4,096 up it runs pynndescent's approximate search, whose compiled
functions numba cannot keep on disk, so every new process compiles them again
(20-60 s on a 2-core machine). For unit-length sentence embeddings and the
cosine metric the exact neighbours are one matrix product away, which BLAS
does in about a second for 10,000 sentences. :class:`ExactNeighborsUMAP`
computes them that way and hands them to UMAP (``precomputed_knn``); UMAP's
graph, layout and seed are unchanged, only the neighbours are exact instead
of approximate.

Measured on a 2-core machine, 7,560 sentences (BASIL's size), a fresh process:
UMAP 68 s with its own search against 19 s with exact neighbours (knn 1.1 s);
2,000 sentences: 11.4 s against 4.3 s (``benchmarks/vs_bertopic.py`` shows it
in a whole run).

``transform`` of new points needs a search index over the training points;
UMAP builds none from precomputed neighbours, so it is built (pynndescent, the
same as UMAP's own) the first time ``transform`` is called.
"""

from __future__ import annotations

import logging
import warnings

import numpy as np

logger = logging.getLogger(__name__)

#: Largest number of rows whose neighbours are computed exactly (the product costs rows^2 x dim).
EXACT_MAX_ROWS = 30_000
_CHUNK = 1024


def exact_cosine_knn(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest rows of every row by cosine distance, the row itself first.

    Parameters
    ----------
    x : ndarray of shape (n, dim)
    k : int

    Returns
    -------
    indices : ndarray of shape (n, k), int64
    distances : ndarray of shape (n, k), float32
        ``1 - cosine similarity``, ascending; the first is the row itself (0).

    Examples
    --------
    >>> x = np.array([[1, 0], [0.9, 0.1], [0, 1]], dtype=np.float32)
    >>> idx, dist = exact_cosine_knn(x, 2)
    >>> idx.tolist()
    [[0, 1], [1, 0], [2, 1]]
    >>> bool(dist[:, 0].max() == 0)
    True
    """
    x = np.asarray(x, dtype=np.float32)
    n = len(x)
    k = min(k, n)
    unit = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    indices = np.empty((n, k), dtype=np.int64)
    distances = np.empty((n, k), dtype=np.float32)
    for start in range(0, n, _CHUNK):
        stop = min(start + _CHUNK, n)
        sim = unit[start:stop] @ unit.T
        own = np.arange(stop - start)
        sim[own, start + own] = 2.0  # the row itself first, even among exact duplicates
        part = np.argpartition(-sim, k - 1, axis=1)[:, :k] if k < n else np.tile(np.arange(n), (stop - start, 1))
        part_sim = np.take_along_axis(sim, part, axis=1)
        order = np.lexsort((part, -part_sim), axis=1)  # by similarity, ties by row number: deterministic
        indices[start:stop] = np.take_along_axis(part, order, axis=1)
        best = np.take_along_axis(part_sim, order, axis=1)
        best[:, 0] = 1.0
        distances[start:stop] = np.clip(1.0 - best, 0.0, 2.0)
    return indices, distances


class ExactNeighborsUMAP:
    """A UMAP whose nearest neighbours are computed exactly (cosine) when the data is small enough.

    Parameters
    ----------
    umap : umap.UMAP
        Unfitted, ``metric="cosine"``.
    max_rows : int
        More rows than this: UMAP's own approximate search, as without the wrapper.

    Attributes
    ----------
    exact_ : bool
        Whether the fit used exact neighbours.
    """

    def __init__(self, umap, max_rows: int = EXACT_MAX_ROWS):
        self.umap = umap
        self.max_rows = max_rows

    @property
    def random_state(self):
        """The wrapped UMAP's seed."""
        return self.umap.random_state

    def get_params(self, deep: bool = True) -> dict:
        # The reduction cache keys on these: exact and approximate neighbours give different coordinates.
        return {**self.umap.get_params(), "neighbors": "exact", "exact_max_rows": self.max_rows}

    def fit(self, X, y=None) -> ExactNeighborsUMAP:
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None) -> np.ndarray:
        x = np.asarray(X, dtype=np.float32)
        self.exact_ = len(x) <= self.max_rows and self.umap.metric == "cosine" and len(x) > self.umap.n_neighbors
        if self.exact_:
            idx, dist = exact_cosine_knn(x, self.umap.n_neighbors)
            self.umap.set_params(precomputed_knn=(idx, dist, None))
            logger.info("UMAP on %d rows with exact cosine neighbours", len(x))
        with warnings.catch_warnings():
            # "no knn_search_index: transform unavailable" - transform builds one when asked (below).
            warnings.filterwarnings("ignore", message=".*knn_search_index.*")
            warnings.filterwarnings("ignore", message=".*precomputed_knn.*")
            out = self.umap.fit_transform(x, y)
        self.embedding_ = np.asarray(out, dtype=np.float32)
        return self.embedding_

    def transform(self, X) -> np.ndarray:
        umap = self.umap
        if getattr(self, "exact_", False) and getattr(umap, "_knn_search_index", None) is None:
            from pynndescent import NNDescent

            # The index UMAP would have built itself, over the same training rows, built on first need.
            umap._knn_search_index = NNDescent(
                umap._raw_data, n_neighbors=umap.n_neighbors, metric=umap.metric,
                random_state=umap.random_state, n_jobs=1, compressed=False,
            )
            umap._knn_search_index.prepare()
        return np.asarray(umap.transform(np.asarray(X, dtype=np.float32)), dtype=np.float32)
