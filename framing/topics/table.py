"""The ``topics`` table: the one module that writes its rows and columns.

The fit describes each topic (:func:`framing.topics.describe.describe_topics`:
topic, label, keywords, ctfidf_keywords, size, representative_ids, languages,
coherence); the table adds what the run knows about it:

- :func:`topics_table`: the sources whose sentences are in each topic (``sources``);
- :func:`applied_topics_table`: a parent run's topics with this run's sizes,
  sources and representatives (``framing apply``; ``parent_size`` keeps the parent's);
- :func:`with_stability`: ``stability`` and ``stable`` from ``framing stability``.

Examples
--------
>>> described = pd.DataFrame({"topic": [0, 1], "label": ["0: a", "1: b"], "size": [2, 1]})
>>> sentences = pd.DataFrame({"topic": [0, 0, 1, -1], "source": ["nyt", "fox", "nyt", "hp"]})
>>> topics_table(described, sentences).sources.tolist()
[['fox', 'nyt'], ['nyt']]
"""

from __future__ import annotations

import pandas as pd

RUN_COLUMNS = ("frames", "frame_labels", "stability", "stable")
"""Columns a run adds after the fit: its frames, and its stability."""


def _sources(sentences: pd.DataFrame, topics: pd.Series) -> list[list[str]]:
    clustered = sentences[sentences.topic >= 0]
    by_topic = clustered.groupby("topic").source.agg(lambda s: sorted(s.dropna().unique()))
    return [list(by_topic.get(t, [])) for t in topics]


def topics_table(described: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """The fitted topics (:attr:`TopicModeler.topics_ <framing.topics.model.TopicModeler>`) with their ``sources``.

    ``sentences`` has ``topic`` and ``source`` (the run's sentences with their topics).
    """
    topics = described.copy()
    topics["sources"] = _sources(sentences, topics.topic)
    return topics


def applied_topics_table(parent_topics: pd.DataFrame, sentences: pd.DataFrame, n_representative: int) -> pd.DataFrame:
    """The parent's topics (labels, keywords) with this run's sizes, sources and representative sentences.

    The parent's frames and stability are left out (they describe the parent's sentences);
    ``parent_size`` keeps the parent's size.
    """
    clustered = sentences[sentences.topic >= 0]
    sizes = clustered.groupby("topic").size()
    reps = (clustered.sort_values("topic_prob", ascending=False).groupby("topic").sentence_id
            .agg(lambda s: list(s[:n_representative])))
    keep = [c for c in parent_topics.columns if c not in RUN_COLUMNS]
    topics = parent_topics[keep].copy()
    topics["parent_size"] = topics["size"]
    topics["size"] = [int(sizes.get(t, 0)) for t in topics.topic]
    topics["representative_ids"] = [list(reps.get(t, [])) for t in topics.topic]
    topics["sources"] = _sources(sentences, topics.topic)
    return topics


def with_stability(topics: pd.DataFrame, stability: pd.DataFrame) -> pd.DataFrame:
    """``topics`` with the ``stability`` and ``stable`` columns of a ``topic_stability`` table (replacing earlier ones)."""
    topics = topics.drop(columns=[c for c in ("stability", "stable") if c in topics])
    return topics.merge(stability[["topic", "stability", "stable"]], on="topic", how="left")
