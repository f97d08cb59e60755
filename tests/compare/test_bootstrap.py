"""One bootstrap: every interval of compare, audience and evaluate draws its resamples in stats.bootstrap_weights."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing import stats
from framing.compare.audience import audience_table
from framing.compare.items import ItemCounts
from framing.frames.evaluate import bootstrap_intervals


@pytest.fixture
def draws(monkeypatch):
    """Record every call of the one bootstrap (and still draw)."""
    calls = []
    real = stats.bootstrap_weights

    def spy(n, n_boot, rng):
        calls.append((n, n_boot))
        return real(n, n_boot, rng)

    monkeypatch.setattr(stats, "bootstrap_weights", spy)
    return calls


def test_replicates_are_paired_sums_of_one_draw():
    y = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 1.0]])
    m = np.array([2.0, 3.0, 4.0])
    num, den = stats.bootstrap_sums(y, m, n_boot=50, rng=np.random.default_rng(3))
    w = stats.bootstrap_weights(3, 50, np.random.default_rng(3))
    np.testing.assert_array_equal(num, w @ y)
    np.testing.assert_array_equal(den, w @ m)
    assert (w.sum(axis=1) == 3).all()


def test_cluster_bootstrap_is_the_percentile_of_the_replicates(draws):
    y = np.array([[1.0], [0.0], [2.0], [1.0]])
    m = np.array([2.0, 2.0, 3.0, 1.0])
    low, high = stats.cluster_bootstrap(y, m, 300, np.random.default_rng(7))
    num, den = stats.bootstrap_sums(y, m, n_boot=300, rng=np.random.default_rng(7))
    expected = np.quantile(num / den[:, None], [0.025, 0.975], axis=0)
    np.testing.assert_array_equal([low, high], expected)
    assert draws == [(4, 300), (4, 300)]


def test_evaluate_intervals_use_the_one_bootstrap(draws):
    Y = np.array([[1, 0], [1, 1], [0, 1], [0, 0], [1, 0]], bool)
    P = np.array([[1, 0], [0, 1], [0, 1], [1, 0], [1, 0]], bool)
    per_frame, averages = bootstrap_intervals(Y, P, n_boot=40, seed=2)
    assert draws == [(5, 40)]
    assert per_frame.shape == (2, 2) and averages["micro_f1"][0] <= averages["micro_f1"][1]


def test_audience_intervals_use_the_one_bootstrap(draws):
    documents = pd.DataFrame({
        "doc_id": ["a1", "c1", "a2", "c2", "a3", "c3"],
        "page_id": ["p1", "p1", "p2", "p2", "p3", "p3"],
        "role": ["article", "comment"] * 3,
        "parent_id": [None, "a1", None, "a2", None, "a3"],
    })
    counts = ItemCounts(kind="frame", doc_ids=documents["doc_id"].to_numpy(), items=["f"], labels=["F"],
                        y=np.array([[1.0], [1.0], [0.0], [1.0], [2.0], [0.0]]),
                        m=np.array([3.0, 2.0, 4.0, 1.0, 2.0, 2.0]),
                        used=np.array([[True], [True], [False], [True], [True], [False]]),
                        document_rule="test", sentence_denominator="sentences")
    groups = pd.Series("outlet", index=documents["doc_id"])
    table = audience_table(counts, documents, groups, by="source", n_boot=30)
    assert draws == [(3, 30)]
    row = table[table["level"] == "group"].iloc[0]
    assert row["outlet_ci_low"] <= row["outlet_share_of_sentences"] <= row["outlet_ci_high"]
