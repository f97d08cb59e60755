"""Saving and reading a trained technique model: NumPy arrays and a JSON header in one ``.npz``, no pickle.

The file lives beside its catalog (``<stem>.techniques.npz``). Format 2 adds
the sentence gate (:class:`~framing.techniques.gate.PropagandaGate`); a file
of format 1 is refused with the command that trains it again.

Examples
--------
>>> model_path("work/propaganda.yaml").name
'propaganda.techniques.npz'
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..errors import CatalogError

FORMAT = 2
MODEL_SUFFIX = ".techniques.npz"
_ARRAYS = ("sentence_coef_", "sentence_intercept_", "sentence_thresholds_", "document_thresholds_", "tagger_coef_",
           "tagger_intercept_", "span_coef_", "span_intercept_")


def model_path(catalog_path: str | Path) -> Path:
    """Where the trained model of a catalog file lives: beside it, ``<stem>.techniques.npz``."""
    p = Path(catalog_path)
    return p.with_name(p.stem + MODEL_SUFFIX)


def save_model(model, path: str | Path, meta: dict) -> Path:
    """Write the fitted arrays and ``meta`` (embedder name, dim, training data) to ``path`` (atomically)."""
    from ..store import _atomic_target

    model._check_fitted()
    gate_arrays, gate_header = model.gate_.to_arrays()
    header = {"format": FORMAT, "technique_ids": list(model.technique_ids), "C": model.C, "folds": model.folds,
              "seed": model.seed, "trained": model.trained_, "span_classes": model.span_classes_,
              "tagger_threshold": float(model.tagger_threshold_), "dim": model.dim_, "gate": gate_header,
              "meta": meta}
    path = Path(path)
    try:
        with _atomic_target(path) as tmp:
            with open(tmp, "wb") as fh:
                np.savez_compressed(fh, header=np.array(json.dumps(header)),
                                    **{name: getattr(model, name) for name in _ARRAYS}, **gate_arrays)
    except OSError as exc:
        raise CatalogError(f"Cannot write the technique model {path}: {exc.strerror}. Copy the catalog to a "
                           "writable folder and train that copy.") from None
    return path


def load_model(path: str | Path):
    """Read a model written by :func:`save_model` (no pickle); returns the model and its ``meta``."""
    from .gate import PropagandaGate
    from .model import TechniqueModel

    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(str(data["header"]))
            if header.get("format") != FORMAT:
                raise ValueError(f"format {header.get('format')!r}, expected {FORMAT}")
            model = TechniqueModel(header["technique_ids"], C=header["C"], folds=header["folds"], seed=header["seed"])
            for name in _ARRAYS:
                setattr(model, name, np.array(data[name]))
            model.gate_ = PropagandaGate.from_arrays(data, header["gate"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogError(f"Technique model {path} cannot be read ({exc}); train it again with "
                           "`framing techniques train`, or delete it to score the catalog zero-shot.") from None
    model.trained_ = list(header["trained"])
    model.span_classes_ = list(header["span_classes"])
    model.tagger_threshold_ = float(header["tagger_threshold"])
    model.dim_ = int(header["dim"])
    return model, dict(header.get("meta") or {})
