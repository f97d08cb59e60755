"""The frames stage: match the catalogs' frames to the embedded sentences; the frame tables and run.json info.

Takes plain data (sentences, vectors, the rows they belong to, topics, the embedder, catalog names,
the config) and returns plain data.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import pandas as pd

from ..config import Config
from ..errors import CatalogError
from .scorers import FRAME_SCORERS, RUN_SCORERS, ScoringInput

Say = Callable[[str], None]


def trained_catalog_model(cfg: Config) -> tuple[str, str] | None:
    """The model the run must embed with because its catalog carries a trained model (before any work).

    With ``embedding.model: auto`` that is the trained model's embedder;
    a named model that is not it stops the run with the command that trains
    the catalog for it (:func:`framing.frames.train.model_for_trained_catalog`).
    """
    from .catalog import resolve_catalog_path
    from .train import model_for_trained_catalog

    catalogs = list(cfg.frames.catalogs) or ([cfg.frames.default_catalog] if cfg.frames.default_catalog else [])
    if not catalogs:
        return None
    return model_for_trained_catalog(cfg.embedding.model, [resolve_catalog_path(c) for c in catalogs], cfg.embedding)


def frame_step(sentences: pd.DataFrame, vectors: np.ndarray, rows: np.ndarray, topics: pd.DataFrame,
               embedder, catalogs: Sequence[str], cfg: Config, say: Say,
               thresholds: dict[str, float] | None = None,
               scorers: Sequence[str] = RUN_SCORERS) -> tuple[dict, dict]:
    """Score frames with the named frame scorers; returns the frame tables and run.json info.

    ``thresholds`` (frame id -> threshold) fixes the decisions, e.g. to those of an earlier run.
    ``scorers`` are names in :data:`framing.frames.scorers.FRAME_SCORERS`, in order: the first gives
    the sentence-level table and document thresholds (``anchors``), the others may add document
    decisions for the frames they cover (``trained``), which replace the first one's.
    """
    from . import frame_rollups, load_catalogs
    from .catalog import resolve_catalog_path

    paths = [resolve_catalog_path(c) for c in catalogs]
    catalog = load_catalogs(paths)
    chosen = [FRAME_SCORERS.get(name)() for name in scorers]  # an unknown name fails before any work
    say(f"Matching {len(catalog.frames)} frames from {', '.join(p.name for p in paths)}")
    scored = sentences.iloc[rows].reset_index(drop=True)
    inp = ScoringInput(sentences=scored, vectors=vectors, catalog=catalog, paths=paths, embedder=embedder, cfg=cfg,
                       say=say, thresholds=thresholds)
    first, *others = [scorer.score(inp) for scorer in chosen]
    if first.sentence_frames is None:
        raise CatalogError(f"The first frame scorer ({scorers[0]!r}) gives no sentence scores; put a sentence "
                           f"scorer such as 'anchors' first (scorers: {', '.join(scorers)}).")
    sentence_frames, matcher = first.sentence_frames, first.model
    given = [o.document_decisions for o in others if o.document_decisions is not None]
    decisions = None if not given else given[0] if len(given) == 1 else _later_wins(given)
    rolled = frame_rollups(sentence_frames, sentences, topics, catalog, cfg.frames,
                           document_thresholds=first.document_thresholds, document_decisions=decisions,
                           seed=cfg.seed)
    # The frames a topic expresses are topic_frames rows (expresses, share): the topics table stays the topic stage's.
    tables = {"sentence_frames": sentence_frames, "frames": rolled.frames,
              "topic_frames": rolled.topic_frames,
              "document_frames": rolled.document_frames,
              "frame_candidates": rolled.candidates}
    matched = int(sentence_frames.matched.sum())
    n_docs = int(rolled.document_frames.matched.astype(bool).sum())
    say(f"{matched} sentence-frame matches, {n_docs} document-frame matches; "
        f"{len(rolled.candidates)} candidate new frames")
    info = {"catalogs": [str(p) for p in paths], "frames": len(catalog.frames), "matches": matched,
            "document_matches": n_docs,
            "thresholds": {k: round(float(v), 4) for k, v in getattr(matcher, "thresholds_", {}).items()},
            "calibration": calibration_mode(cfg.frames),
            "document_rule": document_rule_info(cfg.frames),
            "frame_calibration": frame_calibration_info(matcher, rolled.document_frames)
            if hasattr(matcher, "calibration_") else {}}
    for result in (first, *others):
        info.update(result.info)
    return tables, info


def _later_wins(decisions: list[pd.DataFrame]) -> pd.DataFrame:
    """Document decisions of several scorers: for a (document, frame) decided twice, the later scorer's."""
    both = pd.concat(decisions, ignore_index=True)
    return both.drop_duplicates(["doc_id", "frame_id"], keep="last").reset_index(drop=True)


def calibration_mode(frames_cfg) -> str:
    """``reference`` when every decision is fixed by the catalog and the shipped reference sample;
    ``corpus`` when a threshold comes from the corpus at hand (decisions move with it); ``anchors``."""
    if frames_cfg.calibration == "corpus" or frames_cfg.document_calibration == "mixture":
        return "corpus"
    return frames_cfg.calibration


def document_rule_info(frames_cfg) -> str:
    """How a document's decision is taken, in words (run.json ``frames.document_rule``)."""
    if frames_cfg.document_rule == "support":
        return (f"support: at least one sentence in ten leans toward the frame (at least 1, at most "
                f"{frames_cfg.document_top_k}); a lone leaning sentence must also match"
                + ("; at least one leaning sentence leans as a whole sentence, not only through a clause window"
                   if getattr(frames_cfg, "whole_sentence_lean", False) else ""))
    return "score: the document's top-k sentence strength against the frame's document threshold"


def frame_calibration_info(matcher, document_frames: pd.DataFrame) -> dict:
    """Per frame: how its threshold was set and how sure its decisions are (for run.json)."""
    cal = matcher.calibration_.set_index("frame_id")
    docs = document_frames.assign(matched=document_frames.matched.astype(bool))
    out = {}
    for fid, row in cal.iterrows():
        d = docs[docs.frame_id == fid]
        certainty = d.confidence.astype(float).mean() if len(d) else float("nan")
        out[fid] = {"source": row["source"], "threshold": round(float(row["threshold"]), 4),
                    "background": round(float(row["background"]), 4), "anchor_level": round(float(row["anchor_level"]), 4),
                    "separation": None if pd.isna(row["separation"]) else round(float(row["separation"]), 2),
                    "documents": int(d.matched.sum()), "document_share": round(float(d.matched.mean()), 4) if len(d) else 0.0,
                    "document_threshold": (round(float(d.threshold.iloc[0]), 4)
                                           if len(d) and not str(d.method.iloc[0]).endswith("support") else None),
                    "document_method": str(d.method.iloc[0]) if len(d) else None,
                    "document_certainty": None if pd.isna(certainty) else round(float(certainty), 3)}
    return out


