"""Boilerplate, generic topics and the topic hierarchy (issue 8).

Offline and fast: PCA stands in for UMAP, fixed vectors for the embedder.
"""

from __future__ import annotations

import numpy as np

from framing.config import TopicsConfig
from framing.topics import TopicModeler
from topic_blobs import DIM, add_tight_blob, topical_blobs

from framing.topics.rules import repeated_mask
from framing.words import normalize_sentence

TEMPLATE = "Please verify you are not a robot by clicking the newsletter box."


def cfg(**kw) -> TopicsConfig:
    return TopicsConfig(**{"reducer": "pca", "min_cluster_size": 5, "representation": "ctfidf", **kw})


def corpus(seed: int = 0, per_blob: int = 14, template_per_doc: int = 2, source: str = "nyt"):
    """Three blobs of topical sentences in six documents of one source, plus a template line in every document.

    The template's vectors sit in a tight blob of their own: without the boilerplate rule they form a topic.
    """
    rng = np.random.default_rng(seed)
    dim = DIM
    texts, rows, docs, blobs = topical_blobs(rng, per_blob, dim)
    add_tight_blob(rng, texts, rows, docs, blobs, template_per_doc,
                   lambda k, _texts: TEMPLATE if k % 2 == 0 else TEMPLATE.upper(), dim)
    ids = [f"s{i:03d}" for i in range(len(texts))]
    return texts, np.asarray(rows, dtype=np.float32), ["en"] * len(texts), ids, docs, [source] * len(texts), np.asarray(blobs)


def test_normalized_sentences_ignore_case_digits_and_punctuation():
    assert normalize_sentence("Updated: 3:15 P.M. ET") == normalize_sentence("updated 11:45 p.m. et!")
    assert normalize_sentence("The vote was 52-48.") != normalize_sentence("The vote was close.")


def test_repetition_is_counted_per_source_and_per_document():
    line = "Sign up for our daily briefing today."
    own = ["Rain fell on Monday.", "The mayor resigned.", "Prices rose again.", "A ship sank."]
    texts = [line, own[0], line, own[1], line, own[2], line, own[3]]
    docs = ["a", "a", "b", "b", "c", "c", "c", "d"]
    is_line = np.array([t == line for t in texts])
    # one source, three documents with text of their own: boilerplate
    assert (repeated_mask(texts, docs, ["nyt"] * 8, 3) == is_line).all()
    # three sources printing the same sentence once each: kept
    assert not repeated_mask(texts, docs, ["nyt", "nyt", "ap", "ap", "fox", "fox", "fox", "bbc"], 3).any()
    # repeated inside two documents only: kept
    assert not repeated_mask(texts, ["a", "a", "b", "b", "b", "b", "a", "a"], ["nyt"] * 8, 3).any()
    # no sources: the corpus is one source
    assert (repeated_mask(texts, docs, None, 3) == is_line).all()
    # copies of a whole document (retweets) never make their sentences boilerplate
    assert not repeated_mask([line] * 5, ["a", "b", "c", "d", "e"], ["twitter"] * 5, 3).any()
    # without document ids every sentence is its own document: nothing is boilerplate
    assert not repeated_mask(texts, list(range(8)), None, 3).any()
    # off
    assert not repeated_mask(texts, docs, None, None).any()


def test_boilerplate_is_not_clustered_and_forms_no_topic():
    texts, emb, langs, ids, docs, sources, blobs = corpus()
    tm = TopicModeler(cfg()).fit(texts, emb, langs, ids, doc_ids=docs, sources=sources)
    assert (tm.boilerplate_ == (blobs < 0)).all()
    assert (tm.labels_[blobs < 0] == -1).all()
    assert len(tm.topics_) == 3
    # new sentences with the template are left out too
    assert tm.transform([TEMPLATE], emb[-1:]).tolist() == [-1]
    # without the rule the template is a topic of its own
    plain = TopicModeler(cfg(boilerplate_min_documents=None)).fit(texts, emb, langs, ids, doc_ids=docs, sources=sources)
    assert not plain.boilerplate_.any()
    assert (plain.labels_[blobs < 0] >= 0).all()
    assert any("verify" in " ".join(k) for k in plain.topics_.ctfidf_keywords)
    assert not any("verify" in " ".join(k) for k in tm.topics_.ctfidf_keywords)


