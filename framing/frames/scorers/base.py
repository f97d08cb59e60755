"""The frame-scorer registry and the plain data a scorer takes and returns.

A frame scorer decides which frames sentences and documents use. It is a
class registered by name in :data:`FRAME_SCORERS` (``Registry("frame_scorers")``)
with two methods:

- ``score(ScoringInput) -> ScoredFrames``: in a run (:func:`framing.frames.step.frame_step`);
- ``evaluate(EvaluationInput) -> EvaluationResult``: against human labels
  (``framing frames evaluate --score NAME``, :func:`framing.frames.evaluate.evaluate_scorers`);

and ``uses_saved_model(cv) -> bool``: whether it reads the catalog's saved
trained model (the labelled items are then embedded with that model's embedder).

Adding a scorer is one module that registers a class, for example::

    @FRAME_SCORERS.register("keywords")
    class KeywordScorer:
        def uses_saved_model(self, cv: int) -> bool: ...
        def score(self, inp: ScoringInput) -> ScoredFrames: ...
        def evaluate(self, inp: EvaluationInput) -> EvaluationResult: ...

In a run the first scorer of the list gives the sentence-level table and the
document thresholds; the scorers after it may add document decisions for the
frames they cover (the trained model does), which replace the first one's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from ...registry import Registry

FRAME_SCORERS: Registry = Registry("frame_scorers")
"""Frame scorers by name: ``anchors`` (the catalog's examples), ``trained`` (the catalog's saved model)."""

#: The scorers of ``framing analyze``, in order.
RUN_SCORERS = ("anchors", "trained")


@dataclass(frozen=True)
class ScoringInput:
    """What a scorer receives in a run.

    sentences : DataFrame of shape (n, ...)
        The sentences to score (sentence_id, doc_id, text, lang, is_fragment ...), rows aligned with ``vectors``.
    vectors : ndarray of shape (n, dim)
    catalog : FrameCatalog
        The frames of every catalog of the run.
    paths : list of Path
        The catalog files (a trained model is saved beside its catalog).
    embedder : Embedder
        The run's embedder (the scorers embed their own texts with it).
    cfg : Config
    say : callable
        Progress lines for the user.
    thresholds : dict of str to float, optional
        Fixed sentence thresholds by frame id (those of an earlier run).
    """

    sentences: pd.DataFrame
    vectors: np.ndarray
    catalog: Any
    paths: list[Path]
    embedder: Any
    cfg: Any
    say: Callable[[str], None] = lambda _m: None
    thresholds: dict[str, float] | None = None


@dataclass(frozen=True)
class ScoredFrames:
    """What a scorer returns in a run; a scorer fills what it decides and leaves the rest None.

    sentence_frames : DataFrame, optional
        The ``sentence_frames`` table (one row per scored sentence and frame).
    document_thresholds : dict of str to float, optional
        Per frame, the document score at which a document uses it (:func:`framing.frames.rollup.frame_rollups`).
    document_decisions : DataFrame, optional
        Document decisions for the frames the scorer covers (replace the first scorer's).
    model : object, optional
        The fitted model (for run.json's thresholds and calibration), or None.
    info : dict
        What run.json records about this scorer.
    """

    sentence_frames: pd.DataFrame | None = None
    document_thresholds: dict | None = None
    document_decisions: pd.DataFrame | None = None
    model: Any = None
    info: dict = field(default_factory=dict)


@dataclass(frozen=True)
class EvaluationInput:
    """What a scorer receives to be scored against human labels.

    catalog : FrameCatalog
    corpus : LabelledCorpus
        The labelled items, prepared and embedded like a run's.
    gold : list of set of str
        The frames of each item.
    cfg : Config
    saved_model : Path, optional
        The catalog's trained model file (may not exist).
    cv : int
        k > 1: cross-validate a model trained afresh in k folds instead of using the saved one.
    pooling : str
        With ``cv``, how coded documents are learned.
    threshold : "calibrated" or float
        The sentence threshold of the anchors.
    """

    catalog: Any
    corpus: Any
    gold: list
    cfg: Any
    saved_model: Path | None = None
    cv: int = 0
    pooling: str = "pooled"
    threshold: Any = "calibrated"
