"""A language of a stray sentence gives no stop words to the whole corpus (BASIL: "Mr. Calderón told CNBC." as es)."""

from __future__ import annotations

import numpy as np

from framing.config import TopicsConfig
from framing.topics import TopicModeler
from framing.words import corpus_languages, stop_words_for

DIM = 16


def corpus(extra_lang: str, n_extra: int):
    """Three English subjects of 14 sentences (the Cuba embargo is one), plus ``n_extra`` sentences in ``extra_lang``."""
    rng = np.random.default_rng(0)
    words = {"cuba": ["embargo", "havana", "castro", "sanctions", "cigars", "island"],
             "war": ["rocket", "missile", "drone", "soldiers", "withdrawal", "artillery"],
             "vote": ["election", "ballot", "fraud", "voters", "turnout", "recount"]}
    texts, rows, langs, docs = [], [], [], []
    for b, (name, ws) in enumerate(words.items()):
        center = np.zeros(DIM)
        center[b] = 8.0
        for i in range(14):
            texts.append(f"The {ws[i % 6]} and the {ws[(i + 1) % 6]} of the {ws[(i + 2) % 6]} story {i}")
            rows.append(center + rng.normal(size=DIM))
            langs.append("en")
            docs.append(f"{name}-{i % 2}")
    for i in range(n_extra):
        center = np.zeros(DIM)
        center[4] = 8.0
        texts.append(f"El señor Calderón dijo además que no habrá acuerdo {i}")
        rows.append(center + rng.normal(size=DIM))
        langs.append(extra_lang)
        docs.append(f"extra-{i % 2}")
    ids = [f"s{i}" for i in range(len(texts))]
    return texts, np.asarray(rows, dtype=np.float32), langs, ids, docs


def fit(extra_lang: str, n_extra: int) -> TopicModeler:
    texts, emb, langs, ids, docs = corpus(extra_lang, n_extra)
    cfg = TopicsConfig(reducer="pca", min_cluster_size=5, layouts=1)
    return TopicModeler(cfg, seed=3).fit(texts, emb, langs, ids, doc_ids=docs)


def test_one_stray_sentence_adds_no_stop_words_and_the_story_keeps_its_word():
    assert "embargo" in stop_words_for(["es"])  # Spanish "sin embargo": however
    tm = fit("es", 1)
    assert "embargo" not in tm.stop_words_ and "además" not in tm.stop_words_
    assert "the" in tm.stop_words_
    keywords = {w for ws in tm.topics_.ctfidf_keywords for w in ws}
    assert "embargo" in keywords


def test_a_language_that_can_hold_a_topic_gives_its_stop_words():
    tm = fit("es", 8)
    assert {"además", "embargo", "the"} <= tm.stop_words_


def test_corpus_languages_keeps_the_most_frequent_even_in_a_tiny_corpus():
    assert corpus_languages(["en"] * 30 + ["es"] * 2 + ["fr"], 5) == ["en"]
    assert corpus_languages(["nl", "nl", "en"], 10) == ["nl"]
    assert corpus_languages([None, "und"], 3) == ["und"]
    assert corpus_languages([], 3) == []
