"""What every frame classifier shares: :class:`FrameModel`, the base of the three of them.

:class:`framing.frames.classifier.FrameClassifier`,
:class:`framing.frames.stacked.StackedFrameClassifier` and
:class:`framing.frames.pooled.PooledFrameClassifier` differ in what they learn
from; the rest lives here once: the checks of ``fit``'s arguments, which
frames have enough coded examples, the one-thread fit, the standardisation,
decisions from thresholds, and the plain-JSON form a model is saved in (no
pickle: a model file may come from someone else).

A subclass implements ``_fit(X, Y, owner, cols, frame_ids)`` and
``_proba(X, owner, n)``, and names what it saves in ``ARRAYS`` (vectors) and
``MATRICES`` (2-d arrays, each with the vector whose length is its width).

Examples
--------
>>> logistic(0.1, seed=1).C
0.1
>>> mean, scale = standardiser(np.array([[1.0, 5.0], [3.0, 5.0]]))
>>> mean.tolist(), scale.tolist()
([2.0, 5.0], [1.0, 1.0])
"""

from __future__ import annotations

import functools
from typing import ClassVar

import numpy as np

from ..errors import NotFittedError
from ..estimators import Estimator, fit_succeeds_or_leaves_nothing

MIN_CLASS = 3
"""Coded positives and negatives a frame needs (each) to get a model."""


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


def logistic(C: float, seed: int, max_iter: int = 2000):
    """The regression every frame model fits: balanced class weights (rare frames are not drowned by "no")."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=max_iter, random_state=seed)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def standardiser(F: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column means and standard deviations (1 where a column is constant), to standardise ``F`` and new rows."""
    std = F.std(axis=0)
    return F.mean(axis=0), np.where(std > 1e-12, std, 1.0)


