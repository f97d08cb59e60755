"""Documents' topic mixtures: the ``document_topics`` table and main topics.

A document's mixture is the share of its *clustered* sentences (topic >= 0)
in each topic. Its main topic is what it is about: the topic with the
highest **lead-weighted, specificity-weighted** count of its sentences, the
tf-idf of a topic in a document with two priors of news writing:

- **the lead**: a sentence's weight is ``1 / (1 + p / LEAD_SENTENCES)``, ``p``
  its place in the document (0 for the first sentence), so the sixth sentence
  counts 1/2 and the 21st 1/5. A news story says what it is about in its
  first sentences (the inverted pyramid); a politician's reaction or the
  background of another story comes later.
- **specificity**: a topic's weight is its smoothed inverse document frequency
  ``ln((1 + N) / (1 + df)) + 1`` (scikit-learn's ``smooth_idf``; ``N`` documents
  in the corpus, ``df`` of them holding a sentence of the topic). A topic told in
  a sentence or two by every other document (a politician's name, a recurring
  reaction) says less of what one document is about than the story only a few tell.

Ties go to the topic with more sentences, then the higher summed membership
strength, then the lower topic number. Documents without a clustered sentence
have no row. The ``document_topics`` table is computed on a run's final topics,
and again from its ``sentences`` table alone (its rows are in reading order).

The topic rules and outlier placement ask another question, whether documents
are evidence that a topic exists, and keep the stricter test of a majority
(:func:`majority_topics`): a topic that leads one article but holds two of its
twenty sentences is a paragraph of it, not a subject of the corpus.

>>> import pandas as pd
>>> s = pd.DataFrame({"doc_id": ["a", "a", "a", "b", "b"], "topic": [0, 0, 1, -1, 2],
...                   "topic_prob": [0.9, 0.8, 1.0, 0.0, 0.7]})
>>> document_topics(s).to_dict("records")[0]
{'doc_id': 'a', 'topic': 0, 'sentences': 2, 'share': 0.6667, 'is_main': True}
>>> main_topics(s)
{'a': 0, 'b': 2}

A topic every document tells weighs less than one only this document tells:
document ``c`` has three sentences of topic 0, which all three documents tell,
and two of topic 1, its own story, in its lead:

>>> s = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "c", "c", "c", "c", "c"],
...                   "topic": [0, 2, 0, 2, 1, 1, 0, 0, 0]})
>>> main_topics(s)["c"]
1
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

LEAD_SENTENCES = 5
"""A sentence this many places after the first counts half as much toward its document's main topic."""

DOCUMENT_TOPIC_COLUMNS = ["doc_id", "topic", "sentences", "share", "is_main"]


def lead_weights(doc_ids: Sequence[str]) -> np.ndarray:
    """Each sentence's weight by its place in its document (rows in reading order): ``1 / (1 + p / LEAD_SENTENCES)``.

    >>> lead_weights(["a", "a", "b", "a"]).round(3).tolist()
    [1.0, 0.833, 1.0, 0.714]
    """
    ids = np.asarray(doc_ids, dtype=object)
    place = pd.Series(ids).groupby(ids).cumcount()
    return 1.0 / (1.0 + place.to_numpy(dtype=np.float64) / LEAD_SENTENCES)


def topic_specificity(doc_ids: Sequence[str], labels: Sequence[int]) -> dict[int, float]:
    """``{topic: smoothed inverse document frequency}`` over the documents of ``doc_ids`` (all of them count in N).

    >>> topic_specificity(["a", "a", "b", "c"], [0, 1, 0, -1])
    {0: 1.2877, 1: 1.6931}
    """
    frame = pd.DataFrame({"doc": np.asarray(doc_ids, dtype=object), "topic": np.asarray(labels, dtype=np.int64)})
    n = frame.doc.nunique()
    df = frame[frame.topic >= 0].groupby("topic").doc.nunique()
    return {int(t): round(float(np.log((1 + n) / (1 + d)) + 1.0), 4) for t, d in df.items()}


