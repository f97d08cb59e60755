"""Per-frame logistic regressions on embeddings: :class:`FrameClassifier`, and top-k pooling of sentences.

See :mod:`framing.frames.train` for how ``framing frames train`` uses them.

Examples
--------
>>> model = FrameClassifier(seed=1).fit(X, Y, ["conflict", "economic"])   # doctest: +SKIP
>>> model.predict_proba(X).shape                                          # doctest: +SKIP
(428, 2)
"""

from __future__ import annotations

import numpy as np

from .calibrate import best_threshold
# the shared base and helpers live in frame_model; their names stay importable from here
from .frame_model import MIN_CLASS, FrameModel, logistic, one_thread, sigmoid, standardiser  # noqa: F401

DEFAULT_C = 0.01
"""Strong regularisation: a few hundred coded items against hundreds of embedding dimensions."""
TOP_K = 3
"""A document's probability: the mean of its most probable sentences, one per ten sentences and at most this many."""
SENTENCES_PER_TOP = 10


def top_k_pool(proba: np.ndarray, owner: np.ndarray, items: np.ndarray, top_k: int = TOP_K) -> np.ndarray:
    """Pool sentence probabilities into document probabilities.

    Each item's probability is the mean of its ``k`` most probable rows, with
    ``k = min(top_k, ceil(rows / 10))`` (at least 1); an item without rows gets 0.

    Examples
    --------
    >>> top_k_pool(np.array([0.9, 0.1, 0.3]), np.array([0, 0, 1]), np.array([0, 1, 2]))
    array([0.9, 0.3, 0. ])
    """
    proba = np.asarray(proba, dtype=np.float64)
    owner = np.asarray(owner, dtype=int)
    out = np.zeros(len(items))
    if not len(proba):
        return out
    order = np.lexsort((-proba, owner))
    o, p = owner[order], proba[order]
    starts = np.r_[0, np.flatnonzero(np.diff(o)) + 1]
    ends = np.r_[starts[1:], len(o)]
    pos = {int(item): i for i, item in enumerate(items)}
    for a, b in zip(starts, ends):
        i = pos.get(int(o[a]))
        if i is None:
            continue
        k = max(1, min(top_k, -(-(b - a) // SENTENCES_PER_TOP)))
        out[i] = p[a:a + k].mean()
    return out


def _logistic(C: float, seed: int):
    return logistic(C, seed)


def _folds(y: np.ndarray, n_splits: int, seed: int):
    from sklearn.model_selection import StratifiedKFold

    k = int(min(n_splits, y.sum(), (~y).sum()))
    return StratifiedKFold(n_splits=max(k, 2), shuffle=True, random_state=seed).split(np.zeros(len(y)), y)


class FrameClassifier(FrameModel):
    """One logistic regression per frame on standardised embeddings (scikit-learn contract).

    Parameters
    ----------
    C : float
        Inverse regularisation strength of each regression.
    inner_folds : int
        Folds of the out-of-fold predictions that choose each frame's threshold.
    seed : int

    Attributes
    ----------
    frame_ids_ : list of str
        Frames with a model (enough coded positives and negatives).
    mean_, scale_ : ndarray of shape (dim,)
    coef_ : ndarray of shape (n_frames, dim)
    intercept_, thresholds_ : ndarray of shape (n_frames,)
    skipped_ : dict of str to str
        Frames without a model, with the reason.
    """

    NEEDS_GROUPS = False
    ARRAYS = ("mean_", "scale_", "intercept_", "thresholds_")
    MATRICES = {"coef_": "mean_"}

    def __init__(self, C: float = DEFAULT_C, inner_folds: int = 5, seed: int = 42, top_k: int = TOP_K):
        self.C = C
        self.inner_folds = inner_folds
        self.seed = seed
        self.top_k = top_k

    def _fit_predict(self, Z, y_rows, train_items, test_items, owner):
        """Fit on the rows of ``train_items`` and return the pooled probabilities of ``test_items``."""
        rows_tr = np.isin(owner, train_items) if owner is not None else train_items
        y_tr = y_rows[rows_tr]
        if y_tr.all() or not y_tr.any():
            return np.full(len(test_items), float(y_tr.mean()) if len(y_tr) else 0.0)
        model = _logistic(self.C, self.seed).fit(Z[rows_tr], y_tr)
        if owner is None:
            return model.predict_proba(Z[test_items])[:, 1]
        rows_te = np.isin(owner, test_items)
        return top_k_pool(model.predict_proba(Z[rows_te])[:, 1], owner[rows_te], test_items, self.top_k)

    def _fit(self, X, Y, owner, cols, frame_ids) -> None:
        """The frames' regressions, on items or (with ``owner``) on the sentences of coded documents.

        With ``owner`` every sentence takes its document's codes (multiple-instance
        learning) and thresholds are chosen on the documents' pooled probabilities.
        """
        self.pooling_ = "mean" if owner is None else "sentences"
        self.mean_, self.scale_ = standardiser(X)
        Z = (X - self.mean_) / self.scale_
        coefs, intercepts, thresholds = [], [], []
        for j in cols:
            y = Y[:, j]
            y_rows = y if owner is None else y[owner]
            oof = np.zeros(len(y))
            for train, test in _folds(y, self.inner_folds, self.seed):
                oof[test] = self._fit_predict(Z, y_rows, train, test, owner)
            model = _logistic(self.C, self.seed).fit(Z, y_rows)
            coefs.append(model.coef_[0])
            intercepts.append(float(model.intercept_[0]))
            thresholds.append(float(best_threshold(oof, y, beta=1.0)[0]))
        self.frame_ids_ = [frame_ids[j] for j in cols]
        self.coef_ = np.asarray(coefs).reshape(len(cols), X.shape[1])
        self.intercept_ = np.asarray(intercepts, dtype=np.float64)
        self.thresholds_ = np.asarray(thresholds, dtype=np.float64)

    def predict_proba(self, X: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
        """Probability of each frame.

        Parameters
        ----------
        X : ndarray of shape (n_rows, dim)
        groups : ndarray of shape (n_rows,) of int, optional
            Item index of each row: the probabilities of an item's rows are
            pooled (mean of its ``top_k`` most probable rows, one per ten rows).

        Returns
        -------
        ndarray of shape (n_rows, n_frames), or (n_items, n_frames) with
        ``groups`` (items ``0 .. groups.max()``), columns in ``frame_ids_`` order.
        """
        return super().predict_proba(X, groups)

    def _proba(self, X, owner, n) -> np.ndarray:
        proba = sigmoid(((X - self.mean_) / self.scale_) @ self.coef_.T + self.intercept_[None, :])
        if owner is None:
            return proba
        items = np.arange(n)
        return np.column_stack([top_k_pool(proba[:, j], owner, items, self.top_k) for j in range(proba.shape[1])]
                               ).reshape(n, proba.shape[1])

    def to_dict(self) -> dict:
        """The model in its long-standing saved form: one entry per frame (``{"frames": {id: {coef, ...}}}``)."""
        flat = super().to_dict()
        ids = flat.pop("frame_ids")
        coef, intercept, thresholds = flat.pop("coef"), flat.pop("intercept"), flat.pop("thresholds")
        flat["frames"] = {fid: {"coef": coef[i], "intercept": intercept[i], "threshold": thresholds[i]}
                          for i, fid in enumerate(ids)}
        return flat

    @classmethod
    def from_dict(cls, data: dict) -> FrameClassifier:
        """A model saved by :meth:`to_dict`, also in the form of earlier versions (one entry per frame)."""
        if "frames" in data:
            frames = data["frames"]
            data = {**data, "frame_ids": list(frames), **{key: [frames[f][key] for f in frames]
                                                          for key in ("coef", "intercept", "threshold")}}
            data["thresholds"] = data.pop("threshold")
        model = super().from_dict(data)
        model.pooling_ = str(data.get("pooling") or "mean")
        return model
