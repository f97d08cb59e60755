"""TopicModeler on a tiny synthetic corpus: three Gaussian blobs, English and Dutch texts.

The PCA reducer stands in for UMAP everywhere except one test that checks the
real UMAP receives the seed.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from framing.config import TopicsConfig
from framing.errors import NotFittedError, TopicWarning
from framing.topics import (
    TOPIC_COLUMNS,
    TopicModeler,
    readable_label,
    resolve_params,
)
from framing.topics.themes import THEME_COLUMNS
from framing.words import stop_words_for

WORDS = {
    "war": ["rocket", "missile", "base", "withdrawal", "soldiers"],
    "health": ["vaccin", "ziekenhuis", "patiënten", "virus", "verpleging"],
    "vote": ["election", "ballot", "fraud", "voters", "turnout"],
}
PER_BLOB = 14


def make_corpus(seed: int = 0):
    """Three well-separated blobs; the 'health' blob is Dutch, the others English."""
    rng = np.random.default_rng(seed)
    dim = 16
    texts, langs, blobs, rows = [], [], [], []
    for b, (name, words) in enumerate(WORDS.items()):
        center = np.zeros(dim)
        center[b] = 8.0
        for i in range(PER_BLOB):
            w = [words[(i + k) % len(words)] for k in range(3)]
            if name == "health":
                texts.append(f"De {w[0]} en het {w[1]} zijn van een {w[2]} in 2021")
                langs.append("nl")
            else:
                texts.append(f"The {w[0]} and the {w[1]} of a {w[2]} in 2021 was it")
                langs.append("en")
            blobs.append(b)
            rows.append(center + rng.normal(size=dim))
    ids = [f"s{i:02d}" for i in range(len(texts))]
    return texts, np.asarray(rows, dtype=np.float32), langs, ids, np.asarray(blobs)


def pca_config(**kw) -> TopicsConfig:
    return TopicsConfig(**{"reducer": "pca", "min_cluster_size": 5, **kw})


@pytest.fixture(scope="module")
def fitted():
    texts, emb, langs, ids, blobs = make_corpus()
    return TopicModeler(pca_config()).fit(texts, emb, langs, ids), blobs, ids


def test_clusters_recovered(fitted):
    tm, blobs, _ = fitted
    from sklearn.metrics import adjusted_rand_score

    assert set(tm.labels_.tolist()) == {0, 1, 2}
    assert adjusted_rand_score(blobs, tm.labels_) == 1.0
    assert tm.probs_.shape == (len(blobs),) and ((tm.probs_ > 0) & (tm.probs_ <= 1)).all()
    assert tm.coords_.shape == (len(blobs), 2) and tm.coords_.dtype == np.float32


def test_topics_table_contract(fitted):
    tm, _, ids = fitted
    assert list(tm.topics_.columns) == [*TOPIC_COLUMNS, *THEME_COLUMNS]
    assert tm.topics_["size"].sum() == len(ids)
    assert all(isinstance(k, list) and k for k in tm.topics_.keywords)


def test_keywords_exclude_english_and_dutch_stop_words(fitted):
    tm, _, _ = fitted
    words = {w for kws in tm.topics_.keywords for kw in kws for w in kw.split()}
    for stop in ("the", "and", "of", "was", "it", "de", "het", "en", "zijn", "van", "een"):
        assert stop not in words
    assert not any(w.isdigit() or len(w) < 3 for w in words)
    dutch = tm.topics_.loc[tm.topics_.languages.apply(lambda l: l == ["nl"])]
    assert len(dutch) == 1
    assert set(dutch.iloc[0].keywords[:5]) <= set(WORDS["health"])
    assert "patiënten" in dutch.iloc[0].keywords  # non-ASCII letters are kept, not stripped


def test_labels_readable(fitted):
    tm, _, _ = fitted
    for row in tm.topics_.itertuples():
        assert row.label.startswith(f"{row.topic}: ")
        parts = row.label.split(": ", 1)[1].split(", ")
        assert len(parts) == 3
        tokens = [t for p in parts for t in p.split()]
        assert len(tokens) == len(set(tokens))
        assert set(parts) <= set(row.keywords)


def test_representative_ids_belong_to_topic(fitted):
    tm, _, ids = fitted
    topic_of = dict(zip(ids, tm.labels_.tolist()))
    for row in tm.topics_.itertuples():
        assert len(row.representative_ids) == 3
        assert all(topic_of[i] == row.topic for i in row.representative_ids)


def test_deterministic_with_same_seed():
    # UMAP, not PCA: PCA gives the same result for any seed, so it could not show the seed is used.
    texts, emb, langs, ids, _ = make_corpus()
    cfg = TopicsConfig(reducer="umap", min_cluster_size=5, n_neighbors=10)
    a = TopicModeler(cfg, seed=7).fit(texts, emb, langs, ids)
    b = TopicModeler(cfg, seed=7).fit(texts, emb, langs, ids)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_array_equal(a.coords_, b.coords_)
    pd.testing.assert_frame_equal(a.topics_, b.topics_)
    other = TopicModeler(cfg, seed=8).fit(texts, emb, langs, ids)
    assert not np.array_equal(a.coords_, other.coords_), "the map must depend on the seed"


def test_short_sentences_not_clustered():
    texts, emb, langs, ids, _ = make_corpus()
    texts = list(texts)
    texts[0] = "Rocket base."
    tm = TopicModeler(pca_config(min_sentence_words=3)).fit(texts, emb, langs, ids)
    assert tm.labels_[0] == -1 and tm.probs_[0] == 0.0
    assert (tm.labels_[1:] >= 0).all()


def test_outlier_reduction_places_outliers():
    texts, emb, langs, ids, blobs = make_corpus()
    emb = emb.copy()
    emb[0] = emb[0] * 0.5  # nearer the origin: HDBSCAN leaves it out, its own blob is still closest
    plain = TopicModeler(pca_config()).fit(texts, emb, langs, ids)
    reduced = TopicModeler(pca_config(reduce_outliers=True)).fit(texts, emb, langs, ids)
    assert (reduced.labels_ >= 0).all()
    assert reduced.topics_["size"].sum() == len(ids)
    assert (plain.labels_ == -1).sum() >= (reduced.labels_ == -1).sum()


def test_too_few_sentences_warn_and_give_outliers():
    texts, emb, langs, ids, _ = make_corpus()
    with pytest.warns(TopicWarning, match="at least 5"):
        tm = TopicModeler(pca_config()).fit(texts[:3], emb[:3], langs[:3], ids[:3])
    assert (tm.labels_ == -1).all() and tm.topics_.empty
    assert list(tm.topics_.columns) == [*TOPIC_COLUMNS, *THEME_COLUMNS]
    assert tm.coords_.shape == (3, 2)


def test_no_dense_region_warns_and_gives_outliers():
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(30, 16))
    texts = [f"word{i} alpha beta gamma" for i in range(30)]
    with pytest.warns(TopicWarning, match="HDBSCAN found no topic"):
        tm = TopicModeler(pca_config(min_cluster_size=15)).fit(texts, emb, ["en"] * 30, [str(i) for i in range(30)])
    assert (tm.labels_ == -1).all() and tm.topics_.empty and (tm.probs_ == 0).all()


def test_small_input_adapts_parameters_instead_of_crashing():
    texts, emb, langs, ids, _ = make_corpus()
    pick = [0, 1, 2, 3, 14, 15, 16, 17]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TopicWarning)
        tm = TopicModeler(TopicsConfig(reducer="pca")).fit(
            [texts[i] for i in pick], emb[pick], [langs[i] for i in pick], [ids[i] for i in pick])
    assert tm.labels_.shape == (8,)
    assert tm.params_.min_cluster_size <= 4 and tm.params_.n_neighbors <= 7


def test_resolve_params_caps():
    p = resolve_params(TopicsConfig(min_cluster_size=50, min_samples=40, n_neighbors=30), 20)
    assert p.n_neighbors == 19 and p.min_cluster_size == 10 and p.min_samples == 10


def test_stop_words_union_and_label_helper():
    words = stop_words_for(["en", "nl", None, "xx"])
    assert {"the", "and", "het", "een", "zijn"} <= words
    assert "vaccin" not in words
    assert stop_words_for([]) == frozenset()
    assert readable_label(4, ["al qaim", "qaim", "bases", "base", "withdrawal"]) == "4: al qaim, bases, base"


def test_transform_requires_fit_then_assigns():
    texts, emb, langs, ids, blobs = make_corpus()
    with pytest.raises(NotFittedError, match="fit"):
        TopicModeler(pca_config()).transform(texts, emb)
    tm = TopicModeler(pca_config()).fit(texts, emb, langs, ids)
    np.testing.assert_array_equal(tm.transform(texts[:5], emb[:5]), tm.labels_[:5])


def test_umap_receives_the_seed():
    texts, emb, langs, ids, _ = make_corpus()
    cfg = TopicsConfig(reducer="umap", min_cluster_size=5, n_neighbors=10)
    tm = TopicModeler(cfg, seed=123).fit(texts, emb, langs, ids)
    # Three UMAP layouts (the default), the first with the run's seed; exact cosine neighbours below
    # neighbors.EXACT_MAX_ROWS rows.
    from framing.topics.layouts import layout_seeds

    reducers = tm.model_.umap_model.reducers
    assert [type(r).__name__ for r in reducers] == ["ExactNeighborsUMAP"] * 3
    assert all(type(r.umap).__name__ == "UMAP" and r.exact_ for r in reducers)
    assert [r.umap.random_state for r in reducers] == layout_seeds(123, 3) and reducers[0].umap.random_state == 123
    assert tm.coords_.shape == (len(ids), 2)
    assert len(set(tm.labels_.tolist()) - {-1}) == 3


def test_only_stop_words_is_a_clear_error():
    from framing.errors import TopicModelError

    texts, emb, langs, ids, _ = make_corpus()
    only_stop = ["the and of it was"] * len(texts)
    with pytest.raises(TopicModelError, match="stop_words=none"):
        TopicModeler(pca_config(min_content_words=0)).fit(only_stop, emb, langs, ids)


def test_only_filler_warns_and_leaves_everything_unclustered():
    texts, emb, langs, ids, _ = make_corpus()
    only_stop = ["the and of it was"] * len(texts)
    with pytest.warns(TopicWarning, match="content words"):
        tm = TopicModeler(pca_config()).fit(only_stop, emb, langs, ids)
    assert (tm.labels_ == -1).all() and tm.filler_.all() and tm.topics_.empty
