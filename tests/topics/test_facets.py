"""Facets of one story are merged: each other's nearest topic and told in the same documents (issue 22)."""

from __future__ import annotations

import numpy as np
import pytest

from framing.config import TopicsConfig, load_config
from framing.errors import ConfigError
from framing.topics import TopicModeler
from framing.topics.facets import cooccurrence_p, facet_groups

# Two stories, each split in two facets. Story 1's facets are told together in the same six
# articles; story 2's facets are as close to each other, but each is told in articles of its own.
TEXTS = {
    "en": {"f1": "the senate budget deal passed after the vote on spending cuts {i}",
           "f2": "the deficit numbers of the budget office worried the treasury {i}",
           "g1": "the hurricane flooded the coast and the harbour overnight {i}",
           "g2": "the wildfire burned the forest and the hills near the valley {i}"},
    "nl": {"f1": "de senaat stemde in met het begrotingsakkoord en de bezuinigingen {i}",
           "f2": "de tekorten van het planbureau baarden het ministerie zorgen {i}",
           "g1": "de storm overstroomde de kust en de haven vannacht {i}",
           "g2": "de bosbrand verwoestte het bos en de heuvels bij het dal {i}"},
}


def two_split_stories(lang: str, seed: int = 0):
    rng = np.random.default_rng(seed)
    dim = 16
    centers = {"f1": np.eye(dim)[0] * 12, "f2": np.eye(dim)[0] * 12 + np.eye(dim)[1] * 6,
               "g1": np.eye(dim)[2] * 12, "g2": np.eye(dim)[2] * 12 + np.eye(dim)[3] * 6}
    docs_of = {"f1": [f"d{k}" for k in range(6)], "f2": [f"d{k}" for k in range(6)],
               "g1": ["d6", "d7", "d8"], "g2": ["d9", "d10", "d11"]}
    texts, rows, docs, facet = [], [], [], []
    for name, center in centers.items():
        for i in range(18):
            texts.append(TEXTS[lang][name].format(i=i))
            rows.append(center + rng.normal(scale=0.8, size=dim))
            docs.append(docs_of[name][i % len(docs_of[name])])
            facet.append(name)
    return texts, np.asarray(rows, dtype=np.float32), docs, np.asarray(facet)


def fit(lang: str, **kw) -> tuple[TopicModeler, np.ndarray]:
    texts, emb, docs, facet = two_split_stories(lang)
    # The other topic rules off: only the facet rule decides here.
    cfg = TopicsConfig(**{"reducer": "pca", "min_cluster_size": 5, "merge_similarity": None, "min_main_documents": 0,
                          "min_anchored_share": 0.0, "min_keyword_share": 0.0, "reduce_outliers": False,
                          "facet_significance": 0.05, "boilerplate_templates": False, **kw})
    tm = TopicModeler(cfg, seed=1).fit(texts, emb, [lang] * len(texts), [f"s{i}" for i in range(len(texts))],
                                       doc_ids=docs)
    return tm, facet


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_facets_told_in_the_same_documents_merge_and_close_stories_told_apart_do_not(lang):
    tm, facet = fit(lang)
    topic = {name: set(tm.labels_[facet == name].tolist()) for name in ("f1", "f2", "g1", "g2")}
    assert all(len(t) == 1 and -1 not in t for t in topic.values()), topic
    assert topic["f1"] == topic["f2"]          # one story told across the same six articles
    assert topic["g1"] != topic["g2"]          # as close, but never in one article: two stories
    assert len(tm.topics_) == 3 and tm.moves_["facet_topics_merged"] == 1


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_without_the_facet_rule_the_split_story_stays_split(lang):
    tm, facet = fit(lang, facet_significance=None)
    assert len(tm.topics_) == 4 and tm.moves_["facet_topics_merged"] == 0
    assert set(tm.labels_[facet == "f1"].tolist()) != set(tm.labels_[facet == "f2"].tolist())