def test_a_line_each_source_prints_once_is_not_boilerplate():
    texts, emb, langs, ids, docs, sources, blobs = corpus()
    sources = [f"outlet-{d}" for d in docs]  # every document its own source
    tm = TopicModeler(cfg()).fit(texts, emb, langs, ids, doc_ids=docs, sources=sources)
    assert not tm.boilerplate_.any()


def anchoring_corpus(seed: int = 0):
    """Three subject blobs, each the subject of two documents, plus a blob of quotes: three in every document.

    The quotes blob is a way of speaking, not a subject: it is the main topic of no document.
    """
    rng = np.random.default_rng(seed)
    dim = DIM
    quotes = ["It is a lot to think about, he told everyone", "We will keep talking about it together, she said",
              "Nobody really knows what happens next, they said"]
    texts, rows, docs, blobs = topical_blobs(rng, 14, dim)
    center = np.zeros(dim)
    center[6] = 8.0
    for j, d in enumerate(sorted(set(docs)) * 3):
        texts.append(f"{quotes[j % 3]}: remarkable conversation, commitment, gratitude {j}")
        rows.append(center + 0.3 * rng.normal(size=dim))
        docs.append(d)
        blobs.append(3)
    ids = [f"s{i:03d}" for i in range(len(texts))]
    return texts, np.asarray(rows, dtype=np.float32), ["en"] * len(texts), ids, docs, np.asarray(blobs)


def test_unanchored_topics_by_main_documents_and_anchored_share():
    from framing.topics.documents import unanchored_topics

    docs = ["a"] * 4 + ["b"] * 4 + ["c"] * 4 + ["d"] * 2
    labels = np.array([0, 0, 0, 3,  0, 0, 0, 3,  1, 1, 1, 3,  3, 3])
    # topic 1 is the main topic of one document, topic 3 of one short document ("d")
    assert unanchored_topics(docs, labels, None, 2, 0.0) == {1: "main of 1 documents", 3: "main of 1 documents"}
    # with one main document enough, topic 3 still fails the anchored share: 2 of its 5 sentences are in "d"
    assert unanchored_topics(docs, labels, None, 1, 0.5) == {3: "anchored share 0.40"}
    assert unanchored_topics(docs, labels, None, 1, 0.4) == {}
    assert unanchored_topics(docs, labels, None, 0, 0.0) == {}


def test_a_topic_no_document_is_about_is_not_kept():
    texts, emb, langs, ids, docs, sources, = anchoring_corpus()[:5] + (None,)
    blobs = anchoring_corpus()[5]
    off = cfg(min_main_documents=0, min_anchored_share=0.0, merge_similarity=None)
    plain = TopicModeler(off).fit(texts, emb, langs, ids, doc_ids=docs)
    assert (plain.labels_[blobs == 3] >= 0).all() and len(plain.topics_) == 4 and plain.unanchored_ == {}
    # The quotes of this corpus share words found nowhere else, as an event's do: the event exception is off
    # to test the anchoring rule itself (on real news, generic quotes' words are common: AllSides' share 0.39).
    tm = TopicModeler(cfg(merge_similarity=None, event_keyword_share=0.0)).fit(texts, emb, langs, ids, doc_ids=docs)
    assert (tm.labels_[blobs == 3] == -1).all() and (tm.labels_[blobs < 3] >= 0).all()
    assert len(tm.topics_) == 3 and sorted(tm.topics_.topic) == [0, 1, 2]
    assert list(tm.unanchored_.values()) == ["main of 0 documents"]
    assert not any("talking" in " ".join(k) for k in tm.topics_.ctfidf_keywords)


def test_hierarchy_is_kept_and_nr_topics_merges_to_a_target():
    texts, emb, langs, ids, docs, sources, blobs = corpus(template_per_doc=0)
    tm = TopicModeler(cfg(merge_similarity=None)).fit(texts, emb, langs, ids, doc_ids=docs, sources=sources)
    tree = tm.hierarchy_
    n = len(tm.topics_)
    assert n == 3 and len(tree) == n - 1
    assert list(tree.columns) == ["parent", "parent_label", "child_left", "child_right", "distance", "topics"]
    assert tree.parent.tolist() == [n, n + 1] and tree.topics.iloc[-1] == [0, 1, 2]
    assert (tree.distance.diff().dropna() >= 0).all() and all(tree.parent_label.str.len() > 0)
    # off: no table
    assert TopicModeler(cfg(merge_similarity=None, hierarchy=False)).fit(
        texts, emb, langs, ids, doc_ids=docs, sources=sources).hierarchy_.empty
    # nr_topics merges the closest topics down to the target inside BERTopic
    two = TopicModeler(cfg(merge_similarity=None, nr_topics=2, min_main_documents=0, min_anchored_share=0.0)).fit(
        texts, emb, langs, ids, doc_ids=docs, sources=sources)
    assert len(two.topics_) == 2 and len(two.hierarchy_) == 1
    assert two.topics_["size"].sum() == len(texts)


