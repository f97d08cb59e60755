"""The frames section's "most in" and "who said it first": which source leads a frame, and when a first use says something.

Both read tables only: shares from ``compare_prevalence``, first uses from ``compare_timing``, when the
corpus began to cover a frame's subject from ``corpus_counts``.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..common import is_missing, text
from ..context import ReportContext
from ..data import frame_prevalence


MIN_LEADER_DOCUMENTS = 25
""""Most in" compares sources with at least this many documents: a share's 95% interval from fewer is wider
than about +-20 points (1.96 * sqrt(0.25 / n) for a share near 50%), too wide to crown a source."""


def leader_sources(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """The sources "most in" compares: those with at least :data:`MIN_LEADER_DOCUMENTS` documents
    (``compare_prevalence``'s group documents)."""
    prev = frame_prevalence(tables)
    if prev is None or prev.rows.empty:
        return []
    docs = prev.rows.groupby("group")["documents"].max()
    return sorted(g for g, n in docs.items() if not is_missing(n) and n >= MIN_LEADER_DOCUMENTS)


def _frame_leaders(tables: Mapping[str, pd.DataFrame]) -> dict[str, dict]:
    """Per frame, the source where the table gives it the largest share, among the sources with at least
    :data:`MIN_LEADER_DOCUMENTS` documents, when at least two sources have that many."""
    prev = frame_prevalence(tables)
    eligible = leader_sources(tables)
    if prev is None or prev.rows.empty or len(eligible) < 2:
        return {}
    rows = prev.rows[(prev.rows["share"] > 0) & prev.rows["group"].isin(eligible)]
    rows = rows.sort_values(["share", "count"], ascending=[False, False], kind="stable")
    out = {}
    for item, part in rows.groupby("item", sort=False):
        r = part.iloc[0]
        out[item] = {"group": r["group"], "share": float(r["share"]), "few": bool(r["few"]),
                     "ci": (float(r["ci_low"]), float(r["ci_high"])) if prev.has_ci and not is_missing(r["ci_low"]) else None,
                     "count": None if is_missing(r["count"]) else int(r["count"]),
                     "total": None if is_missing(r["total"]) else int(r["total"]), "denominator": prev.denominator,
                     "table": prev.table}
    return out


def telling(first_date: str, subject_first: str | None) -> bool:
    """Whether a frame's first use says who brought it: it came after the corpus began to cover its subject.

    A first use on the day the corpus first covers the frame's subject (the topics of its matched
    sentences) only tells who covered the subject first.

    >>> telling("2020-03-01", "2020-01-15"), telling("2020-01-15", "2020-01-15"), telling("2020-01-15", None)
    (True, False, False)
    """
    return bool(first_date and subject_first and first_date > subject_first)


def subject_dates(ctx: ReportContext) -> dict[str, str]:
    """Per frame, when the corpus began to cover its subject (``corpus_counts``, by frame)."""
    return {text(r["group"]): text(r["subject_first_date"]) for r in ctx.counts_by("frame").to_dict("records")
            if not is_missing(r["subject_first_date"])}


def _frame_firsts(tables: Mapping[str, pd.DataFrame], subjects: Mapping[str, str] | None = None) -> dict[str, dict]:
    """Per frame, the first source to use it and when (``compare_timing``, rank 1), and whether that says
    something (:func:`telling`, against ``subjects``: when the corpus began to cover the frame's subject)."""
    df = tables.get("compare_timing")
    if df is None or not {"item", "group", "first_date", "rank"} <= set(df.columns):
        return {}
    if "by" in df.columns:
        df = df[df["by"].astype(str) == "source"]
    if "kind" in df.columns:
        df = df[df["kind"].astype(str) == "frame"]
    out: dict[str, dict] = {}
    for r in df[pd.to_numeric(df["rank"], errors="coerce") == 1].itertuples(index=False):
        entry = out.setdefault(text(r.item), {"date": text(r.first_date), "groups": [],
                                              "using": None if is_missing(getattr(r, "groups_using", None))
                                              else int(r.groups_using)})
        entry["groups"].append(text(r.group))
    for item, entry in out.items():
        entry["subject"] = (subjects or {}).get(item)
        entry["telling"] = telling(entry["date"], entry["subject"])
    return out
