"""A frame classifier for coded documents on pooled sentence embeddings: :class:`PooledFrameClassifier`.

A document is described by three things computed from its own sentences
only (so its decision never depends on the other documents of a run): the
normalised mean of its sentences' normalised embeddings (what the document is
about), their element-wise maximum (a frame a document carries in a few
passages is not averaged away) and the logarithm of its number of sentences
(longer articles carry more frames). Given a ``prior`` (the catalog's anchors,
embedded: what ``frames train`` passes), also how near its sentences come to
each frame's anchors (:mod:`framing.frames.prior`). Per frame, a logistic regression with
balanced class weights (rare frames are not drowned by the frequent "no") is
fitted on these standardised features. Everything is chosen by cross-validation
on the training documents only: each frame's regularisation ``C`` (from
``Cs``, the one with the best average precision of out-of-fold
probabilities) and its threshold (the one that maximises F1 on those
out-of-fold probabilities). A fit costs a few hundred small regressions on
documents, not sentences: seconds, where a model on sentences takes minutes.

Examples
--------
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(240, 8)); groups = np.repeat(np.arange(60), 4)
>>> Y = np.column_stack([X.reshape(60, 4, 8)[:, :, 0].max(1) > 1.0, X.reshape(60, 4, 8)[:, :, 1].mean(1) > 0])
>>> model = PooledFrameClassifier(seed=1).fit(X, Y, ["a", "b"], groups=groups)
>>> model.predict_proba(X, groups).shape
(60, 2)
>>> bool((model.predict(X, groups)[:, 1] == Y[:, 1]).mean() > 0.7)
True
"""

from __future__ import annotations

import numpy as np

from .calibrate import best_threshold
from .frame_model import FrameModel, logistic, sigmoid, standardiser
from .prior import anchor_features

ANCHOR_DECIMALS = 4
"""The prior's anchor vectors are kept (and saved) to 4 decimals: a cosine moves by less than 1e-3."""
DEFAULT_CS = (0.001, 0.003, 0.01, 0.03, 0.1)
"""The regularisations tried per frame (strong: a few hundred documents against a thousand features)."""


