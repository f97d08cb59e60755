"""Reading the statistics the report shows out of the run's tables, in one shape.

The report computes no statistic of its own: shares, intervals and first
dates live in the comparison tables (``compare_prevalence``,
``compare_timing``, ... written by :mod:`framing.compare`), their one home:
a run without them shows no share (``framing compare RUN_DIR`` adds them).
Each reader here picks the table, keeps the rows the report needs and names
the denominator.

Examples
--------
>>> p = frame_prevalence(tables)        # doctest: +SKIP
>>> p.denominator, p.table              # doctest: +SKIP
('documents', 'compare_prevalence')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from .common import denominator, esc, text

COUNT_COLUMNS = ("count", "matched", "matched_documents", "documents", "matched_sentences", "sentences", "n_matched")
TOTAL_COLUMNS = ("total", "n", "n_documents", "n_sentences", "group_documents", "group_sentences", "group_size")
PERIOD_COLUMNS = ("period", "month", "year", "date")


@dataclass(frozen=True)
class Shares:
    """Shares of items (frames or topics) per group, read from one table.

    rows : DataFrame with columns group, item, share, count, total, ci_low, ci_high
        (NaN where the table has no such column).
    denominator : what the share divides by, in words ("documents", "sentences" ...).
    table : the table the rows come from.
    by : the grouping column (source, role, ...).
    has_ci : whether the table holds intervals.
    """

    rows: pd.DataFrame
    denominator: str
    table: str
    by: str
    has_ci: bool


def _first(columns, names) -> str | None:
    return next((c for c in names if c in columns), None)


def share_column(df: pd.DataFrame) -> str | None:
    """The ``share_of_*`` column of a comparison table (``share`` as a last resort)."""
    named = [c for c in df.columns if str(c).startswith("share_of_")]
    return named[0] if named else ("share" if "share" in df.columns else None)


def _compare_rows(tables: Mapping[str, pd.DataFrame], name: str, kind: str, by: str) -> pd.DataFrame | None:
    df = tables.get(name)
    if df is None or not {"group", "item"} <= set(df.columns):
        return None
    if "kind" in df.columns:
        df = df[df["kind"].astype(str) == kind]
    if "by" in df.columns:
        df = df[df["by"].astype(str) == by]
    return df


def _shares(df: pd.DataFrame, table: str, by: str, share: str, count: str | None, total: str | None,
            ci: tuple[str, str] | None = ("ci_low", "ci_high")) -> Shares:
    def col(name):
        return pd.to_numeric(df[name], errors="coerce") if name and name in df.columns else float("nan")

    rows = pd.DataFrame({
        "group": df["group"].map(text) if "group" in df.columns else df[by].map(text),
        "item": df["item"].map(text) if "item" in df.columns else df["frame_id"].map(text),
        "label": df["label"].map(text) if "label" in df.columns else "",
        "share": col(share), "count": col(count), "total": col(total),
        "ci_low": col(ci[0] if ci else None), "ci_high": col(ci[1] if ci else None),
        "few": df["few_documents"].astype(bool) if "few_documents" in df.columns else False,
    }).reset_index(drop=True)
    return Shares(rows, denominator(share), table, by, bool(rows["ci_low"].notna().any()))


def _level_shares(df: pd.DataFrame, table: str, by: str, levels: tuple[str, ...]) -> Shares | None:
    """Shares at the first level the table has: ``share_of_L`` over ``group_L``, count ``L``, interval
    ``L_ci_low``/``L_ci_high`` (``ci_low``/``ci_high`` belong to the sentence level)."""
    for level in levels:
        share = f"share_of_{level}"
        if share not in df.columns:
            continue
        ci = next(((lo, hi) for lo, hi in [(f"{level}_ci_low", f"{level}_ci_high")]
                   + ([("ci_low", "ci_high")] if level == "sentences" else []) if lo in df.columns), None)
        count = level if level in df.columns else _first(df.columns, COUNT_COLUMNS)
        total = f"group_{level}" if f"group_{level}" in df.columns else _first(df.columns, TOTAL_COLUMNS)
        out = _shares(df, table, by, share, count, total, ci)
        what = f"the {by}'s {level}" + (" with a counted sentence" if level == "documents" else "")
        return Shares(out.rows, what, table, by, out.has_ci)
    share = share_column(df)
    return _shares(df, table, by, share, _first(df.columns, COUNT_COLUMNS), _first(df.columns, TOTAL_COLUMNS)) \
        if share else None


def frame_prevalence(tables: Mapping[str, pd.DataFrame], by: str = "source") -> Shares | None:
    """Frame shares per group with intervals, from ``compare_prevalence`` (their one home).

    Returns None when the run has no such rows (``framing compare RUN_DIR --by BY`` writes them).
    """
    df = _compare_rows(tables, "compare_prevalence", "frame", by)
    if df is None or df.empty:
        return None
    return _level_shares(df, "compare_prevalence", by, ("documents", "sentences"))


def topic_shares(tables: Mapping[str, pd.DataFrame], by: str = "source",
                 level: str = "sentences") -> Shares | None:
    """Topic shares per group from ``compare_prevalence`` (kind topic), with intervals.

    ``level`` is ``sentences`` (share of the group's clustered sentences) or ``documents``
    (share of its documents with a clustered sentence). The rows get an int ``topic``
    column and the group in ``source`` as well as ``group``. None without such rows.
    """
    df = _compare_rows(tables, "compare_prevalence", "topic", by)
    shares = _level_shares(df, "compare_prevalence", by, (level,)) if df is not None and len(df) else None
    if shares is None:
        return None
    rows = shares.rows.assign(topic=pd.to_numeric(shares.rows["item"], errors="coerce"))
    rows = rows.dropna(subset=["topic"]).astype({"topic": int})
    rows = rows.assign(source=rows["group"])
    return Shares(rows, shares.denominator, shares.table, by, shares.has_ci)


def topic_source_shares(tables: Mapping[str, pd.DataFrame]) -> Shares | None:
    """Topic shares of each source's clustered sentences (``compare_prevalence``, by source)."""
    return topic_shares(tables, "source", "sentences")


@dataclass(frozen=True)
class Timing:
    """Frame counts and shares per group and period, read from ``compare_timing``."""

    rows: pd.DataFrame  # group, item, period, share, count, total
    denominator: str
    table: str
    by: str = "source"


def frame_timing(tables: Mapping[str, pd.DataFrame], by: str = "source") -> Timing | None:
    """Frames over time per group from ``compare_trend`` (monthly shares); None when the run has no such rows."""
    df = _compare_rows(tables, "compare_trend", "frame", by)
    if df is None or df.empty:
        return None
    period = _first(df.columns, PERIOD_COLUMNS)
    base = _level_shares(df, "compare_trend", by, ("documents", "sentences"))
    if period is None or base is None:
        return None
    rows = base.rows.assign(period=df[period].map(text).to_numpy())
    return Timing(rows, base.denominator, "compare_trend", by)


def rows_of(df: pd.DataFrame | None, by: str, kind: str | None, **equal) -> pd.DataFrame:
    """The rows of a comparison table for one grouping ``by``, ``kind`` and any other column values."""
    if df is None or df.empty:
        return pd.DataFrame()
    keep = pd.Series(True, index=df.index)
    for col, value in {"by": by, "kind": kind, **equal}.items():
        if value is not None and col in df.columns:
            keep &= df[col].astype(str) == value
    return df[keep]


def kind_of(df: pd.DataFrame | None, by: str, **equal) -> str | None:
    """``frame`` when the table has frame rows for ``by``, else ``topic``, else None."""
    for kind in ("frame", "topic"):
        if len(rows_of(df, by, kind, **equal)):
            return kind
    return None


def item_name(item: str, label: object, labels: dict[str, str]) -> str:
    """An item's display name (escaped): its label from the catalog, the table's label, or its id."""
    return esc(labels.get(item) or text(label) or item)
