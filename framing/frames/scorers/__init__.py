"""Frame scorers by name (``Registry("frame_scorers")``): one module per scorer.

- :mod:`.base`: the registry :data:`FRAME_SCORERS` and the plain data a scorer takes and returns.
- :mod:`.anchors`: ``anchors``, similarity to the catalog's examples.
- :mod:`.trained`: ``trained``, the catalog's saved per-frame model.

A new scorer is one module here (or in another package, through the entry-point group
``framing_frame_scorers``) that registers itself; ``framing frames evaluate --score NAME`` and
the frames step find it by name.

Examples
--------
>>> sorted(FRAME_SCORERS.names())
['anchors', 'trained']
"""

from . import anchors, trained  # noqa: F401  (registers the bundled scorers)
from .base import FRAME_SCORERS, RUN_SCORERS, EvaluationInput, ScoredFrames, ScoringInput

__all__ = ["FRAME_SCORERS", "RUN_SCORERS", "EvaluationInput", "ScoredFrames", "ScoringInput"]
