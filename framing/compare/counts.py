"""Months, and ``topic_prevalence``: a view of ``compare_trend`` (topics per group and month).

The share of each topic per source and month is computed once, by
:func:`framing.compare.timing.trend_table` into ``compare_trend`` (column
names say the denominator: ``share_of_sentences`` of the group's clustered
sentences that month, ``share_of_documents``). Runs no longer store a
``topic_prevalence`` table; :func:`topic_prevalence` reads those rows under
the topic's number.

Examples
--------
>>> import pandas as pd
>>> trend = pd.DataFrame({"by": ["source"] * 3, "kind": ["topic", "topic", "frame"], "item": ["0", "1", "oil"],
...                       "label": ["0_a", "1_b", "Oil"], "group": ["x"] * 3, "month": ["2021-05"] * 3,
...                       "sentences": [2, 1, 1], "group_sentences": [3, 3, 4],
...                       "share_of_sentences": [2 / 3, 1 / 3, 0.25], "documents": [1, 1, 1], "group_documents": [1, 1, 1],
...                       "share_of_documents": [1.0, 1.0, 1.0]})
>>> topic_prevalence(trend)[["topic", "group", "sentences", "group_sentences"]].values.tolist()
[[0, 'x', 2, 3], [1, 'x', 1, 3]]
"""

from __future__ import annotations

import pandas as pd

from ..errors import InputError

PREVALENCE_COLUMNS = ["topic", "label", "by", "group", "month", "sentences", "group_sentences", "share_of_sentences",
                      "documents", "group_documents", "share_of_documents"]
"""The columns of :func:`topic_prevalence` (those of ``compare_trend``, with ``topic`` for ``item``)."""
UNKNOWN = "unknown"


def month_of(dates: pd.Series) -> pd.Series:
    """``YYYY-MM`` of ISO dates (``YYYY-MM-DD`` or ``YYYY-MM``); ``"unknown"`` when missing or malformed.

    >>> month_of(pd.Series(["2021-05-17", None, "garbage", "2020-12"])).tolist()
    ['2021-05', 'unknown', 'unknown', '2020-12']
    """
    text = dates.astype("string").str.strip()
    month = text.str.extract(r"^(\d{4}-(?:0[1-9]|1[0-2]))(?:-\d{2})?", expand=False)
    return month.fillna(UNKNOWN).astype(object)


def topic_prevalence(compare_trend: pd.DataFrame, by: str = "source") -> pd.DataFrame:
    """Topics per group and month: the topic rows of ``compare_trend`` for one grouping.

    ``share_of_sentences`` is the topic's clustered sentences divided by all
    clustered sentences (``topic >= 0``) of the group in that month, so the
    shares of one group and month sum to 1; ``share_of_documents`` divides the
    documents that use the topic by the group's documents with a clustered
    sentence that month. Undated documents fall under the month ``unknown``.
    Only topics that occur have rows (absent rows are zero).

    Parameters
    ----------
    compare_trend : DataFrame
        The run's ``compare_trend`` table.
    by : str
        The grouping (``source`` is always computed by ``framing analyze``;
        ``role`` where comments exist; others after ``framing compare --by``).

    Returns
    -------
    DataFrame with :data:`PREVALENCE_COLUMNS`, sorted by group, month and topic.

    Raises
    ------
    InputError
        When the table lacks its columns, or has rows but none for ``by``.
    """
    missing = [c for c in ("by", "kind", "item", "group", "month", "sentences", "share_of_sentences")
               if c not in compare_trend.columns]
    if missing:
        raise InputError(f"topic_prevalence reads the compare_trend table; this table lacks {missing}. "
                         "Give the compare_trend table of a run written by `framing analyze`.")
    if len(compare_trend) and by not in set(compare_trend["by"]):
        raise InputError(f"compare_trend has no rows grouped by {by!r} (it has: "
                         f"{', '.join(sorted(map(str, set(compare_trend['by']))))}); run `framing compare RUN --by {by}`.")
    rows = compare_trend[(compare_trend["by"] == by) & (compare_trend["kind"] == "topic")]
    out = rows.assign(topic=pd.to_numeric(rows["item"], errors="raise").astype("int64"))
    out = out.reindex(columns=PREVALENCE_COLUMNS)
    return out.sort_values(["group", "month", "topic"], kind="stable").reset_index(drop=True)
