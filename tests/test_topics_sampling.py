"""UMAP fitted on a seeded sample, the rest placed by transform (topics.umap_sample)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.decomposition import PCA

from framing.config import TopicsConfig, load_config
from framing.errors import ConfigError, NotFittedError
from framing.topics.reduction import make_reducer
from framing.topics.reduction_cache import CachedReducer, ReductionCache, reduction_key
from framing.topics.sampling import SampledReducer
from framing.topics.sizing import resolve_params


@pytest.fixture()
def data():
    return np.random.default_rng(2).normal(size=(60, 8)).astype(np.float32)


def test_fit_on_the_sample_and_transform_the_rest(data):
    sampled = SampledReducer(PCA(2, random_state=0), max_rows=25, seed=3)
    out = sampled.fit_transform(data)
    rows = sampled.sample_rows(len(data))
    assert sampled.sampled_ and len(rows) == 25 and len(set(rows.tolist())) == 25
    alone = PCA(2, random_state=0).fit(data[rows])
    np.testing.assert_allclose(out, alone.transform(data).astype(np.float32), rtol=1e-4, atol=1e-5)
    assert not np.allclose(out, PCA(2, random_state=0).fit_transform(data), atol=1e-3)  # not a fit on all


def test_the_sample_follows_the_seed(data):
    a = SampledReducer(PCA(2), 25, seed=3).sample_rows(60)
    assert np.array_equal(a, SampledReducer(PCA(2), 25, seed=3).sample_rows(60))
    assert not np.array_equal(a, SampledReducer(PCA(2), 25, seed=4).sample_rows(60))


def test_small_inputs_are_fitted_whole(data):
    sampled = SampledReducer(PCA(2, random_state=0), max_rows=100, seed=3)
    out = sampled.fit_transform(data)
    assert not sampled.sampled_
    np.testing.assert_allclose(out, PCA(2, random_state=0).fit_transform(data), rtol=1e-4, atol=1e-5)
    with pytest.raises(NotFittedError):
        SampledReducer(PCA(2), 10, 0).transform(data)


def test_the_reduction_cache_tells_sampled_from_whole(tmp_path, data):
    whole = reduction_key(data, PCA(2, random_state=0))
    sampled = reduction_key(data, SampledReducer(PCA(2, random_state=0), 25, 3))
    other_seed = reduction_key(data, SampledReducer(PCA(2, random_state=0), 25, 4))
    assert len({whole, sampled, other_seed}) == 3
    first = CachedReducer(SampledReducer(PCA(2, random_state=0), 25, 3), ReductionCache(tmp_path))
    out = first.fit_transform(data)
    again = CachedReducer(SampledReducer(PCA(2, random_state=0), 25, 3), ReductionCache(tmp_path))
    np.testing.assert_array_equal(again.fit_transform(data), out)
    assert again.from_cache_


def test_config_key_reaches_the_umap_reducer():
    cfg = load_config(overrides=["topics.umap_sample=500", "topics.layouts=1"]).topics
    reducer = make_reducer(cfg, resolve_params(cfg, 1000), 5, 7, (1000, 384))
    assert isinstance(reducer, SampledReducer)
    assert (reducer.max_rows, reducer.seed, reducer.reducer.random_state) == (500, 7, 7)
    # Without a sample: UMAP on every row, with exact neighbours (framing.topics.neighbors).
    plain = make_reducer(TopicsConfig(layouts=1), resolve_params(TopicsConfig(), 1000), 5, 7, (1000, 384))
    assert type(plain).__name__ == "ExactNeighborsUMAP" and type(plain.umap).__name__ == "UMAP"
    with pytest.raises(ConfigError, match="umap_sample"):
        load_config(overrides=["topics.umap_sample=5"])