def document_topics(sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per document x topic of its clustered sentences.

    Parameters
    ----------
    sentences : DataFrame
        With ``doc_id``, ``topic`` and (optionally) ``topic_prob`` and ``lead`` (:func:`lead_weights`), every
        sentence of each document (outliers too) in reading order; without ``lead`` the rows' order gives it.

    Returns
    -------
    DataFrame with columns doc_id, topic, sentences (count), share (of the
    document's clustered sentences, rounded to 4 places), is_main (bool: the
    document's main topic, see the module docstring).
    """
    lead = sentences["lead"].to_numpy(dtype=np.float64) if "lead" in sentences else lead_weights(sentences.doc_id)
    clustered = sentences.topic.to_numpy() >= 0
    if not clustered.any():
        return pd.DataFrame({"doc_id": pd.Series(dtype=str), "topic": pd.Series(dtype="int64"),
                             "sentences": pd.Series(dtype="int64"), "share": pd.Series(dtype=float),
                             "is_main": pd.Series(dtype=bool)})
    weights = topic_specificity(sentences.doc_id, sentences.topic)
    table = _per_document_topic(sentences[clustered].assign(_lead=lead[clustered]))
    totals = table.groupby("doc_id").sentences.transform("sum")
    table["share"] = (table.sentences / totals).round(4)
    table["_score"] = (table._lead * table.topic.map(weights)).round(9)  # rounded: equal sums tie exactly
    order = table.sort_values(["doc_id", "_score", "sentences", "_strength", "topic"],
                              ascending=[True, False, False, False, True])
    main = order.drop_duplicates("doc_id").index
    table["is_main"] = table.index.isin(main)
    table = table.astype({"topic": "int64", "sentences": "int64"})
    return table[DOCUMENT_TOPIC_COLUMNS].reset_index(drop=True)


def _per_document_topic(clustered: pd.DataFrame) -> pd.DataFrame:
    """Clustered sentences grouped by document and topic: ``sentences`` (count), ``_strength`` (summed
    ``topic_prob``, 0 without it) and ``_lead`` (summed, when the rows have a ``_lead`` column)."""
    prob = clustered.topic_prob if "topic_prob" in clustered else pd.Series(0.0, index=clustered.index)
    sums = {"sentences": ("topic", "size"), "_strength": ("_prob", "sum")}
    if "_lead" in clustered:
        sums["_lead"] = ("_lead", "sum")
    return (clustered.assign(_prob=prob.astype(float)).groupby(["doc_id", "topic"], sort=True)
            .agg(**sums).reset_index())


def majority_topics(sentences: pd.DataFrame) -> dict:
    """``{doc_id: the topic holding most of its clustered sentences}`` (ties: the higher summed membership
    strength, then the lower topic): the test of the topic rules that a document is about a topic.

    >>> majority_topics(pd.DataFrame({"doc_id": ["a", "a", "a"], "topic": [1, 0, 0]}))
    {'a': 0}
    """
    table = (_per_document_topic(sentences[sentences.topic >= 0])
             .sort_values(["doc_id", "sentences", "_strength", "topic"], ascending=[True, False, False, True])
             .drop_duplicates("doc_id"))
    return dict(zip(table.doc_id, table.topic.astype(int)))


def main_topics(sentences: pd.DataFrame) -> dict:
    """``{doc_id: main topic}`` for documents with at least one clustered sentence (:func:`document_topics`)."""
    table = document_topics(sentences)
    main = table[table.is_main]
    return dict(zip(main.doc_id, main.topic.astype(int)))


def document_texts(texts: Sequence[str], doc_ids: Sequence[str]) -> list[str]:
    """Each document's text: its sentences joined in input order, documents in order of first appearance.

    >>> document_texts(["A b.", "C d.", "E f."], ["d1", "d2", "d1"])
    ['A b. E f.', 'C d.']
    """
    parts: dict = {}
    for text, doc in zip(texts, doc_ids):
        parts.setdefault(doc, []).append(text)
    return [" ".join(p) for p in parts.values()]


def event_min_documents(config, doc_ids: np.ndarray, labels: np.ndarray, spread: pd.Series,
                        min_main: int = 2) -> int:
    """``event_min_documents``, with ``auto`` resolved on the corpus.

    ``auto``: an event no document is about is kept when as many documents tell it as tell a typical
    story of the corpus: the median number of documents telling a topic that is the majority topic
    (:func:`majority_topics`) of at least ``min_main`` documents (``min_main_documents``, resolved by
    :func:`framing.topics.sizing.min_main_documents`; at least 3). The bar grows with
    the corpus and with how widely its stories are told, where a fixed count keeps every side subject three
    articles mention.

    >>> from framing.config import TopicsConfig
    >>> docs = np.array(["a", "a", "b", "b", "c", "c", "d"])
    >>> labels = np.array([0, 0, 0, 0, 1, 1, 0])
    >>> spread = pd.Series({0: 3, 1: 1})
    >>> event_min_documents(TopicsConfig(event_min_documents="auto"), docs, labels, spread)
    3
    """
    if config.event_min_documents != "auto":
        return int(config.event_min_documents)
    frame = pd.DataFrame({"doc_id": doc_ids, "topic": labels, "topic_prob": np.zeros(len(labels))})
    mains = pd.Series(list(majority_topics(frame).values()), dtype="int64").value_counts()
    stories = [int(spread[t]) for t, n in mains.items() if n >= max(min_main, 1) and t in spread]
    least = max(3, int(np.ceil(np.median(stories)))) if stories else 3
    return least


def attribute_to_main(doc_ids: np.ndarray, labels: np.ndarray, mask: np.ndarray, probs: np.ndarray,
                      lead: np.ndarray | None = None) -> np.ndarray:
    """Labels where the sentences in ``mask`` take their document's main topic (-1 when it has none).

    The main topic is computed from the sentences outside ``mask`` only (``doc_ids`` holds every sentence in
    reading order; ``lead`` as in :func:`document_topics`).
    """
    frame = pd.DataFrame({"doc_id": doc_ids, "topic": np.where(mask, -1, labels), "topic_prob": probs})
    if lead is not None:
        frame["lead"] = lead
    mains = main_topics(frame)
    out = labels.copy()
    out[mask] = [mains.get(d, -1) for d in np.asarray(doc_ids)[mask]]
    return out


def cooccurrence_groups(doc_ids: Sequence[str], labels: np.ndarray, min_similarity: float,
                        min_documents: int = 2) -> list[list[int]]:
    """Groups of topics told together: facets of one story, to be merged.

    Each topic gets a profile over the documents: its share of each
    document's clustered sentences (the ``document_topics.share`` column).
    Two topics are alike when the cosine of their profiles is at least
    ``min_similarity`` and they share at least ``min_documents`` documents
    (one shared document is not evidence of a common story). Groups are
    formed by complete-linkage agglomeration: every pair inside a group is
    alike. Only groups of two or more topics are returned.

    Parameters
    ----------
    doc_ids : sequence of str, length n_sentences
    labels : ndarray of shape (n_sentences,), int; -1 is ignored
    min_similarity : float in [0, 1]
    min_documents : int

    Returns
    -------
    list of lists of int, each sorted, sorted by their first topic

    Examples
    --------
    >>> docs = ["a"] * 4 + ["b"] * 4 + ["c"] * 4
    >>> labels = np.array([0, 0, 1, 1,  0, 1, 1, 1,  2, 2, 2, 2])
    >>> cooccurrence_groups(docs, labels, 0.5)
    [[0, 1]]
    >>> cooccurrence_groups(docs, labels, 0.5, min_documents=3)
    []
    """
    labels = np.asarray(labels)
    mask = labels >= 0
    topics = np.unique(labels[mask])
    if len(topics) < 2:
        return []
    frame = pd.DataFrame({"doc": np.asarray(doc_ids, dtype=object)[mask], "topic": labels[mask]})
    counts = pd.crosstab(frame.topic, frame.doc).reindex(topics).to_numpy(dtype=np.float64)
    shares = counts / counts.sum(axis=0, keepdims=True)
    unit = shares / np.linalg.norm(shares, axis=1, keepdims=True)
    similarity = unit @ unit.T
    present = (counts > 0).astype(np.float64)
    similarity[(present @ present.T) < min_documents] = 0.0
    np.fill_diagonal(similarity, 1.0)
    from sklearn.cluster import AgglomerativeClustering

    groups = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="complete", distance_threshold=1.0 - min_similarity + 1e-9,
    ).fit_predict(np.clip(1.0 - similarity, 0.0, 2.0))
    out = [sorted(int(t) for t in topics[groups == g]) for g in np.unique(groups)]
    return sorted((g for g in out if len(g) > 1), key=lambda g: g[0])


def unanchored_topics(doc_ids: Sequence[str], labels: np.ndarray, probs: np.ndarray | None,
                      min_main_documents: int, min_anchored_share: float) -> dict[int, str]:
    """Topics no document is about: ``{topic: reason}`` for the topics to leave unclustered.

    A topic of a corpus of documents is a subject some documents are about.
    The test is the stricter one of a majority: a document is about a topic
    here when the topic holds most of its clustered sentences
    (:func:`majority_topics`). A small topic that is the main topic of a
    document only through the weight of its lead or of its specificity
    (:func:`document_topics`) is one paragraph of it; a topic must be the
    bulk of two documents to exist. A topic is dropped when

    - it is the main topic of fewer than ``min_main_documents`` documents
      (``"main of N documents"``): a side subject, or a way of speaking many
      documents share, never what one is about; or
    - fewer than ``min_anchored_share`` of its sentences lie in the documents
      it is the main topic of (``"anchored share S"``): it is the main topic of
      a few short documents but mostly a sentence or two in many others
      (generic reactions and quotes, template lines).

    Dropping topics never changes the majority topic of a document whose majority topic is
    kept, so one pass is enough: a kept topic only gains documents.

    Parameters
    ----------
    doc_ids : sequence of str, length n_sentences
    labels : ndarray of shape (n_sentences,), int; -1 is ignored
    probs : ndarray of shape (n_sentences,), float, optional
        Membership strengths (break ties between equal counts, as in ``document_topics``).
    min_main_documents : int
        0 or 1 with ``min_anchored_share`` 0 switches the rule off.
    min_anchored_share : float in [0, 1]

    Examples
    --------
    >>> docs = ["a"] * 3 + ["b"] * 3 + ["c"] * 3
    >>> labels = np.array([0, 0, 2,  0, 0, 1,  1, 1, 2])
    >>> unanchored_topics(docs, labels, None, 2, 0.0)
    {1: 'main of 1 documents', 2: 'main of 0 documents'}
    """
    labels = np.asarray(labels)
    frame = pd.DataFrame({"doc_id": np.asarray(doc_ids, dtype=object), "topic": labels,
                          "topic_prob": np.zeros(len(labels)) if probs is None else np.asarray(probs, dtype=float)})
    clustered = frame[frame.topic >= 0]
    if clustered.empty:
        return {}
    mains = majority_topics(clustered)
    main_count = pd.Series(list(mains.values()), dtype="int64").value_counts()
    anchored = (clustered.doc_id.map(mains) == clustered.topic).groupby(clustered.topic).mean()
    out: dict[int, str] = {}
    for topic in sorted(clustered.topic.unique()):
        n_main = int(main_count.get(topic, 0))
        if n_main < min_main_documents:
            out[int(topic)] = f"main of {n_main} documents"
        elif float(anchored[topic]) < min_anchored_share:
            out[int(topic)] = f"anchored share {float(anchored[topic]):.2f}"
    return out
