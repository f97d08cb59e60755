"""UMAP fitted on a seeded sample, the other rows placed by ``transform``: clustering at scale.

UMAP's fit is the costly part of the topic step on a large corpus (its
neighbour graph and layout grow with every sentence, and the 2-d map is a
second fit). With ``topics.umap_sample: N``, :class:`SampledReducer` fits
UMAP on N sentences drawn with the run's seed and places every other
sentence in the same space with UMAP's own ``transform`` (nearest fitted
neighbours, then a short optimisation), in chunks so memory stays bounded.
HDBSCAN, c-TF-IDF and everything after still see every sentence. What it
costs in topic quality is measured in docs/performance.md.

Examples
--------
>>> from sklearn.decomposition import PCA
>>> x = np.random.default_rng(0).normal(size=(50, 6)).astype(np.float32)
>>> out = SampledReducer(PCA(2, random_state=0), max_rows=20, seed=1).fit_transform(x)
>>> out.shape, SampledReducer(PCA(2), max_rows=20, seed=1).sample_rows(50)[:5].tolist()
((50, 2), [1, 4, 5, 9, 11])
"""

from __future__ import annotations

import logging

import numpy as np

from ..errors import NotFittedError
from ..memory import release_memory

logger = logging.getLogger(__name__)

CHUNK = 20_000
"""Rows placed per ``transform`` call (bounds the memory of the neighbour search)."""


class SampledReducer:
    """Fit ``reducer`` on at most ``max_rows`` rows drawn with ``seed``; ``transform`` the rest.

    Parameters
    ----------
    reducer : estimator
        Unfitted, with ``fit_transform`` and ``transform`` (UMAP).
    max_rows : int
        Largest number of rows the reducer is fitted on; with fewer rows it is fitted on all.
    seed : int
        Seed of the sample.

    Attributes
    ----------
    embedding_ : ndarray of shape (n_samples, n_components), float32
    sampled_ : bool
        Whether the fit used a sample.
    """

    def __init__(self, reducer, max_rows: int, seed: int):
        self.reducer = reducer
        self.max_rows = max_rows
        self.seed = seed

    def get_params(self, deep: bool = True) -> dict:
        # What the reduction cache keys on: the wrapped reducer's settings and the sample's.
        inner = self.reducer.get_params() if hasattr(self.reducer, "get_params") else {}
        return {**inner, "fit_sample_max_rows": self.max_rows, "fit_sample_seed": self.seed}

    def sample_rows(self, n: int) -> np.ndarray:
        """The sorted rows the reducer is fitted on (all of them when ``n <= max_rows``)."""
        if n <= self.max_rows:
            return np.arange(n)
        return np.sort(np.random.default_rng(self.seed).choice(n, size=self.max_rows, replace=False))

    def fit(self, X, y=None) -> SampledReducer:
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None) -> np.ndarray:
        x = np.asarray(X, dtype=np.float32)
        rows = self.sample_rows(len(x))
        self.sampled_ = len(rows) < len(x)
        if not self.sampled_:
            self.embedding_ = np.asarray(self.reducer.fit_transform(x), dtype=np.float32)
            return self.embedding_
        fitted = np.asarray(self.reducer.fit_transform(x[rows]), dtype=np.float32)
        out = np.empty((len(x), fitted.shape[1]), dtype=np.float32)
        out[rows] = fitted
        rest = np.setdiff1d(np.arange(len(x)), rows, assume_unique=True)
        logger.info("UMAP fitted on %d sampled rows; placing the other %d", len(rows), len(rest))
        for start in range(0, len(rest), CHUNK):
            part = rest[start:start + CHUNK]
            out[part] = np.asarray(self.reducer.transform(x[part]), dtype=np.float32)
            release_memory()  # each chunk's search and layout leave freed heap behind
        self.embedding_ = out
        return out

    def transform(self, X) -> np.ndarray:
        if not hasattr(self, "embedding_"):
            raise NotFittedError("This SampledReducer is not fitted yet; call fit(X) first.")
        return np.asarray(self.reducer.transform(np.asarray(X, dtype=np.float32)), dtype=np.float32)
