import numpy as np
import pandas as pd
import pytest

from framing.frames.document import (MIN_MIXTURE_DOCUMENTS, apply_document_decisions, document_frame_table,
                                     mixture_threshold)


def _joined(strengths_by_doc, frame="f"):
    rows = []
    for d, values in strengths_by_doc.items():
        for i, v in enumerate(values):
            rows.append({"doc_id": d, "sentence_id": f"{d}-{i}", "frame_id": frame, "score": v / 2,
                         "strength": v, "matched": v >= 0.5})
    return pd.DataFrame(rows)


def test_one_stray_sentence_does_not_make_a_long_article_use_a_frame():
    long_stray = [0.9] + [0.0] * 29            # 30 sentences: the best 3 are averaged -> 0.3
    long_focused = [0.9, 0.8, 0.7] + [0.0] * 27  # -> 0.8
    short = [0.9, 0.0, 0.0]                      # 3 sentences: its best one -> 0.9
    t = document_frame_table(_joined({"a": long_stray, "b": long_focused, "c": short}), {"f": 0.5},
                             top_k=3, calibration="sentence").set_index("doc_id")
    assert t.loc["a", "score"] == pytest.approx(0.3) and not t.loc["a", "matched"]
    assert t.loc["a", "matched_sentences"] == 1  # the sentence decision is kept beside the document's
    assert t.loc["b", "score"] == pytest.approx(0.8) and t.loc["b", "matched"]
    assert t.loc["c", "matched"] and t.loc["c", "evidence_id"] == "c-0"
    assert set(t["method"]) == {"anchors"}


def test_every_document_gets_a_row_even_without_matches():
    t = document_frame_table(_joined({"a": [0.1, 0.2], "b": [0.0]}), {"f": 0.5}, calibration="sentence")
    assert len(t) == 2 and not t["matched"].any()


def test_mixture_follows_the_corpus_distribution():
    rng = np.random.default_rng(3)
    low = {f"n{i}": list(rng.normal(0.1, 0.05, 5)) for i in range(40)}
    high = {f"y{i}": list(rng.normal(0.7, 0.05, 5)) for i in range(10)}
    t = document_frame_table(_joined({**low, **high}), {"f": 0.95}, top_k=1, calibration="mixture")
    decided = set(t.loc[t["matched"], "doc_id"])
    assert decided == set(high)  # although the sentence threshold (0.95) is above every document
    assert (t["method"] == "anchors+mixture").all()
    assert t["confidence"].between(0.5, 1.0).all()


def test_mixture_needs_enough_documents():
    few = {f"d{i}": [0.1 * i] for i in range(MIN_MIXTURE_DOCUMENTS - 1)}
    t = document_frame_table(_joined(few), {"f": 0.5}, top_k=1, calibration="mixture")
    assert (t["method"] == "anchors").all() and (t["threshold"] == 0.5).all()


def test_mixture_is_seeded():
    x = np.r_[np.linspace(0, 0.3, 40), np.linspace(0.5, 0.9, 12)]
    assert mixture_threshold(x, seed=1)[0] == mixture_threshold(x, seed=1)[0]
    thr, post, info = mixture_threshold(x, seed=1)
    assert 0.3 < thr <= 0.5 and 0.1 < info["weight"] < 0.4 and info["separation"] > 2


def test_trained_decisions_replace_anchor_ones():
    t = document_frame_table(_joined({"a": [0.9], "b": [0.1]}), {"f": 0.5}, calibration="sentence")
    dec = pd.DataFrame({"doc_id": ["a"], "frame_id": ["f"], "score": [0.2], "matched": [False],
                        "confidence": [0.8], "threshold": [0.4], "method": ["trained"]})
    out = apply_document_decisions(t, dec).set_index("doc_id")
    assert not out.loc["a", "matched"] and out.loc["a", "method"] == "trained"
    assert out.loc["b", "method"] == "anchors"


def test_bad_calibration_name():
    with pytest.raises(ValueError, match="'mixture' or 'sentence'"):
        document_frame_table(_joined({"a": [0.9]}), {}, calibration="magic")


def test_mixture_never_matches_a_document_without_a_matched_sentence():
    rng = np.random.default_rng(4)
    docs = {f"n{i}": list(rng.normal(0.05, 0.02, 3)) for i in range(40)}
    docs.update({f"w{i}": list(rng.normal(0.3, 0.02, 3)) for i in range(10)})  # upper component, no sentence >= 0.5
    t = document_frame_table(_joined(docs), {"f": 0.5}, top_k=1, calibration="mixture")
    upper = t[t["doc_id"].str.startswith("w")]
    assert (upper["score"] >= upper["threshold"]).all() and not upper["matched"].any()


def test_long_documents_in_the_upper_component_still_need_a_matched_sentence():
    rng = np.random.default_rng(5)
    docs = {f"n{i}": list(rng.normal(0.0, 0.05, 27)) + list(rng.normal(0.2, 0.02, 3)) for i in range(40)}
    # several passages near the frame, none at the sentence threshold: pooled evidence
    docs.update({f"w{i}": list(rng.normal(0.0, 0.05, 27)) + list(rng.normal(0.42, 0.02, 3)) for i in range(10)})
    t = document_frame_table(_joined(docs), {"f": 0.5}, top_k=3, calibration="mixture")
    assert (t["matched_sentences"] == 0).all()
    # pooled scores alone no longer decide (issue 21): no passage reads as the frame on its own, no match
    upper = t[t["doc_id"].str.startswith("w")]
    assert (upper["score"] >= upper["threshold"]).all() and not t["matched"].any()


def test_short_and_long_documents_are_not_split_by_one_mixture():
    rng = np.random.default_rng(6)
    docs = {f"c{i}": list(rng.normal(0.1, 0.05, 2)) for i in range(60)}  # comments: scored by their best sentence
    # a few long articles: one sentence just over the threshold, pooled score 0.35 (above every comment)
    docs.update({f"a{i}": [0.55, 0.3, 0.2] + [0.0] * 27 for i in range(8)})
    t = document_frame_table(_joined(docs), {"f": 0.5}, top_k=3, calibration="mixture").set_index("doc_id")
    articles = t.loc[[f"a{i}" for i in range(8)]]
    # too few long documents for a mixture of their own: the sentence threshold (0.5) decides them
    assert (articles["method"] == "anchors").all() and not articles["matched"].any()
    assert (t.loc[[f"c{i}" for i in range(60)], "method"] == "anchors+mixture").all()
