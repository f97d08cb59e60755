"""Per-frame logistic regressions on embeddings: :class:`FrameClassifier`, and top-k pooling of sentences.

See :mod:`framing.frames.train` for how ``framing frames train`` uses them.

Examples
--------
>>> model = FrameClassifier(seed=1).fit(X, Y, ["conflict", "economic"])   # doctest: +SKIP
>>> model.predict_proba(X).shape                                          # doctest: +SKIP
(428, 2)
"""

from __future__ import annotations

import functools

import numpy as np

from ..errors import NotFittedError
from ..estimators import Estimator, fit_succeeds_or_leaves_nothing
from .calibrate import best_threshold

MIN_CLASS = 3
DEFAULT_C = 0.01
"""Strong regularisation: a few hundred coded items against hundreds of embedding dimensions."""
TOP_K = 3
"""A document's probability: the mean of its most probable sentences, one per ten sentences and at most this many."""
SENTENCES_PER_TOP = 10


def one_thread(fit):
    """Run ``fit`` with the BLAS and OpenMP pools held to one thread.

    The regressions of a frame model are small (hundreds of rows): threads
    only add overhead, and on a shared machine they spin against each other.
    Measured on climate-frames (one stacked fit, 340 documents, machine at load
    ~17 on 2 cores): 7 s CPU with one thread, 46 s CPU (4x the wall time) with
    the default pools.
    """

    @functools.wraps(fit)
    def wrapper(*args, **kwargs):
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return fit(*args, **kwargs)

    return wrapper


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
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=seed)


def _folds(y: np.ndarray, n_splits: int, seed: int):
    from sklearn.model_selection import StratifiedKFold

    k = int(min(n_splits, y.sum(), (~y).sum()))
    return StratifiedKFold(n_splits=max(k, 2), shuffle=True, random_state=seed).split(np.zeros(len(y)), y)


class FrameClassifier(Estimator):
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

    @fit_succeeds_or_leaves_nothing
    @one_thread
    def fit(self, X: np.ndarray, Y: np.ndarray, frame_ids: list[str], groups: np.ndarray | None = None) -> FrameClassifier:
        """Fit the frames' regressions.

        Parameters
        ----------
        X : ndarray of shape (n_items, dim), or (n_sentences, dim) with ``groups``
        Y : ndarray of shape (n_items, n_frames) of bool
        frame_ids : list of str, length n_frames
        groups : ndarray of shape (n_sentences,) of int, optional
            The item (row of ``Y``) each row of ``X`` belongs to: the
            sentences of coded documents (multiple-instance learning; see
            the module's docstring). Thresholds are then chosen on the
            documents' pooled probabilities.
        """
        X = np.asarray(X, dtype=np.float64)
        Y = np.asarray(Y, dtype=bool)
        owner = None if groups is None else np.asarray(groups, dtype=int)
        if owner is not None and (len(owner) != len(X) or owner.min(initial=0) < 0 or owner.max(initial=-1) >= len(Y)):
            raise ValueError(f"groups must give, for each of the {len(X)} rows of X, an item index below {len(Y)}.")
        self.pooling_ = "mean" if owner is None else "sentences"
        self.mean_ = X.mean(axis=0)
        self.scale_ = np.where(X.std(axis=0) > 1e-12, X.std(axis=0), 1.0)
        Z = (X - self.mean_) / self.scale_
        ids, coefs, intercepts, thresholds, self.skipped_ = [], [], [], [], {}
        for j, fid in enumerate(frame_ids):
            y = Y[:, j]
            if y.sum() < MIN_CLASS or (~y).sum() < MIN_CLASS:
                self.skipped_[fid] = (f"{int(y.sum())} coded positives and {int((~y).sum())} negatives; "
                                      f"at least {MIN_CLASS} of each are needed")
                continue
            y_rows = y if owner is None else y[owner]
            oof = np.zeros(len(y))
            for train, test in _folds(y, self.inner_folds, self.seed):
                oof[test] = self._fit_predict(Z, y_rows, train, test, owner)
            threshold, _ = best_threshold(oof, y, beta=1.0)
            model = _logistic(self.C, self.seed).fit(Z, y_rows)
            ids.append(fid)
            coefs.append(model.coef_[0])
            intercepts.append(float(model.intercept_[0]))
            thresholds.append(float(threshold))
        self.frame_ids_ = ids
        dim = X.shape[1]
        self.coef_ = np.asarray(coefs).reshape(len(ids), dim)
        self.intercept_ = np.asarray(intercepts, dtype=np.float64)
        self.thresholds_ = np.asarray(thresholds, dtype=np.float64)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError("This FrameClassifier is not fitted yet. Call fit() before predict_proba().")

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
        self._check_fitted()
        Z = (np.asarray(X, dtype=np.float64) - self.mean_) / self.scale_
        proba = 1.0 / (1.0 + np.exp(-(Z @ self.coef_.T + self.intercept_[None, :])))
        if groups is None:
            return proba
        owner = np.asarray(groups, dtype=int)
        items = np.arange(owner.max(initial=-1) + 1)
        return np.column_stack([top_k_pool(proba[:, j], owner, items, self.top_k) for j in range(proba.shape[1])]
                               ).reshape(len(items), proba.shape[1])

    def predict(self, X: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
        """Decisions (probability >= the frame's threshold), shape (n_items, n_frames)."""
        return self.predict_proba(X, groups) >= self.thresholds_[None, :]

    def to_dict(self) -> dict:
        self._check_fitted()
        return {"C": self.C, "inner_folds": self.inner_folds, "seed": self.seed, "top_k": self.top_k,
                "pooling": getattr(self, "pooling_", "mean"), "mean": self.mean_.tolist(),
                "scale": self.scale_.tolist(), "skipped": self.skipped_,
                "frames": {fid: {"coef": self.coef_[i].tolist(), "intercept": float(self.intercept_[i]),
                                 "threshold": float(self.thresholds_[i])} for i, fid in enumerate(self.frame_ids_)}}

    @classmethod
    def from_dict(cls, data: dict) -> FrameClassifier:
        model = cls(C=data["C"], inner_folds=data["inner_folds"], seed=data["seed"], top_k=int(data.get("top_k", TOP_K)))
        model.pooling_ = data.get("pooling", "mean")
        model.mean_ = np.asarray(data["mean"], dtype=np.float64)
        model.scale_ = np.asarray(data["scale"], dtype=np.float64)
        model.skipped_ = dict(data.get("skipped") or {})
        model.frame_ids_ = list(data["frames"])
        dim = len(model.mean_)
        model.coef_ = np.asarray([data["frames"][f]["coef"] for f in model.frame_ids_], dtype=np.float64).reshape(-1, dim)
        model.intercept_ = np.asarray([data["frames"][f]["intercept"] for f in model.frame_ids_], dtype=np.float64)
        model.thresholds_ = np.asarray([data["frames"][f]["threshold"] for f in model.frame_ids_], dtype=np.float64)
        return model
