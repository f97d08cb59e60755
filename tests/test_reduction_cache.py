"""The cache of reduced (UMAP) embeddings: hits only when data, settings, seed and versions are unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from framing.config import EmbeddingConfig, TopicsConfig
from framing.errors import CacheWarning, NotFittedError
from framing.topics import TopicModeler
from framing.topics.reduction_cache import (
    SUBDIR, CachedReducer, ReductionCache, reduction_cache_from_config, reduction_key,
)


class CountingReducer:
    """A deterministic stand-in for UMAP that counts its fits (a random projection seeded by random_state)."""

    fits = 0

    def __init__(self, n_components=2, random_state=0, min_dist=0.0):
        self.n_components, self.random_state, self.min_dist = n_components, random_state, min_dist

    def get_params(self, deep=True):
        return {"n_components": self.n_components, "random_state": self.random_state, "min_dist": self.min_dist}

    def fit(self, X, y=None):
        CountingReducer.fits += 1
        rng = np.random.default_rng(self.random_state)
        self.proj_ = rng.normal(size=(X.shape[1], self.n_components)) + self.min_dist
        return self

    def transform(self, X):
        return np.asarray(X, dtype=np.float64) @ self.proj_

    def fit_transform(self, X, y=None):
        return self.fit(X).transform(X)


@pytest.fixture()
def data():
    return np.random.default_rng(1).normal(size=(30, 8)).astype(np.float32)


@pytest.fixture(autouse=True)
def _reset_counter():
    CountingReducer.fits = 0


def fit(cache, x, **params):
    reducer = CachedReducer(CountingReducer(**params), cache)
    return reducer, reducer.fit_transform(x)


def test_second_fit_reads_the_cache_and_matches(tmp_path, data):
    _, first = fit(ReductionCache(tmp_path), data)
    reducer, again = fit(ReductionCache(tmp_path), data)
    assert CountingReducer.fits == 1
    assert reducer.from_cache_
    np.testing.assert_array_equal(again, first)
    assert again.dtype == np.float32 and again.shape == (30, 2)


@pytest.mark.parametrize("change", [{"random_state": 1}, {"min_dist": 0.5}, {"n_components": 3}])
def test_a_changed_seed_or_setting_misses(tmp_path, data, change):
    fit(ReductionCache(tmp_path), data)
    reducer, out = fit(ReductionCache(tmp_path), data, **change)
    assert not reducer.from_cache_
    assert CountingReducer.fits == 2
    expected = CountingReducer(**change).fit_transform(data).astype(np.float32)
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_changed_embeddings_miss(tmp_path, data):
    fit(ReductionCache(tmp_path), data)
    changed = data.copy()
    changed[3, 2] += 1e-3  # one sentence's vector: another sentence or another model
    reducer, _ = fit(ReductionCache(tmp_path), changed)
    assert not reducer.from_cache_
    assert reduction_key(changed, CountingReducer()) != reduction_key(data, CountingReducer())


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage"])
def test_a_damaged_entry_is_recomputed_and_overwritten(tmp_path, data, damage):
    cache = ReductionCache(tmp_path)
    reducer, first = fit(cache, data)
    path = cache.path(reducer.key_)
    blob = bytearray(path.read_bytes())
    if damage == "flip":
        blob[-5] ^= 0xFF
    elif damage == "truncate":
        blob = blob[: len(blob) // 2]
    else:
        blob = bytearray(b"not an array at all")
    path.write_bytes(bytes(blob))
    with pytest.warns(CacheWarning, match="damaged"):
        reducer2, again = fit(cache, data)
    assert not reducer2.from_cache_
    np.testing.assert_array_equal(again, first)
    reducer3, _ = fit(cache, data)  # the rewritten entry is whole again
    assert reducer3.from_cache_
    assert CountingReducer.fits == 2


def test_an_entry_of_the_wrong_shape_is_not_used(tmp_path, data):
    cache = ReductionCache(tmp_path)
    reducer, _ = fit(cache, data)
    cache.put(reducer.key_, np.zeros((29, 2), np.float32))  # a colliding entry with another row count
    with pytest.warns(CacheWarning):
        reducer2, _ = fit(cache, data)
    assert not reducer2.from_cache_


def test_transform_of_new_data_after_a_hit_fits_the_reducer(tmp_path, data):
    fit(ReductionCache(tmp_path), data)
    reducer, _ = fit(ReductionCache(tmp_path), data)
    assert reducer.from_cache_ and CountingReducer.fits == 1
    np.testing.assert_array_equal(reducer.transform(data), reducer.embedding_)  # the training data: no fit
    assert CountingReducer.fits == 1
    new = data[:4] + 1
    out = reducer.transform(new)
    assert CountingReducer.fits == 2  # fitted now, on the training data
    expected = CountingReducer().fit(data).transform(new)
    np.testing.assert_allclose(out, expected.astype(np.float32), rtol=1e-6)
    with pytest.raises(NotFittedError):
        CachedReducer(CountingReducer(), ReductionCache(tmp_path)).transform(data)


def test_unwritable_folder_warns_and_still_reduces(tmp_path, data):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.warns(CacheWarning, match="cannot be written"):
        _, out = fit(ReductionCache(blocker / "sub"), data)
    assert out.shape == (30, 2)


def test_cache_follows_the_embedding_cache_settings(tmp_path):
    assert reduction_cache_from_config(EmbeddingConfig(cache=False)) is None
    cache = reduction_cache_from_config(EmbeddingConfig(cache_dir=str(tmp_path)))
    assert cache.directory == tmp_path / SUBDIR


def test_topic_modeler_reuses_umap_and_map_coordinates(tmp_path):
    """The real UMAP, twice: the second fit reads both reductions and gives the same topics and map."""
    rng = np.random.default_rng(0)
    centers = np.eye(3, 16) * 10
    emb = np.vstack([c + rng.normal(size=(15, 16)) for c in centers]).astype(np.float32)
    words = ["rocket attack base", "vaccine dose trial", "election vote ballot"]
    texts = [f"the {words[i // 15]} news item {i}" for i in range(45)]
    cfg = TopicsConfig(reducer="umap", min_cluster_size=5, n_neighbors=10)
    args = (texts, emb, ["en"] * 45, [f"s{i}" for i in range(45)])
    first = TopicModeler(cfg, seed=7, reduction_cache=ReductionCache(tmp_path)).fit(*args)
    assert not any(r.from_cache_ for r in first.model_.umap_model.reducers)
    assert len(list(tmp_path.glob("*.npy"))) == 4  # the 5-d reduction of each of 3 layouts and the 2-d map
    again = TopicModeler(cfg, seed=7, reduction_cache=ReductionCache(tmp_path)).fit(*args)
    assert all(r.from_cache_ for r in again.model_.umap_model.reducers)
    np.testing.assert_array_equal(again.labels_, first.labels_)
    np.testing.assert_array_equal(again.coords_, first.coords_)
    other_seed = TopicModeler(cfg, seed=8, reduction_cache=ReductionCache(tmp_path)).fit(*args)
    assert not any(r.from_cache_ for r in other_seed.model_.umap_model.reducers)
    assert other_seed.model_.umap_model.reducers[0].reducer.random_state == 8


def test_umap_compiled_functions_use_numba_disk_cache():
    from numba.core.caching import NullCache

    from framing.topics.compiled import cache_umap_compilation

    cache_umap_compilation()
    import pynndescent.pynndescent_ as nnd
    import umap.layouts
    import umap.umap_

    assert not isinstance(umap.umap_.smooth_knn_dist._cache, NullCache)
    assert not isinstance(umap.layouts._nb_optimize_layout_euclidean_single_epoch._cache, NullCache)
    assert isinstance(nnd.nn_descent._cache, NullCache)  # pynndescent's own: left alone (numba cannot cache it)
    assert cache_umap_compilation() == 0  # once per process
