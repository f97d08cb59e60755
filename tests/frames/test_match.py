import numpy as np
import pandas as pd
import pytest

from framing.errors import FrameWarning, NotFittedError
from framing.frames import FrameMatcher, best_threshold, clause_windows, frame_scores, load_catalog

from .fake import nested_catalog


def matched_pairs(sf):
    return set(map(tuple, sf.loc[sf["matched"], ["sentence_id", "frame_id"]].to_numpy()))


def test_frame_scores_hand_computed():
    sims = np.array([[0.9, 0.5, 0.1], [0.2, 0.4, -np.inf]])
    neg = np.array([[0.95], [0.1]])
    # row 0: pos = (0.9 + 0.5) / 2 = 0.7; neg 0.95 > pos, so 0.7 - 0.5 * 0.25 = 0.575
    # row 1: pos = (0.4 + 0.2) / 2 = 0.3 (the -inf anchor is left out); neg below pos, no penalty
    np.testing.assert_allclose(frame_scores(sims, neg, top_k=2, negative_weight=0.5), [0.575, 0.3])
    np.testing.assert_allclose(frame_scores(sims, None, top_k=1, negative_weight=0.5), [0.9, 0.4])


def test_best_threshold_hand_computed():
    scores = np.array([0.9, 0.8, 0.7, 0.4, 0.3])
    labels = np.array([True, True, False, True, False])
    # cut >= 0.8: P=1, R=2/3, F1=0.8; cut >= 0.4: P=3/4, R=1, F1=6/7 (best); threshold halfway to 0.3
    thr, f1 = best_threshold(scores, labels, beta=1.0)
    assert thr == pytest.approx(0.35) and f1 == pytest.approx(6 / 7)
    # beta 0.5 favours precision: F0.5 at 0.8 cut = 1.25*2/3/(0.25+2/3) = 0.909 > 0.789 at 0.4 cut
    thr, f05 = best_threshold(scores, labels, beta=0.5)
    assert thr == pytest.approx(0.75) and f05 == pytest.approx(1.25 * (2 / 3) / (0.25 + 2 / 3))


def test_tiny_corpus_english_and_dutch(sentence_frames):
    assert matched_pairs(sentence_frames) == {
        ("a1", "us-there-for-oil"), ("b1", "us-there-for-oil"), ("a2", "withdrawal-defeat"),
        ("b2", "media-lies"), ("c1", "media-lies"),
    }
    assert list(sentence_frames.columns) == ["sentence_id", "frame_id", "score", "strength", "matched", "margin",
                                            "sentence_margin"]


def test_fragments_are_not_matched(sentence_frames, sentences):
    assert "a4" not in set(sentence_frames["sentence_id"])
    assert len(sentence_frames) == (len(sentences) - 1) * 3


def test_negatives_push_near_misses_down(tiny_catalog, embedder, sentences):
    vecs = embedder.encode(sentences["text"].tolist())
    with_neg = FrameMatcher(tiny_catalog, embedder, negative_weight=2.0, clauses=False).fit().transform(sentences, vecs)
    without = FrameMatcher(tiny_catalog, embedder, negative_weight=0.0, clauses=False).fit().transform(sentences, vecs)
    key = (with_neg.sentence_id == "c2") & (with_neg.frame_id == "us-there-for-oil")
    assert with_neg.loc[key, "score"].item() < without.loc[key, "score"].item()
    other = (with_neg.sentence_id == "a1") & (with_neg.frame_id == "us-there-for-oil")
    assert with_neg.loc[other, "score"].item() == pytest.approx(without.loc[other, "score"].item())


def test_calibrated_thresholds_separate_anchors_from_other_frames(fitted):
    cal = fitted.calibration_.set_index("frame_id")
    assert (cal["source"] == "calibrated").all() and (cal["f_beta"] == 1.0).all()
    A, owner = fitted.anchor_vectors_, fitted.anchor_owner_
    for i, fid in enumerate(fitted.frame_ids_):
        others = fitted.score(A[owner != i])[:, i]
        assert fitted.thresholds_[fid] > others.max()
        assert 0.0 < fitted.thresholds_[fid] < 1.0


def test_fixed_and_per_frame_thresholds(tiny_catalog, embedder):
    fixed = FrameMatcher(tiny_catalog, embedder, threshold=0.3).fit()
    assert set(fixed.thresholds_.values()) == {0.3}
    mixed = FrameMatcher(tiny_catalog, embedder, threshold={"media-lies": 0.99}).fit()
    assert mixed.thresholds_["media-lies"] == 0.99
    assert mixed.calibration_.set_index("frame_id").loc["us-there-for-oil", "source"] == "calibrated"


def test_single_anchor_warns_and_falls_back(tmp_path, embedder):
    path = tmp_path / "one.yaml"
    path.write_text("frames:\n  - id: x\n    label: X\n    description: x\n    examples: [The media spread lies.]\n"
                    "  - id: y\n    label: Y\n    description: y\n    examples: [Oil and gas., The oil.]\n")
    with pytest.warns(FrameWarning, match="fewer than 2 anchors"):
        matcher = FrameMatcher(load_catalog(path), embedder).fit()
    assert matcher.calibration_.set_index("frame_id").loc["x", "source"] == "fallback"


def test_not_fitted(tiny_catalog, embedder, sentences):
    with pytest.raises(NotFittedError, match="fit"):
        FrameMatcher(tiny_catalog, embedder).transform(sentences, np.zeros((len(sentences), 17)))


def test_misaligned_embeddings(fitted, sentences):
    with pytest.raises(ValueError, match="aligned"):
        fitted.transform(sentences, np.zeros((2, 17), np.float32))


def test_narrative_parent_rolls_up_children(tmp_path, embedder, data_dir, sentences):
    path = nested_catalog(data_dir, tmp_path)
    sf = FrameMatcher(load_catalog(path), embedder).fit().transform(sentences, embedder.encode(sentences.text.tolist()))
    parent = sf[sf.frame_id == "us-bad"].set_index("sentence_id")
    assert set(parent.index[parent.matched]) == {"a1", "a2", "b1"}
    kids = sf[sf.frame_id.isin(["us-there-for-oil", "withdrawal-defeat"])].groupby("sentence_id").score.max()
    np.testing.assert_allclose(parent.score.sort_index(), kids.sort_index(), rtol=1e-6)


def test_clause_windows_find_an_apposition(tiny_catalog, embedder):
    long = ("Unbelievable news today, the media spread lies, while the football match ended in a draw "
            "and it will rain tomorrow in the north")
    assert "the media spread lies" in clause_windows(long)
    assert clause_windows("Too short, to split.") == []
    table = pd.DataFrame({"sentence_id": ["x"], "text": [long]})
    vec = embedder.encode([long])
    on = FrameMatcher(tiny_catalog, embedder, clauses=True).fit().transform(table, vec)
    off = FrameMatcher(tiny_catalog, embedder, clauses=False).fit().transform(table, vec)
    assert on.set_index("frame_id").loc["media-lies", "matched"]
    assert not off.set_index("frame_id").loc["media-lies", "matched"]
