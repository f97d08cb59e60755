"""topic_prevalence, a view of compare_trend, against counts worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from framing.compare import PREVALENCE_COLUMNS, month_of, topic_counts, topic_prevalence
from framing.compare.timing import trend_table
from framing.errors import InputError

# doc, source, date, topics of its sentences (-1: outlier, counted nowhere)
DOCS = [
    ("d1", "a", "2021-05-01", [0, 0, 1, -1]),
    ("d2", "a", "2021-05-20", [1]),
    ("d3", "a", "2021-06-01", [1, 1]),
    ("d4", "b", None, [0, 2]),
    ("d5", "b", "2020-12-31", [2]),
]


def trend() -> pd.DataFrame:
    s = pd.DataFrame([(f"{d}-{i}", d, t) for d, _, _, ts in DOCS for i, t in enumerate(ts)],
                     columns=["sentence_id", "doc_id", "topic"])
    groups = pd.Series({d: src for d, src, _, _ in DOCS})
    dates = pd.Series({d: date for d, _, date, _ in DOCS})
    return pd.concat([trend_table(topic_counts(s), groups, dates, "source"),
                      trend_table(topic_counts(s), pd.Series({d: "all" for d, *_ in DOCS}), dates, "corpus")])


def test_counts_and_shares_by_hand():
    got = topic_prevalence(trend())
    assert list(got.columns) == PREVALENCE_COLUMNS and set(got["by"]) == {"source"}
    records = [tuple(r) for r in got[["topic", "group", "month", "sentences", "group_sentences", "documents",
                                      "group_documents"]].itertuples(index=False)]
    assert records == [
        (0, "a", "2021-05", 2, 4, 1, 2), (1, "a", "2021-05", 2, 4, 2, 2),
        (1, "a", "2021-06", 2, 2, 1, 1),
        (2, "b", "2020-12", 1, 1, 1, 1),
        (0, "b", "unknown", 1, 2, 1, 1), (2, "b", "unknown", 1, 2, 1, 1),
    ]
    assert got["share_of_sentences"].tolist() == pytest.approx([0.5, 0.5, 1.0, 1.0, 0.5, 0.5])
    assert got.topic.dtype == "int64"


def test_shares_sum_to_one_per_group_and_month():
    got = topic_prevalence(trend())
    assert got.groupby(["group", "month"]).share_of_sentences.sum().round(12).eq(1.0).all()
    assert got["sentences"].sum() == sum(t >= 0 for *_, ts in DOCS for t in ts)
    assert topic_prevalence(trend(), by="corpus")["group"].unique().tolist() == ["all"]


def test_empty_trend_gives_empty_view_with_columns():
    got = topic_prevalence(trend().iloc[0:0])
    assert got.empty and list(got.columns) == PREVALENCE_COLUMNS


def test_missing_grouping_or_columns_is_a_clear_error():
    with pytest.raises(InputError, match=r"no rows grouped by 'role'.*--by role"):
        topic_prevalence(trend(), by="role")
    with pytest.raises(InputError, match=r"lacks \['month'\]"):
        topic_prevalence(trend().drop(columns="month"))


def test_month_of():
    got = month_of(pd.Series(["2021-05-17", "2021-13-01", "", None, "2020-02"]))
    assert got.tolist() == ["2021-05", "unknown", "unknown", "unknown", "2020-02"]
