"""The "Who said it first" section: per frame, the first dated use by each source, from ``compare_timing``.

``first_use_timeline`` draws the table's rows (markers on a date axis), so the first source and the lag of the
others show at a glance; every value is a cell of the table, which the section also lists.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..common import PALETTE, esc, is_missing, text
from ..context import ReportContext
from ..data import item_name, kind_of, rows_of
from .base import Section

MAX_TIMELINE_GROUPS = 12
"""The timeline draws this many sources (most first uses first); the table lists all."""
MAX_TIMELINE_ITEMS = 40


def first_use_timeline(timing: pd.DataFrame | None, labels: dict[str, str] | None = None,
                       by: str = "source") -> go.Figure | None:
    """Per frame (rows), the first dated use by each source (markers on a date axis), from ``compare_timing``.

    Returns None when the table has no dated rows for ``by``.
    """
    labels = labels or {}
    kind = kind_of(timing, by)
    if kind is None:
        return None
    rows = rows_of(timing, by, kind)
    rows = rows.assign(group=rows["group"].map(text), item=rows["item"].map(text),
                       first_date=rows["first_date"].map(text))
    rows = rows[rows["first_date"].str.match(r"^\d{4}-\d{2}-\d{2}")]
    if rows.empty:
        return None
    first = rows.groupby("item")["first_date"].min().sort_values(kind="stable")
    items = list(first.index[:MAX_TIMELINE_ITEMS])
    rows = rows[rows["item"].isin(items)]
    names = {i: item_name(i, rows.loc[rows["item"] == i, "label"].iloc[0], labels) for i in items}
    uses = rows.groupby("group").size()
    groups = sorted(uses.index, key=lambda g: (-uses[g], g))
    shown = groups[:MAX_TIMELINE_GROUPS]
    fig = go.Figure()
    last = rows.groupby("item")["first_date"].max()
    fig.add_trace(go.Scatter(  # the span from the first to the last source to take the frame up
        x=[d for i in items for d in (first[i], last[i], None)], y=[names[i] for i in items for _ in range(3)],
        mode="lines", line={"color": "#cbd5e1", "width": 6}, hoverinfo="skip", showlegend=False))
    for k, g in enumerate(shown):
        part = rows[rows["group"] == g]
        lag = pd.to_numeric(part["lag_days"], errors="coerce").fillna(0).to_numpy(float)
        rank = pd.to_numeric(part["rank"], errors="coerce").fillna(0).to_numpy(float)
        custom = np.stack([lag, rank], axis=1)
        docs = [esc(d) for d in part["first_doc_id"].map(lambda v: "" if is_missing(v) else text(v))]
        fig.add_trace(go.Scatter(
            x=part["first_date"].tolist(), y=[names[i] for i in part["item"]], mode="markers", name=esc(g),
            marker={"size": 11, "color": PALETTE[k % len(PALETTE)], "symbol": k // 10,
                    "line": {"width": 1, "color": "white"}},
            customdata=custom, text=docs,
            hovertemplate=(f"{esc(g)}<br>%{{y}}: first on %{{x|%Y-%m-%d}}<br>rank %{{customdata[1]}}, "
                           "%{customdata[0]} days after the first<br>doc_id %{text}<extra></extra>")))
    more = f"; the {len(shown)} sources with most first uses of {len(groups)} (the table lists all)" \
        if len(groups) > len(shown) else ""
    fig.update_layout(
        title=(f"Who said it first: each {kind}'s first dated use per {esc(by)}<br><sup>from compare_timing; "
               f"grey: from the first to the last {esc(by)} to take it up; undated documents left out{more}</sup>"),
        xaxis={"title": "First dated use", "type": "date"},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        height=max(340, 30 * len(items) + 200), legend={"title": esc(by)},
    )
    return fig


def telling_items(ctx: ReportContext) -> set[str]:
    """Frames whose first use came after the corpus began to cover their subject (see
    :func:`framing.report.sections.frame_leads.telling`)."""
    from .frame_leads import subject_dates, telling

    df = rows_of(ctx.tables.get("compare_timing"), "source", "frame")
    if df.empty or "rank" not in df.columns:
        return set()
    subjects = ctx.memo(subject_dates)
    first = df[pd.to_numeric(df["rank"], errors="coerce") == 1]
    return {text(i) for i, d in zip(first["item"], first["first_date"]) if telling(text(d), subjects.get(text(i)))}


def view(ctx: ReportContext) -> dict:
    return {"table": ctx.cmp.get("compare_timing"), "telling": len(ctx.memo(telling_items)),
            "kind": kind_of(ctx.tables.get("compare_timing"), "source")}


def figures(ctx: ReportContext) -> dict[str, go.Figure]:
    timing = ctx.tables.get("compare_timing")
    if kind_of(timing, "source") == "frame":  # frames: only those whose first use says something
        timing = timing[~((timing["kind"].astype(str) == "frame") & ~timing["item"].map(text).isin(ctx.memo(telling_items)))]
    fig = first_use_timeline(timing, ctx.frame_labels)
    return {} if fig is None else {"first_use": fig}


SECTION = Section("timing", "sections/timing.html.j2", view, label="Who said it first", figures=figures)
