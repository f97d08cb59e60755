"""Clusters held together by their form are not topics, in any language.

A story is told in statements that end like sentences. Two forms gather sentences that share no subject,
and a multilingual encoder gathers them from every language:

- rhetorical questions (``topics.max_question_share``): "Who will pay for this?", "Wie betaalt dat
  eigenlijk?"; on the SemEval-2023 articles one topic of 155 sentences, 97% of them questions, in Polish,
  German, Russian, French and Italian;
- unfinished lines (``topics.max_unfinished_share``, :mod:`tests.topics.test_unfinished`): photo credits,
  captions, headlines, the bylines of embedded tweets.

The keyword rules let such a cluster through when a word or a name recurs among its sentences.
"""

from __future__ import annotations

import pytest

from .test_keyword_coverage import assert_form_dropped, fit, form_corpus, kept
from .test_unfinished import corpus as credits


def questions():
    """Six stories of two articles each, and 60 questions in six opinion posts, English and Dutch: two made-up
    words of their own each, and every fourth asks about "the caravan" (so the keyword rules keep them)."""
    return form_corpus(1, lambda english, words, about: f"Who will pay for {about}, {words}?" if english
                       else f"Wie betaalt {about} eigenlijk, {words}?", "question", "post")


FORMS = [pytest.param(questions, "question", "questions 1.00", "max_question_share", id="questions"),
         pytest.param(credits, "credit", "unfinished 1.00", "max_unfinished_share", id="unfinished")]


@pytest.mark.parametrize("make, part, reason, setting", FORMS)
def test_a_cluster_of_form_in_english_and_dutch_is_not_a_topic(make, part, reason, setting):
    tm, parts = fit(make)
    assert_form_dropped(tm, parts, part, reason)


@pytest.mark.parametrize("make, part, reason, setting", FORMS)
def test_without_the_rule_the_cluster_is_a_topic(make, part, reason, setting):
    """The rules before: the cluster is the main topic of its documents and its words are its own."""
    tm, parts = fit(make, **{setting: 1.0})
    assert kept(tm, parts, part) == 1.0
    assert not tm.generic_
