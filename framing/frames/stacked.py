"""A stacked frame classifier for coded documents: sentence-score distributions and the mean embedding.

Stage one fits, per frame, the two models :mod:`framing.frames.train` knows:
a logistic regression on the sentences of the coded documents (each sentence
takes its document's codes; multiple-instance learning) and one on the
documents' mean embeddings. A document is then described, for every frame,
by four numbers: the mean of its most probable sentences (top-k, as the
anchors' document score), its most probable sentence, the mean over its
sentences, and the mean-embedding model's probability. Stage two fits, per
frame, a small logistic regression on these numbers for *all* frames (so
that a frame may borrow from the frames it co-occurs with), with balanced
class weights. The stage-one numbers stage two learns from are out-of-fold
(each document's numbers come from models that did not see it), and each
frame's threshold is the one that maximises F1 on stage two's own
out-of-fold probabilities: nothing is chosen on the data it is scored on.

The model is plain arrays (saved as JSON by :func:`framing.frames.train.save_trained`).

Examples
--------
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(120, 8)); groups = np.repeat(np.arange(40), 3)
>>> Y = np.column_stack([X.reshape(40, 3, 8)[:, :, 0].max(1) > 0.8, X.reshape(40, 3, 8)[:, :, 1].mean(1) > 0])
>>> model = StackedFrameClassifier(C=1.0, seed=1).fit(X, Y, ["a", "b"], groups=groups)
>>> model.predict_proba(X, groups).shape
(40, 2)
"""

from __future__ import annotations

import numpy as np

from .calibrate import best_threshold
from .frame_model import FrameModel, logistic, sigmoid, standardiser

N_FEATURES = 4
"""Per frame: top-k pooled, max and mean sentence probability, mean-embedding probability."""
META_C = 1.0


