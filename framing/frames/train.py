"""Learning frames from coded examples: per-frame logistic regression on embeddings.

``framing frames train CATALOG --labels CODED`` fits, for every frame of the
catalog with enough coded positives and negatives, a logistic regression on
the items' embeddings, with balanced class weights (rare
frames are not drowned by the frequent "no") and the decision threshold that
maximises F1 on out-of-fold predictions of the training data. The model is
saved beside the catalog as ``<catalog>.trained.json``: plain coefficients
with the embedder's identity (no pickle), and ``analyze`` uses it when the
run's embedder is the same; frames without a model keep the anchors.

Coded documents are learned from their sentences (``pooling="sentences"``,
the default for documents; multiple-instance learning): every sentence of a
document takes the document's codes, the regression is fitted on the
sentences, and a document's probability is the mean of its ``top_k`` most
probable sentences (one per ten sentences, at most 3, as for the anchors'
document score). A frame that a document carries in a few passages is then
not averaged away by the rest of the article, and every sentence gets a
probability that can serve as evidence. ``pooling="mean"`` fits on the
normalised mean of the document's sentence embeddings instead. Coded
sentences are learned from their own embedding.

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
    spec: str = ""
    """The ``embedding.model`` that gives this embedder (``use-multilingual``, ...); see :func:`embedder_spec`."""

    def info(self) -> dict:
        """For run.json."""
        return {"path": str(self.path), "level": self.level, "embedder": self.embedder, "model": embedder_spec(self),
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
        threshold, method ("trained"). A model of coded sentences scores each
        sentence and a document takes its most probable sentence (the
        threshold was chosen on sentences); a model of coded documents learned
        from their sentences pools them as in training (:func:`top_k_pool`).
        """
        from .labelled import mean_vectors

        docs = pd.Index(pd.unique(sentences["doc_id"]))
        owner = docs.get_indexer(sentences["doc_id"])
        if self.level == "document" and getattr(self.classifier, "pooling_", "mean") == "mean":
            proba = self.classifier.predict_proba(mean_vectors(vectors, owner, len(docs)))
        elif self.level == "sentence":
            # the threshold was chosen on sentences: a document carries the frame when one of its sentences does
            sent = self.classifier.predict_proba(vectors)
            proba = np.column_stack([top_k_pool(sent[:, j], owner, np.arange(len(docs)), top_k=1)
                                     for j in range(sent.shape[1])]).reshape(len(docs), sent.shape[1])
        else:
            proba = self.classifier.predict_proba(vectors, owner)
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


def working_copy(catalog_path: str | Path, folder: str | Path | None = None) -> tuple[Path, bool]:
    """The catalog file a trained model can be saved beside: never inside the installed package.

    A bundled catalog (one of ``configs/frames``, package data in an
    installation) is copied to ``folder`` (the working folder by default) and
    the copy is returned with ``True``; the model then lives beside the copy,
    and ``analyze --frames ./NAME.yaml`` uses it. A copy already there with
    the same text is reused; one with other text is never overwritten.
    Any other catalog is returned as it is, with ``False``.
    """
    from . import catalog as catalog_module

    path = Path(catalog_path)
    try:
        bundled = path.resolve().parent == Path(catalog_module.CATALOG_DIR).resolve()
    except OSError:
        bundled = False
    if not bundled:
        return path, False
    copy = Path(folder if folder is not None else Path.cwd()) / path.name
    text = path.read_text(encoding="utf-8")
    if copy.exists():
        if copy.read_text(encoding="utf-8") != text:
            raise CatalogError(f"{path.stem} is a bundled catalog, so its trained model is saved beside a copy in "
                               f"the working folder, but {copy} already exists with other content. Train that "
                               f"file (framing frames train {copy} ...) or run from another folder.")
        return copy, True
    try:
        copy.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CatalogError(f"Cannot copy the bundled catalog {path.stem} to {copy}: {exc.strerror}. "
                           "Run from a writable folder.") from None
    return copy, True


def save_trained(trained: TrainedFrames) -> Path:
    """Write the model as JSON beside its catalog (atomically)."""
    from ..store import _atomic_target

    data = {"format": FORMAT_VERSION, "level": trained.level, "embedder": trained.embedder, "dim": trained.dim,
            "embedder_model": embedder_spec(trained), "meta": trained.meta, "model": trained.classifier.to_dict()}
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
        return TrainedFrames(classifier=classifier_from_dict(data["model"]), level=data["level"],
                             embedder=data["embedder"], dim=int(data["dim"]), path=path, meta=data.get("meta") or {},
                             spec=str(data.get("embedder_model") or ""))
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


