"""Frame figures: prevalence by source with intervals, a source x frame heatmap, frames over time.

Each takes the rows :mod:`framing.report.data` read from the run's tables and
draws them; none computes a share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .common import PALETTE, ROLE_COLORS, esc, pct_format
from .data import Shares, Timing

MAX_GROUPS_BARS = 8
"""The bar chart shows this many groups (the largest); the heatmap shows all."""


def _label(item: str, labels: dict[str, str]) -> str:
    return esc(labels.get(item, item))


def _groups_by_size(rows: pd.DataFrame) -> list[str]:
    size = rows.groupby("group")["count"].sum() if rows["count"].notna().any() else rows.groupby("group").size()
    return sorted(size.index, key=lambda g: (-size[g], g))


def _frame_order(rows: pd.DataFrame, labels: dict[str, str]) -> list[str]:
    for item, label in zip(rows["item"], rows.get("label", rows["item"])):
        if label and item not in labels:
            labels[item] = label
    items = list(dict.fromkeys([*labels, *rows["item"]]))
    present = set(rows["item"])
    return [i for i in items if i in present]


def prevalence_bars(shares: Shares, labels: dict[str, str] | None = None) -> go.Figure:
    """Grouped bars: per frame, its share in each group, with the table's interval as error bars."""
    labels = labels or {}
    rows = shares.rows
    groups = _groups_by_size(rows)
    shown = groups[:MAX_GROUPS_BARS]
    frames = _frame_order(rows, labels)
    fig = go.Figure()
    for i, g in enumerate(shown):
        part = rows[rows["group"] == g].set_index("item").reindex(frames)
        share = part["share"].fillna(0.0).to_numpy(float)
        custom = np.stack([part["count"].fillna(-1).to_numpy(float), part["total"].fillna(-1).to_numpy(float)], axis=1)
        trace = {
            "name": esc(g), "x": [_label(f, labels) for f in frames], "y": share,
            "marker": {"color": ROLE_COLORS.get(g, PALETTE[i % len(PALETTE)]) if shares.by == "role"
                       else PALETTE[i % len(PALETTE)]}, "customdata": custom,
            "hovertemplate": f"{esc(g)}<br>%{{x}}: %{{y:.1%}}" + _count_hover(part) + "<extra></extra>",
        }
        if shares.has_ci:
            hi = (part["ci_high"] - part["share"]).clip(lower=0).fillna(0).to_numpy(float)
            lo = (part["share"] - part["ci_low"]).clip(lower=0).fillna(0).to_numpy(float)
            trace["error_y"] = {"type": "data", "symmetric": False, "array": hi, "arrayminus": lo,
                                "thickness": 1.2, "width": 3}
        fig.add_trace(go.Bar(**trace))
    top = float(np.nanmax(rows["ci_high"] if shares.has_ci else rows["share"])) if len(rows) else 0.0
    more = f"; the {len(shown)} largest of {len(groups)} groups (the heatmap shows all)" if len(groups) > len(shown) else ""
    ci = "bars: 95% interval from the table" if shares.has_ci else "no intervals in this run's table"
    fig.update_layout(
        title=f"Frame prevalence by {esc(shares.by)}: share of {esc(shares.denominator)}<br>"
              f"<sup>from {esc(shares.table)}; {ci}{more}</sup>",
        barmode="group", yaxis={"title": "Share", "tickformat": pct_format(top),
                                "nticks": 6, "rangemode": "tozero"},
        xaxis={"automargin": True, "tickangle": -25}, height=520, legend={"title": esc(shares.by)},
    )
    return fig


def _count_hover(part: pd.DataFrame) -> str:
    if part["count"].notna().any() and part["total"].notna().any():
        return " (%{customdata[0]:,} of %{customdata[1]:,})"
    if part["count"].notna().any():
        return " (%{customdata[0]:,} matched)"
    return ""