def pooled_features(X: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """Per document: mean-pooled and max-pooled normalised sentence embeddings and log(1 + sentences).

    Parameters
    ----------
    X : ndarray of shape (n_sentences, dim)
    owner : ndarray of shape (n_sentences,) of int
        The document (0 .. n-1) of each sentence.
    n : int
        Number of documents; a document without sentences gets zeros.

    Returns
    -------
    ndarray of shape (n, 2 * dim + 1)

    Examples
    --------
    >>> pooled_features(np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([0, 0]), 2).round(3).tolist()
    [[0.707, 0.707, 1.0, 1.0, 1.099], [0.0, 0.0, 0.0, 0.0, 0.0]]
    """
    X = np.asarray(X, dtype=np.float64)
    owner = np.asarray(owner, dtype=int)
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    V = X / np.where(norms > 0, norms, 1.0)
    mean = np.zeros((n, X.shape[1]))
    np.add.at(mean, owner, V)
    m_norm = np.linalg.norm(mean, axis=1, keepdims=True)
    mean = mean / np.where(m_norm > 0, m_norm, 1.0)
    top = np.full((n, X.shape[1]), -np.inf)
    np.maximum.at(top, owner, V)
    count = np.bincount(owner, minlength=n)
    top[count == 0] = 0.0
    return np.hstack([mean, top, np.log1p(count)[:, None]])


def _logistic(C: float, seed: int):
    return logistic(C, seed, max_iter=3000)


def choose_c(Z: np.ndarray, y: np.ndarray, Cs, folds, seed: int) -> tuple[float, np.ndarray]:
    """The ``C`` whose out-of-fold probabilities have the best average precision, and those probabilities.

    Ties go to the first (the strongest regularisation when ``Cs`` is increasing).
    """
    from sklearn.metrics import average_precision_score

    best = None
    for C in Cs:
        oof = np.zeros(len(y))
        for train, test in folds:
            oof[test] = _logistic(C, seed).fit(Z[train], y[train]).predict_proba(Z[test])[:, 1]
        score = average_precision_score(y, oof)
        if best is None or score > best[0] + 1e-12:
            best = (score, float(C), oof)
    return best[1], best[2]


class PooledFrameClassifier(FrameModel):
    """Per-frame logistic regressions on pooled sentence embeddings (scikit-learn contract; see the module).

    Parameters
    ----------
    Cs : tuple of float
        The inverse regularisations tried per frame by inner cross-validation.
    inner_folds : int
        Folds of the out-of-fold probabilities that choose ``C`` and the threshold.
    seed : int
    prior : AnchorPrior, optional
        The catalog's anchors, embedded (:func:`framing.frames.prior.anchor_prior`): each document
        is then also described by how near its sentences come to every frame's anchors
        (:func:`framing.frames.prior.anchor_features`), what the catalog's author wrote about
        the frames, which matters most when few documents are coded. The model keeps these
        vectors (``anchors_``) and decides with them from then on.

    Attributes
    ----------
    frame_ids_ : list of str
        Frames with a model (at least 3 coded positives and 3 negatives).
    mean_, scale_ : ndarray of shape (2 * dim + 1 + 3 * n_prior_frames,)
        Standardisation of the pooled features (and the anchor features).
    anchors_ : ndarray of shape (n_anchors, dim)
        The anchor vectors of the prior (0 rows without one); ``anchor_owner_`` the frame of each,
        ``prior_frames_`` those frames, ``prior_fingerprint_`` the prior's fingerprint ("" without one).
    coef_ : ndarray of shape (n_frames, n_features)
    intercept_, thresholds_, C_ : ndarray of shape (n_frames,)
    skipped_ : dict of str to str
        Frames without a model, with the reason.
    pooling_ : "pooled"
    """

    KIND = "pooled"
    DECIMALS = 7
    ARRAYS = ("mean_", "scale_", "intercept_", "thresholds_", "C_")
    MATRICES = {"coef_": "mean_"}
    UNSAVED_PARAMS = ("prior",)
    """The prior is saved as what the model learned from it (``anchors_``...), not as an argument."""

    def __init__(self, Cs=DEFAULT_CS, inner_folds: int = 5, seed: int = 42, prior=None):
        self.Cs = Cs
        self.inner_folds = inner_folds
        self.seed = seed
        self.prior = prior

    def _features(self, X: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
        F = pooled_features(X, owner, n)
        if not len(self.prior_frames_):
            return F
        return np.hstack([F, anchor_features(X, owner, n, self.anchors_, self.anchor_owner_, len(self.prior_frames_))])

    def _fit(self, X, Y, owner, cols, frame_ids) -> None:
        if not len(self.Cs) or min(self.Cs) <= 0:
            raise ValueError(f"The 'Cs' parameter must hold at least one float > 0. Got {self.Cs!r} instead.")
        self._set_prior(X.shape[1])
        F = self._features(X, owner, len(Y))
        self.pooling_ = "pooled"
        self.mean_, self.scale_ = standardiser(F)
        Z = (F - self.mean_) / self.scale_
        fitted = [self._fit_frame(Z, Y[:, j]) for j in cols]
        self.frame_ids_ = [frame_ids[j] for j in cols]
        self.coef_ = np.asarray([m.coef_[0] for _, m, _ in fitted], dtype=np.float64).reshape(len(cols), F.shape[1])
        self.intercept_ = np.asarray([float(m.intercept_[0]) for _, m, _ in fitted], dtype=np.float64)
        self.C_ = np.asarray([C for C, _, _ in fitted], dtype=np.float64)
        self.thresholds_ = np.asarray([t for _, _, t in fitted], dtype=np.float64)

    def _set_prior(self, dim: int) -> None:
        prior = self.prior
        if prior is not None and np.asarray(prior.vectors).shape[1:] != (dim,):
            raise ValueError(f"The prior's anchor vectors have shape {np.asarray(prior.vectors).shape} but the "
                             f"sentence embeddings have {dim} dimensions: embed the anchors with the same model.")
        self.anchors_ = (np.zeros((0, dim)) if prior is None
                         else np.round(np.asarray(prior.vectors, dtype=np.float64), ANCHOR_DECIMALS))
        self.anchor_owner_ = np.zeros(0, dtype=int) if prior is None else np.asarray(prior.owner, dtype=int)
        self.prior_frames_ = [] if prior is None else list(prior.frame_ids)
        self.prior_fingerprint_ = "" if prior is None else str(prior.fingerprint)

    def _fit_frame(self, Z: np.ndarray, y: np.ndarray):
        """One frame: ``C`` and the threshold by inner CV, then the regression on every document."""
        from sklearn.model_selection import StratifiedKFold

        k = int(min(self.inner_folds, y.sum(), (~y).sum()))
        folds = list(StratifiedKFold(n_splits=k, shuffle=True, random_state=self.seed).split(Z, y))
        C, oof = choose_c(Z, y, self.Cs, folds, self.seed)
        return C, _logistic(C, self.seed).fit(Z, y), float(best_threshold(oof, y, beta=1.0)[0])

    def _proba(self, X, owner, n) -> np.ndarray:
        F = self._features(X, owner, n)
        return sigmoid(((F - self.mean_) / self.scale_) @ self.coef_.T + self.intercept_)

    def to_dict(self) -> dict:
        out = super().to_dict()
        if len(self.prior_frames_):
            out.update({"anchors": np.round(self.anchors_, ANCHOR_DECIMALS).tolist(), "anchor_owner": self.anchor_owner_.tolist(),
                        "prior_frames": list(self.prior_frames_), "prior_fingerprint": self.prior_fingerprint_})
        return out

    @classmethod
    def from_dict(cls, data: dict) -> PooledFrameClassifier:
        model = super().from_dict(data)
        frames = list(data.get("prior_frames") or [])
        dim = (len(model.mean_) - 1 - 3 * len(frames)) // 2
        model.anchors_ = np.asarray(data.get("anchors") or np.zeros((0, dim)), dtype=np.float64).reshape(-1, dim)
        model.anchor_owner_ = np.asarray(data.get("anchor_owner") or [], dtype=int)
        model.prior_frames_ = frames
        model.prior_fingerprint_ = str(data.get("prior_fingerprint") or "")
        return model
