"""Counts of topics per source, role and month (the `topic_prevalence` table).

Nothing here fits a model or reads a file: every function takes pandas
tables with the documented columns and returns a new table.

Examples
--------
>>> import pandas as pd
>>> sentences = pd.DataFrame({
...     "topic": [0, 0, 1, -1], "source": ["a", "a", "a", "a"],
...     "role": ["article"] * 4, "date": ["2021-05-01", "2021-05-09", "2021-05-20", None],
... })
>>> topic_prevalence(sentences)[["topic", "month", "count", "share"]].to_dict("records")
[{'topic': 0, 'month': '2021-05', 'count': 2, 'share': 0.6666666666666666}, {'topic': 1, 'month': '2021-05', 'count': 1, 'share': 0.3333333333333333}]
"""

from __future__ import annotations

import pandas as pd

from ..errors import InputError

PREVALENCE_COLUMNS = ["topic", "source", "role", "month", "count", "share"]
UNKNOWN = "unknown"


def month_of(dates: pd.Series) -> pd.Series:
    """``YYYY-MM`` of ISO dates (``YYYY-MM-DD`` or ``YYYY-MM``); ``"unknown"`` when missing or malformed.

    >>> month_of(pd.Series(["2021-05-17", None, "garbage", "2020-12"])).tolist()
    ['2021-05', 'unknown', 'unknown', '2020-12']
    """
    text = dates.astype("string").str.strip()
    month = text.str.extract(r"^(\d{4}-(?:0[1-9]|1[0-2]))(?:-\d{2})?", expand=False)
    return month.fillna(UNKNOWN).astype(object)


def topic_prevalence(sentences: pd.DataFrame) -> pd.DataFrame:
    """How much of each source x role x month the topics take.

    Only clustered sentences (``topic >= 0``) count: ``share`` is the count
    of a topic divided by all clustered sentences of the same source, role
    and month, so the shares of one group sum to 1.

    Parameters
    ----------
    sentences : DataFrame
        With columns ``topic`` (int, -1 = not clustered), ``source``,
        ``role`` and ``date`` (ISO ``YYYY-MM-DD`` string or None).
        Missing source or role becomes ``"unknown"``.

    Returns
    -------
    DataFrame
        Columns topic (int), source, role, month (``YYYY-MM`` or
        ``"unknown"``), count (int), share (float); sorted by source, role,
        month and topic. Empty (with these columns) when nothing is clustered.

    Raises
    ------
    InputError
        When a required column is missing.
    """
    missing = [c for c in ("topic", "source", "role", "date") if c not in sentences.columns]
    if missing:
        raise InputError(
            f"topic_prevalence needs the sentence columns {missing}; pass the sentences table "
            "after topics were added (columns topic, source, role, date)."
        )
    clustered = sentences.loc[sentences["topic"] >= 0]
    if clustered.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in
                             zip(PREVALENCE_COLUMNS, ["int64", object, object, object, "int64", "float64"])})
    frame = pd.DataFrame({
        "topic": clustered["topic"].astype("int64"),
        "source": clustered["source"].astype(object).where(clustered["source"].notna(), UNKNOWN),
        "role": clustered["role"].astype(object).where(clustered["role"].notna(), UNKNOWN),
        "month": month_of(clustered["date"]),
    })
    group = ["source", "role", "month"]
    counts = frame.groupby(group + ["topic"], sort=True).size().rename("count").reset_index()
    totals = counts.groupby(group)["count"].transform("sum")
    counts["share"] = counts["count"] / totals
    counts["count"] = counts["count"].astype("int64")
    return counts[PREVALENCE_COLUMNS].reset_index(drop=True)
