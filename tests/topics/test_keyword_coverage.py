"""Remarks with no word in common are not a topic, however large they grow (``topics.min_keyword_coverage``).

A cluster of remarks ("we will see", "I doubt it", in any language) has no words of its own, so its
keywords are the rare words a handful of its sentences share. The keyword-share rule asks where a
topic's words are used and lets such a cluster through: its rare words are used nowhere else. On the
SemEval-2023 articles (five languages) a cluster of 932 remarks ("débat, widzimy, question, jamais,
chcę") was the largest topic, though only 7% of its sentences held one of its words. Coverage asks the
other question: how many of the topic's sentences hold one of its words. A story's sentences name it.
"""

from __future__ import annotations

import numpy as np

from framing.config import TopicsConfig
from framing.topics import TopicModeler
from framing.topics.generic import keyword_coverage

from .stories import SentenceCorpus

STORIES = [["budget", "deficit", "treasury"], ["vaccine", "hospital", "nurses"], ["election", "ballot", "voters"],
           ["drought", "harvest", "farmers"], ["strike", "union", "wages"], ["flood", "river", "dikes"]]
SYLLABLES = ["ka", "lo", "mi", "ru", "te", "zo", "pa", "ne", "vi", "du"]


def nonce(i: int) -> str:
    """A made-up word of its own for each ``i`` (never a stop word, never another story's word)."""
    return "q" + "".join(SYLLABLES[int(d)] for d in f"{i:03d}") + "x"


def add_stories(c: SentenceCorpus, parts: list, end: str = "") -> None:
    """The six :data:`STORIES`, eight sentences in each of two articles, into ``c`` (``parts``: ``story-k``)."""
    for k, words in enumerate(STORIES):
        for copy in range(2):
            for i in range(8):
                w = [words[(i + j) % 3] for j in range(3)]
                c.add(f"The {w[0]} and the {w[1]} of the {w[2]} were discussed{end}", c.axis(k),
                      f"article-{k}-{copy}", 0.3)
                parts.append(f"story-{k}")


def add_form_lines(c: SentenceCorpus, parts: list, langs: list, make, part: str, doc: str,
                   lang: str | None = None) -> None:
    """60 lines of one form (``parts``: ``part``) in six documents ``doc-0`` ... ``doc-5``: ``make(english, words,
    about)`` writes each in English or, every other line, Dutch (``langs``; ``lang`` gives them all that language
    instead), from two made-up words of its own, and every fourth is ``about`` "the caravan" (so the keyword
    rules keep them)."""
    for r in range(60):
        words = " ".join(nonce(2 * r + j) for j in range(2))
        english = r % 2 == 0
        c.add(make(english, words, "the caravan" if r % 4 == 0 else words), c.axis(10), f"{doc}-{r // 10}", 0.3)
        parts.append(part)
        langs.append(lang or ("en" if english else "nl"))


def form_corpus(seed: int, make, part: str, doc: str, story_end: str = ".", lang: str | None = None,
                story_langs: bool = False):
    """Six stories of two articles each (sentences ending in ``story_end``; in English, or with ``story_langs``
    three in English and three in Dutch) and 60 lines of one form (:func:`add_form_lines`): texts,
    embeddings, documents, parts, languages."""
    c = SentenceCorpus(seed, dim=16)
    parts = []
    add_stories(c, parts, end=story_end)
    langs = ["nl" if story_langs and int(p.split("-")[1]) % 2 else "en" for p in parts]
    add_form_lines(c, parts, langs, make, part, doc, lang)
    texts, emb, docs = c.arrays()
    return texts, emb, docs, np.asarray(parts), langs


def assert_form_dropped(tm, parts, part: str, reason: str) -> None:
    """``part`` is in no topic, dropped by the generic rule with ``reason`` alone, and every story stays."""
    assert kept(tm, parts, part) == 0.0
    assert [r for r in tm.generic_.values() if r.split()[0] == reason.split()[0]] == [reason]
    assert all(kept(tm, parts, f"story-{k}") == 1.0 for k in range(len(STORIES)))


def corpus():
    """Six stories of two articles each, and 100 remarks in ten opinion posts: three words of their own each,
    and two of them share a proverb ("caravan barks") the corpus uses nowhere else."""
    c = SentenceCorpus(0, dim=16)
    parts = []
    add_stories(c, parts)
    for r in range(100):
        words = " ".join(nonce(3 * r + j) for j in range(3))
        text = f"The caravan barks and barks, {words}" if r < 2 else f"Well, {words}, we will see"
        c.add(text, c.axis(10), f"post-{r // 10}", 0.3)
        parts.append("remark")
    texts, emb, docs = c.arrays()
    return texts, emb, docs, np.asarray(parts)


def fit(make=None, **settings):
    """The model fitted on ``make()`` (default :func:`corpus`): texts, embeddings, documents, parts[, languages]."""
    texts, emb, docs, parts, *rest = (make or corpus)()
    langs = rest[0] if rest else ["en"] * len(texts)
    cfg = TopicsConfig(**{"reducer": "pca", "min_cluster_size": 5, "n_components": 12, **settings})
    tm = TopicModeler(cfg, seed=0).fit(texts, emb, langs, [f"s{i}" for i in range(len(texts))], doc_ids=docs)
    return tm, parts


def kept(tm, parts, part):
    return float((tm.labels_[parts == part] >= 0).mean())


def test_remarks_with_no_word_in_common_are_not_a_topic():
    tm, parts = fit()
    assert kept(tm, parts, "remark") == 0.0
    assert any(r.startswith("keyword coverage") for r in tm.generic_.values())
    assert all(kept(tm, parts, f"story-{k}") == 1.0 for k in range(len(STORIES)))  # the stories stay


def test_the_keyword_share_alone_kept_them():
    """The rules before: the remarks are the main topic of their posts and their rare words are their own."""
    tm, parts = fit(min_keyword_coverage=0.0)
    assert kept(tm, parts, "remark") == 1.0
    assert not tm.generic_


def test_coverage_counts_the_topic_sentences_that_hold_one_of_its_words():
    texts = ["utrecht tram attack", "attack in utrecht", "a caravan barks", "we will see", "I doubt it", "who knows"]
    topics = np.array([0, 0, 1, 1, 1, 1])
    covered = keyword_coverage(texts, topics, {0: ["utrecht", "tram"], 1: ["caravan barks", "doubt"]}, frozenset())
    assert covered == {0: 1.0, 1: 0.5}
    # Stop words are never a topic's own words.
    assert keyword_coverage(texts, topics, {1: ["we", "caravan"]}, frozenset({"we"})) == {1: 0.25}