POOLINGS = ("stacked", "sentences", "mean")
"""How coded documents are learned: see :func:`make_classifier`."""


def make_classifier(pooling: str, level: str, seed: int = 42, C: float | None = None):
    """The classifier ``frames train`` fits for coded items of ``level`` with ``pooling``.

    ``stacked`` (coded documents): :class:`framing.frames.stacked.StackedFrameClassifier`,
    sentence-score distributions and the mean embedding of every frame, stacked;
    ``sentences``: :class:`FrameClassifier` on the documents' sentences, top-k pooled;
    ``mean``: :class:`FrameClassifier` on the documents' mean embeddings.
    Coded sentences always get a :class:`FrameClassifier` on their own embeddings.
    """
    if pooling == "stacked" and level == "document":
        from .stacked import StackedFrameClassifier

        return StackedFrameClassifier(C=DEFAULT_C if C is None else C, seed=seed)
    return FrameClassifier(C=DEFAULT_C if C is None else C, seed=seed)


def classifier_from_dict(data: dict):
    """A classifier saved by ``to_dict``, of the kind it names."""
    if data.get("kind") == "stacked":
        from .stacked import StackedFrameClassifier

        return StackedFrameClassifier.from_dict(data)
    return FrameClassifier.from_dict(data)


def training_matrix(corpus, pooling: str = "sentences") -> tuple[np.ndarray, np.ndarray | None]:
    """The rows a classifier is fitted on, and the item of each row (None: one row per item).

    Coded sentences: their embeddings. Coded documents: their sentences'
    embeddings with ``pooling="sentences"``, the normalised mean of them with
    ``pooling="mean"``.
    """
    if pooling not in POOLINGS:
        raise ValueError(f"The 'pooling' parameter must be one of {', '.join(POOLINGS)}. Got {pooling!r} instead.")
    if corpus.level == "document" and pooling in ("sentences", "stacked"):
        return np.asarray(corpus.vectors), corpus.sentences["item"].to_numpy(dtype=int)
    return corpus.item_vectors(), None


def train_frames(catalog, catalog_path, corpus, gold: list[set], seed: int = 42, C: float = DEFAULT_C,
                 pooling: str = "stacked", labels_file: str | None = None) -> TrainedFrames:
    """Fit the classifier on a prepared labelled corpus and describe it (not yet saved).

    Parameters
    ----------
    catalog : FrameCatalog
    catalog_path : path of the catalog file (the model is saved beside it)
    corpus : LabelledCorpus
    gold : list of set of frame ids, one per item
    pooling : "stacked", "sentences" or "mean"
        How coded documents are learned (see :func:`make_classifier`).
    labels_file : str, optional
        The coded file, recorded so that a message can give the command that trains the catalog again.
    """
    from ..store import utc_now

    ids = [f.id for f in catalog.matchable()]
    X, groups = training_matrix(corpus, pooling)
    Y = np.array([[fid in g for fid in ids] for g in gold], dtype=bool).reshape(len(gold), len(ids))
    classifier = make_classifier(pooling, corpus.level, seed=seed, C=C).fit(X, Y, ids, groups=groups)
    if not classifier.frame_ids_:
        raise CatalogError("No frame has enough coded examples to train on (at least "
                           f"{MIN_CLASS} positives and {MIN_CLASS} negatives each): code more items.")
    meta = {"catalog": catalog.name, "items": len(gold), "positives": {f: int(Y[:, i].sum()) for i, f in enumerate(ids)},
            "created": utc_now()}
    if labels_file:
        meta["labels_file"] = str(labels_file)
    return TrainedFrames(classifier=classifier, level=corpus.level, embedder=corpus.embedder.name,
                         dim=int(corpus.embedder.dim), path=trained_path(catalog_path), meta=meta, spec=corpus.model)



# -- the embedder a trained catalog carries ---------------------------------------------------------

