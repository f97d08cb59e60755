"""A document's main topic is its own story, not the person or reaction every story mentions.

A news article states its story in its lead and quotes a politician's reaction later; when the reaction
takes more sentences than the story, the topic holding most sentences is the politician's. BASIL's articles
went that way ("pelosi, speaker nancy" as the main topic of articles on several events). The main topic
weighs each sentence by its place (the lead counts most) and each topic by how few documents tell it.
"""

from __future__ import annotations

import pandas as pd

from framing.topics.documents import (
    document_topics,
    lead_weights,
    main_topics,
    majority_topics,
    topic_specificity,
    unanchored_topics,
)


def _articles(n_events: int = 5, story: int = 3, reaction: int = 4) -> pd.DataFrame:
    """Each article: its event's story in ``story`` lead sentences, then ``reaction`` sentences of one
    politician's reaction (topic 99, in every article), then an outlier."""
    rows = []
    for event in range(n_events):
        for outlet in ("left", "center", "right"):
            doc = f"{outlet}-{event}"
            rows += [(doc, event)] * story + [(doc, 99)] * reaction + [(doc, -1)]
    return pd.DataFrame(rows, columns=["doc_id", "topic"])


def test_the_lead_story_is_the_main_topic_not_the_reaction_every_article_quotes():
    articles = _articles()
    mains = main_topics(articles)
    assert mains == {f"{o}-{e}": e for e in range(5) for o in ("left", "center", "right")}
    table = document_topics(articles)
    assert table.groupby("doc_id").is_main.sum().eq(1).all()
    # counts are still counts: the reaction holds more of each article's sentences
    assert table[table.topic == 99].sentences.eq(4).all() and table[table.topic == 99].share.gt(0.5).all()


def test_a_story_told_at_length_stays_the_main_topic():
    # The story has more sentences than the reaction, the reaction comes first: still the story.
    rows = [("a", 99)] * 2 + [("a", 0)] * 6 + [("b", 99), ("b", 1), ("b", 1), ("c", 99), ("c", 2)]
    assert main_topics(pd.DataFrame(rows, columns=["doc_id", "topic"]))["a"] == 0


def test_weights_are_reproducible_from_their_parts():
    articles = _articles(n_events=2)
    lead = lead_weights(articles.doc_id)
    assert lead[0] == 1.0 and abs(lead[5] - 0.5) < 1e-12  # the sixth sentence counts half
    spec = topic_specificity(articles.doc_id, articles.topic)
    assert spec[99] == 1.0 and spec[0] > spec[99]  # in every document: the least specific topic
    # the lead is read from the rows' order, or from a ``lead`` column where one is given
    flat = main_topics(articles.assign(lead=1.0))
    assert flat == main_topics(articles)  # specificity alone already prefers the story here
    late = articles.assign(lead=[0.01 if t != 99 else 1.0 for t in articles.topic])
    assert set(main_topics(late).values()) == {99}


def test_the_topic_rules_keep_the_majority_test():
    # A topic that leads an article but holds two of its ten sentences is a paragraph of it: the rules'
    # majority test (is any document evidence that the topic exists?) does not count it.
    rows = [("a", 5)] * 2 + [("a", 0)] * 8 + [("b", 0)] * 3
    frame = pd.DataFrame(rows, columns=["doc_id", "topic"])
    assert majority_topics(frame) == {"a": 0, "b": 0}
    assert unanchored_topics(frame.doc_id, frame.topic.to_numpy(), None, 1, 0.0) == {5: "main of 0 documents"}
