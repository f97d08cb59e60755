"""Learning frames from coded examples: per-frame logistic regression on embeddings.

``framing frames train CATALOG --labels CODED`` fits, for every frame of the
catalog with enough coded positives and negatives, a logistic regression on
the items' embeddings (a document: the normalised mean of its sentence
embeddings; a sentence: its embedding), with balanced class weights (rare
frames are not drowned by the frequent "no") and the decision threshold that
maximises F1 on out-of-fold predictions of the training data. The model is
saved beside the catalog as ``<catalog>.trained.json``: plain coefficients
with the embedder's identity (no pickle), and ``analyze`` uses it when the
run's embedder is the same; frames without a model keep the anchors.

Examples
--------
>>> model = FrameClassifier(seed=1).fit(X, Y, ["conflict", "economic"])   # doctest: +SKIP
>>> model.predict_proba(X).shape                                          # doctest: +SKIP
(428, 2)
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CatalogError, FrameWarning, NotFittedError
from .calibrate import best_threshold

TRAINED_SUFFIX = ".trained.json"
MIN_CLASS = 3
DEFAULT_C = 0.01
"""Strong regularisation: a few hundred coded items against hundreds of embedding dimensions."""
FORMAT_VERSION = 1


def _logistic(C: float, seed: int):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=seed)


def _folds(y: np.ndarray, n_splits: int, seed: int):
    from sklearn.model_selection import StratifiedKFold

    k = int(min(n_splits, y.sum(), (~y).sum()))
    return StratifiedKFold(n_splits=max(k, 2), shuffle=True, random_state=seed).split(np.zeros(len(y)), y)


class FrameClassifier:
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

    def __init__(self, C: float = DEFAULT_C, inner_folds: int = 5, seed: int = 42):
        self.C = C
        self.inner_folds = inner_folds
        self.seed = seed

    def fit(self, X: np.ndarray, Y: np.ndarray, frame_ids: list[str]) -> FrameClassifier:
        """Fit the frames' regressions.

        Parameters
        ----------
        X : ndarray of shape (n_items, dim)
        Y : ndarray of shape (n_items, n_frames) of bool
        frame_ids : list of str, length n_frames
        """
        X = np.asarray(X, dtype=np.float64)
        Y = np.asarray(Y, dtype=bool)
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
            oof = np.zeros(len(y))
            for train, test in _folds(y, self.inner_folds, self.seed):
                if y[train].all() or not y[train].any():
                    oof[test] = y[train].mean()
                    continue
                oof[test] = _logistic(self.C, self.seed).fit(Z[train], y[train]).predict_proba(Z[test])[:, 1]
            threshold, _ = best_threshold(oof, y, beta=1.0)
            model = _logistic(self.C, self.seed).fit(Z, y)
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

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probability of each frame.

        Returns
        -------
        ndarray of shape (n_items, n_frames), columns in ``frame_ids_`` order.
        """
        self._check_fitted()
        Z = (np.asarray(X, dtype=np.float64) - self.mean_) / self.scale_
        return 1.0 / (1.0 + np.exp(-(Z @ self.coef_.T + self.intercept_[None, :])))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Decisions (probability >= the frame's threshold), shape (n_items, n_frames)."""
        return self.predict_proba(X) >= self.thresholds_[None, :]

    def to_dict(self) -> dict:
        self._check_fitted()
        return {"C": self.C, "inner_folds": self.inner_folds, "seed": self.seed, "mean": self.mean_.tolist(),
                "scale": self.scale_.tolist(), "skipped": self.skipped_,
                "frames": {fid: {"coef": self.coef_[i].tolist(), "intercept": float(self.intercept_[i]),
                                 "threshold": float(self.thresholds_[i])} for i, fid in enumerate(self.frame_ids_)}}

    @classmethod
    def from_dict(cls, data: dict) -> FrameClassifier:
        model = cls(C=data["C"], inner_folds=data["inner_folds"], seed=data["seed"])
        model.mean_ = np.asarray(data["mean"], dtype=np.float64)
        model.scale_ = np.asarray(data["scale"], dtype=np.float64)
        model.skipped_ = dict(data.get("skipped") or {})
        model.frame_ids_ = list(data["frames"])
        dim = len(model.mean_)
        model.coef_ = np.asarray([data["frames"][f]["coef"] for f in model.frame_ids_], dtype=np.float64).reshape(-1, dim)
        model.intercept_ = np.asarray([data["frames"][f]["intercept"] for f in model.frame_ids_], dtype=np.float64)
        model.thresholds_ = np.asarray([data["frames"][f]["threshold"] for f in model.frame_ids_], dtype=np.float64)
        return model


@dataclass(frozen=True)
class TrainedFrames:
    """A trained model of a catalog, as saved beside it.

    classifier : FrameClassifier
    level : "document" or "sentence" (what the coded items were)
    embedder : the embedder's name (its identity in the cache); dim : its dimension
    path : where it was read from or written to
    meta : catalog, labels file, items, positives per frame, created
    """

    classifier: FrameClassifier
    level: str
    embedder: str
    dim: int
    path: Path
    meta: dict

    def info(self) -> dict:
        """For run.json."""
        return {"path": str(self.path), "level": self.level, "embedder": self.embedder,
                "frames": list(self.classifier.frame_ids_), "skipped": self.classifier.skipped_, **self.meta}

    def predict_documents(self, sentences: pd.DataFrame, vectors: np.ndarray) -> pd.DataFrame:
        """Decisions for every document and trained frame.

        Parameters
        ----------
        sentences : DataFrame with doc_id (the scored, non-fragment sentences)
        vectors : ndarray of shape (len(sentences), dim)

        Returns
        -------
        DataFrame with doc_id, frame_id, score (probability), matched, confidence,
        threshold, method ("trained"). A sentence-level model scores each
        sentence and a document takes the mean of its 3 most probable sentences.
        """
        from .labelled import mean_vectors

        docs = pd.Index(pd.unique(sentences["doc_id"]))
        owner = docs.get_indexer(sentences["doc_id"])
        if self.level == "document":
            proba = self.classifier.predict_proba(mean_vectors(vectors, owner, len(docs)))
        else:
            sent = self.classifier.predict_proba(vectors)
            proba = np.zeros((len(docs), sent.shape[1]))
            for j in range(sent.shape[1]):
                top = pd.DataFrame({"d": owner, "p": sent[:, j]}).groupby("d")["p"].apply(
                    lambda v: np.sort(v.to_numpy())[::-1][:3].mean())
                proba[top.index.to_numpy(), j] = top.to_numpy()
        rows = []
        for j, fid in enumerate(self.classifier.frame_ids_):
            thr = float(self.classifier.thresholds_[j])
            p = proba[:, j]
            rows.append(pd.DataFrame({"doc_id": docs, "frame_id": fid, "score": p, "matched": p >= thr,
                                      "confidence": np.where(p >= thr, p, 1 - p), "threshold": thr,
                                      "method": "trained"}))
        return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
            columns=["doc_id", "frame_id", "score", "matched", "confidence", "threshold", "method"])


