"""Outliers that join a topic: HDBSCAN's outliers placed at their nearest topic above a similarity floor.

``topics.outlier_strategy: centroid`` (:meth:`TopicModeler <framing.topics.model.TopicModeler>`): an outlier
joins its nearest topic when it is as close to it as the topic's own members are; sentences a rule took out
(filler, dropped topics) stay out. The floor is reported in run.json (``topics.outlier_floor``).

``topics.outlier_strategy: keep-main`` (the default) places an outlier at its nearest topic above the same
floor, with one condition: no document's main topic may change (:func:`main_keeping_allowed`). A sentence
may join its own document's main topic, or another topic when its document holds so few sentences of that
topic that even with every candidate sentence of the document it would stay below the main topic. An
aside on taxes in an article about health care joins the tax story it is as close to as that story's own
sentences; what the article is about, and every figure counted per document, stay as clustered. A document
whose main topic as clustered a rule dropped (a story only it is about, :func:`orphaned_documents`) has no
main topic to keep: its sentences join their nearest topic above the floor, so an article on what businesses
won in the Senate's immigration bill, that no other article is about, joins the immigration-overhaul story
instead of leaving every topic (AllSides: 19 of its 58 sentences were in topics, now 47).

``topics.outlier_strategy: document`` is the same with a stricter condition: the topic must be the main topic
of the outlier's own document (:func:`document_topics_allowed`). A sentence HDBSCAN could not place, in an
article about a story, as close to that story as the story's own sentences are, is one more sentence of
it. The sentences of side subjects (topics dropped because too few documents tell them or are about
them) are candidates too. Placing outliers anywhere in the corpus changes which topic an article is mainly
about: on BASIL (mean ARI of articles' main topics against their events, seeds 42, 1, 2, 3) ``centroid``
gave 0.857 against 0.868 without placement, and allowing any topic the article tells lowered seeds 1 and 2
as much; joining only the main topic cannot change it (0.865: ties between equal topics aside).

Here, as in the topic rules, a document's main topic is its **majority** topic, the one holding most of its
clustered sentences (:func:`~framing.topics.documents.majority_topics`). The main topic the tables and the
report give (``document_topics.is_main``) also weighs each sentence's place and each topic's specificity, and
is computed on the topics as placed (:func:`~framing.topics.documents.document_topics`).
"""

from __future__ import annotations

import numpy as np

OWN_STRATEGIES = ("centroid", "document", "keep-main")
"""The ``outlier_strategy`` values placed here (the others are BERTopic's ``reduce_outliers``)."""

OUTLIER_QUANTILE = 0.05
"""An outlier joins its nearest topic when it is as close as all but this share of the topics' members
(the floor ``framing apply`` uses for new sentences, :data:`framing.topic_model.SIMILARITY_QUANTILE`)."""


def nearest_topic_floor(embeddings: np.ndarray, topics: np.ndarray, quantile: float) -> tuple[np.ndarray, list[int], float]:
    """Unit centroids of the topics, their numbers, and the similarity floor: the ``quantile`` of the members'
    cosine to their own topic's centroid (what all but that share of a topic's own sentences reach)."""
    kept = sorted(int(t) for t in set(topics.tolist()) if t >= 0)
    unit = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-12)
    centers = np.vstack([unit[topics == t].mean(axis=0) for t in kept])
    centers /= np.maximum(np.linalg.norm(centers, axis=1, keepdims=True), 1e-12)
    members = topics >= 0
    own = np.searchsorted(kept, topics[members])
    sims = (unit[members] * centers[own]).sum(axis=1)
    return centers, kept, float(np.quantile(sims, quantile))


def _majority_topics(doc_ids: np.ndarray, topics: np.ndarray, probs: np.ndarray | None, inverse: np.ndarray) -> dict:
    """``{doc_id: majority topic}`` (:func:`~framing.topics.documents.majority_topics`): ``topics`` and ``probs``
    (membership strengths that break ties; None: none) per distinct sentence, ``inverse`` and ``doc_ids`` per
    sentence."""
    import pandas as pd

    from .documents import majority_topics

    strength = np.zeros(len(inverse)) if probs is None else np.asarray(probs, dtype=float)[inverse]
    return majority_topics(pd.DataFrame({"doc_id": doc_ids, "topic": topics[inverse], "topic_prob": strength}))


