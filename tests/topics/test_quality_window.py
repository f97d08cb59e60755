"""The standard coherence of the literature (gensim's c_npmi), beside the corpus-relative one.

The BERTopic paper reports NPMI from boolean sliding windows of 10 tokens over each document with stop
words removed. framing's ``coherence_npmi`` counts co-occurrence in whole clustered sentences, a different
figure; run.json now carries both, each named with its reference.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from framing.config import TopicsConfig
from framing.topics import TopicModeler
from framing.topics.describe import describe_quality
from framing.topics.quality import WINDOW_REFERENCE, window_npmi, window_npmi_per_topic


def _npmi(p_ij, p_i, p_j):
    return math.log((p_ij + 1e-12) / (p_i * p_j)) / -math.log(p_ij + 1e-12)


def test_window_npmi_matches_a_hand_count_of_sliding_windows():
    # Stop words removed first: "rocket the base and vote fraud" is rocket base vote fraud (4 tokens),
    # windows of 3: [rocket base vote], [base vote fraud]. "rocket tank" is shorter than a window: one
    # window. "the and" has no token left: one empty window (gensim counts it too). N = 4 windows.
    docs = ["rocket the base and vote fraud", "rocket tank", "the and"]
    stops = frozenset({"the", "and"})
    got = window_npmi_per_topic([["rocket", "base"], ["vote fraud", "tank"]], docs, stops, window=3)
    # rocket: windows 1, 3; base: 1, 2; together: 1.
    assert math.isclose(got[0], _npmi(1 / 4, 2 / 4, 2 / 4), abs_tol=1e-9)
    # vote: 1, 2; fraud: 2; tank: 3. Pairs (vote, fraud), (vote, tank), (fraud, tank), phrases split.
    expected = np.mean([_npmi(1 / 4, 2 / 4, 1 / 4), _npmi(0, 2 / 4, 1 / 4), _npmi(0, 1 / 4, 1 / 4)])
    assert math.isclose(got[1], expected, abs_tol=1e-9)
    assert math.isclose(window_npmi([["rocket", "base"], ["vote fraud", "tank"]], docs, stops, window=3),
                        (got[0] + got[1]) / 2, abs_tol=1e-12)


def test_windows_are_counted_as_gensim_counts_them_and_cross_sentence_ends():
    # "rocket rocket base", windows of 2: [rocket rocket], [rocket base]. gensim marks the rocket that
    # leaves the window absent although the other rocket is still in it, so p(rocket) = 1/2 and the pair
    # never co-occurs (the published figures are counted so; checked against gensim 4.4 on AllSides).
    got = window_npmi_per_topic([["rocket", "base"]], ["rocket rocket base"], window=2)[0]
    assert math.isclose(got, _npmi(0, 1 / 2, 1 / 2), abs_tol=1e-9)
    # "rocket base rocket tank", windows of 2: [rocket base], [base rocket], [rocket tank]. The second
    # rocket enters as the first leaves: rocket is in all three, base in two, both in two.
    got = window_npmi_per_topic([["rocket", "base"]], ["rocket base rocket tank"], window=2)[0]
    assert math.isclose(got, _npmi(2 / 3, 1.0, 2 / 3), abs_tol=1e-9)
    # The same words as separate sentences of one document share the window of 10 (default).
    assert window_npmi_per_topic([["rocket", "base"]], ["Rocket hit. Base burnt.", "tank army vote"])[0] > 0.5


def test_window_npmi_differs_from_the_sentence_npmi_and_both_are_in_run_json():
    topics = pd.DataFrame({"keywords": [["rocket", "base"]], "ctfidf_keywords": [["rocket", "attack"]]})
    sentences = ["rocket fell", "base burnt", "rocket attack", "vote count"]
    documents = ["rocket fell base burnt", "rocket attack", "vote count"]
    q = describe_quality(topics, sentences, 10, documents, frozenset())
    assert q["coherence_npmi"] == -1.0  # never in one sentence
    assert q["c_npmi"] > 0  # always in one window of the first document
    assert q["ctfidf_c_npmi"] is not None and q["c_npmi_reference"] == WINDOW_REFERENCE
    assert "c_npmi" not in describe_quality(topics, sentences, 10)


def test_the_model_reports_the_standard_npmi_over_its_documents():
    rng = np.random.default_rng(0)
    centers = np.eye(3, 8) * 10
    emb = np.vstack([c + rng.normal(size=(12, 8)) for c in centers])
    words = ["rocket attack base", "vaccine dose trial", "election vote ballot"]
    texts = [f"the {words[i // 12]} news {i}" for i in range(36)]
    docs = [f"d{i // 3}" for i in range(36)]
    tm = TopicModeler(TopicsConfig(reducer="pca", min_cluster_size=5)).fit(
        texts, emb, ["en"] * 36, [f"s{i}" for i in range(36)], doc_ids=docs)
    q = tm.quality_
    assert set(q) >= {"coherence_npmi", "c_npmi", "ctfidf_c_npmi", "c_npmi_reference"}
    # Each document is one story's three sentences: the story's words share windows.
    assert q["c_npmi"] > 0.3
