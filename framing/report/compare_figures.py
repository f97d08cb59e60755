"""Figures of outlet against audience and of who said it first, read from the comparison tables.

``audience_bars`` draws ``compare_audience`` (group rows): per frame, the
share of the outlet's sentences and the share of its comments' sentences,
each with the table's 95% interval, one source at a time (a menu picks it).
``first_use_timeline`` draws ``compare_timing``: per frame, the first dated
use by each source, so the first source and the lag of the others show at
a glance. Neither computes anything: every value is a cell of the table.

Examples
--------
>>> fig = audience_bars(tables["compare_audience"], labels)       # doctest: +SKIP
>>> fig = first_use_timeline(tables["compare_timing"], labels)    # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .common import PALETTE, ROLE_COLORS, esc, is_missing, pct_format, text

MAX_AUDIENCE_GROUPS = 16
"""The menu of the audience figure lists this many sources (most pages first)."""
MAX_TIMELINE_GROUPS = 12
"""The timeline draws this many sources (most first uses first); the table lists all."""
MAX_TIMELINE_ITEMS = 40


def _rows(df: pd.DataFrame | None, by: str, kind: str | None, **equal) -> pd.DataFrame:
    if df is None or df.empty:
        return pd.DataFrame()
    keep = pd.Series(True, index=df.index)
    for col, value in {"by": by, "kind": kind, **equal}.items():
        if value is not None and col in df.columns:
            keep &= df[col].astype(str) == value
    return df[keep]


def _kind(df: pd.DataFrame | None, by: str, **equal) -> str | None:
    """``frame`` when the table has frame rows for ``by``, else ``topic``, else None."""
    for kind in ("frame", "topic"):
        if len(_rows(df, by, kind, **equal)):
            return kind
    return None


def _name(item: str, label: object, labels: dict[str, str]) -> str:
    return esc(labels.get(item) or text(label) or item)


def _err(share: np.ndarray, low: np.ndarray, high: np.ndarray) -> dict | None:
    if not np.isfinite(low).any():
        return None
    return {"type": "data", "symmetric": False, "thickness": 1.2, "width": 3,
            "array": np.nan_to_num(np.clip(high - share, 0, None)), "arrayminus": np.nan_to_num(np.clip(share - low, 0, None))}


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
    kind = _kind(audience, by, level="group")
    if kind is None:
        return None
    rows = _rows(audience, by, kind, level="group")
    rows = rows.assign(group=rows["group"].map(text), item=rows["item"].map(text))
    pages = pd.to_numeric(rows["pages"], errors="coerce").fillna(0).groupby(rows["group"]).max()
    groups = sorted(pages.index, key=lambda g: (-pages[g], g))[:MAX_AUDIENCE_GROUPS]
    present = list(dict.fromkeys(rows["item"]))
    items = [i for i in labels if i in set(present)] + [i for i in present if i not in labels]
    names = {i: _name(i, rows.loc[rows["item"] == i, "label"].iloc[0], labels) for i in items}
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


def first_use_timeline(timing: pd.DataFrame | None, labels: dict[str, str] | None = None,
                       by: str = "source") -> go.Figure | None:
    """Per frame (rows), the first dated use by each source (markers on a date axis), from ``compare_timing``.

    Returns None when the table has no dated rows for ``by``.
    """
    labels = labels or {}
    kind = _kind(timing, by)
    if kind is None:
        return None
    rows = _rows(timing, by, kind)
    rows = rows.assign(group=rows["group"].map(text), item=rows["item"].map(text),
                       first_date=rows["first_date"].map(text))
    rows = rows[rows["first_date"].str.match(r"^\d{4}-\d{2}-\d{2}")]
    if rows.empty:
        return None
    first = rows.groupby("item")["first_date"].min().sort_values(kind="stable")
    items = list(first.index[:MAX_TIMELINE_ITEMS])
    rows = rows[rows["item"].isin(items)]
    names = {i: _name(i, rows.loc[rows["item"] == i, "label"].iloc[0], labels) for i in items}
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
