"""The contrast margin: is a text nearer a frame's examples than to everything that is not the frame?

A frame's score (:func:`framing.frames.calibrate.frame_scores`) says how near a
text is to the frame's anchors; it does not say whether something else is
nearer still. Sentences about a frame's subject that take no side, short
generic sentences and ordinary news sentences all sit fairly near the anchors
of a catalog written on that subject. The margin compares the text with three
kinds of non-use that the package and the catalog already hold, none of them
taken from the corpus (a decision does not move with the neighbours)::

    pos     = mean of the top_k cosine similarities to the frame's anchors
    margin  = pos - max(nearest reference sentence,        # an ordinary sentence
                        nearest near miss of the catalog,  # on the subject, no side taken
                        pos of every unrelated frame)      # another frame reads better

A text *leans* toward a frame when its margin is above 0: it is nearer the
frame's examples than to any ordinary sentence of the shipped reference sample
(:mod:`framing.frames.reference`), than to any near miss of any frame of the
catalog (a near miss of one frame is a non-use of the others too: they share
the catalog's subject), and than to the examples of each frame outside its
family. The zero is not a fitted threshold: it is where the nearest non-use is
as near as the frame itself.

Examples
--------
>>> import numpy as np
>>> A = np.eye(4)[[0, 0, 1]]            # frame 0: two anchors on axis 0; frame 1: one on axis 1
>>> reference, near_miss = np.eye(4)[[2]], np.eye(4)[[3]]
>>> texts = np.array([[1.0, 0.2, 0, 0],     # near frame 0's anchors: leans toward frame 0 only
...                   [0.2, 0.2, 1.0, 0]])  # nearest an ordinary sentence: leans toward neither
>>> margins(texts, A, np.array([0, 0, 1]), near_miss, np.array([0]), reference, np.eye(2, dtype=bool)).round(2)
array([[ 0.78, -0.78],
       [-0.77, -0.77]])
"""

from __future__ import annotations

import numpy as np

from .clauses import _normalise

_CHUNK = 4096


def _top_mean(sims: np.ndarray, k: int) -> np.ndarray:
    if sims.shape[1] == 0:
        return np.full(len(sims), -1.0)
    k = min(k, sims.shape[1])
    return -np.sort(-sims, axis=1)[:, :k].mean(axis=1)


def margins(X: np.ndarray, anchors: np.ndarray, anchor_owner: np.ndarray, negatives: np.ndarray,
            negative_owner: np.ndarray, reference: np.ndarray, related: np.ndarray, top_k: int = 2) -> np.ndarray:
    """Contrast margins of texts for every frame (see the module docstring).

    Parameters
    ----------
    X : ndarray of shape (n_texts, dim)
    anchors : ndarray of shape (n_anchors, dim)
    anchor_owner : ndarray of shape (n_anchors,)
        The frame (column) of each anchor.
    negatives : ndarray of shape (n_negatives, dim)
        The catalog's near misses, all frames pooled.
    negative_owner : ndarray of shape (n_negatives,)
        Kept for symmetry with the anchors (every near miss counts for every frame).
    reference : ndarray of shape (n_reference, dim)
        The reference sample of ordinary sentences (every language pooled).
    related : ndarray of shape (n_frames, n_frames) of bool
        ``related[i, j]``: frame j is in frame i's family (never a rival).
    top_k : int

    Returns
    -------
    ndarray of shape (n_texts, n_frames)
    """
    n_frames = related.shape[0]
    out = np.empty((len(X), n_frames), dtype=np.float64)
    A, N, R = _normalise(anchors), _normalise(negatives), _normalise(reference)
    for start in range(0, len(X), _CHUNK):
        chunk = _normalise(X[start:start + _CHUNK])
        sa = chunk @ A.T
        pos = np.column_stack([_top_mean(sa[:, anchor_owner == i], top_k) for i in range(n_frames)])
        floor = np.maximum(_top_mean(chunk @ R.T, 1), _top_mean(chunk @ N.T, 1) if len(N) else -1.0)
        for i in range(n_frames):
            rivals = pos[:, ~related[i]]
            rival = rivals.max(axis=1) if rivals.shape[1] else np.full(len(chunk), -1.0)
            out[start:start + _CHUNK, i] = pos[:, i] - np.maximum(floor, rival)
    return out
