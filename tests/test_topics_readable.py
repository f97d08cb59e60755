"""Filler, corpus-scaled sizes, readable keywords, document mixtures and quality (issue 8).

Offline and fast: PCA stands in for UMAP, a hashing embedder for the model.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.config import TopicsConfig, load_config
from framing.errors import ConfigError
from framing.topics import (
    DOCUMENT_TOPIC_COLUMNS,
    TopicModeler,
    auto_min_cluster_size,
    document_topics,
    npmi_coherence,
    resolve_params,
    topic_diversity,
)
from framing.words import stop_words_for
from topic_blobs import DIM, add_tight_blob, topical_blobs

from framing.topics.rules import filler_mask
from framing.words import DEFAULT_FILLER_PATTERNS

FILLER = ["It's a start.", "So we'll find out.", "Yeah, I regret it.", "Read more: the full story here"]


def corpus(seed: int = 0, per_blob: int = 14, filler_per_doc: int = 2):
    """Three blobs of topical sentences in six documents (two per blob), plus filler in every document.

    The filler vectors sit in a tight blob of their own: without the filler rule they would form a topic.
    """
    rng = np.random.default_rng(seed)
    dim = DIM
    texts, rows, docs, blobs = topical_blobs(rng, per_blob, dim)
    add_tight_blob(rng, texts, rows, docs, blobs, filler_per_doc,
                   lambda k, sofar: FILLER[(k + len(sofar)) % len(FILLER)], dim)
    ids = [f"s{i:03d}" for i in range(len(texts))]
    return texts, np.asarray(rows, dtype=np.float32), ["en"] * len(texts), ids, docs, np.asarray(blobs)


def cfg(**kw) -> TopicsConfig:
    return TopicsConfig(**{"reducer": "pca", "min_cluster_size": 5, **kw})


class HashEncoder:
    """Deterministic bag-of-words vectors: words sharing letters trigram-hash near each other."""

    dim = 16

    def __call__(self, texts):
        from framing.embed import get_embedder
        from framing.config import EmbeddingConfig

        if not hasattr(self, "_emb"):
            self._emb = get_embedder("hashing", EmbeddingConfig())
        return self._emb.encode(list(texts))


def test_filler_rule_examples():
    stops = stop_words_for(["en"])
    texts = ["It's a start.", "So we'll find out.", "Trump fired Comey.", "By John Smith",
             "By contrast, the Senate passed the budget on Tuesday.", "(Photo: Getty Images)",
             "Reporting by Jane Doe; Editing by Bill Trott", "WASHINGTON (AP) —"]
    assert filler_mask(texts, stops, 3, DEFAULT_FILLER_PATTERNS).tolist() == [
        True, True, False, True, False, True, True, True]
    # min_content_words=0 and no patterns turn the rule off
    assert not filler_mask(texts, stops, 0, []).any()


def test_filler_is_not_clustered_and_forms_no_topic():
    texts, emb, langs, ids, docs, blobs = corpus()
    tm = TopicModeler(cfg()).fit(texts, emb, langs, ids, doc_ids=docs)
    assert (tm.filler_ == (blobs < 0)).all()
    assert (tm.labels_[blobs < 0] == -1).all()
    assert len(tm.topics_) == 3
    # without the rule (and the boilerplate and anchoring rules, which also catch it) the filler blob is a topic
    plain = TopicModeler(cfg(min_content_words=0, filler_patterns=[], merge_similarity=None, boilerplate_min_documents=None,
                             min_main_documents=0, min_anchored_share=0.0)).fit(texts, emb, langs, ids, doc_ids=docs)
    assert len(plain.topics_) == 4


def test_filler_can_take_its_documents_main_topic():
    texts, emb, langs, ids, docs, blobs = corpus()
    tm = TopicModeler(cfg(filler_topic="document")).fit(texts, emb, langs, ids, doc_ids=docs)
    for i in np.flatnonzero(blobs < 0):
        own = [tm.labels_[j] for j in range(len(texts)) if docs[j] == docs[i] and blobs[j] >= 0]
        assert tm.labels_[i] == max(set(own), key=own.count)
        assert tm.probs_[i] == 0.0
    # representatives are never attributed filler
    reps = {r for rs in tm.topics_.representative_ids for r in rs}
    assert not reps & {ids[i] for i in np.flatnonzero(blobs < 0)}


def test_auto_cluster_size_follows_the_corpus():
    sizes = [auto_min_cluster_size(n) for n in (100, 2_000, 8_000, 40_000, 150_000)]
    assert sizes == sorted(sizes) and sizes[0] == 10 and sizes[-1] > 3 * sizes[0]
    assert resolve_params(TopicsConfig(), 40_000).min_cluster_size == auto_min_cluster_size(40_000)
    # BERTopic's 10 up to 10,000 sentences, where the defaults were measured (BASIL, AllSides 300) ...
    assert {auto_min_cluster_size(n) for n in (500, 7_500, 10_360)} == {10}
    # ... and beyond, the same resolution: a corpus k times as large asks k times as many sentences of a
    # topic, so the same mix of stories gives topics of the same weight, not k times as many small ones.
    for n in (10_000, 35_000, 130_000):
        assert auto_min_cluster_size(4 * n) == 4 * auto_min_cluster_size(n)
    assert resolve_params(TopicsConfig(min_cluster_size=7), 40_000).min_cluster_size == 7
    assert resolve_params(TopicsConfig(), 12).min_cluster_size == 6   # shrinks to what 12 points allow


def test_auto_density_is_one_where_it_was_measured_and_grows_with_the_smallest_topic():
    def samples(n, **kw):
        return resolve_params(TopicsConfig(**kw), n).min_samples

    # 1 up to 10,000 sentences (BASIL, AllSides 300, climate-frames, the seeds cluster as before) ...
    assert {samples(n) for n in (500, 7_500, 10_360)} == {1}
    # ... then one more per sentence of the smallest topic beyond its floor, towards HDBSCAN's own default
    for n in (40_000, 113_843):
        assert samples(n) == resolve_params(TopicsConfig(), n).min_cluster_size - 9
    assert samples(113_843) == 105 and samples(150_000) == 141
    # an integer, or None (HDBSCAN's min_samples = min_cluster_size), is used as given; auto never
    # follows a min_cluster_size the user set
    assert samples(113_843, min_samples=1) == 1 and samples(113_843, min_samples=None) is None
    assert samples(5_000, min_cluster_size=40) == 1


def test_readable_and_raw_keywords_are_both_kept():
    texts, emb, langs, ids, docs, _ = corpus()
    tm = TopicModeler(cfg(), encode=HashEncoder()).fit(texts, emb, langs, ids, doc_ids=docs)
    assert {"keywords", "ctfidf_keywords", "label", "coherence"} <= set(tm.topics_.columns)
    stops = stop_words_for(["en"])
    for kw, raw, label in zip(tm.topics_.keywords, tm.topics_.ctfidf_keywords, tm.topics_.label):
        assert kw and raw
        vocab = {w for r in raw for w in r.split()}
        assert all(not (set(k.split()) & stops) for k in kw)
        assert label.split(": ", 1)[1].split(", ")[0] in kw
    # the readable keywords came from BERTopic's KeyBERTInspired + MMR aspect, not c-TF-IDF
    assert "Readable" in tm.model_.topic_aspects_
    plain = TopicModeler(cfg(representation="ctfidf"), encode=HashEncoder()).fit(texts, emb, langs, ids, doc_ids=docs)
    assert plain.topics_.keywords.tolist() == plain.topics_.ctfidf_keywords.tolist()


def test_quality_is_measured():
    texts, emb, langs, ids, docs, _ = corpus()
    tm = TopicModeler(cfg()).fit(texts, emb, langs, ids, doc_ids=docs)
    q = tm.quality_
    assert -1.0 <= q["coherence_npmi"] <= 1.0 and 0.0 < q["diversity"] <= 1.0
    assert "clustered sentences" in q["reference"] and q["topics"] == 3


def test_npmi_and_diversity_values():
    texts = ["rocket base", "rocket base", "vote fraud", "vote fraud"]
    assert npmi_coherence([["rocket", "base"]], texts) == pytest.approx(1.0)
    assert npmi_coherence([["rocket", "fraud"]], texts) == pytest.approx(-1.0)
    # independent words: p(a,b) = p(a) p(b) gives 0
    assert npmi_coherence([["aaa", "bbb"]], ["aaa bbb", "aaa", "bbb", "ccc"]) == pytest.approx(0.0)
    assert topic_diversity([["a1a", "b1b"], ["a1a", "c1c"]]) == 0.75


def test_document_topics_contract():
    s = pd.DataFrame({"doc_id": ["a", "a", "a", "a", "b", "b", "c"], "topic": [0, 0, 1, -1, 2, 2, -1],
                      "topic_prob": [0.5, 0.5, 1.0, 0.0, 0.7, 0.1, 0.0]})
    t = document_topics(s)
    assert list(t.columns) == DOCUMENT_TOPIC_COLUMNS
    assert set(t.doc_id) == {"a", "b"}          # c has no clustered sentence
    assert t.groupby("doc_id").share.sum().round(3).tolist() == [1.0, 1.0]
    assert t[t.is_main].set_index("doc_id").topic.to_dict() == {"a": 0, "b": 2}
    tie = pd.DataFrame({"doc_id": ["d", "d"], "topic": [3, 4], "topic_prob": [0.2, 0.9], "lead": [1.0, 1.0]})
    assert document_topics(tie).query("is_main").topic.tolist() == [4]   # tie: stronger membership wins
    assert document_topics(tie.drop(columns="lead")).query("is_main").topic.tolist() == [3]  # the first sentence


def test_bad_filler_pattern_is_a_config_error():
    with pytest.raises(ConfigError, match="filler_patterns"):
        load_config(overrides=["topics.filler_patterns=['(unclosed']"])


def test_analyze_writes_document_topics_and_quality(tmp_path):
    from typer.testing import CliRunner

    from framing.cli import app

    tiny = Path(__file__).parent / "data" / "tiny"
    out = tmp_path / "run"
    result = CliRunner().invoke(app, [
        "analyze", str(tiny), "--out", str(out), "--set", "embedding.model=hashing",
        "--set", "embedding.cache=false", "--set", "topics.reducer=pca", "--set", "topics.min_cluster_size=3",
        "--set", "topics.n_neighbors=5", "--set", "topics.min_main_documents=0", "--set", "topics.min_anchored_share=0"])
    assert result.exit_code == 0, result.output
    dt = pd.read_parquet(out / "tables" / "document_topics.parquet")
    sents = pd.read_parquet(out / "tables" / "sentences.parquet")
    assert list(dt.columns) == DOCUMENT_TOPIC_COLUMNS
    clustered = sents[sents.topic >= 0]
    assert dt.sentences.sum() == len(clustered)
    assert dt.groupby("doc_id").is_main.sum().eq(1).all()
    meta = json.loads((out / "run.json").read_text())
    assert {"coherence_npmi", "diversity", "reference"} <= set(meta["topics"]["quality"])
    assert meta["topics"]["filler"] >= 0
    assert meta["topics"]["min_samples"] == 1  # auto: a small corpus
    assert meta["topics"]["min_main_documents"] == 0  # as given (--set above)
    topics = pd.read_parquet(out / "tables" / "topics.parquet")
    assert {"label", "keywords", "ctfidf_keywords"} <= set(topics.columns)
    # The main topics can be found again from the sentences table (its rows are in reading order)
    again = document_topics(sents)
    pd.testing.assert_frame_equal(again, dt)
    assert meta["topics"]["boilerplate"] >= 0 and meta["topics"]["unanchored_topics_dropped"] == {}
    tree = pd.read_parquet(out / "tables" / "topic_hierarchy.parquet")
    assert len(topics) >= 2 and len(tree) == len(topics) - 1
    assert sorted(tree.topics.iloc[-1].tolist()) == sorted(topics.topic.tolist())


def test_topics_told_together_in_documents_are_merged():
    texts, emb, langs, ids, docs, blobs = corpus(filler_per_doc=0)
    # war and health are told together in the same two documents; vote in two others
    docs = [{"war-0": "d1", "war-1": "d2", "health-0": "d1", "health-1": "d2"}.get(d, d) for d in docs]
    merged = TopicModeler(cfg()).fit(texts, emb, langs, ids, doc_ids=docs)
    assert len(merged.topics_) == 2 and len(merged.merged_) == 1 and len(merged.merged_[0]) == 2
    assert len(set(merged.labels_[blobs < 2].tolist())) == 1
    assert merged.topics_["size"].sum() == len(texts)
    separate = TopicModeler(cfg(merge_similarity=None, min_main_documents=0, min_anchored_share=0.0)).fit(texts, emb, langs, ids, doc_ids=docs)
    assert len(separate.topics_) == 3 and separate.merged_ == []
    # one shared document is not enough evidence
    one = ["d1" if b < 2 else d for b, d in zip(blobs, docs)]
    assert len(TopicModeler(cfg(min_topic_documents=1, min_main_documents=0, min_anchored_share=0.0)).fit(texts, emb, langs, ids, doc_ids=one).topics_) == 3


def test_topics_told_by_one_document_can_be_left_out():
    texts, emb, langs, ids, docs, blobs = corpus(filler_per_doc=0)
    # the vote blob is told by one document only
    docs = ["v" if b == 2 else d for b, d in zip(blobs, docs)]
    kept = TopicModeler(cfg(min_topic_documents=1, min_main_documents=1)).fit(texts, emb, langs, ids, doc_ids=docs)
    assert len(kept.topics_) == 3 and kept.dropped_ == 0
    tm = TopicModeler(cfg()).fit(texts, emb, langs, ids, doc_ids=docs)   # default: 2 documents
    assert tm.dropped_ == 1 and len(tm.topics_) == 2
    assert (tm.labels_[blobs == 2] == -1).all() and (tm.labels_[blobs < 2] >= 0).all()
    assert sorted(tm.topics_.topic) == [0, 1]
    assert all(tm.topics_.keywords.map(len) > 0)
