"""The page's sortable tables: any table as rows of (shown text, sort key) cells, and the comparison tables.

Examples
--------
>>> import pandas as pd
>>> data_table(pd.DataFrame({"share_of_documents": [0.25], "n": [1200]}))["rows"]
[[('25.0%', 0.25), ('1,200', 1200)]]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .common import is_missing, text

MAX_TABLE_ROWS = 500
COMPARE_TABLES = {  # (compare_trend is drawn, not listed)
    "compare_prevalence": "Prevalence by group, with intervals",
    "compare_terms": "Distinctive terms",
    "compare_divergence": "How far apart groups are",
    "compare_timing": "Who said it first",
    "compare_audience": "Outlet against comments",
}


def _cell(column: str, value: object) -> tuple[str, object]:
    """(shown text, sort key) of one cell."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return ", ".join(text(v) for v in value), ""
    if is_missing(value):
        return "", ""
    if isinstance(value, (bool, np.bool_)):
        return ("yes" if value else "no"), int(value)
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}", int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if "share" in column or column.endswith(("ci_low", "ci_high")) or column == "difference":
            return f"{v:.1%}", v
        return f"{v:.3g}" if abs(v) < 1e4 else f"{v:,.0f}", v
    return text(value), text(value)


def data_table(df: pd.DataFrame, limit: int = MAX_TABLE_ROWS, sort_by: str | None = None) -> dict:
    """Any table as header + rows of (text, sort key) cells, at most ``limit`` rows, for the page's sortable tables."""
    if sort_by and sort_by in df.columns:
        df = df.sort_values(sort_by, ascending=False, kind="stable")
    cols = [str(c) for c in df.columns]
    rows = [[_cell(c, v) for c, v in zip(cols, rec)] for rec in df.head(limit).itertuples(index=False)]
    filters = [c for c in cols if c in ("by", "group", "kind", "source", "role", "group_a", "group_b")
               and df[c].nunique() <= 60]
    return {"columns": cols, "rows": rows, "total": len(df), "filters": filters}


# How each comparison table is shown: rows kept, columns first (the rest follow), sort order.
COMPARE_VIEWS = {
    "compare_prevalence": ({}, ["by", "group", "kind", "item", "label", "share_of_documents", "documents_ci_low",
                                "documents_ci_high", "documents", "group_documents", "share_of_sentences", "ci_low",
                                "ci_high", "q_value", "few_documents"], ["by", "kind", "item", "group"], True),
    "compare_terms": ({"scope": "all"}, ["by", "group", "rank", "term", "count", "versus_count", "log_odds", "z"],
                      ["by", "group", "rank"], True),
    "compare_divergence": ({}, ["by", "kind", "group_a", "group_b", "jsd", "count_a", "count_b", "few_documents"],
                           ["by", "kind", "jsd"], True),
    "compare_timing": ({}, ["by", "kind", "label", "item", "group", "rank", "first_date", "lag_days", "shared",
                           "groups_using", "first_doc_id", "dated_documents", "undated_documents"],
                       ["by", "kind", "item", "rank"], True),
    "compare_audience": ({"level": "group"}, ["by", "group", "kind", "label", "pages", "outlet_share_of_sentences",
                                              "outlet_ci_low", "outlet_ci_high", "audience_share_of_sentences",
                                              "audience_ci_low", "audience_ci_high", "difference", "ci_low", "ci_high",
                                              "amplified_pages", "ignored_pages", "introduced_pages",
                                              "contest_measurable", "contested_pages", "contest_share_of_comments",
                                              "contest_ci_low", "contest_ci_high", "few_documents"],
                         ["by", "group", "kind", "item"], True),
}


# Value columns shown with their interval in one cell: "12.0% [5.0% – 20.0%]".
INTERVALS = [("share_of_documents", "documents_ci_low", "documents_ci_high"), ("share_of_sentences", "ci_low", "ci_high"),
             ("outlet_share_of_sentences", "outlet_ci_low", "outlet_ci_high"),
             ("audience_share_of_sentences", "audience_ci_low", "audience_ci_high"), ("difference", "ci_low", "ci_high"),
             ("contest_share_of_comments", "contest_ci_low", "contest_ci_high")]


def _with_intervals(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, tuple[str, str]]]:
    merged = {}
    for value, lo, hi in INTERVALS:
        if {value, lo, hi} <= set(df.columns) and lo not in [m for pair in merged.values() for m in pair]:
            merged[value] = (lo, hi)
    drop = [c for pair in merged.values() for c in pair]
    return df.drop(columns=drop), {v: pair for v, pair in merged.items()} if merged else {}


def compare_sections(tables: Mapping[str, pd.DataFrame]) -> dict[str, dict | None]:
    """Each comparison table (``compare_*``) as a page table; None where the run has not computed it."""
    out: dict[str, dict | None] = {}
    for name in COMPARE_TABLES:
        df = tables.get(name)
        if df is None or df.empty:  # e.g. compare_audience of a corpus without comments
            out[name] = None
            continue
        keep, first, order, _ = COMPARE_VIEWS.get(name, ({}, [], [], True))
        for col, value in keep.items():
            if col in df.columns:
                df = df[df[col].astype(str) == value]
        cols = [c for c in first if c in df.columns]
        df = df[cols] if cols else df
        order = [c for c in order if c in df.columns]
        if order:
            df = df.sort_values(order, kind="stable")
        shown, merged = _with_intervals(df)
        table = data_table(shown)
        for value, (lo, hi) in merged.items():
            k = table["columns"].index(value)
            table["columns"][k] = f"{value} [95% interval]"
            for row, a, b in zip(table["rows"], df[lo].head(MAX_TABLE_ROWS), df[hi].head(MAX_TABLE_ROWS)):
                shown_text, key = row[k]
                if shown_text and not is_missing(a) and not is_missing(b):
                    row[k] = (f"{shown_text} [{float(a):.1%} – {float(b):.1%}]", key)
        out[name] = table
    return out
