"""``framing evaluate`` scores with the frames settings the run would use, all of them."""

import pytest

from framing.config import FramesConfig
from framing.frames import evaluate


class _Seen(Exception):
    pass


def test_anchor_decisions_pass_reference_quantile_and_near_miss_floor(monkeypatch):
    seen = {}

    class Recorder:
        def __init__(self, *args, **kwargs):
            seen.update(kwargs)
            raise _Seen

    monkeypatch.setattr(evaluate, "FrameMatcher", Recorder)
    cfg = FramesConfig(reference_quantile=0.9, near_miss_floor=True)

    class Corpus:
        sentences = None
        embedder = None
        vectors = None

    with pytest.raises(_Seen):
        evaluate._anchor_decisions(None, Corpus(), None, cfg, 42, "calibrated", None, None)
    assert seen["reference_quantile"] == 0.9
    assert seen["near_miss_floor"] is True
