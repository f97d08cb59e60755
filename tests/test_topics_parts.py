"""The parts of the topic model: the reducer registry, and one implementation of the sentence rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.config import TopicsConfig
from framing.errors import RegistryError
from framing.topics import TopicModeler
from framing.topics.reduction import REDUCERS, make_reducer
from framing.topics.sizing import resolve_params

from topic_blobs import topical_blobs


class FirstColumns:
    """A toy reducer: the first ``k`` columns of the embeddings (records what it was built with)."""

    built: list = []

    def __init__(self, k: int, seed: int):
        self.k, self.seed = k, seed
        FirstColumns.built.append((k, seed))

    def fit(self, x, y=None):
        return self

    def transform(self, x):
        return np.asarray(x)[:, : self.k]

    def fit_transform(self, x, y=None):
        return self.fit(x).transform(x)


@pytest.fixture
def toy_reducer():
    def factory(config, params, n_components, seed, shape, cache=None):
        return FirstColumns(min(n_components, shape[1]), seed)

    REDUCERS.register("first-columns", factory)
    FirstColumns.built = []
    yield "first-columns"
    REDUCERS.unregister("first-columns")


def _corpus():
    texts, rows, docs, blobs = topical_blobs(np.random.default_rng(0))
    return texts, np.asarray(rows, dtype=np.float32), docs, np.asarray(blobs)


def test_a_registered_reducer_is_named_by_the_config_and_clusters_the_topics(toy_reducer):
    texts, emb, docs, blobs = _corpus()
    cfg = TopicsConfig(reducer=toy_reducer, min_cluster_size=5, n_components=3)
    tm = TopicModeler(cfg, seed=11).fit(texts, emb, ["en"] * len(texts), [f"s{i}" for i in range(len(texts))],
                                        doc_ids=docs)
    # Built for clustering (3 components) and for the map (2), both with the seed.
    assert (3, 11) in FirstColumns.built and (2, 11) in FirstColumns.built
    # The first three columns hold the three subjects: each is one topic.
    assert pd.crosstab(blobs, tm.labels_).gt(0).sum(axis=1).tolist() == [1, 1, 1]
    np.testing.assert_array_equal(tm.coords_, emb[:, :2])


def test_an_unknown_reducer_names_the_ones_that_exist():
    cfg = TopicsConfig(reducer="pcaa")
    with pytest.raises(RegistryError, match=r"No reducers named 'pcaa'\. Did you mean 'pca'\? Registered: umap, pca"):
        make_reducer(cfg, resolve_params(cfg, 50), 5, 0, (50, 8))


def test_the_built_in_reducers_are_registered():
    assert {"umap", "pca"} <= set(REDUCERS.names())


def test_analyze_and_apply_keep_the_same_sentences_out_of_the_topics():
    """One implementation of the filler and boilerplate rules: the fit's and apply's decisions agree."""
    from framing.config import load_config
    from framing.jobs.apply import new_filler

    texts, emb, docs, _ = _corpus()
    extra = ["It's a start.", "Read more: the full story", "Subscribe to our newsletter today for daily news."]
    rows = [(t, d) for d in sorted(set(docs)) for t in extra]
    texts = texts + [t for t, _ in rows]
    docs = docs + [d for _, d in rows]
    emb = np.vstack([emb, np.random.default_rng(1).normal(size=(len(rows), emb.shape[1])).astype(np.float32)])
    cfg = load_config(overrides=["topics.reducer=pca", "topics.min_cluster_size=5"])
    tm = TopicModeler(cfg.topics).fit(texts, emb, ["en"] * len(texts), [f"s{i}" for i in range(len(texts))],
                                      doc_ids=docs, sources=["wire"] * len(texts))
    sentences = pd.DataFrame({"text": texts, "lang": "en", "doc_id": docs, "source": "wire"})
    applied = new_filler(sentences, cfg)
    assert tm.filler_.sum() == 3 * len(set(docs))  # every planted line, and nothing else
    np.testing.assert_array_equal(applied, tm.filler_)


def test_the_topic_step_returns_a_frozen_result():
    import dataclasses

    from framing.topics.step import TopicResult

    assert dataclasses.is_dataclass(TopicResult) and TopicResult.__dataclass_params__.frozen


def test_the_spread_across_seeds_is_an_ari_per_seed():
    from framing.jobs.stability import seed_agreement

    ref = np.array([0, 0, 0, 1, 1, 1, -1])
    same, other = np.where(ref >= 0, ref + 3, -1), np.array([0, 1, 0, 1, 0, 1, -1])
    out = seed_agreement(ref, [same, other], [43, 44])
    assert out["ari"]["43"] == 1.0 and out["ari"]["44"] < 0.2
    assert out["min"] == out["ari"]["44"] and out["max"] == 1.0 and out["mean"] == round((1.0 + out["ari"]["44"]) / 2, 4)


def test_the_spread_across_seeds_of_documents_main_topics():
    from framing.jobs.stability import main_topic_per_document, seed_agreement

    ref = np.array([0, 0, 1, 1, 1, 2, 2, -1])
    docs = ["a", "a", "a", "b", "b", "c", "c", "d"]
    # The sentences move (sentence ARI < 1) but every document keeps its main topic (document ARI 1).
    moved = np.array([4, 4, -1, 5, 5, 6, -1, -1])
    # Documents a and c now share one main topic.
    merged = np.array([4, 4, 4, 5, 5, 4, 4, -1])
    out = seed_agreement(ref, [moved, merged], [43, 44], doc_ids=docs)
    assert out["ari"]["43"] < 1.0 and out["documents"]["ari"]["43"] == 1.0
    assert out["documents"]["ari"]["44"] < 1.0 and out["documents"]["min"] == out["documents"]["ari"]["44"]
    assert main_topic_per_document(ref, docs) == ["0", "1", "2", "none:d"]
    assert "documents" not in seed_agreement(ref, [moved], [43])