def document_topics_allowed(topics: np.ndarray, inverse: np.ndarray, doc_ids: np.ndarray,
                            probs: np.ndarray | None = None) -> np.ndarray:
    """The main topic of each distinct sentence's documents: a bool matrix (n_distinct, n_topics).

    ``topics`` (and ``probs``, membership strengths that break ties) are per distinct sentence; ``inverse``
    maps every sentence (every copy) to its distinct sentence and ``doc_ids`` gives each sentence's
    document. A document's main topic is the one holding most of its clustered sentences
    (:func:`~framing.topics.documents.majority_topics`). Column ``k`` is the ``k``-th topic in ascending order.
    A distinct sentence printed in several documents may join the main topic of any of them.

    >>> document_topics_allowed(np.array([0, 1, 1, -1, -1]), np.array([0, 1, 2, 3, 4, 3]),
    ...                         np.array(["a", "b", "b", "a", "c", "b"])).tolist()
    [[True, False], [False, True], [False, True], [True, True], [False, False]]
    """
    import scipy.sparse as sp

    kept = sorted(int(t) for t in set(topics.tolist()) if t >= 0)
    doc_ids = np.asarray(doc_ids, dtype=object).astype(str)
    mains = _majority_topics(doc_ids, topics, probs, inverse)
    has_main = np.array([d in mains for d in doc_ids])
    column = np.searchsorted(kept, [mains[d] for d in doc_ids[has_main]])
    allowed = sp.csr_matrix((np.ones(int(has_main.sum())), (inverse[has_main], column)),
                            shape=(len(topics), len(kept)))
    return np.asarray(allowed.todense() > 0)


def main_keeping_allowed(topics: np.ndarray, inverse: np.ndarray, doc_ids: np.ndarray, candidates: np.ndarray,
                         probs: np.ndarray | None = None, orphaned: np.ndarray | None = None) -> np.ndarray:
    """The topics each distinct sentence may join without changing any document's main topic.

    Returns a bool matrix (n_distinct, n_topics); column ``k`` is the ``k``-th topic in ascending order.

    A document's main topic holds most of its clustered sentences. A candidate (``candidates``, per
    distinct sentence) may join its documents' main topics (:func:`document_topics_allowed`), and any
    topic that each of its documents holds so few sentences of that, even if every candidate of that
    document joined it, it would stay strictly below the main topic's count. A document with no
    clustered sentence has no main topic to keep: its candidates are placed nowhere (as ``document``). A
    document whose main topic was dropped (``orphaned``, per sentence, :func:`orphaned_documents`) has none to
    keep either: its candidates may join any topic. A sentence printed in several documents may join a topic
    only when none of them changes. Rows that are not candidates allow nothing.
    ``topics``, ``candidates`` and ``probs`` are per distinct sentence; ``inverse`` and ``doc_ids`` per sentence.

    >>> topics = np.array([0, 0, 0, 1, -1, -1, -1])
    >>> # document x: three sentences of topic 0 and two candidates; y: one sentence of topic 1 and one candidate
    >>> allowed = main_keeping_allowed(topics, np.arange(7), np.array(["x", "x", "x", "y", "x", "x", "y"]),
    ...                                topics < 0)
    >>> allowed[4:].tolist()  # x's candidates may join topic 1 (0 + 2 < 3); y's only its own main topic
    [[True, True], [True, True], [False, True]]
    """
    kept = sorted(int(t) for t in set(topics.tolist()) if t >= 0)
    doc_ids = np.asarray(doc_ids, dtype=object).astype(str)
    names, doc_index = np.unique(doc_ids, return_inverse=True)
    labels = topics[inverse]
    clustered = labels >= 0
    counts = np.zeros((len(names), len(kept)), dtype=np.int64)
    np.add.at(counts, (doc_index[clustered], np.searchsorted(kept, labels[clustered])), 1)
    waiting = np.bincount(doc_index, weights=candidates[inverse].astype(float), minlength=len(names))
    top = counts.max(axis=1, keepdims=True)
    safe = counts + waiting[:, None] < top  # per document: topics its candidates cannot lift to the top
    mains = _majority_topics(doc_ids, topics, probs, inverse)
    own = [(i, mains[name]) for i, name in enumerate(names) if name in mains]
    if own:
        rows, main = zip(*own)
        safe[list(rows), np.searchsorted(kept, list(main))] = True  # joining its own main topic only confirms it
    if orphaned is not None:
        safe[np.unique(doc_index[np.asarray(orphaned, dtype=bool)])] = True
    allowed = np.ones((len(topics), len(kept)), dtype=bool)
    np.logical_and.at(allowed, inverse, safe[doc_index])  # every document printing the sentence must stay as it is
    return allowed & np.asarray(candidates, dtype=bool)[:, None]


