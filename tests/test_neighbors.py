"""Exact cosine neighbours for UMAP (framing.topics.neighbors)."""

from __future__ import annotations

import numpy as np
import pytest

from framing.topics.neighbors import ExactNeighborsUMAP, exact_cosine_knn


def blobs(n: int = 300, dim: int = 24, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(4, dim)) * 3
    x = centres[rng.integers(0, 4, n)] + rng.normal(size=(n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_exact_knn_equals_brute_force_with_the_row_itself_first():
    x = blobs(2500)  # more than one chunk of rows
    idx, dist = exact_cosine_knn(x, 15)
    sim = x @ x.T
    for i in (0, 1, 1023, 1024, 2499):
        order = np.argsort(-sim[i], kind="stable")
        assert idx[i, 0] == i and dist[i, 0] == 0
        # The same neighbour distances as brute force (ties may pick other rows at the same distance).
        np.testing.assert_allclose(np.sort(1 - sim[i, idx[i, 1:]]), np.sort(1 - sim[i, order[order != i][:14]]),
                                   atol=1e-5)
        np.testing.assert_allclose(dist[i, 1:], 1 - sim[i, idx[i, 1:]], atol=1e-5)
    assert (np.diff(dist, axis=1) >= -1e-6).all()  # ascending


def test_duplicate_rows_still_list_themselves_first():
    x = np.repeat(blobs(10), 20, axis=0)  # every row has 19 exact copies, more than k
    idx, dist = exact_cosine_knn(x, 5)
    assert (idx[:, 0] == np.arange(len(x))).all()
    assert np.allclose(dist, 0, atol=1e-6)


@pytest.mark.filterwarnings("ignore")
def test_umap_with_exact_neighbors_is_seeded_and_still_transforms_new_points():
    from umap import UMAP

    from framing.topics.compiled import cache_umap_compilation

    cache_umap_compilation()
    x = blobs(400)
    make = lambda: ExactNeighborsUMAP(UMAP(n_neighbors=10, n_components=2, metric="cosine", random_state=3, n_jobs=1))
    a, b = make(), make()
    ea, eb = a.fit_transform(x), b.fit_transform(x)
    assert a.exact_ and ea.shape == (400, 2)
    np.testing.assert_array_equal(ea, eb)  # same data, same seed: the same coordinates
    assert a.get_params()["neighbors"] == "exact"  # the reduction cache keys exact fits apart
    placed = a.transform(x[:5] + 1e-3)  # builds the search index on first need
    assert placed.shape == (5, 2) and np.isfinite(placed).all()
    # Placed next to the training rows they copy (within the map's spread).
    assert np.linalg.norm(placed - ea[:5], axis=1).max() < np.ptp(ea, axis=0).max() / 4


def test_more_rows_than_the_limit_leave_umap_its_own_search():
    from umap import UMAP

    wrapped = ExactNeighborsUMAP(UMAP(n_neighbors=5, metric="cosine", random_state=0, n_jobs=1), max_rows=50)
    wrapped.fit_transform(blobs(120))
    assert not wrapped.exact_
    assert wrapped.umap.precomputed_knn == (None, None, None)
