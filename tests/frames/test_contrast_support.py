"""Issue 21: the contrast margin (a sentence must lean toward a frame) and the document support rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.config import FramesConfig
from framing.frames import FrameMatcher
from framing.frames.document import document_frame_table
from framing.frames.margin import margins

TEXTS = ["The Americans want the oil.",      # the frame
         "US oil and gas prices fell.",      # the frame's subject (US, oil), nearest a near miss: no side taken
         "It will rain tomorrow."]          # an ordinary sentence


def _sentences():
    return pd.DataFrame({"sentence_id": ["s0", "s1", "s2"], "text": TEXTS, "lang": "en"})


def test_contrast_drops_a_sentence_on_the_subject_that_takes_no_side(tiny_catalog, embedder):
    s, v = _sentences(), embedder.encode(TEXTS)
    # a low fixed threshold lets the subject-only sentence through on its score alone
    loose = FrameMatcher(tiny_catalog, embedder, threshold=0.3, contrast=False).fit().transform(s, v)
    gated = FrameMatcher(tiny_catalog, embedder, threshold=0.3, contrast=True).fit().transform(s, v)

    def pairs(t):
        return set(map(tuple, t.loc[t.matched, ["sentence_id", "frame_id"]].to_numpy()))

    assert ("s1", "us-there-for-oil") in pairs(loose)
    assert ("s1", "us-there-for-oil") not in pairs(gated)
    assert ("s0", "us-there-for-oil") in pairs(gated)
    assert (gated.loc[gated.matched, "margin"] > 0).all()
    # the margin does not depend on the contrast switch, only the decision does
    np.testing.assert_allclose(loose["margin"], gated["margin"])


def test_margin_is_below_zero_where_an_ordinary_sentence_is_nearer_than_the_frame():
    anchors, owner = np.eye(4)[[0, 0, 1]], np.array([0, 0, 1])
    near_miss, reference = np.eye(4)[[3]], np.eye(4)[[2]]
    related = np.eye(2, dtype=bool)
    X = np.array([[1.0, 0.1, 0.0, 0.0],   # frame 0
                  [0.5, 0.0, 1.0, 0.0],   # nearer the reference sentence than frame 0's anchors
                  [0.5, 0.0, 0.0, 1.0],   # nearer a near miss (of the catalog) than frame 0's anchors
                  [0.6, 1.0, 0.0, 0.0]])  # nearer frame 1 (unrelated) than frame 0
    m = margins(X, anchors, owner, near_miss, np.array([1]), reference, related)
    assert m[0, 0] > 0
    assert m[1, 0] < 0 and m[2, 0] < 0 and m[3, 0] < 0
    assert m[3, 1] > 0
    # a related frame is never a rival: with one family, the row's best frame is not pushed down by the other
    fam = margins(X[[3]], anchors, owner, near_miss, np.array([1]), reference, np.ones((2, 2), bool))
    assert fam[0, 0] > 0 and fam[0, 1] > 0


def _joined(n_sentences: int, leaning: int, doc="d"):
    margin = [0.1] * leaning + [-0.1] * (n_sentences - leaning)
    return pd.DataFrame({"doc_id": doc, "sentence_id": [f"{doc}{i}" for i in range(n_sentences)], "frame_id": "f",
                         "score": 0.3, "strength": np.linspace(0.9, 0.1, n_sentences), "matched": False,
                         "margin": margin})


@pytest.mark.parametrize("n, leaning, used", [(4, 2, True), (12, 2, True), (25, 2, False), (25, 3, True),
                                              (80, 3, True), (80, 2, False)])
def test_a_document_needs_one_leaning_sentence_per_ten_at_most_top_k(n, leaning, used):
    t = document_frame_table(_joined(n, leaning), {"f": 0.5}, top_k=3, rule="support")
    row = t.iloc[0]
    assert bool(row.matched) is used
    assert row.support == leaning and row.method == "anchors+support"
    if used:  # the evidence is the leaning sentences, strongest first, though none passed the sentence threshold
        assert row.evidence_ids == [f"d{i}" for i in range(min(leaning, 3))]
        assert row.evidence_strengths == sorted(row.evidence_strengths, reverse=True)
    else:
        assert row.evidence_ids == []


def test_one_leaning_sentence_alone_needs_to_match():
    lone = _joined(4, 1)
    assert not document_frame_table(lone, {"f": 0.5}, rule="support").iloc[0].matched
    t = document_frame_table(lone.assign(matched=[True, False, False, False]), {"f": 0.5}, rule="support")
    assert t.iloc[0].matched and t.iloc[0].evidence_ids == ["d0"]


def test_support_rule_does_not_depend_on_other_documents():
    one = document_frame_table(_joined(12, 2, "a"), {"f": 0.5}, rule="support")
    many = document_frame_table(pd.concat([_joined(12, 2, "a")] + [_joined(30, k % 4, f"o{k}") for k in range(40)]),
                                {"f": 0.5}, rule="support")
    assert one.iloc[0].matched == many.set_index("doc_id").loc["a", "matched"]


def test_score_rule_and_missing_margin_keep_the_earlier_decision():
    j = _joined(4, 4).assign(strength=0.9, matched=[True, False, False, False])
    old = document_frame_table(j.drop(columns="margin"), {"f": 0.5}, rule="support")
    score = document_frame_table(j, {"f": 0.5}, rule="score")
    for t in (old, score):
        assert t.iloc[0].method == "anchors" and bool(t.iloc[0].matched)
    with pytest.raises(ValueError, match="'rule' parameter must be one of support, score"):
        document_frame_table(j, {"f": 0.5}, rule="count")


def test_defaults_use_the_contrast_and_the_support_rule():
    cfg = FramesConfig()
    assert cfg.contrast is True and cfg.document_rule == "support"
