"""The catalog as a prior for a trained model: how near a document's sentences come to each frame's anchors.

A researcher's catalog says, in its anchors, what each frame reads like. A
classifier trained on a few dozen coded documents has seen few examples of the
rare frames; the anchors are the one description of them it does not have to
learn. :func:`anchor_features` turns them into three numbers per frame and
document, from the document's own sentences and the catalog only (a document's
decision never depends on the other documents of a run):

- the mean of the document's most similar sentences (the best sentence per ten
  sentences, at most ``top_k``; the same pooling as the anchors' document score),
- the most similar sentence,
- the mean over the document's sentences,

where a sentence's similarity to a frame is its highest cosine to one of the
frame's anchors. Without any coded data these numbers alone decide the five
news frames of climate-frames at macro-F1 0.54 (see ``docs/frames.md``). The
model that uses them (:class:`framing.frames.pooled.PooledFrameClassifier`)
keeps the anchor vectors it was trained against, so it decides the same way
when the catalog is edited later; :func:`anchor_fingerprint` tells whether
the catalog's anchors are still the ones it learned from.

Examples
--------
>>> X = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]])
>>> A = np.array([[1.0, 0.0], [0.0, 1.0]])
>>> anchor_features(X, np.array([0, 0, 1]), 2, A, np.array([0, 1]), 2).round(2).tolist()
[[1.0, 1.0, 0.8, 0.8, 0.8, 0.4], [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]]
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np

from .classifier import SENTENCES_PER_TOP

TOP_K = 3
N_PRIOR = 3
"""Numbers per frame: top-k mean, max and mean similarity of a document's sentences to the frame's anchors."""


def _unit(V: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length in float64 (a zero row stays zero)."""
    V = np.asarray(V, dtype=np.float64)
    return V / np.maximum(np.linalg.norm(V, axis=1, keepdims=True), 1e-300)


def anchor_features(X: np.ndarray, owner: np.ndarray, n: int, anchors: np.ndarray, anchor_owner: np.ndarray,
                    n_frames: int, top_k: int = TOP_K) -> np.ndarray:
    """Per document and frame: top-k mean, max and mean of its sentences' best cosine to the frame's anchors.

    Parameters
    ----------
    X, owner, n :
        Sentence embeddings, the document of each and the number of documents, as for
        :func:`framing.frames.pooled.pooled_features` (a document without sentences gets zeros).
    anchors : ndarray of shape (n_anchors, dim)
    anchor_owner : ndarray of shape (n_anchors,) of int
        The frame (0 .. n_frames-1) of each anchor.
    n_frames : int
    top_k : int

    Returns
    -------
    ndarray of shape (n, 3 * n_frames): for frame ``j`` columns ``3j`` (top-k), ``3j+1`` (max), ``3j+2`` (mean).
    """
    owner = np.asarray(owner, dtype=int)
    anchor_owner = np.asarray(anchor_owner, dtype=int)
    out = np.zeros((n, N_PRIOR * n_frames))
    if not len(X) or not n_frames:
        return out
    sims = _unit(X) @ _unit(anchors).T
    best = np.full((len(X), n_frames), -1.0)
    for j in range(n_frames):
        if (anchor_owner == j).any():
            best[:, j] = sims[:, anchor_owner == j].max(axis=1)
    count = np.bincount(owner, minlength=n)
    k = np.maximum(1, np.minimum(top_k, -(-count // SENTENCES_PER_TOP)))
    order = np.argsort(owner, kind="stable")
    starts = np.r_[0, np.cumsum(count)[:-1]]
    for j in range(n_frames):
        s = best[order, j]
        for d in np.flatnonzero(count):
            part = np.sort(s[starts[d]:starts[d] + count[d]])[::-1]
            out[d, N_PRIOR * j] = part[:k[d]].mean()
            out[d, N_PRIOR * j + 1] = part[0]
            out[d, N_PRIOR * j + 2] = part.mean()
    return out


@dataclass(frozen=True)
class AnchorPrior:
    """A catalog's anchors embedded for a trained model: vectors, the frame of each, and their fingerprint.

    frame_ids : the frames, in the order ``owner`` numbers them.
    vectors : ndarray of shape (n_anchors, dim); owner : ndarray of shape (n_anchors,) of int.
    fingerprint : :func:`anchor_fingerprint` of the anchor texts and the embedder.
    """

    frame_ids: tuple
    vectors: np.ndarray
    owner: np.ndarray
    fingerprint: str


def anchor_fingerprint(catalog, embedder_name: str) -> str:
    """A short hash of the catalog's frames and anchor texts, in order, and the embedder's name.

    >>> class F:
    ...     def __init__(self, i, a): self.id, self.anchors = i, a
    >>> class C:
    ...     def __init__(self, *f): self.f = f
    ...     def matchable(self): return list(self.f)
    >>> anchor_fingerprint(C(F("a", ["x"])), "m") == anchor_fingerprint(C(F("a", ["y"])), "m")
    False
    """
    text = json.dumps([[f.id, list(f.anchors)] for f in catalog.matchable()] + [embedder_name], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def anchor_prior(catalog, embedder, cache=None) -> AnchorPrior:
    """Embed the catalog's anchors (through the embedding cache) for a trained model's prior."""
    from ..embed import embed_texts

    frames = catalog.matchable()
    texts, owner = [], []
    for j, frame in enumerate(frames):
        texts += list(frame.anchors)
        owner += [j] * len(frame.anchors)
    vectors, _ = embed_texts(texts, embedder, cache)
    return AnchorPrior(frame_ids=tuple(f.id for f in frames), vectors=np.asarray(vectors, dtype=np.float64),
                       owner=np.asarray(owner, dtype=int), fingerprint=anchor_fingerprint(catalog, embedder.name))