def place_outliers(embeddings: np.ndarray, topics: np.ndarray, outliers: np.ndarray,
                   quantile: float, allowed: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """HDBSCAN's outliers (``outliers``) join their nearest topic when they are as close to it as its members are.

    The floor is :func:`nearest_topic_floor`: an outlier joins only when its cosine to the nearest
    topic centroid is at least what ``1 - quantile`` of the topics' own members reach (the rule
    ``framing apply`` uses for new sentences). Sentences a rule took out (filler, dropped topics)
    are not outliers here and stay out. ``allowed`` (n_sentences, n_topics), bool, optional, limits each
    sentence to some topics (:func:`document_topics_allowed`: its documents' main topics). Returns the new
    assignments and the floor.

    >>> emb = np.array([[1, 0], [1, 0.1], [0, 1], [0.1, 1], [1, 0.05], [-1, -1]], dtype=float)
    >>> new, floor = place_outliers(emb, np.array([0, 0, 1, 1, -1, -1]), np.array([0, 0, 0, 0, 1, 1], bool), 0.05)
    >>> new.tolist()
    [0, 0, 1, 1, 0, -1]
    >>> allowed = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0, 1], [1, 1]], bool)  # row 4's document tells topic 1 only
    >>> place_outliers(emb, np.array([0, 0, 1, 1, -1, -1]), np.array([0, 0, 0, 0, 1, 1], bool), 0.05, allowed)[0].tolist()
    [0, 0, 1, 1, -1, -1]
    """
    new = topics.copy()
    if not (topics >= 0).any():
        return new, float("nan")
    centers, kept, floor = nearest_topic_floor(embeddings, topics, quantile)
    candidates = np.flatnonzero(outliers & (topics < 0))
    if not len(candidates):
        return new, floor
    unit = embeddings[candidates] / np.maximum(np.linalg.norm(embeddings[candidates], axis=1, keepdims=True), 1e-12)
    sims = unit @ centers.T
    if allowed is not None:
        sims = np.where(allowed[candidates], sims, -np.inf)
    best = sims.argmax(axis=1)
    close = sims[np.arange(len(best)), best] >= floor
    new[candidates[close]] = np.asarray(kept)[best[close]]
    return new, floor


def join_by_layouts(layout_labels: np.ndarray, topics: np.ndarray, candidates: np.ndarray,
                    allowed: np.ndarray) -> np.ndarray:
    """Outliers that some layout clusters with their document's main topic join it.

    With several layouts (:class:`~framing.topics.consensus.UnanimousHDBSCAN`) a sentence outside the consensus
    may still be clustered in one layout, with sentences of a topic. Each layout cluster stands for the topic
    most of its clustered rows hold in ``topics``; a candidate joins the topic its layouts' clusters stand for
    when that topic is allowed (``allowed``, bool (n, n_topics): its document's main topic), the most voted
    first. Joining its own document's main topic cannot change what a document is about (the principle of
    ``outlier_strategy: document``); the evidence is a layout's clustering instead of the similarity floor.

    >>> layouts = np.array([[0, 0, 0, 1, 1, 0], [0, 0, -1, 1, 1, -1]])
    >>> allowed = np.array([[1, 0], [1, 0], [1, 0], [0, 1], [0, 1], [0, 1]], bool)
    >>> join_by_layouts(layouts, np.array([0, 0, -1, 1, 1, -1]), np.array([0, 0, 1, 0, 0, 1], bool), allowed).tolist()
    [0, 0, 0, 1, 1, -1]
    """
    new = np.asarray(topics).copy()
    kept = sorted(int(t) for t in set(new.tolist()) if t >= 0)
    cand = np.flatnonzero(candidates & (new < 0))
    if not len(cand) or not kept:
        return new
    votes = np.zeros((len(cand), len(kept)), dtype=np.int64)
    for lab in np.asarray(layout_labels, dtype=np.int64):
        member = (lab >= 0) & (new >= 0)
        if not member.any():
            continue
        counts = np.zeros((int(lab.max()) + 1, len(kept)), dtype=np.int64)
        np.add.at(counts, (lab[member], np.searchsorted(kept, new[member])), 1)
        stands = np.where(counts.sum(axis=1) > 0, counts.argmax(axis=1), -1)  # the topic each cluster stands for
        label = lab[cand]
        topic = np.where(label >= 0, stands[np.maximum(label, 0)], -1)
        hit = np.flatnonzero(topic >= 0)
        votes[hit, topic[hit]] += 1
    votes = np.where(allowed[cand], votes, 0)
    best = votes.argmax(axis=1)
    joined = votes[np.arange(len(cand)), best] > 0
    new[cand[joined]] = np.asarray(kept)[best[joined]]
    return new


def reduce(model, config, docs: list[str], embeddings: np.ndarray, topics: np.ndarray, probs: np.ndarray,
           inverse: np.ndarray, doc_ids: np.ndarray, hdbscan_outliers: np.ndarray,
           side: np.ndarray, moves: dict | None = None,
           clustered: np.ndarray | None = None) -> tuple[np.ndarray, float | None]:
    """Outlier reduction on a fitted BERTopic ``model``, as ``config.outlier_strategy`` says.

    ``document``: HDBSCAN's outliers and the sentences of side subjects (``side``: topics dropped as told by too
    few documents or the main topic of too few) join their document's main topic when as close to it as its
    members are (:func:`place_outliers`, :func:`document_topics_allowed`); ``keep-main``: the same candidates join
    their nearest topic above that floor among those that leave every document's main topic as it is
    (:func:`main_keeping_allowed`; documents whose main topic in ``clustered``, the topics before the rules, was
    dropped are free, :func:`orphaned_documents`); ``centroid``: HDBSCAN's outliers join
    their nearest topic above the same floor; the other strategies are BERTopic's ``reduce_outliers``. Filler and
    the sentences of generic topics (words every story uses) are never placed. ``topics``, ``probs``,
    ``embeddings`` and ``docs`` are per distinct sentence; ``inverse`` and ``doc_ids`` per sentence.
    With several layouts, ``document`` and ``keep-main`` also let an outlier the floor leaves out join a topic it
    may join when a layout clustered it with that topic (:func:`join_by_layouts`; ``moves["layout_joined"]``
    counts them).

    Returns the new assignments and the floor (None for BERTopic's strategies, NaN without topics).
    """
    from . import adapter

    strategy = config.outlier_strategy
    if strategy not in OWN_STRATEGIES:
        if not (topics < 0).any():
            return topics, None
        return adapter.reduce_outliers(model, docs, embeddings, topics, strategy, config.outlier_threshold,
                                       config.top_n_words), None
    allowed = None
    candidates = hdbscan_outliers
    if strategy in ("document", "keep-main") and (topics >= 0).any():
        candidates = hdbscan_outliers | side
        if strategy == "keep-main":
            orphaned = None if clustered is None else orphaned_documents(clustered, topics, probs, inverse, doc_ids)
            allowed = main_keeping_allowed(topics, inverse, doc_ids, candidates, probs, orphaned)
        else:
            allowed = document_topics_allowed(topics, inverse, doc_ids, probs)
    new, floor = place_outliers(embeddings, topics, candidates, OUTLIER_QUANTILE, allowed)
    layout_labels = getattr(getattr(model, "hdbscan_model", None), "layout_labels_", None)
    if allowed is not None and layout_labels is not None:
        joined = join_by_layouts(layout_labels, topics, hdbscan_outliers & (new < 0), allowed)
        new = np.where((new < 0) & (joined >= 0), joined, new)
        if moves is not None:
            moves["layout_joined"] = int(((joined >= 0) & (topics < 0))[inverse].sum())
    if (new != topics).any():
        adapter.update_topics(model, docs, new, config.top_n_words)
        adapter.reindex_topic_embeddings(model, topics, new, sorted(t for t in set(new.tolist()) if t >= 0))
    return new, floor


def orphaned_documents(clustered: np.ndarray, topics: np.ndarray, probs: np.ndarray | None, inverse: np.ndarray,
                       doc_ids: np.ndarray) -> np.ndarray:
    """Per sentence: True in the documents whose main topic as clustered (``clustered``) a rule dropped.

    ``clustered`` and ``topics`` (after the rules) are per distinct sentence; a dropped topic's sentences are -1.

    >>> orphaned_documents(np.array([0, 0, 1, 1, 1]), np.array([0, 0, -1, -1, -1]), None, np.arange(5),
    ...                    np.array(["a", "a", "a", "b", "b"])).tolist()
    [False, False, False, True, True]
    """
    doc_ids = np.asarray(doc_ids, dtype=object).astype(str)
    mains = _majority_topics(doc_ids, clustered, probs, inverse)
    dropped = set(clustered[(clustered >= 0) & (topics < 0)].tolist())  # rules drop whole topics
    return np.isin(doc_ids, [d for d, t in mains.items() if t in dropped])
