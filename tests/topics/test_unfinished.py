"""Headlines, captions, credits and embeds are not a topic, in any language (``topics.max_unfinished_share``).

A story is told in sentences that end like sentences. Lines that do not (a photo credit "Andrew
Harrer/Bloomberg", a video player's "Media playback is unsupported on your device", the byline of an
embedded tweet, a headline, a line of verse) are held together by their form: on AllSides such clusters
were 62-76% unfinished lines (photo credits, tweet bylines, the player notice) and on the SemEval-2023
articles a cluster of headlines in five languages 58%; no story topic of BASIL, AllSides, climate-frames,
SemEval or the seeds had more than 22%. The keyword rules let such clusters through when a name recurs.
The rule and the rule switched off are tested with the questions rule in :mod:`tests.topics.test_form_clusters`.
"""

from __future__ import annotations

import numpy as np

from framing.topics.generic import unfinished_share

from .test_keyword_coverage import STORIES, fit, form_corpus, kept


def corpus(story_end: str = ".", credit_lang: str | None = None):
    """Six stories of two articles each (sentences ending in ``story_end``; three in English, three in Dutch),
    and 60 photo credits in English and Dutch in six galleries: two made-up words of their own each, and every
    fourth names "the caravan" agency (so the keyword rules keep them). ``credit_lang`` gives every credit that
    language instead."""
    return form_corpus(2, lambda english, words, about: f"Photograph by {words} for {about} agency" if english
                       else f"Foto door {words} voor {about} agency", "credit", "gallery", story_end, credit_lang,
                       story_langs=True)


def test_a_corpus_written_without_sentence_marks_keeps_its_topics():
    """Chat, or a corpus of headlines: every line is unfinished, so a topic of them is not unusual in form."""
    tm, parts = fit(lambda: corpus(story_end=""))
    assert kept(tm, parts, "credit") == 1.0
    assert all(kept(tm, parts, f"story-{k}") == 1.0 for k in range(len(STORIES)))


def test_a_language_written_without_sentence_marks_keeps_its_topics():
    """Thai marks no end of sentence: its lines are compared with the corpus's other Thai lines."""
    tm, parts = fit(lambda: corpus(credit_lang="th"))
    assert kept(tm, parts, "credit") == 1.0


def test_the_share_and_what_the_languages_expect():
    texts = ["De stemming slaagde.", "Foto: ANP", "Why?", "Photo: Reuters", "« C'est fini. »", "Bangkok tonight"]
    got = unfinished_share(texts, np.array([0, 1, 0, 1, 0, 2]), ["nl", "nl", "en", "en", "fr", "th"])
    assert got == {0: (0.0, 0.3333), 1: (1.0, 0.5), 2: (1.0, 1.0)}