def embedder_spec(trained: TrainedFrames) -> str:
    """The ``embedding.model`` value that loads the embedder a model was trained with.

    Saved with the model since models carry it; for an older file it is read
    from the embedder's name (``use-multilingual-v3@...`` -> ``use-multilingual``).

    >>> embedder_spec(TrainedFrames(None, "document", "hashing-256-v1", 256, Path("x.trained.json"), {}))
    'hashing'
    """
    if trained.spec:
        return trained.spec
    name = trained.embedder
    if name.startswith("use-multilingual"):
        return "use-multilingual"
    if name.startswith("hashing-"):
        return "hashing"
    return name.split("@", 1)[0]


def catalog_of(trained: TrainedFrames) -> str:
    """How a user names the model's catalog on the command line: a bundled catalog by its name, else its path."""
    from . import catalog as catalog_module

    path = trained.path.with_name(trained.path.name[:-len(TRAINED_SUFFIX)] + ".yaml")
    try:
        if path.resolve().parent == Path(catalog_module.CATALOG_DIR).resolve():
            return path.stem
    except OSError:
        pass
    return str(path)


def retrain_command(trained: TrainedFrames, model: str) -> str:
    """The command that trains the catalog of ``trained`` again for the embedder ``model``."""
    labels = trained.meta.get("labels_file") or "YOUR_CODED_FILE"
    level = f" --level {trained.level}" if trained.level else ""
    return f"framing frames train {catalog_of(trained)} --labels {labels}{level} --model {model}"


def trained_for_catalogs(catalog_paths) -> TrainedFrames | None:
    """The trained model beside the first of the catalogs that has one (the one analyze uses), or None."""
    paths = [trained_path(p) for p in catalog_paths if trained_path(p).exists()]
    return load_trained(paths[0]) if paths else None


def _mismatch(trained: TrainedFrames, name: str, model: str, dim: int | None = None) -> CatalogError:
    found = f"'{model}' ({name}{'' if dim is None else f', {dim} dimensions'})"
    return CatalogError(
        f"The catalog {catalog_of(trained)} has a trained model ({trained.path}) fitted on embeddings of "
        f"'{embedder_spec(trained)}' ({trained.embedder}, {trained.dim} dimensions), but this run embeds with "
        f"{found}: the model's coefficients do not apply to another model's vectors. Either leave "
        f"embedding.model at auto (a run then uses the catalog's model), or train the catalog for this model "
        f"first: {retrain_command(trained, model)} (to decide its frames by the anchors alone instead, use a "
        f"copy of the catalog file without the {trained.path.name} beside it)")


def check_trained_embedder(trained: TrainedFrames | None, name: str, model: str, dim: int | None = None) -> None:
    """Raise :class:`CatalogError` (with the command that re-trains) when a run's embedder is not the model's.

    Parameters
    ----------
    trained : TrainedFrames or None (nothing to check)
    name : the run embedder's name (its identity: model, version, weights digest)
    model : the run's ``embedding.model`` (for the re-training command)
    dim : the run embedder's dimension, when known
    """
    if trained is None:
        return
    if name != trained.embedder or (dim is not None and int(dim) != trained.dim):
        raise _mismatch(trained, name, model, dim)


def model_for_trained_catalog(setting: str, catalog_paths, emb_cfg=None) -> tuple[str, str] | None:
    """The embedding model a run must use because one of its catalogs carries a trained model.

    Called before any work. With ``setting == "auto"`` the run uses the
    model's own embedder (returned with the reason, for run.json); with a
    model the user named, that embedder must be the model's, or this raises
    :class:`CatalogError` giving the command that re-trains the catalog for
    the named model. None: no catalog has a trained model (or the named
    model is the model's), and the usual choice applies.

    Parameters
    ----------
    setting : str
        ``embedding.model`` of the run.
    catalog_paths : sequence of path
        The run's catalog files, resolved.
    emb_cfg : EmbeddingConfig, optional

    Raises
    ------
    CatalogError
        A named model that is not the trained model's, or an installed
        version of the model's embedder that differs from the one it was trained with.
    EmbeddingError
        The model's embedder cannot be loaded.
    """
    from ..embed import get_embedder

    trained = trained_for_catalogs(catalog_paths)
    if trained is None:
        return None
    setting = (setting or "auto").strip()
    spec = embedder_spec(trained) if setting == "auto" else setting
    embedder = get_embedder(spec, emb_cfg)
    check_trained_embedder(trained, embedder.name, spec, int(embedder.dim))
    if setting != "auto":
        return None
    return spec, (f"the catalog {catalog_of(trained)} carries a model trained on {spec} embeddings "
                  f"({trained.path.name}), so embedding.model: auto uses that model")
