"""topic_prevalence against counts worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from framing.compare import PREVALENCE_COLUMNS, month_of, topic_prevalence
from framing.errors import InputError


def sentences() -> pd.DataFrame:
    rows = [
        # topic, source, role, date
        (0, "a", "article", "2021-05-01"),
        (0, "a", "article", "2021-05-30"),
        (1, "a", "article", "2021-05-02"),
        (-1, "a", "article", "2021-05-03"),  # outlier: not counted anywhere
        (1, "a", "comment", "2021-05-04"),
        (1, "a", "comment", "2021-06-01"),
        (0, "b", "article", None),
        (2, "b", "article", "not a date"),
        (2, "b", "article", "2020-12-31"),
    ]
    return pd.DataFrame(rows, columns=["topic", "source", "role", "date"])


def test_counts_and_shares_by_hand():
    got = topic_prevalence(sentences())
    assert list(got.columns) == PREVALENCE_COLUMNS
    records = [tuple(r) for r in got.itertuples(index=False)]
    expected = [
        (0, "a", "article", "2021-05", 2, 2 / 3),
        (1, "a", "article", "2021-05", 1, 1 / 3),
        (1, "a", "comment", "2021-05", 1, 1.0),
        (1, "a", "comment", "2021-06", 1, 1.0),
        (2, "b", "article", "2020-12", 1, 1.0),
        (0, "b", "article", "unknown", 1, 0.5),
        (2, "b", "article", "unknown", 1, 0.5),
    ]
    assert [r[:5] for r in records] == [e[:5] for e in expected]
    assert [r[5] for r in records] == pytest.approx([e[5] for e in expected])


def test_shares_sum_to_one_per_group_and_outliers_excluded():
    got = topic_prevalence(sentences())
    sums = got.groupby(["source", "role", "month"]).share.sum()
    assert sums.round(12).eq(1.0).all()
    assert got["count"].sum() == (sentences().topic >= 0).sum()
    assert got.topic.dtype == "int64" and got["count"].dtype == "int64"


def test_nothing_clustered_gives_empty_table_with_columns():
    df = sentences().assign(topic=-1)
    got = topic_prevalence(df)
    assert got.empty and list(got.columns) == PREVALENCE_COLUMNS


def test_missing_source_or_role_becomes_unknown():
    df = pd.DataFrame({"topic": [3, 3], "source": [None, "x"], "role": ["post", None], "date": ["2022-01-02"] * 2})
    got = topic_prevalence(df)
    assert set(zip(got.source, got.role)) == {("unknown", "post"), ("x", "unknown")}


def test_missing_column_is_a_clear_error():
    with pytest.raises(InputError, match=r"\['date'\]"):
        topic_prevalence(sentences().drop(columns="date"))


def test_month_of():
    got = month_of(pd.Series(["2021-05-17", "2021-13-01", "", None, "2020-02"]))
    assert got.tolist() == ["2021-05", "unknown", "unknown", "unknown", "2020-02"]
