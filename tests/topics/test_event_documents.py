"""``event_min_documents: auto``: an event no document is about must be told as widely as the corpus's stories.

A fixed three documents keeps every side subject that three articles mention in a sentence (on AllSides'
first 300 articles, 84 of 163 topics are the main topic of at most one document). ``auto`` asks that an
event be told in as many documents as the median topic the corpus is about, so the bar follows the corpus:
an attack told in 8 of 12 articles stays a topic, an aside three of them mention is not an event.
"""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from framing.config import TopicsConfig
from framing.topics.rules import event_topics

WORDS = {0: "budget deficit treasury", 1: "vaccine hospital nurses", 2: "pope vatican prelates",
         3: "utrecht tram attack"}


class _Model:
    def get_topic(self, topic):
        return [(w, 1.0) for w in WORDS[topic].split()]


def _corpus():
    """Stories 0 and 1 are the main topics of six articles each and told in seven; topic 2 is a sentence in
    three articles, topic 3 a sentence in eight; neither is the main topic of any."""
    docs, topics = [], []
    for d in range(12):
        story = 0 if d < 6 else 1
        docs += [f"d{d}"] * 4
        topics += [story] * 4
    docs += ["d6", "d0"]  # each story is told in one article of the other as well
    topics += [0, 1]
    for d in (0, 1, 6):
        docs.append(f"d{d}")
        topics.append(2)
    for d in (0, 2, 3, 5, 7, 8, 9, 11):
        docs.append(f"d{d}")
        topics.append(3)
    topics = np.array(topics)
    texts = [WORDS[t] for t in topics]
    return texts, np.array(docs, dtype=object), topics


@pytest.mark.parametrize("setting, expected", [(3, {2, 3}), ("auto", {3})])
def test_auto_keeps_the_widely_told_event_and_not_the_aside(setting, expected):
    texts, docs, topics = _corpus()
    cfg = TopicsConfig(event_min_documents=setting, event_min_sentences=1)
    found = event_topics(_Model(), cfg, texts, docs, topics, np.arange(len(topics)), frozenset())
    assert found & {2, 3} == expected  # stories 0 and 1 qualify too; the exception matters for 2 and 3


def test_auto_never_asks_fewer_than_three_documents():
    texts, docs, topics = _corpus()
    # Stories told in two documents each: the median is 2, the bar stays 3.
    keep = np.isin(docs, ["d0", "d1", "d6", "d7"]) | (topics >= 2)
    cfg = TopicsConfig(event_min_documents="auto", event_min_sentences=1)
    found = event_topics(_Model(), cfg, [t for t, k in zip(texts, keep) if k],
                         docs[keep], topics[keep], np.arange(int(keep.sum())), frozenset())
    assert found & {2, 3} == {2, 3}


def test_an_event_is_a_paragraph_in_its_documents_not_a_mention():
    """``event_min_sentences`` (2 by default): a document tells an event when it holds two of its sentences.

    The attack (topic 3) is a paragraph in three articles and a passing sentence in five more: an event. The
    pope's visit (topic 2) is one sentence in each of three articles: a mention, not an event. Counting every
    mention (1) keeps both, as before: on AllSides' first 300 articles that kept 169 topics, the paragraph rule
    118 (with 66.2% of the sentences in topics, seed 42)."""
    texts, docs, topics = _corpus()
    docs = np.concatenate([docs, np.array(["d0", "d2", "d3"], dtype=object)])
    topics = np.concatenate([topics, [3, 3, 3]])
    texts = [WORDS[t] for t in topics]
    rows = np.arange(len(topics))
    assert TopicsConfig().event_min_sentences == 2
    paragraph = event_topics(_Model(), TopicsConfig(), texts, docs, topics, rows, frozenset())
    mention = event_topics(_Model(), TopicsConfig(event_min_sentences=1), texts, docs, topics, rows, frozenset())
    assert paragraph & {2, 3} == {3}
    assert mention & {2, 3} == {2, 3}
    with pytest.raises(ValidationError, match="event_min_sentences"):
        TopicsConfig(event_min_sentences=0)


def test_event_min_documents_takes_a_count_or_auto():
    with pytest.raises(ValidationError, match="event_min_documents"):
        TopicsConfig(event_min_documents="many")
