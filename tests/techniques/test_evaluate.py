"""The shared tasks' measures: span identification, technique classification, sentence and document level."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.techniques.evaluate import (document_level, sentence_level, span_identification,
                                         technique_classification)


def _spans(rows):
    return pd.DataFrame(rows, columns=["doc_id", "start", "end"])


def test_span_identification_is_the_semeval_partial_overlap_measure():
    gold = _spans([("a", 0, 10), ("a", 20, 30)])
    assert span_identification(gold, gold, n_boot=0)["f1"] == 1.0
    # one prediction covering half of one gold span: P = 5/10 / 1, R = (5/10) / 2
    out = span_identification(_spans([("a", 5, 15)]), gold, n_boot=0)
    assert out["precision"] == pytest.approx(0.5) and out["recall"] == pytest.approx(0.25)
    assert out["f1"] == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    assert span_identification(_spans([]), gold, n_boot=0)["f1"] == 0.0


def test_overlapping_gold_spans_of_two_techniques_are_merged():
    gold = _spans([("a", 0, 10), ("a", 5, 15)])  # e.g. loaded language inside an appeal to fear
    out = span_identification(_spans([("a", 0, 15)]), gold, n_boot=0)
    assert out["f1"] == 1.0 and out["gold"] == 1


def test_span_identification_interval_resamples_articles():
    gold = _spans([(d, 0, 10) for d in "abcdef"])
    pred = _spans([("a", 0, 10), ("b", 0, 10), ("c", 0, 10), ("d", 50, 60)])
    out = span_identification(pred, gold, n_boot=200, seed=1)
    assert out["f1_low"] < out["f1"] < out["f1_high"]
    assert out["articles"] == 6


def test_technique_classification_micro_f1_is_accuracy_over_coded_spans():
    gold = pd.DataFrame({"technique_id": ["x", "x", "y", "z"]})
    table, avg = technique_classification(gold, ["x", "y", "y", "x"], ["x", "y", "z"], n_boot=50)
    assert avg["micro_f1"] == pytest.approx(0.5)
    assert table.set_index("frame_id").loc["y", "f1"] == pytest.approx(2 / 3)
    assert {"f1_low", "f1_high"} <= set(table.columns)


def test_sentence_level_propaganda_or_not_counts_any_technique():
    s = pd.DataFrame({"doc_id": ["a"] * 3, "start": [0, 10, 20], "end": [9, 19, 29]})
    spans = pd.DataFrame({"doc_id": ["a"], "technique_id": ["x"], "start": [12], "end": [14]})
    matched = np.array([[False, True], [False, False], [False, False]])  # right sentence? no: wrong one, wrong technique
    table, fig = sentence_level(s, matched, spans, ["x", "y"], n_boot=0)
    assert fig["propaganda_f1"] == 0.0 and fig["propaganda_share"] == pytest.approx(1 / 3)
    matched = np.array([[False, False], [False, True], [False, False]])  # right sentence, wrong technique
    table, fig = sentence_level(s, matched, spans, ["x", "y"], n_boot=0)
    assert fig["propaganda_f1"] == 1.0 and fig["micro_f1"] == 0.0
    assert table.set_index("technique_id").loc["any", "support"] == 1


def test_document_level_scores_articles_that_have_a_span_of_the_technique():
    spans = pd.DataFrame({"doc_id": ["a", "b"], "technique_id": ["x", "y"], "start": [0, 0], "end": [1, 1]})
    dt = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "c", "c"], "technique_id": ["x", "y"] * 3,
                       "matched": [True, False, False, False, False, True]})
    table, avg = document_level(dt, spans, ["a", "b", "c"], ["x", "y"], n_boot=0)
    t = table.set_index("technique_id")
    assert t.loc["x", "f1"] == 1.0 and t.loc["y", "tp"] == 0 and t.loc["y", "fp"] == 1 and t.loc["y", "fn"] == 1
