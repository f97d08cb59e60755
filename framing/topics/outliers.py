"""Outliers that join a topic: HDBSCAN's outliers placed at their nearest topic above a similarity floor.

``topics.outlier_strategy: centroid`` (:meth:`TopicModeler <framing.topics.model.TopicModeler>`): an outlier
joins its nearest topic when it is as close to it as the topic's own members are; sentences a rule took out
(filler, dropped topics) stay out. The floor is reported in run.json (``topics.outlier_floor``).
"""

from __future__ import annotations

import numpy as np

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


def place_outliers(embeddings: np.ndarray, topics: np.ndarray, outliers: np.ndarray,
                   quantile: float) -> tuple[np.ndarray, float]:
    """HDBSCAN's outliers (``outliers``) join their nearest topic when they are as close to it as its members are.

    The floor is :func:`nearest_topic_floor`: an outlier joins only when its cosine to the nearest
    topic centroid is at least what ``1 - quantile`` of the topics' own members reach (the rule
    ``framing apply`` uses for new sentences). Sentences a rule took out (filler, dropped topics)
    are not outliers here and stay out. Returns the new assignments and the floor.

    >>> emb = np.array([[1, 0], [1, 0.1], [0, 1], [0.1, 1], [1, 0.05], [-1, -1]], dtype=float)
    >>> new, floor = place_outliers(emb, np.array([0, 0, 1, 1, -1, -1]), np.array([0, 0, 0, 0, 1, 1], bool), 0.05)
    >>> new.tolist()
    [0, 0, 1, 1, 0, -1]
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
    best = sims.argmax(axis=1)
    close = sims[np.arange(len(best)), best] >= floor
    new[candidates[close]] = np.asarray(kept)[best[close]]
    return new, floor
