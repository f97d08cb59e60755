"""Outlier placement scoped to the document: an outlier joins the nearest topic its own document already tells.

A sentence HDBSCAN could not place is most likely one more sentence of a story its article tells. The
``centroid`` strategy places it at the nearest topic of the whole corpus, which on BASIL moved articles of
one event into another event's topic; ``document`` looks only at the topics of the sentence's documents.
"""

from __future__ import annotations

import numpy as np
import pytest

from framing.config import TopicsConfig
from framing.topics import TopicModeler
from framing.topics.outliers import document_topics_allowed, place_outliers


def _two_topics():
    rng = np.random.default_rng(0)
    a = np.array([1.0, 0, 0]) + rng.normal(scale=0.05, size=(20, 3))
    b = np.array([0, 1.0, 0]) + rng.normal(scale=0.05, size=(20, 3))
    near_a = np.array([[1.0, 0.03, 0.0], [1.0, 0.0, 0.03]])
    emb = np.vstack([a, b, near_a])
    topics = np.array([0] * 20 + [1] * 20 + [-1, -1])
    # Topic 0 is told in documents a0..a3, topic 1 in b0..b3; the first outlier stands in a1, the second in b2.
    docs = np.array([f"a{i % 4}" for i in range(20)] + [f"b{i % 4}" for i in range(20)] + ["a1", "b2"])
    return emb, topics, docs


def test_an_outlier_joins_only_a_topic_its_document_tells():
    emb, topics, docs = _two_topics()
    outliers = topics < 0
    anywhere, _ = place_outliers(emb, topics, outliers, 0.05)
    assert anywhere[-2:].tolist() == [0, 0]  # the corpus-wide rule puts both in topic 0
    allowed = document_topics_allowed(topics, np.arange(len(topics)), docs)
    scoped, floor = place_outliers(emb, topics, outliers, 0.05, allowed)
    # a1 tells topic 0: its outlier joins it; b2 tells topic 1 only, and is far from it: it stays out.
    assert scoped[-2:].tolist() == [0, -1]
    assert 0.9 < floor < 1.0


def test_a_sentence_printed_in_several_documents_may_join_a_topic_any_of_them_tells():
    topics = np.array([0, 1, -1])
    # Distinct sentence 2 is printed in documents x (topic 0) and y (topic 1).
    allowed = document_topics_allowed(topics, np.array([0, 1, 2, 2]), np.array(["x", "y", "x", "y"]))
    assert allowed.tolist() == [[True, False], [False, True], [True, True]]


def _corpus():
    """Two stories in 6 articles each; every article of story B also holds two asides close to story A."""
    rng = np.random.default_rng(1)
    dim = 16
    texts, rows, docs = [], [], []

    def add(text, center, doc, spread):
        texts.append(text)
        rows.append(center + rng.normal(scale=spread, size=dim))
        docs.append(doc)

    a, b = np.zeros(dim), np.zeros(dim)
    a[0], b[1] = 8.0, 8.0
    for k in range(6):
        for i in range(8):
            add(f"The harbour strike by dockers over wages continued {k} {i}", a, f"a{k}", 0.3)
            add(f"The museum auction of the painting collection closed {k} {i}", b, f"b{k}", 0.3)
        for i in range(2):
            add(f"Dockers and wages came up once more at the auction {k} {i}", a, f"b{k}", 0.15)
    return texts, np.asarray(rows, dtype=np.float32), docs


def test_the_model_keeps_outliers_out_of_a_topic_their_document_is_not_about(monkeypatch):
    from framing.topics import adapter

    texts, emb, docs = _corpus()
    asides = np.array([t.startswith("Dockers") for t in texts])
    fit_bertopic = adapter.fit_bertopic

    def leaves_the_asides_out(model, sentences, embeddings):
        # HDBSCAN of a real corpus leaves such sentences out; here they are made its outliers.
        topics, probs = fit_bertopic(model, sentences, embeddings)
        topics[asides] = -1
        probs[asides] = 0.0
        model.topics_ = topics.tolist()
        return topics, probs

    monkeypatch.setattr(adapter, "fit_bertopic", leaves_the_asides_out)
    cfg = TopicsConfig(reducer="pca", min_cluster_size=5, n_components=8, reduce_outliers=True,
                       outlier_strategy="document")
    tm = TopicModeler(cfg, seed=0).fit(texts, emb, ["en"] * len(texts), [f"s{i}" for i in range(len(texts))],
                                       doc_ids=docs)
    assert tm.outliers_ == int(asides.sum())
    assert tm.outlier_floor_ is not None and 0.9 < tm.outlier_floor_ < 1.0
    story_a = {int(t) for t in tm.labels_[[t.startswith("The harbour") for t in texts]]}
    assert len(story_a) == 1 and -1 not in story_a
    # The asides stand in story B's articles: as close to story A as its own sentences (the corpus-wide rule
    # places them there), yet they do not join it, and they are too far from story B to join that.
    anywhere, _ = place_outliers(emb, np.where(asides, -1, tm.labels_), asides, 0.05)
    assert (anywhere[asides] == story_a.pop()).all()
    assert (tm.labels_[asides] == -1).all() and tm.moves_["outliers_placed"] == 0



def test_document_placement_is_the_default():
    cfg = TopicsConfig()
    assert cfg.reduce_outliers and cfg.outlier_strategy == "document"


def test_sentences_of_side_subjects_join_their_documents_story_and_generic_ones_do_not(monkeypatch):
    """``document``: a topic dropped because no document is about it was a side subject of the documents that
    tell it; its sentences as close to their document's main topic as that topic's own sentences join it.
    Sentences a rule took out for other reasons (filler, words every story uses) are never candidates."""
    from framing.topics import adapter, outliers

    monkeypatch.setattr(adapter, "update_topics", lambda *a, **k: None)
    monkeypatch.setattr(adapter, "reindex_topic_embeddings", lambda *a, **k: None)
    emb, topics, docs = _two_topics()
    # The last two: a dropped side subject's sentence in a1 (about topic 0), and a generic line in a2.
    side = np.zeros(len(topics), dtype=bool)
    side[-2] = True
    docs = docs.copy()
    docs[-1] = "a2"
    none = np.zeros(len(topics), dtype=bool)
    inverse = np.arange(len(topics))
    for strategy, expected in (("document", [0, -1]), ("centroid", [-1, -1])):
        cfg = TopicsConfig(reduce_outliers=True, outlier_strategy=strategy)
        new, floor = outliers.reduce(None, cfg, ["x"] * len(topics), emb, topics, np.zeros(len(topics)), inverse,
                                     docs, none, side)
        assert new[-2:].tolist() == expected, strategy
        assert 0.9 < floor < 1.0