class FrameModel(Estimator):
    """The base of the frame classifiers (scikit-learn contract): fit, decide, save, load.

    Attributes (of every fitted subclass)
    -------------------------------------
    frame_ids_ : list of str
        Frames with a model (at least ``MIN_CLASS`` coded positives and negatives).
    thresholds_ : ndarray of shape (n_frames,)
        A frame is decided where its probability reaches its threshold.
    skipped_ : dict of str to str
        Frames without a model, with the reason.
    pooling_ : str
        How the model reads a document (saved with it).
    """

    KIND: ClassVar[str | None] = None
    """The ``kind`` written in the saved form (None: the oldest form, without one)."""
    NEEDS_GROUPS: ClassVar[bool] = True
    """Whether the model decides documents from their sentences (``groups`` required)."""
    ARRAYS: ClassVar[tuple[str, ...]] = ()
    MATRICES: ClassVar[dict[str, str]] = {}
    DECIMALS: ClassVar[int | None] = None
    """Rounding of the saved arrays (None: exact)."""
    UNSAVED_PARAMS: ClassVar[tuple[str, ...]] = ()
    """Constructor arguments not written by :meth:`to_dict` (a subclass saves what it learned from them)."""

    # -- fitting -----------------------------------------------------------------------------------

    @fit_succeeds_or_leaves_nothing
    @one_thread
    def fit(self, X: np.ndarray, Y: np.ndarray, frame_ids: list[str], groups: np.ndarray | None = None):
        """Fit every frame with enough coded examples; the others are listed in ``skipped_``.

        Parameters
        ----------
        X : ndarray of shape (n_sentences, dim), or (n_items, dim) without ``groups``
        Y : ndarray of shape (n_items, n_frames) of bool
        frame_ids : list of str, length n_frames
        groups : ndarray of shape (n_sentences,) of int
            The item (row of ``Y``) of each row of ``X``: the sentences of coded documents.

        Returns
        -------
        self
        """
        X = np.asarray(X, dtype=np.float64)
        Y = np.asarray(Y, dtype=bool).reshape(len(Y), -1)
        owner = self._owner(X, len(Y), groups)
        cols = self._frames_with_data(Y, frame_ids)
        self._fit(X, Y, owner, cols, frame_ids)
        return self

    def _owner(self, X: np.ndarray, n_items: int, groups) -> np.ndarray | None:
        if groups is None:
            if self.NEEDS_GROUPS:
                raise ValueError(f"A {type(self).__name__} decides documents: pass groups (the document of each "
                                 "sentence).")
            return None
        owner = np.asarray(groups, dtype=int)
        if len(owner) != len(X) or owner.min(initial=0) < 0 or owner.max(initial=-1) >= n_items:
            raise ValueError(f"groups must give, for each of the {len(X)} rows of X, an item index below {n_items}.")
        return owner

    def _frames_with_data(self, Y: np.ndarray, frame_ids: list[str]) -> list[int]:
        """The columns of ``Y`` with enough positives and negatives; sets ``skipped_`` for the others."""
        self.skipped_, cols = {}, []
        for j, fid in enumerate(frame_ids):
            pos = int(Y[:, j].sum())
            if pos < MIN_CLASS or len(Y) - pos < MIN_CLASS:
                self.skipped_[fid] = (f"{pos} coded positives and {len(Y) - pos} negatives; "
                                      f"at least {MIN_CLASS} of each are needed")
            else:
                cols.append(j)
        return cols

    def _fit(self, X, Y, owner, cols, frame_ids) -> None:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    # -- deciding ----------------------------------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "thresholds_"):
            raise NotFittedError(f"This {type(self).__name__} is not fitted yet. Call fit() before predict_proba().")

    def predict_proba(self, X: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
        """Probability of each frame for each document.

        Parameters
        ----------
        X : ndarray of shape (n_sentences, dim)
        groups : ndarray of shape (n_sentences,) of int
            Document index of each sentence (documents ``0 .. groups.max()``).

        Returns
        -------
        ndarray of shape (n_documents, n_frames), columns in ``frame_ids_`` order.
        """
        self._check_fitted()
        X = np.asarray(X, dtype=np.float64)
        owner = self._owner(X, len(X) if groups is None else int(np.max(groups, initial=-1)) + 1, groups)
        n = len(X) if owner is None else int(owner.max(initial=-1)) + 1
        return self._proba(X, owner, n)

    def _proba(self, X, owner, n) -> np.ndarray:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    def predict(self, X: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
        """Decisions (probability >= the frame's threshold), shape (n_documents, n_frames)."""
        return self.predict_proba(X, groups) >= self.thresholds_[None, :]

    # -- saving ------------------------------------------------------------------------------------

    def to_dict(self) -> dict:
        """The model as plain JSON-able data; :meth:`from_dict` (or ``trained.classifier_from_dict``) reads it."""
        self._check_fitted()
        out = {} if self.KIND is None else {"kind": self.KIND}
        out.update({name: list(v) if isinstance(v, tuple) else v for name, v in self.get_params().items()
                    if name not in self.UNSAVED_PARAMS})
        out.update({"pooling": self.pooling_, "skipped": dict(self.skipped_), "frame_ids": list(self.frame_ids_)})
        for name in self.ARRAYS + tuple(self.MATRICES):
            value = np.asarray(getattr(self, name), dtype=np.float64)
            out[name.rstrip("_")] = (value if self.DECIMALS is None else np.round(value, self.DECIMALS)).tolist()
        return out

    @classmethod
    def from_dict(cls, data: dict):
        """A model saved by :meth:`to_dict`."""
        params = {name: tuple(data[name]) if isinstance(data[name], list) else data[name]
                  for name in cls._param_names() if name in data and name not in cls.UNSAVED_PARAMS}
        model = cls(**params)
        model.pooling_ = str(data.get("pooling") or cls.KIND)
        model.skipped_ = dict(data.get("skipped") or {})
        model.frame_ids_ = list(data["frame_ids"])
        for name in cls.ARRAYS:
            setattr(model, name, np.asarray(data[name.rstrip("_")], dtype=np.float64))
        for name, width_of in cls.MATRICES.items():
            width = len(getattr(model, width_of))
            value = np.asarray(data[name.rstrip("_")], dtype=np.float64)
            setattr(model, name, value.reshape(len(model.frame_ids_), width))
        return model
