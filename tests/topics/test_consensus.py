"""``layout_consensus: unanimous``: HDBSCAN in each layout, a topic where every layout agrees.

One seed's layout may put two stories' border sentences together by chance; the other layouts do not, so
the unanimous groups split them. On BASIL this lifted the ARI of seed 42 from 0.826 to 0.883.
"""

from __future__ import annotations

import numpy as np

from framing.config import TopicsConfig
from framing.topics.adapter import build_bertopic
from framing.topics.consensus import UnanimousHDBSCAN, unanimous_labels
from framing.topics.sizing import resolve_params

from .stories import fit_with_layouts


def test_groups_are_the_rows_every_run_keeps_together():
    runs = np.array([[0, 0, 0, 0, 1, 1, 1, -1],
                     [5, 5, 5, 6, 7, 7, 7, 7]])
    # Rows 0-2 agree; row 3 is with them in run 0 only; row 7 is noise in run 0.
    assert unanimous_labels(runs, min_size=2).tolist() == [0, 0, 0, -1, 1, 1, 1, -1]
    # A group under min_size is noise; numbers follow size, largest first.
    assert unanimous_labels(runs, min_size=4).tolist() == [-1] * 8
    assert unanimous_labels(np.array([[1, 1, 0, 0, 0]]), min_size=2).tolist() == [1, 1, 0, 0, 0]
    assert unanimous_labels(np.full((2, 3), -1), 1).tolist() == [-1, -1, -1]


def _blobs(rng, shift):
    a = rng.normal(size=(30, 2)) * 0.1
    b = rng.normal(size=(30, 2)) * 0.1 + [5, 0]
    return np.vstack([a, b, [shift]])


def test_a_point_one_layout_puts_with_a_story_by_chance_is_not_in_it():
    rng = np.random.default_rng(0)
    # Point 60 sits inside blob a in the first layout and far from both blobs in the other two.
    layouts = [_blobs(rng, [0.0, 0.0]), _blobs(rng, [2.5, 4.0]), _blobs(rng, [2.5, -4.0])]
    x = np.hstack(layouts)
    single = UnanimousHDBSCAN(1, 5, 1).fit(layouts[0]).labels_
    assert single[60] == single[0] >= 0
    model = UnanimousHDBSCAN(3, 5, 1).fit(x)
    assert model.labels_[60] == -1 and model.probabilities_[60] == 0
    assert len(set(model.labels_[:30].tolist())) == 1 and model.labels_[0] != model.labels_[30]
    assert model.predict(x[[0, 30]]).tolist() == [model.labels_[0], model.labels_[30]]


def test_the_adapter_uses_it_with_several_layouts_only():
    cfg = TopicsConfig(layouts=3)
    params = resolve_params(cfg, 100)
    model = build_bertopic(cfg, params, 0, frozenset(), (100, 8))
    assert isinstance(model.hdbscan_model, UnanimousHDBSCAN) and model.hdbscan_model.n_layouts == 3
    # One layout, layouts concatenated, or a reducer that makes no layouts (PCA): one HDBSCAN.
    for other in (TopicsConfig(layouts=1), TopicsConfig(layouts=3, layout_consensus="concatenate"),
                  TopicsConfig(reducer="pca", layouts=3)):
        assert type(build_bertopic(other, params, 0, frozenset(), (100, 8)).hdbscan_model).__name__ == "HDBSCAN"


def test_a_model_fits_and_transforms_with_unanimous_layouts():
    tm, emb, texts = fit_with_layouts(1)
    assert isinstance(tm.model_.hdbscan_model, UnanimousHDBSCAN)
    assert len(set(tm.labels_.tolist()) - {-1}) == 3
    same = tm.transform(texts[:3], emb[:3])
    assert (same == tm.labels_[:3]).all()


def test_majority_joins_a_border_sentence_to_the_group_most_layouts_put_it_with():
    from framing.topics.consensus import join_majority

    runs = np.array([[0, 0, 0, 0, 0, 1, 1, 1, 1],
                     [2, 2, 2, 3, 2, 4, 4, 4, 4],
                     [5, 5, 5, 5, 6, 7, 7, 7, -1]])
    cores = unanimous_labels(runs, min_size=2)
    assert cores.tolist() == [0, 0, 0, -1, -1, 1, 1, 1, -1]
    # Rows 3 and 4 agree with core 0 in two layouts of three; row 8 with core 1 in two (noise in one).
    assert join_majority(runs, cores).tolist() == [0, 0, 0, 0, 0, 1, 1, 1, 1]
    # With two layouts a majority is both: nothing joins.
    assert join_majority(runs[:2], unanimous_labels(runs[:2], 2)).tolist() == unanimous_labels(runs[:2], 2).tolist()


def test_the_adapter_passes_majority():
    cfg = TopicsConfig(layouts=3, layout_consensus="majority")
    model = build_bertopic(cfg, resolve_params(cfg, 100), 0, frozenset(), (100, 8))
    assert model.hdbscan_model.join == "majority"
