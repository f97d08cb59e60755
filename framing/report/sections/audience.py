"""The "Outlet against comments" section: articles against their comments per source, from ``compare_audience``.

``audience_bars`` draws the table's group rows: per frame, the share of the outlet's sentences and the share of
its comments' sentences, each with the table's 95% interval, one source at a time (a menu picks it). Every
value is a cell of the table. The section also places the frames' shares by role (drawn by the "Frames"
section) and lists the table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..common import ROLE_COLORS, esc, get_table, pct_format, text
from ..context import ReportContext
from ..data import item_name, kind_of, rows_of
from .base import Section

MAX_AUDIENCE_GROUPS = 16
"""The menu of the audience figure lists this many sources (most pages first)."""


def audience_bars(audience: pd.DataFrame | None, labels: dict[str, str] | None = None,
                  by: str = "source") -> go.Figure | None:
    """Articles against their comments, per source: grouped bars with 95% intervals (``compare_audience``).

    Parameters
    ----------
    audience : DataFrame
        ``compare_audience`` (its ``level == 'group'`` rows are drawn).
    labels : dict of str to str, optional
        Frame id -> label.
    by : str
        The grouping whose rows are drawn.

    Returns
    -------
    Figure, or None when the table has no group rows for ``by``.
    """
    labels = labels or {}
    kind = kind_of(audience, by, level="group")
    if kind is None:
        return None
    rows = rows_of(audience, by, kind, level="group")
    rows = rows.assign(group=rows["group"].map(text), item=rows["item"].map(text))
    pages = pd.to_numeric(rows["pages"], errors="coerce").fillna(0).groupby(rows["group"]).max()
    groups = sorted(pages.index, key=lambda g: (-pages[g], g))[:MAX_AUDIENCE_GROUPS]
    present = list(dict.fromkeys(rows["item"]))
    items = [i for i in labels if i in set(present)] + [i for i in present if i not in labels]
    names = {i: item_name(i, rows.loc[rows["item"] == i, "label"].iloc[0], labels) for i in items}
    fig = go.Figure()
    owner = []
    for j, g in enumerate(groups):
        part = rows[rows["group"] == g].set_index("item").reindex(items)
        for side, col, prefix, color in (("articles", "outlet_share_of_sentences", "outlet", ROLE_COLORS["article"]),
                                         ("comments", "audience_share_of_sentences", "audience", ROLE_COLORS["comment"])):
            share = pd.to_numeric(part[col], errors="coerce").to_numpy(float)
            low = pd.to_numeric(part[f"{prefix}_ci_low"], errors="coerce").to_numpy(float)
            high = pd.to_numeric(part[f"{prefix}_ci_high"], errors="coerce").to_numpy(float)
            n = pd.to_numeric(part[f"{prefix}_sentences"], errors="coerce").fillna(0).to_numpy(float)
            resp = np.stack([pd.to_numeric(part[c], errors="coerce").fillna(0).to_numpy(float) for c in
                             ("amplified_pages", "ignored_pages", "introduced_pages")] + [n], axis=1).astype(object)
            resp = np.column_stack([resp, _contest_text(part)])
            trace = {"name": f"{esc(g)}: {side}", "x": [names[i] for i in items], "y": np.nan_to_num(share),
                     "marker": {"color": color}, "visible": j == 0, "customdata": resp,
                     "hovertemplate": (f"{esc(g)} · {side}<br>%{{x}}: %{{y:.1%}} of %{{customdata[3]:,}} {side[:-1]} "
                                       "sentences<br>pages: %{customdata[0]} amplify, %{customdata[1]} ignore, "
                                       "%{customdata[2]} introduce, %{customdata[4]}<extra></extra>")}
            err = _err(share, low, high)
            if err:
                trace["error_y"] = err
            fig.add_trace(go.Bar(**trace))
            owner.append(j)
    top = pd.to_numeric(rows[["outlet_ci_high", "audience_ci_high", "outlet_share_of_sentences",
                              "audience_share_of_sentences"]].stack(), errors="coerce").max()
    buttons = [{"label": f"{esc(g)} ({int(pages[g])} pages)", "method": "update",
                "args": [{"visible": [o == j for o in owner]}, {"title.text": _audience_title(g, kind, int(pages[g]))}]}
               for j, g in enumerate(groups)]
    fig.update_layout(
        title=_audience_title(groups[0], kind, int(pages[groups[0]])), barmode="group", height=520,
        margin={"t": 110},
        yaxis={"title": "Share of sentences", "tickformat": pct_format(float(top) if np.isfinite(top) else 0.0),
               "nticks": 6, "rangemode": "tozero"},
        xaxis={"automargin": True, "tickangle": -25}, legend={"orientation": "h", "y": -0.35},
        updatemenus=[{"buttons": buttons, "direction": "down", "x": 1.0, "xanchor": "right", "y": 1.12,
                      "yanchor": "bottom", "showactive": True}] if len(buttons) > 1 else [],
    )
    return fig


def _contest_text(part: pd.DataFrame) -> np.ndarray:
    """Per item: "N contest", or why contest is not measured (no counter-frame declared in the catalog)."""
    n = pd.to_numeric(part.get("contested_pages", pd.Series(np.nan, index=part.index)), errors="coerce")
    return np.array(["contest not measurable (no counter-frame)" if pd.isna(v) else f"{int(v)} contest" for v in n],
                    dtype=object)


def _audience_title(group: str, kind: str, pages: int) -> str:
    return (f"Articles against their comments in {esc(group)}: each {kind}'s share of sentences<br><sup>from "
            f"compare_audience, {pages} page(s) with an article and comments; choose the source in the menu</sup><br>"
            "<sup>articles: share of the outlet's sentences; comments: share of the comments' sentences; "
            "bars: 95% interval over pages (none from one page)</sup>")



def _err(share: np.ndarray, low: np.ndarray, high: np.ndarray) -> dict | None:
    if not np.isfinite(low).any():
        return None
    return {"type": "data", "symmetric": False, "thickness": 1.2, "width": 3,
            "array": np.nan_to_num(np.clip(high - share, 0, None)), "arrayminus": np.nan_to_num(np.clip(share - low, 0, None))}


def has_comments(ctx: ReportContext) -> bool:
    """Whether the corpus has comments (``corpus_counts``, by role)."""
    if get_table(ctx.tables, "documents") is None:
        return False
    roles = ctx.counts_by("role")
    return bool(((roles["group"].astype(str) == "comment") & (roles["documents"].fillna(0) > 0)).any())


def figures(ctx: ReportContext) -> dict[str, go.Figure]:
    fig = audience_bars(ctx.tables.get("compare_audience"), ctx.frame_labels)
    return {} if fig is None else {"audience": fig}


def view(ctx: ReportContext) -> dict:
    return {"table": ctx.cmp.get("compare_audience"), "has_comments": has_comments(ctx)}


SECTION = Section("audience", "sections/audience.html.j2", view, label="Outlet vs comments", figures=figures)
