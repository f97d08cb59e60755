"""compare_prevalence on tiny inputs worked out by hand, and its edge cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.compare.items import frame_counts, topic_counts
from framing.compare.prevalence import PREVALENCE_COLUMNS, prevalence_table
from framing.errors import InputError


def tiny():
    """Three groups: x has three documents, y one, z one document whose sentences were not scored."""
    sentences = pd.DataFrame({
        "sentence_id": [f"s{i}" for i in range(9)],
        "doc_id": ["d1", "d1", "d1", "d2", "d2", "d3", "d4", "d4", "d5"],
        "topic": [0, 0, 1, 1, -1, 0, 1, 1, -1],
    })
    groups = pd.Series({"d1": "x", "d2": "x", "d3": "x", "d4": "y", "d5": "z"})
    # sentence_frames: s8 (doc d5) not scored; oil matched in s0, s1 (d1) and s6 (d4); 'unused' never
    scored = [f"s{i}" for i in range(8)]
    rows = [(s, f, s in {"s0", "s1", "s6"} and f == "oil") for s in scored for f in ("oil", "unused")]
    sf = pd.DataFrame(rows, columns=["sentence_id", "frame_id", "matched"]).assign(score=0.5)
    frames = pd.DataFrame({"frame_id": ["oil", "unused"], "label": ["There for oil", "Never used"]})
    return sentences, groups, sf, frames


def row(table, group, item):
    return table[(table.group == group) & (table.item == item)].iloc[0]


def test_topic_shares_by_hand():
    sentences, groups, _, _ = tiny()
    t = prevalence_table(topic_counts(sentences), groups, "source", seed=3, n_boot=200, min_documents=2)
    assert list(t.columns) == PREVALENCE_COLUMNS
    r = row(t, "x", "0")   # x: clustered s0 s1 s2 s3 s5 -> topic 0 in s0 s1 s5
    assert (r.group_sentences, r.sentences, r.share_of_sentences) == (5, 3, pytest.approx(3 / 5))
    assert (r.group_documents, r.documents, r.share_of_documents) == (3, 2, pytest.approx(2 / 3))
    assert r.ci_low <= 0.6 <= r.ci_high and r.versus == "rest"
    assert r.versus_share_of_sentences == 0.0  # y: s6 s7 both topic 1
    assert not r.few_documents and row(t, "y", "0").few_documents
    # z has a document but no clustered sentence: the group keeps rows, with no share.
    z = row(t, "z", "0")
    assert z.group_documents == 0 and z.group_documents_all == 1 and np.isnan(z.share_of_sentences)
    assert np.isnan(z.p_value) and np.isnan(z.ci_low)


def test_frame_shares_by_hand_and_unused_frame():
    sentences, groups, sf, frames = tiny()
    t = prevalence_table(frame_counts(sentences, sf, frames), groups, "source", seed=3, n_boot=200)
    x, y = row(t, "x", "oil"), row(t, "y", "oil")
    assert (x.group_sentences, x.sentences, x.share_of_sentences) == (6, 2, pytest.approx(2 / 6))
    assert (x.documents, x.share_of_documents) == (1, pytest.approx(1 / 3))
    assert (y.group_sentences, y.sentences, y.share_of_sentences) == (2, 1, 0.5)
    assert x.label == "There for oil"
    # a frame nobody used is a row of zeros, not a missing row
    u = row(t, "x", "unused")
    assert u.sentences == 0 and u.share_of_sentences == 0 and u.p_value == 1.0
    assert "derived" in x.document_rule


def test_document_frames_matched_is_the_document_decision():
    sentences, groups, sf, frames = tiny()
    # the frames stage decided that d2 uses 'oil' (no single sentence matched) and d1 does not
    df = pd.DataFrame({"doc_id": ["d1", "d2", "d4"], "frame_id": ["oil"] * 3, "matched": [False, True, True]})
    t = prevalence_table(frame_counts(sentences, sf, frames, df), groups, "source", seed=3, n_boot=100)
    x = row(t, "x", "oil")
    assert x.documents == 1 and x.sentences == 2  # sentence level unchanged
    assert x.document_rule.startswith("document_frames.matched")


def test_one_document_group_has_a_flag_and_no_test():
    sentences, groups, _, _ = tiny()
    t = prevalence_table(topic_counts(sentences), groups, "source", seed=3, n_boot=100)
    y = row(t, "y", "1")
    assert y.few_documents and np.isnan(y.ci_low) and np.isnan(y.ci_high)  # nothing to resample
    assert np.isnan(y.p_value)  # the variance of one document is unknown
    assert 0 <= y.documents_p_value <= 1  # documents: Fisher's test still applies


def test_single_group_has_no_test():
    sentences, _, _, _ = tiny()
    groups = pd.Series({d: "all" for d in ["d1", "d2", "d3", "d4", "d5"]})
    t = prevalence_table(topic_counts(sentences), groups, "source", seed=3, n_boot=100)
    assert set(t.group) == {"all"} and t.p_value.isna().all() and t.q_value.isna().all()
    assert t.share_of_sentences.tolist() == pytest.approx([3 / 7, 4 / 7])


def test_two_named_groups_and_errors():
    sentences, groups, _, _ = tiny()
    t = prevalence_table(topic_counts(sentences), groups, "source", a="y", b="x", seed=3, n_boot=100)
    assert set(t.group) == {"x", "y"} and set(zip(t.group, t.versus)) == {("x", "y"), ("y", "x")}
    with pytest.raises(InputError, match="'w' is not a value of 'source'"):
        prevalence_table(topic_counts(sentences), groups, "source", a="w", b="x")
    with pytest.raises(InputError, match="both --a and --b"):
        prevalence_table(topic_counts(sentences), groups, "source", a="x")


def test_seeded_intervals_repeat():
    sentences, groups, _, _ = tiny()
    a = prevalence_table(topic_counts(sentences), groups, "source", seed=3, n_boot=100)
    b = prevalence_table(topic_counts(sentences), groups, "source", seed=3, n_boot=100)
    pd.testing.assert_frame_equal(a, b)


def test_difference_found_with_many_documents_and_bh_applied():
    docs = [f"d{i}" for i in range(60)]
    rows = []
    for i, d in enumerate(docs):
        for j in range(4):
            n0 = (4 if i % 2 == 0 else 2) if i < 30 else (2 if i % 2 == 0 else 0)  # a: 3 of 4 on average, b: 1 of 4
            topic = 0 if j < n0 else 1
            rows.append((f"{d}-{j}", d, topic))
    s = pd.DataFrame(rows, columns=["sentence_id", "doc_id", "topic"]).sample(frac=1, random_state=1)
    groups = pd.Series({d: "a" if i < 30 else "b" for i, d in enumerate(docs)})
    t = prevalence_table(topic_counts(s), groups, "g", seed=1, n_boot=200)
    r = row(t, "a", "0")
    assert r.share_of_sentences == 0.75 and r.versus_share_of_sentences == 0.25
    assert r.q_value < 1e-6 and r.q_value >= r.p_value


def test_zero_share_gets_a_conservative_upper_bound():
    s = pd.DataFrame({"sentence_id": [f"s{i}" for i in range(8)], "doc_id": ["a", "a", "b", "b", "c", "d", "e", "e"],
                      "topic": [0, 0, 0, 0, 0, 0, 1, 1]})
    groups = pd.Series({"a": "x", "b": "x", "c": "x", "d": "x", "e": "y"})
    t = prevalence_table(topic_counts(s), groups, "source", seed=1, n_boot=100)
    r = row(t, "x", "1")  # x never uses topic 1: all resamples give 0
    assert r.share_of_sentences == 0 and r.ci_low == 0
    z = 1.959963984540054
    assert r.ci_high == pytest.approx((z * z / 8) / (1 + z * z / 4) * 2)  # Wilson upper bound of 0 of 4
    one = row(t, "x", "0")
    assert one.share_of_sentences == 1 and one.ci_high == 1 and one.ci_low == pytest.approx(1 - r.ci_high)


def test_group_with_no_frame_at_all_has_zero_shares_and_a_test():
    sentences = pd.DataFrame({"sentence_id": [f"s{i}" for i in range(8)],
                              "doc_id": ["a", "a", "b", "b", "c", "c", "d", "d"]})
    groups = pd.Series({"a": "x", "b": "x", "c": "quiet", "d": "quiet"})
    sf = pd.DataFrame({"sentence_id": sentences.sentence_id, "frame_id": "oil",
                       "matched": [True, False, True, True, False, False, False, False]})
    t = prevalence_table(frame_counts(sentences, sf), groups, "source", seed=1, n_boot=100)
    q = row(t, "quiet", "oil")
    assert (q.sentences, q.share_of_sentences, q.documents, q.share_of_documents) == (0, 0.0, 0, 0.0)
    assert q.ci_low == 0 and 0 < q.ci_high < 1  # not a zero-width interval
    assert q.versus_share_of_sentences == 0.75 and 0 <= q.p_value <= 1


def test_small_group_with_zero_share_is_not_significant():
    # 40 documents in 'rest' use the item in a quarter of their sentences; two documents of 'tiny' never do
    rows = [(f"r{d}-{j}", f"r{d}", 0 if j == 0 else 1) for d in range(40) for j in range(4)]
    rows += [(f"t{d}-{j}", f"t{d}", 1) for d in range(2) for j in range(4)]
    s = pd.DataFrame(rows, columns=["sentence_id", "doc_id", "topic"])
    groups = pd.Series({**{f"r{d}": "big" for d in range(40)}, **{f"t{d}": "tiny" for d in range(2)}})
    t = prevalence_table(topic_counts(s), groups, "source", seed=1, n_boot=100)
    r = row(t, "tiny", "0")
    assert r.share_of_sentences == 0 and r.versus_share_of_sentences == pytest.approx(0.25)
    assert r.p_value > 0.01  # two documents cannot show this beyond doubt
