"""Frame scores and per-frame thresholds.

The score of a text for a frame compares its embedding with the frame's
anchors (positive examples) and near misses (negatives)::

    pos   = mean of the top_k cosine similarities to the frame's anchors
    neg   = highest cosine similarity to the frame's negatives (0 if none)
    score = pos - negative_weight * max(0, neg - pos)

so a text closer to a near miss than to any anchor is pushed down. The
threshold of a frame is calibrated on the catalog itself by leave-one-out:
each anchor is scored against the other anchors of its frame (a positive),
and every anchor of the unrelated frames and every near miss of the frame are
scored against its anchors (negatives); the threshold maximises F-beta on
these (beta < 1 favours precision). See docs/frames.md.
"""

from __future__ import annotations

import numpy as np

ArrayF = np.ndarray


def frame_scores(sims_pos: ArrayF, sims_neg: ArrayF | None, top_k: int, negative_weight: float) -> ArrayF:
    """Scores of texts for one frame from their similarities.

    Parameters
    ----------
    sims_pos : ndarray of shape (n_texts, n_anchors)
        Cosine similarities to the frame's anchors (``-inf`` marks an anchor to ignore).
    sims_neg : ndarray of shape (n_texts, n_negatives) or None
        Cosine similarities to the frame's near misses.
    top_k : int
        How many of the nearest anchors are averaged.
    negative_weight : float
        How hard being nearer a near miss than an anchor pushes the score down.

    Returns
    -------
    ndarray of shape (n_texts,)

    Examples
    --------
    >>> frame_scores(np.array([[0.9, 0.5, 0.1]]), np.array([[0.95]]), 2, 0.5).round(3)
    array([0.575])
    """
    n_valid = np.isfinite(sims_pos).sum(axis=1)
    k = np.minimum(top_k, np.maximum(n_valid, 1))
    ordered = -np.sort(-np.where(np.isfinite(sims_pos), sims_pos, -np.inf), axis=1)
    width = min(top_k, ordered.shape[1])
    top = ordered[:, :width]
    mask = np.arange(width)[None, :] < k[:, None]
    pos = np.where(mask, np.where(np.isfinite(top), top, 0.0), 0.0).sum(axis=1) / k
    if sims_neg is None or sims_neg.shape[1] == 0:
        return pos.astype(np.float64)
    neg = np.where(np.isfinite(sims_neg), sims_neg, -np.inf).max(axis=1)
    neg = np.where(np.isfinite(neg), neg, -np.inf)
    return (pos - negative_weight * np.maximum(0.0, neg - pos)).astype(np.float64)


def best_threshold(scores: ArrayF, labels: ArrayF, beta: float = 1.0) -> tuple[float, float]:
    """The threshold maximising F-beta of ``score >= threshold``, and that F-beta.

    Among equally good cut points the highest is taken (precision first), and
    the threshold sits halfway between the lowest score kept and the highest
    score below it, so that it does not sit on a calibration example.

    Parameters
    ----------
    scores : ndarray of shape (n,)
    labels : ndarray of shape (n,) of bool
    beta : float
        Weight of recall against precision (0.5 favours precision).

    Returns
    -------
    (threshold, f_beta) : tuple of float

    Examples
    --------
    >>> best_threshold(np.array([0.9, 0.8, 0.4, 0.3]), np.array([True, True, False, False]))
    (0.6000000000000001, 1.0)
    """
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(labels, dtype=bool)
    if labels.sum() == 0:
        return float(scores.max() + 1e-6) if len(scores) else 1.0, 0.0
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], labels[order]
    tp = np.cumsum(y)
    fp = np.cumsum(~y)
    # only cut after the last of a run of equal scores
    last = np.r_[s[1:] != s[:-1], True]
    precision = tp / (tp + fp)
    recall = tp / y.sum()
    b2 = beta * beta
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(precision + recall > 0, (1 + b2) * precision * recall / (b2 * precision + recall), 0.0)
    f = np.where(last, f, -1.0)
    best = int(np.argmax(f))
    below = s[best + 1] if best + 1 < len(s) else s[best] - 0.05
    return float((s[best] + below) / 2.0), float(f[best])
