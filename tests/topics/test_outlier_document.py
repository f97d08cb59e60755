"""Outlier placement scoped to the document: an outlier joins the nearest topic its own document already tells.

A sentence HDBSCAN could not place is most likely one more sentence of a story its article tells. The
``centroid`` strategy places it at the nearest topic of the whole corpus, which on BASIL moved articles of
one event into another event's topic; ``document`` looks only at the topics of the sentence's documents.
"""

from __future__ import annotations

import numpy as np

from framing.config import TopicsConfig
from framing.topics import TopicModeler
from framing.topics.outliers import document_topics_allowed, place_outliers

from .stories import SentenceCorpus


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
    corpus = SentenceCorpus(1)
    a, b = corpus.axis(0), corpus.axis(1)
    for k in range(6):
        for i in range(8):
            corpus.add(f"The harbour strike by dockers over wages continued {k} {i}", a, f"a{k}", 0.3)
            corpus.add(f"The museum auction of the painting collection closed {k} {i}", b, f"b{k}", 0.3)
        for i in range(2):
            corpus.add(f"Dockers and wages came up once more at the auction {k} {i}", a, f"b{k}", 0.15)
    return corpus.arrays()


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



def test_placement_that_keeps_main_topics_is_the_default():
    from framing.config import load_config

    assert TopicsConfig().reduce_outliers and TopicsConfig().outlier_strategy == "keep-main"
    assert load_config([]).topics.outlier_strategy == "keep-main"


def test_keep_main_places_an_aside_at_the_story_it_is_about_without_moving_its_document(monkeypatch):
    """``keep-main``: the asides of story B's articles are as close to story A as its own sentences. ``document``
    keeps them out (A is not their article's main topic); ``keep-main`` lets them join A, because two asides
    cannot outweigh the eight sentences of the article's own story, and every article keeps its main topic."""
    from framing.topics import adapter
    from framing.topics.documents import main_topics

    texts, emb, docs = _corpus()
    asides = np.array([t.startswith("Dockers") for t in texts])
    fit_bertopic = adapter.fit_bertopic

    def leaves_the_asides_out(model, sentences, embeddings):
        topics, probs = fit_bertopic(model, sentences, embeddings)
        had_outliers = (topics < 0).any()
        topics[asides] = -1
        probs[asides] = 0.0
        model.topics_ = topics.tolist()
        if not had_outliers:  # BERTopic keeps a leading -1 row of topic embeddings when there are outliers
            model.topic_embeddings_ = np.vstack([np.zeros_like(model.topic_embeddings_[:1]), model.topic_embeddings_])
        return topics, probs

    monkeypatch.setattr(adapter, "fit_bertopic", leaves_the_asides_out)
    fitted = {}
    for strategy in ("document", "keep-main"):
        cfg = TopicsConfig(reducer="pca", min_cluster_size=5, n_components=8, reduce_outliers=True,
                           outlier_strategy=strategy)
        fitted[strategy] = TopicModeler(cfg, seed=0).fit(texts, emb, ["en"] * len(texts),
                                                         [f"s{i}" for i in range(len(texts))], doc_ids=docs)
    story_a = int(fitted["keep-main"].labels_[0])
    assert (fitted["document"].labels_[asides] == -1).all()
    assert (fitted["keep-main"].labels_[asides] == story_a).all()
    assert fitted["keep-main"].moves_["outliers_placed"] == int(asides.sum())

    def mains(tm):
        import pandas as pd

        return main_topics(pd.DataFrame({"doc_id": docs, "topic": tm.labels_, "topic_prob": tm.probs_}))

    assert mains(fitted["keep-main"]) == mains(fitted["document"])


def test_keep_main_never_lets_candidates_outweigh_a_documents_main_topic():
    from framing.topics.outliers import main_keeping_allowed

    # Document d: two sentences of topic 0, one of topic 1, and two candidates close to topic 1.
    emb = np.array([[1.0, 0], [1, 0.02], [0, 1], [0.02, 1], [0.01, 1], [0, 1.0], [1, 0.01]])
    topics = np.array([0, 0, 1, 1, -1, -1, 1])
    docs = np.array(["d", "d", "d", "e", "d", "d", "e"])
    allowed = main_keeping_allowed(topics, np.arange(7), docs, topics < 0)
    # 1 + 2 candidates would reach 3 > 2: topic 1 is closed to d's candidates, which may only join topic 0
    assert allowed[4].tolist() == [True, False] and allowed[5].tolist() == [True, False]
    new, _ = place_outliers(emb, topics, topics < 0, 0.05, allowed)
    assert new[4:6].tolist() == [-1, -1]  # far from topic 0: they stay out rather than move d to topic 1
    # With one candidate only, 1 + 1 < 2 does not hold either (a tie could move the main topic): still closed.
    one = main_keeping_allowed(topics[:5], np.arange(5), docs[:5], topics[:5] < 0)
    assert one[4].tolist() == [True, False]
    # A sentence printed in two documents may join a topic only when neither changes.
    shared = main_keeping_allowed(np.array([0, 0, 0, 1, 1, 1, 1, -1]), np.array([0, 1, 2, 3, 4, 5, 6, 7, 7]),
                                  np.array(["x", "x", "x", "y", "y", "y", "x", "x", "y"]),
                                  np.array([0, 0, 0, 0, 0, 0, 0, 1], bool))
    assert shared[7].tolist() == [True, True]  # x: 1 + 1 < 3 for topic 1; y: 0 + 1 < 3 for topic 0; each its main
    # x: topic 0 twice, topic 1 once; y: topic 1 three times. Joining topic 1 would tie x's two topics.
    tight = main_keeping_allowed(np.array([0, 0, 1, 1, 1, 1, -1]), np.array([0, 1, 2, 3, 4, 5, 6, 6]),
                                 np.array(["x", "x", "x", "y", "y", "y", "x", "y"]),
                                 np.array([0, 0, 0, 0, 0, 0, 1], bool))
    assert tight[6].tolist() == [True, False]
    assert not tight[:6].any()  # rows that are not candidates allow nothing


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
