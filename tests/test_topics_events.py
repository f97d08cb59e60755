"""The topic rules on synthetic English and Dutch news: events told as a paragraph in many articles are kept,
clusters of words every story uses (time words) are not, and outliers join a topic only above its members' floor.

Each corpus has 16 articles, two per story (eight stories, each a tight blob of sentences with
words of its own), an event told in two sentences of 12 of the articles (a blob of its own, with
words of its own, the main topic of none), and lines of time words only ("Last week, Tuesday and
Friday morning.") in half of the articles and in four short posts that consist of them almost
entirely. Every story sentence uses the same time words. The PCA reducer and fixed vectors keep it fast and deterministic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.config import TopicsConfig
from framing.topics import TopicModeler
from framing.topics.outliers import place_outliers
from framing.topics.rules import keyword_share

DIM = 24
LANGS = {
    "en": {
        "stories": [["budget", "deficit", "treasury"], ["vaccine", "hospital", "nurses"], ["election", "ballot", "voters"],
                    ["drought", "harvest", "farmers"], ["strike", "union", "wages"], ["flood", "river", "dikes"],
                    ["museum", "painting", "auction"], ["railway", "trains", "tracks"]],
        "story": "The {0} and the {1} of the {2} were discussed {t} by officials",
        "clock": ["week", "tuesday", "friday", "morning", "monday", "evening"],
        "when": "{0} {1} last {2}",
        "event": ["Utrecht tram attack suspect arrested after shooting", "The Utrecht tram shooting suspect faces terror charges",
                  "Police hunted the Utrecht tram attack gunman", "Victims of the Utrecht tram shooting were mourned"],
        "time_line": "Last {0}, {1} and {2} {3}.",
    },
    "nl": {
        "stories": [["begroting", "tekort", "schatkist"], ["vaccin", "ziekenhuis", "verpleging"], ["verkiezing", "stembus", "kiezers"],
                    ["droogte", "oogst", "boeren"], ["staking", "vakbond", "lonen"], ["overstroming", "rivier", "dijken"],
                    ["museum", "schilderij", "veiling"], ["spoorweg", "treinen", "sporen"]],
        "story": "De {0} en de {1} van de {2} werden {t} besproken door bestuurders",
        "clock": ["week", "dinsdag", "vrijdag", "ochtend", "maandag", "avond"],
        "when": "{0} {1} vorige {2}",
        "event": ["Verdachte van aanslag in Utrechtse tram opgepakt na schietpartij",
                  "Verdachte van schietpartij in Utrechtse tram krijgt terreurverdenking",
                  "Politie zocht de schutter van de aanslag in de Utrechtse tram",
                  "Slachtoffers van de schietpartij in de Utrechtse tram herdacht"],
        "time_line": "Vorige {0}, {1} en {2} {3}.",
    },
}


def corpus(lang: str, seed: int = 0):
    """Texts, vectors, document ids and the part each sentence belongs to (story-k, event, time)."""
    spec = LANGS[lang]
    rng = np.random.default_rng(seed)
    texts, rows, docs, parts = [], [], [], []

    def add(text, axis, doc, part, spread=0.3):
        center = np.zeros(DIM)
        center[axis] = 8.0
        texts.append(text)
        rows.append(center + rng.normal(scale=spread, size=DIM))
        docs.append(doc)
        parts.append(part)

    clock = spec["clock"]

    def when(i: int) -> str:  # time words every story uses, three to a sentence
        return spec["when"].format(*(clock[(i + j) % 6] for j in (0, 2, 4)))

    def time_line(i: int) -> str:
        return spec["time_line"].format(*(clock[(i + j) % 6] for j in range(4)))

    for k, words in enumerate(spec["stories"]):
        for copy in range(2):
            doc = f"{lang}-article-{k}-{copy}"
            for i in range(10):
                w = [words[(i + j) % 3] for j in range(3)]
                add(spec["story"].format(*w, t=when(i + k)), k, doc, f"story-{k}")
            article = 2 * k + copy
            if article < 12:
                for i in range(2):
                    add(spec["event"][(article + i) % 4], 10, doc, "event")
            if article % 2:
                add(time_line(article), 11, doc, "time")
    for p in range(4):
        doc = f"{lang}-post-{p}"
        for i in range(3):
            add(time_line(p + i), 11, doc, "time")
        add(spec["story"].format(*spec["stories"][p], t=when(p)), p, doc, f"story-{p}")
    return texts, np.asarray(rows, dtype=np.float32), docs, np.asarray(parts)


def fit(lang: str, **settings) -> tuple[TopicModeler, np.ndarray]:
    texts, emb, docs, parts = corpus(lang)
    cfg = TopicsConfig(**{"reducer": "pca", "min_cluster_size": 5, "n_components": 12, **settings})
    tm = TopicModeler(cfg, seed=0).fit(texts, emb, [lang] * len(texts), [f"s{i}" for i in range(len(texts))],
                                       doc_ids=docs)
    return tm, parts


def kept(tm: TopicModeler, parts: np.ndarray, part: str) -> float:
    """The share of a part's sentences that are in a topic."""
    return float((tm.labels_[parts == part] >= 0).mean())


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_an_event_told_as_a_paragraph_in_many_articles_is_a_topic(lang):
    tm, parts = fit(lang)
    assert kept(tm, parts, "event") == 1.0
    event_topic = set(tm.labels_[parts == "event"].tolist())
    assert len(event_topic) == 1  # one topic, holding nothing else
    assert set(parts[tm.labels_ == event_topic.pop()].tolist()) == {"event"}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_cluster_of_time_words_every_story_uses_is_not_a_topic(lang):
    tm, parts = fit(lang)
    assert kept(tm, parts, "time") == 0.0
    assert any(r.startswith("keyword share") for r in tm.generic_.values())
    assert tm.moves_["generic_topics"] == int((parts == "time").sum())
    # The stories stay topics.
    assert all(kept(tm, parts, f"story-{k}") == 1.0 for k in range(8))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_old_anchoring_rule_lost_the_event_and_kept_the_time_words(lang):
    """The rules before: the anchoring rule without the event exception and without the keyword share."""
    tm, parts = fit(lang, event_keyword_share=0.0, min_keyword_share=0.0)
    assert kept(tm, parts, "event") == 0.0 and kept(tm, parts, "time") == 1.0


