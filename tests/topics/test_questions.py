"""Rhetorical questions are not a topic, in any language (``topics.max_question_share``).

A story is told in statements. A cluster of rhetorical questions ("Who will pay for this?", "Wie betaalt
dat eigenlijk?") is held together by its form and shares no subject; the multilingual encoder puts such
questions from five languages together (SemEval-2023: one topic of 155 sentences, 97% of them questions,
in Polish, German, Russian, French and Italian). The keyword rules let it through when a word or two
recur among its sentences.
"""

from __future__ import annotations

from .test_keyword_coverage import assert_form_dropped, fit, form_corpus, kept


def corpus():
    """Six stories of two articles each, and 60 questions in six opinion posts, English and Dutch: two made-up
    words of their own each, and every fourth asks about "the caravan" (so the keyword rules keep them)."""
    return form_corpus(1, lambda english, words, about: f"Who will pay for {about}, {words}?" if english
                       else f"Wie betaalt {about} eigenlijk, {words}?", "question", "post")


def test_rhetorical_questions_in_english_and_dutch_are_not_a_topic():
    tm, parts = fit(corpus)
    assert_form_dropped(tm, parts, "question", "questions 1.00")


def test_without_the_rule_the_questions_are_a_topic():
    """The rules before: the questions are the main topic of their posts and their words are their own."""
    tm, parts = fit(corpus, max_question_share=1.0)
    assert kept(tm, parts, "question") == 1.0
    assert not tm.generic_