def trained_path(catalog_path: str | Path) -> Path:
    """Where the trained model of a catalog file lives: beside it, ``<stem>.trained.json``."""
    p = Path(catalog_path)
    return p.with_name(p.stem + TRAINED_SUFFIX)


def save_trained(trained: TrainedFrames) -> Path:
    """Write the model as JSON beside its catalog (atomically)."""
    from ..store import _atomic_target

    data = {"format": FORMAT_VERSION, "level": trained.level, "embedder": trained.embedder, "dim": trained.dim,
            "meta": trained.meta, "model": trained.classifier.to_dict()}
    try:
        with _atomic_target(trained.path) as tmp:
            tmp.write_text(json.dumps(data), encoding="utf-8")
    except OSError as exc:
        raise CatalogError(f"Cannot write the trained model {trained.path}: {exc.strerror}. "
                           "Copy the catalog to a writable folder and train that copy.") from None
    return trained.path


def load_trained(path: str | Path) -> TrainedFrames:
    """Read a model written by :func:`save_trained`."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return TrainedFrames(classifier=FrameClassifier.from_dict(data["model"]), level=data["level"],
                             embedder=data["embedder"], dim=int(data["dim"]), path=path, meta=data.get("meta") or {})
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogError(f"Trained model {path} cannot be read ({exc}); train it again with "
                           "`framing frames train`, or delete it to use the anchors.") from None


def load_trained_for(catalog_paths, embedder, say=lambda _m: None) -> TrainedFrames | None:
    """The trained model beside the (single) catalog, when it was trained with this embedder.

    A model trained with another embedder cannot be used (its coefficients
    live in another space): analyze says so and keeps the anchors.
    """
    paths = [trained_path(p) for p in catalog_paths if trained_path(p).exists()]
    if not paths:
        return None
    if len(paths) > 1:
        warnings.warn("Several catalogs have trained models; only the first is used "
                      f"({paths[0]}).", FrameWarning, stacklevel=2)
    trained = load_trained(paths[0])
    if trained.embedder != embedder.name or trained.dim != int(embedder.dim):
        warnings.warn(f"The trained model {paths[0]} was fitted on embeddings of '{trained.embedder}' but this run "
                      f"uses '{embedder.name}'; its frames are decided by the anchors. Train it again with "
                      "this run's model (--model) to use it.", FrameWarning, stacklevel=2)
        return None
    say(f"Using the trained model {paths[0]} ({trained.level} level) for "
        f"{', '.join(trained.classifier.frame_ids_)}; other frames use the anchors.")
    return trained


def train_frames(catalog, catalog_path, corpus, gold: list[set], seed: int = 42, C: float = DEFAULT_C) -> TrainedFrames:
    """Fit the classifier on a prepared labelled corpus and describe it (not yet saved).

    Parameters
    ----------
    catalog : FrameCatalog
    catalog_path : path of the catalog file (the model is saved beside it)
    corpus : LabelledCorpus
    gold : list of set of frame ids, one per item
    """
    from ..store import utc_now

    ids = [f.id for f in catalog.matchable()]
    X = corpus.item_vectors()
    Y = np.array([[fid in g for fid in ids] for g in gold], dtype=bool).reshape(len(gold), len(ids))
    classifier = FrameClassifier(C=C, seed=seed).fit(X, Y, ids)
    if not classifier.frame_ids_:
        raise CatalogError("No frame has enough coded examples to train on (at least "
                           f"{MIN_CLASS} positives and {MIN_CLASS} negatives each): code more items.")
    meta = {"catalog": catalog.name, "items": len(gold), "positives": {f: int(Y[:, i].sum()) for i, f in enumerate(ids)},
            "created": utc_now()}
    return TrainedFrames(classifier=classifier, level=corpus.level, embedder=corpus.embedder.name,
                         dim=int(corpus.embedder.dim), path=trained_path(catalog_path), meta=meta)
