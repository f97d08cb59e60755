"""The ``trained`` frame scorer: the catalog's saved per-frame model (:mod:`framing.frames.train`).

It decides documents for the frames the model covers; in a run the anchors
still give the sentence-level table and decide the other frames.
"""

from __future__ import annotations

from .base import FRAME_SCORERS, EvaluationInput, ScoredFrames, ScoringInput


@FRAME_SCORERS.register("trained")
class TrainedScorer:
    """Document decisions of the trained model saved beside the catalog (nothing when there is none).

    In an evaluation with ``cv`` > 1, a model trained afresh in each fold (cross-validation) instead.
    """

    def uses_saved_model(self, cv: int) -> bool:
        return not cv

    def score(self, inp: ScoringInput) -> ScoredFrames:
        from ..train import load_trained_for

        trained = load_trained_for(inp.paths, inp.embedder, inp.say)
        decisions = trained.predict_documents(inp.sentences, inp.vectors) if trained is not None else None
        return ScoredFrames(document_decisions=decisions, model=trained,
                            info={"trained": trained.info() if trained is not None else None})

    def evaluate(self, inp: EvaluationInput):
        from ...embed import cache_from_config
        from ..evaluate import cross_validate, evaluate_trained
        from ..train import load_trained

        if inp.cv:
            return cross_validate(inp.catalog, inp.corpus, inp.gold, n_splits=inp.cv, seed=inp.cfg.seed,
                                  pooling=inp.pooling, cache=cache_from_config(inp.cfg.embedding))
        return evaluate_trained(inp.catalog, inp.corpus, inp.gold, load_trained(inp.saved_model), inp.cfg.frames,
                                seed=inp.cfg.seed, cache=cache_from_config(inp.cfg.embedding))
