"""Consensus outliers that a layout clusters with their document's main topic join it (issue 22, coverage)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from framing.config import TopicsConfig
from framing.topics import adapter, outliers
from framing.topics.outliers import join_by_layouts


def test_an_outlier_one_layout_puts_with_its_documents_story_joins_it():
    # rows 0-2 topic 0, rows 3-5 topic 1; row 6 is a consensus outlier of a topic-0 document
    topics = np.array([0, 0, 0, 1, 1, 1, -1])
    layouts = np.array([[0, 0, 0, 1, 1, 1, -1],
                        [0, 0, 0, 1, 1, 1, -1],
                        [0, 0, 0, 1, 1, 1, 0]])  # one layout of three clusters it with topic 0
    own = np.array([[1, 0]] * 3 + [[0, 1]] * 3 + [[1, 0]], bool)
    assert join_by_layouts(layouts, topics, topics < 0, own)[6] == 0
    other = own.copy()
    other[6] = [False, True]  # its document is about topic 1: a layout's cluster of topic 0 is not enough
    assert join_by_layouts(layouts, topics, topics < 0, other)[6] == -1
    nowhere = layouts.copy()
    nowhere[2, 6] = -1  # no layout clusters it: it stays out
    assert join_by_layouts(nowhere, topics, topics < 0, own)[6] == -1


def test_a_layout_cluster_stands_for_the_topic_most_of_its_rows_hold_and_votes_add_up():
    topics = np.array([0, 0, 0, 1, 1, 1, -1, -1])
    layouts = np.array([[5, 5, 5, 5, 7, 7, 5, 7],   # cluster 5 is mostly topic 0, cluster 7 topic 1
                        [2, 2, 2, 3, 3, 3, 3, 3],
                        [2, 2, 2, 3, 3, 3, 3, 2]])
    both = np.ones((8, 2), bool)  # a sentence printed in two documents may join either main topic
    new = join_by_layouts(layouts, topics, topics < 0, both)
    assert new[6] == 1  # topic 1 in two layouts, topic 0 in one
    assert new[7] == 1
    assert new[:6].tolist() == topics[:6].tolist()  # members are never moved
    only = topics < 0
    only[7] = False
    assert join_by_layouts(layouts, topics, only, both)[7] == -1  # non-candidates (filler, generic) stay out


def test_document_placement_uses_the_layouts_after_the_floor(monkeypatch):
    monkeypatch.setattr(adapter, "update_topics", lambda *a, **k: None)
    monkeypatch.setattr(adapter, "reindex_topic_embeddings", lambda *a, **k: None)
    emb = np.array([[1, 0], [1, 0.05], [1, -0.05], [0, 1], [0.05, 1], [-0.05, 1], [-1, -0.2]], dtype=float)
    topics = np.array([0, 0, 0, 1, 1, 1, -1])
    doc_ids = np.array(["a", "a", "a", "b", "b", "b", "a"])
    inverse = np.arange(7)
    cfg = TopicsConfig(outlier_strategy="document")
    layouts = np.array([[0, 0, 0, 1, 1, 1, -1], [0, 0, 0, 1, 1, 1, -1], [0, 0, 0, 1, 1, 1, 0]])
    args = (cfg, ["s"] * 7, emb, topics, np.ones(7), inverse, doc_ids, topics < 0, np.zeros(7, bool))
    plain = SimpleNamespace(hdbscan_model=SimpleNamespace())
    assert outliers.reduce(plain, *args)[0][6] == -1  # far from topic 0: the floor keeps it out
    moves: dict = {}
    voted = SimpleNamespace(hdbscan_model=SimpleNamespace(layout_labels_=layouts))
    new, floor = outliers.reduce(voted, *args, moves)
    assert new[6] == 0 and moves["layout_joined"] == 1
    centroid = TopicsConfig(outlier_strategy="centroid")  # no document rule: no layout join either
    assert outliers.reduce(voted, centroid, *args[1:])[0][6] == -1


def test_a_topic_most_layouts_find_is_a_topic_and_one_layout_alone_is_not():
    from framing.topics.consensus import join_majority, majority_groups, unanimous_labels

    story = [0] * 6 + [1] * 6 + [2] * 6  # rows 6-11: a story layouts 0 and 1 find, layout 2 leaves as noise
    runs = np.array([story, story, [0] * 6 + [-1] * 6 + [-1] * 6])
    runs[1, 12:] = -1  # rows 12-17: only layout 0 finds them
    cores = join_majority(runs, unanimous_labels(runs, 3))
    assert cores[6:].tolist() == [-1] * 12  # no unanimous core for either: the old majority loses both
    out = majority_groups(runs, cores, 3)
    assert out[:6].tolist() == cores[:6].tolist()
    assert len(set(out[6:12].tolist())) == 1 and out[6] >= 0 and out[6] != out[0]
    assert out[12:].tolist() == [-1] * 6
    assert (majority_groups(runs, cores, 7)[6:] == -1).all()  # smaller than min_cluster_size: not a topic
    two = runs[:2]
    assert (majority_groups(two, unanimous_labels(two, 3), 3) == unanimous_labels(two, 3)).all()  # 2 of 2: unanimity
