"""Who said it first, and how each group's topics and frames move over time.

``timing_table``: for every topic or frame, the first date each group used
it (a document that uses the item, with a date), which document that was,
and the lag behind the first group. Items used by two groups or more are
``shared``. Documents without a date are left out of the timing, and
counted (``undated_documents``) so that a missing date is visible.

``trend_table``: per group and month, the item's share of the group's
counted sentences and of its documents in that month (``group_sentences``,
``group_documents``: the group's in that month; rows only where the item
occurs; absent rows are zero).

Examples
--------
>>> s = pd.DataFrame({"sentence_id": list("abc"), "doc_id": ["d1", "d2", "d3"], "topic": [0, 0, 0]})
>>> g = pd.Series({"d1": "x", "d2": "y", "d3": "y"})
>>> dates = pd.Series({"d1": "2020-03-10", "d2": "2020-03-01", "d3": None})
>>> timing_table(topic_counts(s), g, dates, "source")[["group", "first_date", "lag_days", "rank"]].values.tolist()
[['y', '2020-03-01', 0, 1], ['x', '2020-03-10', 9, 2]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .counts import UNKNOWN, month_of
from .items import ItemCounts, topic_counts  # noqa: F401  (topic_counts: doctest)

TIMING_COLUMNS = ["by", "kind", "item", "label", "group", "first_date", "first_doc_id", "dated_documents",
                  "undated_documents", "groups_using", "shared", "first_group", "lag_days", "rank"]
TREND_COLUMNS = ["by", "kind", "item", "label", "group", "month", "sentences", "group_sentences",
                 "share_of_sentences", "documents", "group_documents", "share_of_documents"]


def _used_pairs(counts: ItemCounts, groups: pd.Series) -> pd.DataFrame:
    """One row per (document, item) the document uses: doc, item index, group."""
    di, ii = np.nonzero(counts.used)
    doc_group = groups.reindex(counts.doc_ids).fillna(UNKNOWN).to_numpy(object)
    return pd.DataFrame({"doc": counts.doc_ids[di].astype(str), "j": ii, "group": doc_group[di]})


def timing_table(counts: ItemCounts, groups: pd.Series, dates: pd.Series, by: str) -> pd.DataFrame:
    """First use of each item by each group, and the lag behind the first group.

    Parameters
    ----------
    counts : ItemCounts
    groups : Series of str indexed by doc_id
    dates : Series of ISO date strings (or None) indexed by doc_id
    by : str

    Returns
    -------
    DataFrame with :data:`TIMING_COLUMNS`, one row per item x group that used it
    in a dated document; ``rank`` 1 is the first group (ties share a rank).
    """
    pairs = _used_pairs(counts, groups)
    if pairs.empty:
        return pd.DataFrame(columns=TIMING_COLUMNS)
    day = pd.to_datetime(dates.reindex(pairs["doc"]).to_numpy(object), errors="coerce", format="ISO8601")
    pairs["day"] = day
    undated = pairs[pairs["day"].isna()].groupby(["j", "group"]).size().rename("undated_documents")
    dated = pairs.dropna(subset=["day"])
    if dated.empty:
        return pd.DataFrame(columns=TIMING_COLUMNS)
    first = dated.sort_values(["j", "group", "day", "doc"]).drop_duplicates(["j", "group"])
    first = first.join(dated.groupby(["j", "group"]).size().rename("dated_documents"), on=["j", "group"])
    first = first.join(undated, on=["j", "group"])
    by_item = first.groupby("j")["day"]
    first["lag_days"] = ((first["day"] - by_item.transform("min")) / np.timedelta64(1, "D")).astype("int64")
    first["rank"] = by_item.rank(method="dense").astype("int64")
    first["groups_using"] = first.groupby("j")["group"].transform("size").astype("int64")
    leaders = first[first["rank"] == 1].sort_values("group").groupby("j")["group"].agg(", ".join)
    out = pd.DataFrame({
        "by": by, "kind": counts.kind, "item": [counts.items[j] for j in first["j"]],
        "label": [counts.labels[j] for j in first["j"]], "group": first["group"].to_numpy(object),
        "first_date": first["day"].dt.strftime("%Y-%m-%d").to_numpy(object), "first_doc_id": first["doc"].to_numpy(object),
        "dated_documents": first["dated_documents"].astype("int64").to_numpy(),
        "undated_documents": first["undated_documents"].fillna(0).astype("int64").to_numpy(),
        "groups_using": first["groups_using"].to_numpy(), "shared": (first["groups_using"] >= 2).to_numpy(),
        "first_group": first["j"].map(leaders).to_numpy(object), "lag_days": first["lag_days"].to_numpy(),
        "rank": first["rank"].to_numpy(), "_j": first["j"].to_numpy(),
    })
    return out.sort_values(["_j", "lag_days", "group"]).drop(columns="_j")[TIMING_COLUMNS].reset_index(drop=True)


def trend_table(counts: ItemCounts, groups: pd.Series, dates: pd.Series, by: str) -> pd.DataFrame:
    """Monthly shares of each item per group (months ``YYYY-MM``; undated documents under ``unknown``)."""
    if not len(counts.doc_ids) or not counts.items:
        return pd.DataFrame(columns=TREND_COLUMNS)
    doc_group = groups.reindex(counts.doc_ids).fillna(UNKNOWN).to_numpy(object)
    month = month_of(dates.reindex(counts.doc_ids).reset_index(drop=True)).to_numpy(object)
    di, ii = np.nonzero((counts.y > 0) | counts.used)
    if not len(di):
        return pd.DataFrame(columns=TREND_COLUMNS)
    long = pd.DataFrame({"group": doc_group[di], "month": month[di], "j": ii, "sentences": counts.y[di, ii],
                         "documents": counts.used[di, ii].astype("int64")})
    long = long.groupby(["group", "month", "j"], as_index=False)[["sentences", "documents"]].sum()
    base = pd.DataFrame({"group": doc_group, "month": month, "m": counts.m}).groupby(["group", "month"]).agg(
        group_sentences=("m", "sum"), group_documents=("m", "size"))
    long = long.join(base, on=["group", "month"])
    long = long.assign(by=by, kind=counts.kind, item=[counts.items[j] for j in long["j"]],
                       label=[counts.labels[j] for j in long["j"]],
                       share_of_sentences=long["sentences"] / long["group_sentences"],
                       share_of_documents=long["documents"] / long["group_documents"])
    for col in ("sentences", "documents", "group_sentences", "group_documents"):
        long[col] = long[col].astype("int64")
    return long.sort_values(["group", "month", "item"])[TREND_COLUMNS].reset_index(drop=True)
