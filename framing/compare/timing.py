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
    doc_group = groups.reindex(counts.doc_ids).fillna(UNKNOWN).to_numpy(object)
    day = pd.to_datetime(dates.reindex(counts.doc_ids), errors="coerce", format="ISO8601").to_numpy()
    dated = ~pd.isna(day)
    rows = []
    for j, item in enumerate(counts.items):
        users = counts.used[:, j]
        if not users.any():
            continue
        per_group = []
        for g in sorted(set(doc_group[users])):
            mine = users & (doc_group == g)
            with_date = mine & dated
            if not with_date.any():
                continue
            idx = np.flatnonzero(with_date)
            first = idx[np.lexsort((counts.doc_ids[idx].astype(str), day[idx]))[0]]
            per_group.append((g, day[first], counts.doc_ids[first], int(with_date.sum()), int((mine & ~dated).sum())))
        if not per_group:
            continue
        earliest = min(p[1] for p in per_group)
        leaders = sorted(p[0] for p in per_group if p[1] == earliest)
        firsts = sorted({p[1] for p in per_group})
        for g, when, doc, n_dated, n_undated in sorted(per_group, key=lambda p: (p[1], p[0])):
            rows.append({
                "by": by, "kind": counts.kind, "item": item, "label": counts.labels[j], "group": g,
                "first_date": pd.Timestamp(when).date().isoformat(), "first_doc_id": doc,
                "dated_documents": n_dated, "undated_documents": n_undated, "groups_using": len(per_group),
                "shared": len(per_group) >= 2, "first_group": ", ".join(leaders),
                "lag_days": int((when - earliest) / np.timedelta64(1, "D")), "rank": firsts.index(when) + 1,
            })
    return pd.DataFrame(rows, columns=TIMING_COLUMNS)


def trend_table(counts: ItemCounts, groups: pd.Series, dates: pd.Series, by: str) -> pd.DataFrame:
    """Monthly shares of each item per group (months ``YYYY-MM``; undated documents under ``unknown``)."""
    doc_group = groups.reindex(counts.doc_ids).fillna(UNKNOWN).to_numpy(object)
    month = month_of(dates.reindex(counts.doc_ids).reset_index(drop=True)).to_numpy(object)
    keys = pd.DataFrame({"group": doc_group, "month": month})
    if keys.empty or not counts.items:
        return pd.DataFrame(columns=TREND_COLUMNS)
    y = pd.DataFrame(counts.y, columns=counts.items)
    used = pd.DataFrame(counts.used.astype(float), columns=counts.items)
    sent = pd.concat([keys, y], axis=1).groupby(["group", "month"]).sum()
    docs = pd.concat([keys, used], axis=1).groupby(["group", "month"]).sum()
    m = pd.concat([keys, pd.Series(counts.m, name="m")], axis=1).groupby(["group", "month"])["m"].agg(["sum", "size"])
    long = sent.stack().rename("sentences").to_frame().join(docs.stack().rename("documents"))
    long.index.names = ["group", "month", "item"]
    long = long[long["sentences"] + long["documents"] > 0].reset_index().merge(
        m.rename(columns={"sum": "group_sentences", "size": "group_documents"}), left_on=["group", "month"],
        right_index=True)
    labels = dict(zip(counts.items, counts.labels))
    long = long.assign(by=by, kind=counts.kind, label=long["item"].map(labels),
                       share_of_sentences=long["sentences"] / long["group_sentences"],
                       share_of_documents=long["documents"] / long["group_documents"])
    for col in ("sentences", "documents", "group_sentences", "group_documents"):
        long[col] = long[col].astype("int64")
    return long.sort_values(["group", "month", "item"])[TREND_COLUMNS].reset_index(drop=True)