def source_heatmap(shares: Shares, labels: dict[str, str] | None = None) -> go.Figure:
    """Heatmap: rows groups (sources), columns frames, cells the share read from the table."""
    labels = labels or {}
    rows = shares.rows
    groups, frames = _groups_by_size(rows), _frame_order(rows, labels)
    share = rows.pivot_table(index="group", columns="item", values="share", aggfunc="first").reindex(
        index=groups, columns=frames)
    count = rows.pivot_table(index="group", columns="item", values="count", aggfunc="first").reindex(
        index=groups, columns=frames)
    z = share.to_numpy(float)
    fmt = pct_format(float(np.nanmax(z)) if np.isfinite(z).any() else 0.0)
    fig = go.Figure(go.Heatmap(
        z=z, x=[_label(f, labels) for f in frames], y=[esc(g) for g in groups],
        customdata=count.fillna(0).to_numpy(float), colorscale="Oranges", zmin=0,
        colorbar={"title": "Share", "tickformat": fmt, "nticks": 6},
        texttemplate="%{z:" + fmt + "}" if len(frames) <= 20 else None,
        hovertemplate="%{y}<br>%{x}: %{z:.1%} of " + esc(shares.denominator)
                      + " (%{customdata:,} matched)<extra></extra>",
    ))
    totals = rows.groupby("group")["total"].max()
    few = rows.groupby("group")["few"].any()
    ticks = [f"{esc(g)} ({int(totals[g]):,}{'*' if few.get(g) else ''})" if pd.notna(totals.get(g)) else esc(g)
             for g in groups]
    note = "; * few documents (compare.min_documents): read with care" if few.any() else ""
    fig.update_layout(
        title=f"{esc(shares.by).capitalize()} × frame: share of {esc(shares.denominator)}<br><sup>from "
              f"{esc(shares.table)}; in parentheses the denominator; blank cells: no row in the table{note}</sup>",
        xaxis={"automargin": True, "tickangle": -25, "side": "bottom"}, height=max(340, 24 * len(groups) + 220),
        yaxis={"autorange": "reversed", "automargin": True, "title": esc(shares.by),
               "tickmode": "array", "tickvals": [esc(g) for g in groups], "ticktext": ticks},
    )
    return fig


def over_time(timing: Timing, labels: dict[str, str] | None = None) -> go.Figure:
    """Lines per frame of one group's share per month (``compare_trend``); a menu picks the group.

    Months run in calendar order on a category axis; months without a dated document are
    left out (the table holds them as ``unknown``).
    """
    labels = labels or {}
    rows = timing.rows[timing.rows["period"].str.match(r"^\d{4}-\d{2}")]
    periods = sorted(rows["period"].unique())
    frames = _frame_order(rows, labels)
    groups = _groups_by_size(rows)[:MAX_GROUPS_BARS * 2]
    fig = go.Figure()
    owner = []
    # The month's denominator (the group's documents or sentences that month) sizes the markers:
    # a share of 100% from one document must not look like one from fifty.
    totals = rows.groupby(["group", "period"])["total"].max()
    biggest = float(totals.max()) if len(totals) and np.isfinite(totals.max()) and totals.max() > 0 else 1.0
    cells = dict(tuple(rows.groupby(["group", "item"], sort=False)))
    for j, g in enumerate(groups):
        months = totals.loc[g].reindex(periods) if g in totals.index.get_level_values(0) else pd.Series(
            np.nan, index=periods)
        for i, f in enumerate(frames):
            if (g, f) not in cells:
                continue
            part = cells[(g, f)].drop_duplicates("period").set_index("period").reindex(periods)
            if part["share"].isna().all():
                continue
            # absent rows are zero in a month the group has documents, a gap in a month it has none
            share = np.where(months.notna(), part["share"].fillna(0.0).to_numpy(float), np.nan)
            n = months.fillna(0).to_numpy(float)
            fig.add_trace(go.Scatter(
                x=periods, y=share, mode="lines+markers", connectgaps=False,
                name=_label(f, labels), visible=j == 0, line={"color": PALETTE[i % len(PALETTE)], "width": 1.5},
                marker={"size": 4 + 12 * np.sqrt(n / biggest)},
                customdata=np.stack([part["count"].fillna(0).to_numpy(float), n], axis=1),
                hovertemplate=(f"{_label(f, labels)}<br>{esc(g)} %{{x}}: %{{y:.1%}} (%{{customdata[0]:,}} of "
                               f"%{{customdata[1]:,}} {esc(timing.denominator.split()[-1])})<extra></extra>"),
            ))
            owner.append(j)
    buttons = [{"label": esc(g), "method": "update",
                "args": [{"visible": [o == j for o in owner]}, {"title.text": _over_time_title(timing, g)}]}
               for j, g in enumerate(groups)]
    top = float(rows["share"].max()) if len(rows) else 0.0
    fig.update_layout(
        title=_over_time_title(timing, groups[0] if groups else ""),
        yaxis={"title": "Share", "tickformat": pct_format(top), "nticks": 6, "rangemode": "tozero"},
        xaxis={"title": "Month", "type": "category", "categoryorder": "array", "categoryarray": periods},
        height=560, margin={"t": 130},
        updatemenus=[{"buttons": buttons, "direction": "down", "x": 1.0, "xanchor": "right", "y": 1.12,
                                  "yanchor": "bottom", "showactive": True}] if len(buttons) > 1 else [],
    )
    return fig


def _over_time_title(timing: Timing, group: str) -> str:
    return (f"Frames over time in {esc(group)}<br><sup>share of {esc(timing.denominator)} per month</sup><br>"
            f"<sup>from {esc(timing.table)}; marker size: that month's denominator</sup><br><sup>choose the "
            f"{esc(timing.by)} in the menu; months with no dated document left out</sup>")