def test_only_mutual_nearest_topics_with_more_shared_documents_than_chance_merge():
    docs = [f"d{k}" for k in range(20)]
    # 0 and 1: nearest each other, same three documents; 2 and 3: nearest each other, one shared
    # document of 20 (chance); 4 is told in 2's documents but is nearest to 0 and 1, never to 2.
    vectors = np.array([[1.0, 0.0, 0.0], [0.9, 0.1, 0.0], [0.0, 1.0, 0.0], [0.0, 0.9, 0.2], [0.7, 0.0, 0.7]])
    sent_docs, labels = [], []
    for topic, told in {0: docs[:3], 1: docs[:3], 2: docs[3:8], 3: docs[7:12], 4: docs[3:8]}.items():
        sent_docs += told
        labels += [topic] * len(told)
    groups = facet_groups(range(5), vectors, [3, 3, 5, 5, 5], sent_docs + docs, np.array(labels + [-1] * 20), 0.05)
    assert groups == [[0, 1]]


def test_facets_merge_again_after_a_merge():
    # Three facets of one story in the same four of 16 documents: 0-1 merge first, then 2 joins.
    vectors = np.array([[1.0, 0.0], [0.98, 0.2], [0.8, 0.6], [-1.0, 0.1]])
    docs = [f"d{k}" for k in range(16)]
    sent_docs = docs[:4] * 3 + docs[8:12]
    labels = np.array([0] * 4 + [1] * 4 + [2] * 4 + [3] * 4)
    assert facet_groups([0, 1, 2, 3], vectors, [4, 4, 4, 4], sent_docs + docs, np.r_[labels, [-1] * 16], 0.05) \
        == [[0, 1, 2]]


def test_cooccurrence_chance_is_the_hypergeometric_tail():
    # 4 documents of 10 hold A, 3 hold B: P(both in >= 3) = C(4,3) C(6,0) / C(10,3) = 4 / 120
    assert cooccurrence_p(3, 10, 4, 3) == pytest.approx(4 / 120)
    assert cooccurrence_p(0, 10, 4, 3) == 1.0


def test_facet_significance_config():
    # Off by default: measured on BASIL it merged stories of different events (docs/tuning-topics.md)
    assert load_config().topics.facet_significance is None and TopicsConfig().facet_significance is None
    assert load_config(overrides=["topics.facet_significance=0.05"]).topics.facet_significance == 0.05
    with pytest.raises(ConfigError, match="facet_significance"):
        load_config(overrides=["topics.facet_significance=1.5"])


def test_two_clusters_of_a_theme_that_would_outweigh_a_documents_own_story_stay_apart():
    # Topics 0 and 1 (each other's nearest) run through the same six articles, two sentences each;
    # each article is about its own story (topics 2-7, three sentences). Merged, 0 + 1 would hold four
    # sentences of every article and become what the articles are about: a theme, not one story's facets.
    docs = [f"d{k}" for k in range(20)]
    vectors = np.vstack([[1.0, 0.0] + [0.0] * 6, [0.95, 0.3] + [0.0] * 6, np.eye(8)[2:]])
    sent_docs, labels = [], []
    for k in range(6):
        sent_docs += [docs[k]] * 7
        labels += [0, 0, 1, 1] + [2 + k] * 3
    groups = facet_groups(range(8), vectors, [12, 12] + [3] * 6, sent_docs + docs, np.array(labels + [-1] * 20), 0.05)
    assert groups == []
    # With one sentence each they stay a side subject of every article: then they are facets, merged.
    keep = [i for i, t in enumerate(labels) if not (t in (0, 1) and i % 7 in (1, 3))]
    groups = facet_groups(range(8), vectors, [6, 6] + [3] * 6, [sent_docs[i] for i in keep] + docs,
                          np.array([labels[i] for i in keep] + [-1] * 20), 0.05)
    assert groups == [[0, 1]]


def test_a_topic_told_in_a_few_of_a_wide_topics_documents_is_not_its_facet():
    # Topic 1 is told in 3 documents, all among the 12 of topic 0 (of 40): far more than chance, but
    # topic 0 is mostly told elsewhere, so they are not followed across the same documents.
    docs = [f"d{k}" for k in range(40)]
    vectors = np.array([[1.0, 0.0], [0.9, 0.3], [-1.0, 0.0], [-0.9, -0.3]])
    sent_docs = docs[:12] + docs[:3] + docs[20:24] + docs[20:24]
    labels = np.array([0] * 12 + [1] * 3 + [2] * 4 + [3] * 4 + [-1] * 40)
    assert facet_groups(range(4), vectors, [12, 3, 4, 4], sent_docs + docs, labels, 0.05) == [[2, 3]]
