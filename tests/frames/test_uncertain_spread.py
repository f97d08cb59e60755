"""`framing sample --strategy uncertain`: near the decision, spread over the run's topics."""

import numpy as np
import pandas as pd

from framing.frames.designs import frame_scores, uncertain_design


def _scores(clusters):
    n = len(clusters)
    return pd.DataFrame({"item": [f"s{i:03d}" for i in range(n)], "frame_id": "oil",
                         "margin": np.arange(n) / n, "cluster": clusters})


def test_uncertain_draw_is_spread_over_topics():
    # the ten items nearest the decision are all of topic 0 (one story told ten times)
    s = _scores([0] * 10 + [1, 2, 3] + [0] * 7)
    d = uncertain_design(s, n=4, seed=0)
    assert sorted(d.item) == ["s000", "s010", "s011", "s012"]


def test_without_topics_the_nearest_items_are_drawn():
    s = _scores([0] * 20).drop(columns="cluster")
    assert sorted(uncertain_design(s, n=3, seed=0).item) == ["s000", "s001", "s002"]


def test_a_documents_cluster_is_the_topic_of_most_of_its_sentences():
    tables = {"document_frames": pd.DataFrame({"doc_id": ["d1", "d2"], "frame_id": "oil", "score": [0.4, 0.6],
                                               "matched": [False, True], "confidence": [0.55, 0.6]}),
              "sentences": pd.DataFrame({"sentence_id": ["a", "b", "c", "d"], "doc_id": ["d1", "d1", "d1", "d2"],
                                         "topic": [3, 3, 5, -1]})}
    out = frame_scores(tables, {}, "document")
    assert out.set_index("item").cluster.to_dict() == {"d1": 3, "d2": -1}