def test_keyword_share_counts_uses_inside_the_topic():
    texts = ["tram attack in utrecht", "utrecht tram attack", "budget vote last week", "rain last week",
             "last week trains", "week of talks"]
    topics = np.array([0, 0, 1, 1, -1, -1])
    shares = keyword_share(texts, topics, {0: ["utrecht", "tram", "attack"], 1: ["week", "last"]}, frozenset())
    assert shares[0] == 1.0
    assert shares[1] == pytest.approx((2 / 4 + 2 / 3) / 2)


def test_outliers_join_the_nearest_topic_only_above_the_members_floor():
    rng = np.random.default_rng(0)
    a = np.array([1.0, 0, 0]) + rng.normal(scale=0.05, size=(20, 3))
    b = np.array([0, 1.0, 0]) + rng.normal(scale=0.05, size=(20, 3))
    near_a = np.array([[1.0, 0.02, 0.0]])
    between = np.array([[0.3, 0.3, 1.0]])  # far from both centroids
    emb = np.vstack([a, b, near_a, between])
    topics = np.array([0] * 20 + [1] * 20 + [-1, -1])
    dropped = np.zeros(len(emb), dtype=bool)  # neither was taken out by a rule
    new, floor = place_outliers(emb, topics, ~dropped & (topics < 0), 0.05)
    assert new[-2] == 0 and new[-1] == -1
    assert 0.9 < floor < 1.0
    # A sentence a rule took out is not an outlier: it stays out, however close.
    new, _ = place_outliers(emb, topics, np.zeros(len(emb), dtype=bool), 0.05)
    assert new[-2] == -1


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_event_exception_is_what_keeps_the_event(lang):
    tm, parts = fit(lang, event_keyword_share=0.0)
    assert kept(tm, parts, "event") == 0.0 and any("main of 0" in r for r in tm.unanchored_.values())


def test_every_rule_reports_the_sentences_it_moved():
    tm, parts = fit("en", reduce_outliers=True, outlier_strategy="centroid")
    assert set(tm.moves_) >= {"hdbscan_outliers", "narrow_topics", "unanchored_topics", "generic_topics",
                              "outliers_placed"}
    assert tm.outlier_floor_ is not None and -1.0 <= tm.outlier_floor_ <= 1.0
    # Placed outliers are never the time lines the generic rule took out.
    assert kept(tm, parts, "time") == 0.0
    counts = pd.Series(tm.moves_)
    assert (counts >= 0).all()
