"""Themes: topics grouped by cutting the topic tree, for an overview of a corpus with hundreds of stories.

Four stories, two about the budget and two about a war: the tree joins the budget stories and the war
stories first, so two themes (the square root of four topics) are the budget and the war. The topics
themselves, and every figure counted on them, do not change.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.config import TopicsConfig, load_config
from framing.topics import TopicModeler
from framing.topics.themes import group_topics, n_themes, with_themes

WORDS = ["tax budget deficit economy plan", "spending budget deficit economy cuts",
         "army troops war front attack", "soldiers troops war front retreat"]


def _corpus():
    rng = np.random.default_rng(0)
    centers = np.eye(4, 12) * 10
    centers[:2, 4] = centers[2:, 5] = 7  # the two budget stories say more alike than a budget and a war story
    emb = np.vstack([c + rng.normal(size=(15, 12)) for c in centers]).astype(np.float32)
    texts = [f"the {WORDS[i // 15]} report {i}" for i in range(60)]
    return texts, emb


def _fit(**overrides):
    texts, emb = _corpus()
    cfg = TopicsConfig(reducer="pca", min_cluster_size=5, **overrides)
    return TopicModeler(cfg, seed=0).fit(texts, emb, ["en"] * 60, [f"s{i}" for i in range(60)])


@pytest.fixture(scope="module")
def fitted():
    return _fit(), _fit(themes=None)


def test_the_budget_stories_and_the_war_stories_are_two_themes(fitted):
    tm, _ = fitted
    topics = tm.topics_
    assert len(topics) == 4
    story = [int(tm.labels_[i * 15]) for i in range(4)]  # the topic of each of the four stories
    assert len(set(story)) == 4
    theme = dict(zip(topics.topic.astype(int), topics.theme.astype(int)))
    assert theme[story[0]] == theme[story[1]] != theme[story[2]] == theme[story[3]]
    labels = dict(zip(topics.theme.astype(int), topics.theme_label))
    assert "budget" in labels[theme[story[0]]] and "troops" in labels[theme[story[2]]]
    assert [t["theme"] for t in tm.themes_] == [0, 1]
    assert sorted(t for th in tm.themes_ for t in th["topics"]) == sorted(topics.topic.astype(int))
    assert tm.quality_["themes"]["themes"] == 2


def test_themes_change_no_topic(fitted):
    with_cut, without = fitted
    assert (with_cut.labels_ == without.labels_).all()
    assert with_cut.topics_.drop(columns=["theme", "theme_label"]).equals(
        without.topics_.drop(columns=["theme", "theme_label"]))
    # Without a cut the columns are there (a stable schema) and empty.
    assert without.topics_.theme.isna().all() and without.topics_.theme_label.isna().all()
    assert without.themes_ == [] and "themes" not in without.quality_


def test_the_number_of_themes():
    assert TopicsConfig().themes == "auto" and load_config([]).topics.themes == "auto"
    assert [n_themes("auto", n) for n in (1, 4, 169, 325)] == [None, 2, 13, 19]
    assert n_themes(3, 4) == 3 and n_themes(10, 4) == 4 and n_themes(None, 40) is None
    assert load_config([], overrides=["topics.themes=7"]).topics.themes == 7
    assert load_config([], overrides=["topics.themes=null"]).topics.themes is None
    from framing.errors import ConfigError

    for bad in ("0", "-2", "many"):
        with pytest.raises(ConfigError, match="topics.themes"):
            load_config([], overrides=[f"topics.themes={bad}"])


def test_topics_are_grouped_by_their_centres():
    # Topics 0 and 1 say nearly the same; 2 and 3 too; 4 stands apart.
    emb = np.array([[1, 0, 0], [1, 0.05, 0], [0.95, 0.1, 0], [0, 1, 0], [0.05, 1, 0], [0, 0.95, 0.1],
                    [0, 0, 1], [0, 0.05, 1]])
    labels = np.array([0, 0, 1, 2, -1, 3, 4, 4])
    assert group_topics(emb, labels, 3) == {0: 0, 1: 0, 2: 2, 3: 2, 4: 4}
    assert group_topics(emb, labels, 5) == {t: t for t in range(5)}
    assert set(group_topics(emb, labels, 1).values()) == {0}
    # the centre is the mean of unit vectors: a sentence's length does not weigh
    assert group_topics(emb * np.array([[1], [100], [1], [1], [1], [1], [1], [1]]), labels, 3)[1] == 0


def test_themes_are_numbered_by_size_and_the_outlier_row_has_none():
    topics = pd.DataFrame({"topic": [-1, 0, 1, 2], "size": [50, 5, 30, 20],
                           "keywords": [["um"], ["tax"], ["war"], ["troops", "war"]]})
    emb = np.array([[1.0, 0], [0, 1], [0.1, 1], [0.5, 0.5]])
    out, records = with_themes(topics, emb, np.array([0, 1, 2, -1]), 2)
    assert out.theme.tolist()[1:] == [1, 0, 0] and pd.isna(out.theme.iloc[0])
    assert records[0]["label"] == "war, troops" and records[0]["size"] == 50
    assert out.theme_label.tolist()[1:] == ["tax", "war, troops", "war, troops"]


def test_without_themes_the_columns_are_null_as_the_topic_cache_gives_them_back(tmp_path):
    """One topic has no themes: ``theme_label`` holds None, which is what a cached run reads back from parquet
    (a fresh run and a cached one gave NaN and None, and their topics tables differed)."""
    topics = pd.DataFrame({"topic": [0], "size": [5], "keywords": [["tax"]]})
    out, records = with_themes(topics, np.array([[1.0, 0]]), np.array([0]), "auto")
    assert records == [] and out.theme_label.tolist() == [None] and pd.isna(out.theme.iloc[0])
    out.to_parquet(tmp_path / "topics.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "topics.parquet"), out)
