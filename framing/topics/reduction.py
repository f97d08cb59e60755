"""Reducers: what brings sentence embeddings down to the few dimensions HDBSCAN clusters in.

A reducer is chosen by name (``topics.reducer``) from the registry
:data:`REDUCERS`. Each entry is a factory::

    factory(config, params, n_components, seed, shape, cache) -> reducer

returning an unfitted object with ``fit``, ``transform`` and
``fit_transform`` (BERTopic's ``umap_model`` contract) for embeddings of
``shape = (n_sentences, dim)``, seeded with ``seed``. ``cache`` is a
:class:`~framing.topics.reduction_cache.ReductionCache` (or None) the reducer
may use to skip a fit whose result is known. Adding a reducer is one module
that registers a factory; the config names it.

- ``umap`` (default): UMAP with exact cosine neighbours below the sampling
  threshold (:mod:`framing.topics.neighbors`), fitted on a sample with
  ``umap_sample`` (:mod:`framing.topics.sampling`), results cached; with
  ``layouts`` > 1, several seeded layouts side by side (:mod:`framing.topics.layouts`).
- ``pca``: scikit-learn's PCA, a cheap deterministic stand-in for tests and quick looks.

Examples
--------
>>> import numpy as np
>>> from framing.config import TopicsConfig
>>> from framing.topics.sizing import resolve_params
>>> cfg = TopicsConfig(reducer="pca")
>>> reducer = make_reducer(cfg, resolve_params(cfg, 6), 5, 0, (6, 3))
>>> reducer.fit_transform(np.eye(6, 3)).shape  # PCA keeps at most min(n - 1, dim) components
(6, 3)
"""

from __future__ import annotations

import numpy as np

from ..config import TopicsConfig
from ..registry import Registry
from ..runlog import quiet_import
from .sizing import ResolvedParams, resolve_params

REDUCERS: Registry = Registry("reducers")
"""Reducer factories by name (see the module docstring); ``topics.reducer`` names one."""


@REDUCERS.register("umap")
def umap_reducer(config: TopicsConfig, params: ResolvedParams, n_components: int, seed: int,
                 shape: tuple[int, int], cache=None):
    """UMAP with the config's neighbours, distance and metric; exact neighbours or a fitted sample; cached."""
    UMAP = quiet_import("umap").UMAP
    from .compiled import cache_umap_compilation
    from .reduction_cache import CachedReducer

    cache_umap_compilation()  # numba compiles UMAP once per installation, not once per run

    n = shape[0]
    # Spectral initialisation needs more points than dimensions; tiny inputs start at random.
    init = "spectral" if n > n_components + 2 else "random"
    min_dist = config.min_dist if n_components != 2 else max(config.min_dist, 0.1)

    def one(layout_seed: int):
        umap = UMAP(
            n_neighbors=params.n_neighbors, n_components=n_components, min_dist=min_dist,
            metric=config.metric, init=init, random_state=layout_seed, n_epochs=config.n_epochs,
            n_jobs=1,  # a seeded UMAP is single-threaded anyway; saying so avoids its warning
        )
        if config.umap_sample is not None:
            from .sampling import SampledReducer

            umap = SampledReducer(umap, config.umap_sample, layout_seed)  # clustering at scale: fit on a sample
        elif config.metric == "cosine":
            from .neighbors import ExactNeighborsUMAP

            umap = ExactNeighborsUMAP(umap)  # exact neighbours by one matrix product, no per-process compiling
        return umap if cache is None else CachedReducer(umap, cache)

    if config.layouts == 1 or n_components == 2:  # the 2-D map is one layout: it is looked at, not clustered
        return one(seed)
    from .layouts import LayoutEnsemble, layout_seeds

    return LayoutEnsemble([one(s) for s in layout_seeds(seed, config.layouts)])


@REDUCERS.register("pca")
def pca_reducer(config: TopicsConfig, params: ResolvedParams, n_components: int, seed: int,
                shape: tuple[int, int], cache=None):
    """PCA with at most ``min(n - 1, dim)`` components (no cache: it is cheaper than reading one)."""
    from sklearn.decomposition import PCA

    n, dim = shape
    return PCA(n_components=max(1, min(n_components, n - 1, dim)), random_state=seed)


def make_reducer(config: TopicsConfig, params: ResolvedParams, n_components: int, seed: int,
                 shape: tuple[int, int], cache=None):
    """The reducer ``config.reducer`` names, for embeddings of ``shape``.

    Raises
    ------
    RegistryError
        When no reducer has that name (the message lists those that exist).
    """
    return REDUCERS.get(config.reducer)(config, params, n_components, seed, shape, cache)


def map_coords(config: TopicsConfig, seed: int, embeddings: np.ndarray, cache=None) -> np.ndarray:
    """A 2-D map of ``embeddings`` with the configured reducer, as float32 of shape (n, 2).

    Fewer than 4 points are spread on a line; embeddings of one dimension are that dimension and zeros.
    """
    n = len(embeddings)
    if n < 4:
        # Too few points for a projection: spread them on a line, deterministic.
        return np.column_stack([np.arange(n), np.zeros(n)]).astype(np.float32)
    if embeddings.shape[1] < 2:
        return np.column_stack([embeddings[:, 0], np.zeros(n)]).astype(np.float32)
    params = resolve_params(config, n)
    coords = make_reducer(config, params, 2, seed, embeddings.shape, cache).fit_transform(embeddings)
    return np.asarray(coords, dtype=np.float32)