def test_apply_leaves_boilerplate_of_the_new_batch_unclustered():
    import pandas as pd

    from framing.jobs.apply import new_filler
    from framing.config import load_config

    line = "Please verify you are not a robot by clicking the newsletter box."
    own = ["The senate passed the budget bill late on Tuesday.", "Rockets struck the airbase near the capital.",
           "Vaccine doses reached the northern hospitals this week."]
    sentences = pd.DataFrame({"text": [line, own[0], line, own[1], line, own[2]], "lang": "en",
                              "doc_id": ["a", "a", "b", "b", "c", "c"], "source": "nyt"})
    cfg = load_config()
    assert new_filler(sentences, cfg).tolist() == [True, False, True, False, True, False]
    off = load_config(overrides=["topics.boilerplate_min_documents=null"])
    assert not new_filler(sentences, off).any()


def test_apply_takes_no_stop_words_from_a_stray_sentences_language():
    import pandas as pd

    from framing.config import load_config
    from framing.jobs.apply import new_filler

    own = [f"Senators from state {i} debated the farm budget for hours." for i in range(24)]
    texts = ["Castro denounced the embargo again.", "Mr. Calderón told CNBC.", *own]
    sentences = pd.DataFrame({"text": texts, "lang": ["en", "es", *["en"] * 24],
                              "doc_id": [f"d{i}" for i in range(26)], "source": "ap"})
    assert not new_filler(sentences, load_config())[0]  # three content words once "embargo" is not a stop word


def test_dropped_topics_leave_outlier_reduction_and_transform_consistent():
    texts, emb, langs, ids, docs, blobs = anchoring_corpus()
    tm = TopicModeler(cfg(merge_similarity=None, event_keyword_share=0.0)).fit(texts, emb, langs, ids, doc_ids=docs)
    assert tm.unanchored_ and len(tm.topics_) == 3
    # topic embeddings follow the renumbered topics: a -1 row, then one row per kept topic
    assert tm.model_.topic_embeddings_.shape[0] == 1 + len(tm.topics_)
    # transform answers in the final numbers: the training sentences get their own topics, the dropped topic -1
    got = tm.transform(texts, emb)
    assert (got[blobs < 3] == tm.labels_[blobs < 3]).all()
    assert (got[blobs == 3] == -1).all()
    # outlier reduction after the drop only uses kept topics
    red = TopicModeler(cfg(merge_similarity=None, reduce_outliers=True, outlier_strategy="embeddings",
                           event_keyword_share=0.0)).fit(texts, emb, langs, ids, doc_ids=docs)
    assert set(red.labels_.tolist()) <= set(range(len(red.topics_))) | {-1}
    assert (red.labels_[blobs == 3] >= 0).sum() > 0 and len(red.topics_) == 3
    assert (red.labels_[blobs < 3] == tm.labels_[blobs < 3]).all()
    assert red.model_.topic_embeddings_.shape[0] == len(red.topics_) + int((red.labels_ < 0).any())


def test_labels_prefer_keywords_the_topic_documents_share():
    from framing.topics.describe import readable_label, shared_keywords

    texts = ["Those cowardly yanks again.", "Rockets hit the bases at night.", "The bases were hit by rockets.",
             "More rockets on the bases."]
    keywords = ["cowardly yanks", "bases", "rockets", "night"]
    ordered = shared_keywords(keywords, texts, ["d1", "d2", "d3", "d4"])
    assert readable_label(4, ordered) == "4: bases, rockets, cowardly yanks"
    # one author's idiom does not lead the label; inside a single document nothing changes
    assert shared_keywords(keywords, texts, ["d1"] * 4) == keywords
    assert shared_keywords(keywords, texts, None) == keywords
