"""Issue 21: a sentence matches a frame only when the whole sentence leans toward it, not one clause window alone."""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.config import Config, FramesConfig
from framing.frames import FrameMatcher
from framing.frames.scorers import FRAME_SCORERS, ScoringInput

# Long sentences (>= 16 words) get clause windows. In the first, one clause states the frame but the sentence as a
# whole is about the weather and football (nearest an ordinary reference sentence); the second is about the oil.
TEXTS = ["It will rain tomorrow and rain again, rain tomorrow and the football match is a draw: "
         "the Americans want the oil, rain tomorrow.",
         "The Americans want the oil, and they will take the oil and the gas from the fields they hold tomorrow "
         "and later.",
         "The Americans want the oil."]


def _run(tiny_catalog, embedder, whole: bool) -> pd.DataFrame:
    s = pd.DataFrame({"sentence_id": ["window-only", "whole", "short"], "text": TEXTS, "lang": "en"})
    m = FrameMatcher(tiny_catalog, embedder, threshold=0.3, contrast=True, whole_sentence_lean=whole).fit()
    t = m.transform(s, embedder.encode(TEXTS))
    return t[t.frame_id == "us-there-for-oil"].set_index("sentence_id")


def test_a_clause_window_alone_does_not_make_a_sentence_match(tiny_catalog, embedder):
    loose, strict = _run(tiny_catalog, embedder, False), _run(tiny_catalog, embedder, True)
    # the window lifts the best margin above 0 while the whole sentence leans away from the frame
    assert loose.loc["window-only", "margin"] > 0 > loose.loc["window-only", "sentence_margin"]
    assert loose.loc["window-only", "matched"] and not strict.loc["window-only", "matched"]
    # a sentence that leans as a whole still matches, and the margins do not depend on the switch
    assert strict.loc["whole", "matched"] and strict.loc["short", "matched"]
    np.testing.assert_allclose(loose[["margin", "sentence_margin"]], strict[["margin", "sentence_margin"]])
    assert (strict.loc[strict.matched, "sentence_margin"] > 0).all()


def test_sentence_margin_is_the_margin_of_a_sentence_without_windows(tiny_catalog, embedder):
    t = _run(tiny_catalog, embedder, True)
    assert t.loc["short", "sentence_margin"] == t.loc["short", "margin"]  # under 16 words: no clause windows
    assert (t["margin"] >= t["sentence_margin"]).all()  # the best of the sentence and its windows


def test_without_contrast_the_switch_changes_nothing(tiny_catalog, embedder):
    s = pd.DataFrame({"sentence_id": ["a", "b", "c"], "text": TEXTS, "lang": "en"})
    v = embedder.encode(TEXTS)
    on = FrameMatcher(tiny_catalog, embedder, threshold=0.3, whole_sentence_lean=True).fit().transform(s, v)
    off = FrameMatcher(tiny_catalog, embedder, threshold=0.3, whole_sentence_lean=False).fit().transform(s, v)
    assert on["matched"].tolist() == off["matched"].tolist()


def test_the_default_config_reaches_the_anchor_scorer(tiny_catalog, embedder):
    assert FramesConfig().whole_sentence_lean is True
    s = pd.DataFrame({"sentence_id": ["window-only", "whole", "short"], "doc_id": "d", "text": TEXTS, "lang": "en",
                      "is_fragment": False})
    for flag in (True, False):
        cfg = Config().model_copy(update={"frames": FramesConfig(whole_sentence_lean=flag, threshold=0.3)})
        inp = ScoringInput(sentences=s, vectors=embedder.encode(TEXTS), catalog=tiny_catalog, paths=[],
                           embedder=embedder, cfg=cfg, say=lambda _m: None)
        scored = FRAME_SCORERS.get("anchors")().score(inp)
        assert scored.model.whole_sentence_lean is flag
        sf = scored.sentence_frames.set_index(["sentence_id", "frame_id"])
        assert bool(sf.loc[("window-only", "us-there-for-oil"), "matched"]) is (not flag)


def _doc(sentence_margin):
    n = len(sentence_margin)
    return pd.DataFrame({"doc_id": "d", "sentence_id": [f"s{i}" for i in range(n)], "frame_id": "f", "score": 0.3,
                         "strength": np.linspace(0.9, 0.1, n), "matched": False, "margin": [0.1, 0.1] + [-0.1] * (n - 2),
                         "sentence_margin": sentence_margin})


def test_a_document_needs_one_sentence_that_leans_as_a_whole():
    from framing.frames.document import document_frame_table

    windows_only = _doc([-0.05, -0.02, -0.1, -0.1])  # two leaning sentences, each only through a clause window
    one_whole = _doc([-0.05, 0.02, -0.1, -0.1])
    assert not document_frame_table(windows_only, {"f": 0.5}, rule="support").iloc[0].matched
    assert document_frame_table(windows_only, {"f": 0.5}, rule="support", whole_sentence=False).iloc[0].matched
    assert document_frame_table(windows_only.drop(columns="sentence_margin"), {"f": 0.5}, rule="support").iloc[0].matched
    row = document_frame_table(one_whole, {"f": 0.5}, rule="support").iloc[0]
    assert row.matched and row.support == 2 and row.evidence_ids == ["s0", "s1"]
