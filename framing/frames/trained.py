"""A trained model of a catalog: :class:`TrainedFrames`, its file beside the catalog, and the embedder it carries.

The model is saved as ``<catalog>.trained.json``: plain coefficients with the
embedder's identity (no pickle). A run whose catalog carries a model embeds
with that model's embedder, or stops before any work with the command that
trains the catalog again for the run's model.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CatalogError, FrameWarning
from .classifier import FrameClassifier, top_k_pool

TRAINED_SUFFIX = ".trained.json"
FORMAT_VERSION = 1


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


def working_copy(catalog_path: str | Path, folder: str | Path | None = None, catalog_dir: str | Path | None = None,
                 command: str = "framing frames train") -> tuple[Path, bool]:
    """The catalog file a trained model can be saved beside: never inside the installed package.

    A bundled catalog (one of ``configs/frames``, package data in an
    installation) is copied to ``folder`` (the working folder by default) and
    the copy is returned with ``True``; the model then lives beside the copy,
    and ``analyze --frames ./NAME.yaml`` uses it. A copy already there with
    the same text is reused; one with other text is never overwritten.
    Any other catalog is returned as it is, with ``False``. ``catalog_dir`` is the folder of the bundled
    catalogs (the frame catalogs' by default; the technique catalogs pass theirs) and ``command`` the
    command the error message suggests.
    """
    from . import catalog as catalog_module

    path = Path(catalog_path)
    try:
        bundled = path.resolve().parent == Path(catalog_dir or catalog_module.CATALOG_DIR).resolve()
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
                               f"file ({command} {copy} ...) or run from another folder.")
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
            tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
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
    catalogs = [p for p in catalog_paths if trained_path(p).exists()]
    paths = [trained_path(p) for p in catalogs]
    if not paths:
        return None
    if len(paths) > 1:
        warnings.warn("Several catalogs have trained models; only the first is used "
                      f"({paths[0]}).", FrameWarning, stacklevel=2)
    trained = load_trained(paths[0])
    warn_if_prior_changed(trained, catalogs[0])
    if trained.embedder != embedder.name or trained.dim != int(embedder.dim):
        warnings.warn(f"The trained model {paths[0]} was fitted on embeddings of '{trained.embedder}' but this run "
                      f"uses '{embedder.name}'; its frames are decided by the anchors. Train it again with "
                      "this run's model (--model) to use it.", FrameWarning, stacklevel=2)
        return None
    say(f"Using the trained model {paths[0]} ({trained.level} level) for "
        f"{', '.join(trained.classifier.frame_ids_)}; other frames use the anchors.")
    return trained


def warn_if_prior_changed(trained: TrainedFrames, catalog_path) -> bool:
    """Warn (:class:`FrameWarning`) when the catalog's anchors are not those the model learned its prior from.

    The model keeps the anchor vectors it was trained with (a decision does not
    move when the catalog is edited), so it still works; but it no longer
    reflects the catalog as it reads now. Returns whether it warned.
    """
    from .catalog import load_catalog
    from .prior import anchor_fingerprint

    saved = getattr(trained.classifier, "prior_fingerprint_", "")
    if not saved:
        return False
    if anchor_fingerprint(load_catalog(catalog_path), trained.embedder) == saved:
        return False
    warnings.warn(f"The catalog {catalog_of(trained)} has other frames or anchors than when its trained model "
                  f"{trained.path} was fitted; the model still decides with the anchors it learned from. "
                  f"To learn from the catalog as it is now, train it again: "
                  f"{retrain_command(trained, embedder_spec(trained))}", FrameWarning, stacklevel=3)
    return True


def classifier_from_dict(data: dict):
    """A classifier saved by ``to_dict``, of the kind it names."""
    if data.get("kind") == "pooled":
        from .pooled import PooledFrameClassifier

        return PooledFrameClassifier.from_dict(data)
    if data.get("kind") == "stacked":
        from .stacked import StackedFrameClassifier

        return StackedFrameClassifier.from_dict(data)
    return FrameClassifier.from_dict(data)



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
