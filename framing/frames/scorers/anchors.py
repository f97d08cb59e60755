"""The ``anchors`` frame scorer: similarity to the catalog's examples (:class:`framing.frames.match.FrameMatcher`)."""

from __future__ import annotations

from .base import FRAME_SCORERS, EvaluationInput, ScoredFrames, ScoringInput


@FRAME_SCORERS.register("anchors")
class AnchorScorer:
    """Sentences scored by their nearest anchors and near misses; thresholds calibrated per frame.

    Needs nothing but the catalog: every frame with examples is decided.
    """

    def uses_saved_model(self, cv: int) -> bool:
        return False

    def score(self, inp: ScoringInput) -> ScoredFrames:
        from ...embed import cache_from_config
        from ..match import FrameMatcher

        cfg = inp.cfg
        matcher = FrameMatcher(inp.catalog, inp.embedder, threshold=inp.thresholds or cfg.frames.threshold,
                               negative_weight=cfg.frames.negative_weight,
                               calibration=cfg.frames.calibration, specificity=cfg.frames.specificity,
                               exclusive=cfg.frames.exclusive, reference_quantile=cfg.frames.reference_quantile,
                               near_miss_floor=cfg.frames.near_miss_floor, contrast=cfg.frames.contrast,
                               whole_sentence_lean=cfg.frames.whole_sentence_lean,
                               cache=cache_from_config(cfg.embedding)).fit(inp.sentences, inp.vectors)
        sentence_frames = matcher.transform(inp.sentences, inp.vectors)
        return ScoredFrames(sentence_frames=sentence_frames, document_thresholds=matcher.document_thresholds(),
                            model=matcher)

    def evaluate(self, inp: EvaluationInput):
        from ...embed import cache_from_config
        from ..evaluate import evaluate_labelled

        return evaluate_labelled(inp.catalog, inp.corpus, inp.gold, inp.cfg.frames, seed=inp.cfg.seed,
                                 threshold=inp.threshold, cache=cache_from_config(inp.cfg.embedding))
