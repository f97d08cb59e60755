"""Frame catalogs (YAML), sentence-to-frame matching, roll-ups, candidate frames and evaluation.

Examples
--------
>>> from framing.frames import load_catalog
>>> len(load_catalog("us-middle-east")) >= 14
True
"""

from .calibrate import best_threshold, frame_scores
from .catalog import Frame, FrameCatalog, bundled_catalogs, load_catalog, load_catalogs, merge_catalogs, parse_catalog
from .document import document_frame_table, mixture_threshold
from .evaluate import (EvaluationResult, cross_validate, evaluate_catalog, evaluate_labelled, format_report,
                       multilabel_metrics)
from .labelled import LabelledCorpus, prepare_labelled, read_labels
from .match import FrameMatcher, clause_windows
from .rollup import FrameTables, frame_rollups, topic_frame_labels
from .suggest import find_candidates, suggest_from_run, suggest_yaml
from .train import FrameClassifier, TrainedFrames, load_trained, save_trained, train_frames

__all__ = [
    "EvaluationResult",
    "FrameClassifier",
    "LabelledCorpus",
    "TrainedFrames",
    "cross_validate",
    "document_frame_table",
    "evaluate_labelled",
    "load_trained",
    "mixture_threshold",
    "prepare_labelled",
    "save_trained",
    "train_frames",
    "Frame",
    "FrameCatalog",
    "FrameMatcher",
    "FrameTables",
    "best_threshold",
    "bundled_catalogs",
    "clause_windows",
    "evaluate_catalog",
    "find_candidates",
    "format_report",
    "frame_rollups",
    "frame_scores",
    "load_catalog",
    "load_catalogs",
    "merge_catalogs",
    "multilabel_metrics",
    "parse_catalog",
    "read_labels",
    "suggest_from_run",
    "suggest_yaml",
    "topic_frame_labels",
]