def _item_folds(Y: np.ndarray, k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Seeded folds over items, stratified by the number of frames of an item (0, 1, 2 or more) when possible."""
    from sklearn.model_selection import KFold, StratifiedKFold

    strata = np.minimum(Y.sum(axis=1), 2)
    k = int(max(2, min(k, len(Y))))
    if np.bincount(strata).min(initial=0) >= k and len(np.unique(strata)) > 1:
        return list(StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(len(Y)), strata))
    return list(KFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(len(Y))))


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def sentence_features(proba: np.ndarray, owner: np.ndarray, n_items: int, top_k: int) -> np.ndarray:
    """Per item: top-k pooled, max and mean of its rows' probabilities, shape (n_items, 3); 0 without rows.

    >>> sentence_features(np.array([0.9, 0.1, 0.3]), np.array([0, 0, 1]), 3, 3).round(2).tolist()
    [[0.9, 0.9, 0.5], [0.3, 0.3, 0.3], [0.0, 0.0, 0.0]]
    """
    from .train import top_k_pool

    items = np.arange(n_items)
    count = np.bincount(owner, minlength=n_items)
    total = np.bincount(owner, weights=proba, minlength=n_items)
    top1 = np.full(n_items, -np.inf)
    np.maximum.at(top1, owner, proba)
    top1[count == 0] = 0.0
    mean = np.where(count > 0, total / np.maximum(count, 1), 0.0)
    return np.column_stack([top_k_pool(proba, owner, items, top_k), top1, mean])


class StackedFrameClassifier(FrameModel):
    """Two-stage frame classifier for coded documents (scikit-learn contract; see the module's docstring).

    Parameters
    ----------
    C : float
        Inverse regularisation of the stage-one regressions (on standardised embeddings).
    C_meta : float
        Inverse regularisation of the stage-two regressions.
    inner_folds : int
        Folds of the out-of-fold stage-one numbers and thresholds.
    seed : int
    top_k : int
        At most this many sentences in the top-k feature (one per ten sentences).

    Attributes
    ----------
    frame_ids_ : list of str
        Frames with a model.
    mean_, scale_ : ndarray of shape (dim,)
        Standardisation of sentence embeddings; ``doc_mean_``, ``doc_scale_`` of mean embeddings.
    coef_, doc_coef_ : ndarray of shape (n_frames, dim)
    intercept_, doc_intercept_ : ndarray of shape (n_frames,)
    meta_mean_, meta_scale_ : ndarray of shape (n_frames * 4,)
    meta_coef_ : ndarray of shape (n_frames, n_frames * 4)
    meta_intercept_, thresholds_ : ndarray of shape (n_frames,)
    skipped_ : dict of str to str
    pooling_ : "stacked"
    """

    KIND = "stacked"
    DECIMALS = 7
    ARRAYS = ("mean_", "scale_", "doc_mean_", "doc_scale_", "meta_mean_", "meta_scale_", "intercept_",
              "doc_intercept_", "meta_intercept_", "thresholds_")
    MATRICES = {"coef_": "mean_", "doc_coef_": "doc_mean_", "meta_coef_": "meta_mean_"}

    def __init__(self, C: float = 0.01, C_meta: float = META_C, inner_folds: int = 5, seed: int = 42, top_k: int = 3):
        self.C = C
        self.C_meta = C_meta
        self.inner_folds = inner_folds
        self.seed = seed
        self.top_k = top_k

    # -- stage one ---------------------------------------------------------------------------------

    def _stage_one(self, Z, D, Y, owner, train, cols):
        """Fit the stage-one models on the items ``train``; returns (sentence models, document models) per column."""
        rows = np.isin(owner, train)
        models = []
        for j in cols:
            y_items = Y[train, j]
            if y_items.all() or not y_items.any():
                models.append((float(y_items.mean()), float(y_items.mean())))
                continue
            sent = logistic(self.C, self.seed).fit(Z[rows], Y[owner[rows], j])
            doc = logistic(self.C, self.seed).fit(D[train], y_items)
            models.append((sent, doc))
        return models

    def _features(self, models, Z, D, owner, items) -> np.ndarray:
        """Stage-one numbers of ``items`` (indices into D / owner's items), shape (len(items), n_frames * 4)."""
        remap = np.full(len(D), -1)
        remap[items] = np.arange(len(items))
        rows = remap[owner] >= 0
        out = np.zeros((len(items), N_FEATURES * len(models)))
        for c, (sent, doc) in enumerate(models):
            if isinstance(sent, float):
                out[:, c * N_FEATURES:(c + 1) * N_FEATURES] = sent
                continue
            ps = sent.predict_proba(Z[rows])[:, 1]
            out[:, c * N_FEATURES:c * N_FEATURES + 3] = sentence_features(ps, remap[owner[rows]], len(items), self.top_k)
            out[:, c * N_FEATURES + 3] = doc.predict_proba(D[items])[:, 1]
        return out

    # -- fitting -----------------------------------------------------------------------------------

    def _fit(self, X, Y, owner, cols, frame_ids) -> None:
        """Fit both stages on the frames ``cols`` (sentences ``X`` of the documents ``owner``)."""
        from .labelled import mean_vectors

        self.pooling_ = "stacked"
        self.frame_ids_ = [frame_ids[j] for j in cols]
        self.mean_, self.scale_ = standardiser(X)
        Z = (X - self.mean_) / self.scale_
        docs = mean_vectors(X, owner, len(Y)).astype(np.float64)
        self.doc_mean_, self.doc_scale_ = standardiser(docs)
        D = (docs - self.doc_mean_) / self.doc_scale_
        dim = X.shape[1]
        width = N_FEATURES * len(cols)
        if not cols:
            self._set_empty(dim)
            return
        folds = _item_folds(Y, self.inner_folds, self.seed)
        oof = np.zeros((len(Y), width))
        for train, test in folds:
            oof[test] = self._features(self._stage_one(Z, D, Y, owner, train, cols), Z, D, owner, test)
        F = _logit(oof)
        self.meta_mean_, self.meta_scale_ = standardiser(F)
        G = (F - self.meta_mean_) / self.meta_scale_
        self.meta_coef_ = np.zeros((len(cols), width))
        self.meta_intercept_ = np.zeros(len(cols))
        self.thresholds_ = np.zeros(len(cols))
        for c, j in enumerate(cols):
            y = Y[:, j]
            meta_oof = np.zeros(len(y))
            for train, test in folds:
                if y[train].all() or not y[train].any():
                    meta_oof[test] = y[train].mean()
                    continue
                meta_oof[test] = logistic(self.C_meta, self.seed).fit(G[train], y[train]).predict_proba(G[test])[:, 1]
            self.thresholds_[c] = best_threshold(meta_oof, y, beta=1.0)[0]
            meta = logistic(self.C_meta, self.seed).fit(G, y)
            self.meta_coef_[c], self.meta_intercept_[c] = meta.coef_[0], float(meta.intercept_[0])
        final = self._stage_one(Z, D, Y, owner, np.arange(len(Y)), cols)
        self.coef_ = np.array([m[0].coef_[0] for m in final]).reshape(len(cols), dim)
        self.intercept_ = np.array([float(m[0].intercept_[0]) for m in final])
        self.doc_coef_ = np.array([m[1].coef_[0] for m in final]).reshape(len(cols), dim)
        self.doc_intercept_ = np.array([float(m[1].intercept_[0]) for m in final])

    def _set_empty(self, dim: int) -> None:
        self.coef_ = self.doc_coef_ = np.zeros((0, dim))
        self.intercept_ = self.doc_intercept_ = self.meta_intercept_ = self.thresholds_ = np.zeros(0)
        self.meta_mean_ = self.meta_scale_ = np.zeros(0)
        self.meta_coef_ = np.zeros((0, 0))

    # -- predicting --------------------------------------------------------------------------------

    def _proba(self, X, owner, n) -> np.ndarray:
        """Stage two's probabilities of the ``n`` documents whose sentences are ``X``."""
        from .labelled import mean_vectors

        k = len(self.frame_ids_)
        if not k:
            return np.zeros((n, 0))
        sent = sigmoid(((X - self.mean_) / self.scale_) @ self.coef_.T + self.intercept_)
        D = (mean_vectors(X, owner, n).astype(np.float64) - self.doc_mean_) / self.doc_scale_
        doc = sigmoid(D @ self.doc_coef_.T + self.doc_intercept_)
        feats = np.zeros((n, N_FEATURES * k))
        for c in range(k):
            feats[:, c * N_FEATURES:c * N_FEATURES + 3] = sentence_features(sent[:, c], owner, n, self.top_k)
            feats[:, c * N_FEATURES + 3] = doc[:, c]
        G = (_logit(feats) - self.meta_mean_) / self.meta_scale_
        return sigmoid(G @ self.meta_coef_.T + self.meta_intercept_)

    def sentence_proba(self, X: np.ndarray) -> np.ndarray:
        """Stage one's probability of each frame for each sentence (evidence), shape (n_sentences, n_frames)."""
        self._check_fitted()
        return sigmoid(((np.asarray(X, dtype=np.float64) - self.mean_) / self.scale_) @ self.coef_.T + self.intercept_)
