"""Several seeded UMAP layouts side by side (``topics.layouts``) and UMAP's epochs (``topics.n_epochs``)."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from framing.config import TopicsConfig, load_config
from framing.topics.layouts import LayoutEnsemble, layout_seeds
from framing.topics.reduction import make_reducer
from framing.topics.sizing import resolve_params

from .stories import fit_with_layouts


def test_layout_seeds_start_at_the_run_seed_and_do_not_overlap_between_runs():
    assert layout_seeds(7, 1) == [7]
    seeds = layout_seeds(7, 3)
    assert seeds[0] == 7 and len(set(seeds)) == 3 and seeds == layout_seeds(7, 3)
    # seed + i would share layouts between the runs of seeds 7 and 8, and hide their disagreement.
    assert not set(layout_seeds(8, 3)) & set(seeds)


class _Fixed:
    """A reducer that returns given coordinates."""

    def __init__(self, out):
        self.out = np.asarray(out, dtype=np.float32)

    def get_params(self, deep=True):
        return {"out": self.out.tolist()}

    def fit_transform(self, X, y=None):
        return self.out

    def transform(self, X):
        return self.out[: len(X)]


def test_an_ensemble_clusters_on_the_layouts_side_by_side():
    # Point 2 lies with point 0 in the first layout only, with point 1 in the other two:
    # in the concatenation it is nearer to point 1.
    a = _Fixed([[0, 0], [10, 0], [0.5, 0]])
    b = _Fixed([[0, 0], [10, 0], [9.5, 0]])
    c = _Fixed([[0, 5], [0, 0], [0, 0.5]])
    out = LayoutEnsemble([a, b, c]).fit_transform(np.zeros((3, 4)))
    assert out.shape == (3, 6)
    d = np.linalg.norm(out[:, None] - out[None], axis=2)
    assert d[2, 1] < d[2, 0]
    assert np.array_equal(LayoutEnsemble([a, b, c]).fit(np.zeros((3, 4))).transform(np.zeros((2, 4))), out[:2])


def test_umap_gets_the_epochs_and_one_seeded_layout_each():
    cfg = TopicsConfig(reducer="umap", layouts=3, n_epochs=50)
    reducer = make_reducer(cfg, resolve_params(cfg, 100), 5, 11, (100, 8))
    assert isinstance(reducer, LayoutEnsemble) and len(reducer.reducers) == 3
    umaps = [r.umap for r in reducer.reducers]
    assert [u.random_state for u in umaps] == layout_seeds(11, 3)
    assert {u.n_epochs for u in umaps} == {50}
    # The 2-D map is one layout.
    assert not isinstance(make_reducer(cfg, resolve_params(cfg, 100), 2, 11, (100, 8)), LayoutEnsemble)
    # One layout is one UMAP with UMAP's own epochs, as before.
    one = make_reducer(TopicsConfig(layouts=1), resolve_params(TopicsConfig(), 100), 5, 11, (100, 8))
    assert one.umap.random_state == 11 and one.umap.n_epochs is None


def test_layouts_and_epochs_are_checked():
    with pytest.raises(ValidationError, match="layouts"):
        TopicsConfig(layouts=0)
    with pytest.raises(ValidationError, match="n_epochs"):
        TopicsConfig(n_epochs=1)


def test_a_model_with_layouts_clusters_in_all_of_them():
    tm, emb, texts = fit_with_layouts(0)
    assert isinstance(tm.model_.umap_model, LayoutEnsemble)
    assert tm.model_.umap_model.embedding_.shape == (60, 10)
    assert len(set(tm.labels_.tolist()) - {-1}) == 3


def test_three_layouts_with_majority_consensus_are_the_default():
    """Issue 22: BASIL mean ARI 0.886 with three layouts against 0.865 with one; both default places agree."""
    from framing.topics.consensus import UnanimousHDBSCAN
    from framing.topics.adapter import build_bertopic

    for cfg in (TopicsConfig(), load_config().topics):
        assert (cfg.layouts, cfg.layout_consensus) == (3, "majority")
    cfg = TopicsConfig()
    model = build_bertopic(cfg, resolve_params(cfg, 100), 0, frozenset(), (100, 8))
    assert isinstance(model.umap_model, LayoutEnsemble) and len(model.umap_model.reducers) == 3
    assert isinstance(model.hdbscan_model, UnanimousHDBSCAN) and model.hdbscan_model.join == "majority"
