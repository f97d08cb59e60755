"""``topics.min_main_documents: auto``: at news scale a topic must be the bulk of more documents.

A topic must be the main topic (most sentences) of two documents to exist: one document is never evidence
that a subject belongs to the corpus. That bar was measured on a few hundred articles. In a corpus of
thousands, where the smallest topic grows with the corpus (``min_cluster_size: auto``), a subject two
articles are about is a side story, and with the bar at two all of AllSides kept 83 topics and its first
1,000 articles 109: a hundred topics a reader cannot go through. ``auto`` keeps 2 up to 12,500 sentences
and grows in proportion to the smallest topic beyond (:func:`framing.topics.sizing.auto_min_main_documents`).
"""

from __future__ import annotations

import numpy as np
import pytest

from framing.config import TopicsConfig
from framing.topics import TopicModeler
from framing.topics.sizing import auto_min_main_documents, min_main_documents, resolve_params

from .stories import SentenceCorpus
from .test_keyword_coverage import nonce

STORIES = 21
SIDE = "side"


def corpus(per_article: int):
    """21 stories, each the main topic of six articles of ``per_article`` sentences with three made-up words of
    its own, and a side story two short articles are about (ten sentences each, words of its own)."""
    c = SentenceCorpus(5, dim=32)
    parts = []
    for k in range(STORIES):
        words = [nonce(500 + 3 * k + j) for j in range(3)]
        for article in range(6):
            for i in range(per_article):
                w = [words[(i + j) % 3] for j in range(3)]
                c.add(f"The {w[0]} and the {w[1]} of the {w[2]} were discussed, line {article}-{i}",
                      c.axis(k), f"article-{k}-{article}", 0.3)
                parts.append(f"story-{k}")
    words = [nonce(900 + j) for j in range(3)]
    for article in range(2):
        for i in range(10):
            w = [words[(i + j) % 3] for j in range(3)]
            c.add(f"The {w[0]} and the {w[1]} of the {w[2]} were shown, line {article}-{i}", c.axis(STORIES),
                  f"side-{article}", 0.3)
            parts.append(SIDE)
    texts, emb, docs = c.arrays()
    return texts, emb, docs, np.asarray(parts)


def fit(per_article: int, **settings):
    texts, emb, docs, parts = corpus(per_article)
    cfg = TopicsConfig(**{"reducer": "pca", "min_cluster_size": 5, "n_components": 12, "themes": None,
                          "hierarchy": False, **settings})
    tm = TopicModeler(cfg, seed=0).fit(texts, emb, ["en"] * len(texts), [f"s{i}" for i in range(len(texts))],
                                       doc_ids=docs)
    return tm, parts


def kept(tm, parts, part):
    return float((tm.labels_[parts == part] >= 0).mean())


@pytest.fixture(scope="module")
def large():
    """13,000 sentences: the bar is 3 documents."""
    return fit(per_article=103)


def test_at_news_scale_a_topic_two_articles_are_about_is_left_out(large):
    tm, parts = large
    assert tm.params_.min_main_documents == 3
    assert kept(tm, parts, SIDE) == 0.0
    assert list(tm.unanchored_.values()) == ["main of 2 documents"]
    assert all(kept(tm, parts, f"story-{k}") == 1.0 for k in range(STORIES))  # the stories stay


def test_a_bar_given_as_an_integer_is_used_as_given():
    """The rule before (2 at every scale) keeps the side story."""
    tm, parts = fit(per_article=103, min_main_documents=2)
    assert tm.params_.min_main_documents == 2
    assert kept(tm, parts, SIDE) == 1.0
    assert not tm.unanchored_


def test_below_12500_sentences_nothing_changes():
    tm, parts = fit(per_article=40)  # 5,060 sentences
    assert tm.params_.min_main_documents == 2
    assert kept(tm, parts, SIDE) == 1.0


def test_the_bar_follows_the_smallest_topic_of_the_corpus():
    assert [auto_min_main_documents(n) for n in (500, 10_360, 12_500, 13_000, 35_477, 45_000, 130_168)] == [
        2, 2, 2, 3, 7, 9, 26]
    # it follows the corpus size, not a min_cluster_size the user sets (as min_samples: auto)
    assert resolve_params(TopicsConfig(min_cluster_size=200), 40_000).min_main_documents == 8
    assert min_main_documents(TopicsConfig(min_main_documents=0), 130_168) == 0


def test_the_setting_takes_a_count_or_auto():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="min_main_documents"):
        TopicsConfig(min_main_documents="many")
    with pytest.raises(ValidationError, match="min_main_documents"):
        TopicsConfig(min_main_documents=-1)
