"""Rhetorical questions are not a topic, in any language (``topics.max_question_share``).

A story is told in statements. A cluster of rhetorical questions ("Who will pay for this?", "Wie betaalt
dat eigenlijk?") is held together by its form and shares no subject; the multilingual encoder puts such
questions from five languages together (SemEval-2023: one topic of 155 sentences, 97% of them questions,
in Polish, German, Russian, French and Italian). The keyword rules let it through when a word or two
recur among its sentences.
"""

from __future__ import annotations

import numpy as np

from .stories import SentenceCorpus
from .test_keyword_coverage import STORIES, add_stories, fit, kept, nonce


def corpus():
    """Six stories of two articles each, and 60 questions in six opinion posts, English and Dutch: two made-up
    words of their own each, and every fourth asks about "the caravan" (so the keyword rules keep them)."""
    c = SentenceCorpus(1, dim=16)
    parts = []
    add_stories(c, parts, end=".")
    langs = ["en"] * len(parts)
    for r in range(60):
        words = " ".join(nonce(2 * r + j) for j in range(2))
        about = "the caravan" if r % 4 == 0 else words
        english = r % 2 == 0
        text = f"Who will pay for {about}, {words}?" if english else f"Wie betaalt {about} eigenlijk, {words}?"
        c.add(text, c.axis(10), f"post-{r // 10}", 0.3)
        parts.append("question")
        langs.append("en" if english else "nl")
    texts, emb, docs = c.arrays()
    return texts, emb, docs, np.asarray(parts), langs


def test_rhetorical_questions_in_english_and_dutch_are_not_a_topic():
    tm, parts = fit(corpus)
    assert kept(tm, parts, "question") == 0.0
    assert [r for r in tm.generic_.values() if r.startswith("questions")] == ["questions 1.00"]
    assert all(kept(tm, parts, f"story-{k}") == 1.0 for k in range(len(STORIES)))  # the stories stay


def test_without_the_rule_the_questions_are_a_topic():
    """The rules before: the questions are the main topic of their posts and their words are their own."""
    tm, parts = fit(corpus, max_question_share=1.0)
    assert kept(tm, parts, "question") == 1.0
    assert not tm.generic_
