"""Figures of the report: result tables in, Plotly figures out.

Every function here takes tables (pandas DataFrames with the columns of the
table contracts) and never an estimator, so a report can be rebuilt from a
run folder alone, and none computes a statistic: shares and intervals are
read from the comparison tables that hold them (``compare_*``). Corpus text is untrusted: everything that reaches a
label is HTML-escaped, because Plotly renders a few tags (``<b>``, ``<br>``,
``<a>``) in hover text, legends and ticks.

Examples
--------
>>> figs = build_figures(tables, seed=42)          # doctest: +SKIP
>>> sorted(figs)                                    # doctest: +SKIP
['frame_prevalence', 'frames_by_source', 'sentence_map', 'topic_sizes', 'topics_per_source']
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import compare_figures, frame_figures
from .common import (
    OUTLIER, OUTLIER_COLOR, OUTLIER_NAME, esc, get_table, is_missing, pct_format, text, topic_colors, topic_ids,
    topic_names,
)
from .data import frame_prevalence, frame_timing, topic_shares, topic_source_shares

logger = logging.getLogger(__name__)

__all__ = ["OUTLIER_COLOR", "OUTLIER_NAME", "build_figures", "sample_index", "topic_colors"]

MAX_TOPICS_SHOWN = 40
"""Bar charts and heatmaps show the largest topics only; the topic table lists all."""
MAX_CELL_TEXT_COLUMNS = 20
"""Heatmaps with more columns than this show their numbers on hover only (cells too narrow to read)."""
HOVER_CHARS = 120
HOVER_WIDTH = 70
MAP_FENCE = 3.0
"""The map's axes span the points within this many interquartile ranges of the quartiles (plus a
margin): far-off points stay on the page (zoom out to see them) but do not squash the rest."""


def sample_index(n: int, max_points: int, seed: int) -> np.ndarray:
    """Sorted positions of a seeded sample of at most ``max_points`` out of ``n``.

    >>> sample_index(5, 10, seed=0).tolist()
    [0, 1, 2, 3, 4]
    """
    if n <= max_points:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=max_points, replace=False))


def wrap_words(text: str, width: int) -> list[str]:
    """Greedy word wrap (a long word stays whole); several times faster than ``textwrap`` on 10k hovers.

    >>> wrap_words("one two three four", 9)
    ['one two', 'three', 'four']
    """
    lines, cur = [], ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    return [*lines, cur] if cur or not lines else lines


def hover_text(rows: pd.DataFrame, name: str) -> list[str]:
    """One escaped hover label per sentence: topic, wrapped text, where to find it."""
    head = f"<b>{esc(name)}</b>"
    out = []
    # only the four columns it reads (itertuples over a wide sentences table is slow)
    for body, source, role, sid in zip(rows["text"].astype(str), rows["source"], rows["role"], rows["sentence_id"]):
        if len(body) > HOVER_CHARS:
            body = body[: HOVER_CHARS - 1].rstrip() + "…"
        lines = wrap_words(body, HOVER_WIDTH)
        where = f"{esc(source)} · {esc(role)} · {esc(sid)}"
        out.append(f"{head}<br>{'<br>'.join(esc(line) for line in lines)}<br><i>{where}</i>")
    return out


def axis_range(values: np.ndarray) -> list[float] | None:
    """The range of ``values`` without far-off points (beyond ``MAP_FENCE`` IQRs), plus a 5% margin.

    >>> axis_range(np.r_[np.arange(100.0), 1e6])
    [-4.95, 103.95]
    """
    if len(values) == 0:
        return None
    q1, q3 = np.quantile(values, [0.25, 0.75])
    fence = MAP_FENCE * (q3 - q1)
    inside = values[(values >= q1 - fence) & (values <= q3 + fence)]
    lo, hi = (inside.min(), inside.max()) if len(inside) else (q1, q3)
    pad = (hi - lo) * 0.05 or 1.0
    return [float(lo - pad), float(hi + pad)]


def sentence_map(
    sentences: pd.DataFrame, names: dict[int, str], colors: dict[int, str], seed: int, max_points: int
) -> go.Figure:
    """Scatter (WebGL) of sentences at (map_x, map_y), one trace per topic, outliers first.

    Parameters
    ----------
    sentences : DataFrame of shape (n_sentences, ...)
        With ``map_x``, ``map_y``, ``topic`` and the sentence id columns.
    names, colors : dict
        Display name and color per topic id.
    seed : int
        Seed of the sample drawn when more than ``max_points`` sentences have coordinates.
    max_points : int
        Points shown at most.
    """
    cols = [c for c in ("sentence_id", "source", "role", "text", "map_x", "map_y") if c in sentences.columns]
    df = sentences[cols].assign(topic=topic_ids(sentences)).dropna(subset=["map_x", "map_y"])
    total = len(df)
    df = df.iloc[sample_index(total, max_points, seed)]
    fig = go.Figure()
    order = [OUTLIER] + sorted(t for t in df["topic"].unique() if t != OUTLIER)
    size = 6 if len(df) <= 5000 else 3
    parts = dict(tuple(df.groupby("topic", sort=False)))
    for t in order:
        part = parts.get(t)
        if part is None or part.empty:
            continue
        fig.add_trace(go.Scattergl(
            x=part["map_x"].to_numpy(float), y=part["map_y"].to_numpy(float), mode="markers",
            name=esc(names.get(t, f"Topic {t}")),
            marker={"color": colors.get(t, OUTLIER_COLOR), "size": size, "opacity": 0.45 if t == OUTLIER else 0.8},
            text=hover_text(part, names.get(t, f"Topic {t}")), hovertemplate="%{text}<extra></extra>",
        ))
    xr, yr = axis_range(df["map_x"].to_numpy(float)), axis_range(df["map_y"].to_numpy(float))
    outside = 0
    if xr and yr:
        outside = int((~df["map_x"].between(*xr) | ~df["map_y"].between(*yr)).sum())
    shown = f"all {total:,}" if len(df) == total else f"a seeded sample of {len(df):,} of {total:,} (seed {seed})"
    title = f"Sentences on the topic map: {shown}"
    if outside:
        title += f"<br><sup>{outside:,} far-off point(s) lie outside this view: zoom out to see them</sup>"
    fig.update_layout(
        title=title, height=640, legend={"itemsizing": "constant"}, hoverlabel={"align": "left"},
        xaxis={"title": "Map dimension 1", "range": xr}, yaxis={"title": "Map dimension 2", "range": yr},
    )
    return fig


def _topic_documents(tables: Mapping[str, pd.DataFrame]) -> pd.Series | None:
    """Documents per topic: row count of ``document_topics`` per topic (rows with a sentence in it)."""
    dt = tables.get("document_topics")
    if dt is None or not {"doc_id", "topic"} <= set(dt.columns):
        return None
    if "sentences" in dt.columns:
        dt = dt[pd.to_numeric(dt["sentences"], errors="coerce").fillna(0) > 0]
    return dt.groupby(dt["topic"].astype(int))["doc_id"].nunique()


def topic_sizes(topics: pd.DataFrame, names: dict[int, str], colors: dict[int, str],
                documents: pd.Series | None = None) -> go.Figure:
    """Horizontal bars of topic sizes (sentences), largest at the top (outliers left out).

    ``documents`` (documents per topic, from ``document_topics``) goes into the hover; a
    ``stable`` column (``framing stability``) hatches the fragile topics' bars.
    """
    df = topics[topics["topic"].astype(int) != OUTLIER].copy()
    df["topic"] = df["topic"].astype(int)
    n_topics = len(df)
    df = df.sort_values(["size", "topic"], ascending=[False, True]).head(MAX_TOPICS_SHOWN).iloc[::-1]
    ndocs = (documents.reindex(df["topic"]).fillna(0).to_numpy(int) if documents is not None
             else np.full(len(df), -1))
    stable = df["stable"] if "stable" in df.columns else pd.Series([None] * len(df), index=df.index)
    marks = ["" if is_missing(v) else ("stable core" if bool(v) else "fragile") for v in stable]
    bar = {"x": df["size"].to_numpy(int), "y": [esc(names[t]) for t in df["topic"]], "orientation": "h",
           "marker": {"color": [colors.get(t, OUTLIER_COLOR) for t in df["topic"]]},
           "customdata": np.stack([ndocs, np.array(marks, dtype=object)], axis=1),
           "hovertemplate": "%{y}<br>%{x} sentences"
                            + (" in %{customdata[0]:,} documents" if documents is not None else "")
                            + ("<br>%{customdata[1]}" if any(marks) else "") + "<extra></extra>"}
    if any(marks):
        bar["marker"]["pattern"] = {"shape": ["/" if m == "fragile" else "" for m in marks], "solidity": 0.4}
    fig = go.Figure(go.Bar(**bar))
    note = f" (the largest {len(df)} of {n_topics}; the topic table lists all)" if n_topics > len(df) else ""
    sub = []
    if documents is not None:
        sub.append("documents per topic: document_topics, on hover")
    if any(marks):
        sub.append("hatched: fragile topics (topic_stability)")
    fig.update_layout(
        title=f"Topic sizes: sentences per topic{note}" + (f"<br><sup>{'; '.join(sub)}</sup>" if sub else ""),
        xaxis_title="Sentences", yaxis_title="Topic",
        height=max(320, 26 * len(df) + 140), yaxis={"automargin": True},
    )
    return fig


def _heat_view(z: np.ndarray, counts: np.ndarray, hover: str, cells: bool) -> dict:
    """A restyle of the topic heatmap: its cells, scale and format (each view has its own top)."""
    top = float(z.max()) if z.size else 0.0
    fmt = pct_format(top)
    return {"z": [z], "text": [counts], "hovertemplate": [hover], "zmax": [top or None],
            "colorbar.tickformat": fmt, "texttemplate": ["%{z:" + fmt + "}" if cells else None]}


def _topic_grid(long: pd.DataFrame, order: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    share = long.pivot_table(index="topic", columns="source", values="share", aggfunc="first").reindex(order).fillna(0.0)
    count = long.pivot_table(index="topic", columns="source", values="count", aggfunc="first").reindex(
        index=order, columns=share.columns).fillna(0)
    return share, count


def topics_per_source(long: pd.DataFrame, names: dict[int, str], what: str,
                      documents: pd.DataFrame | None = None, what_documents: str = "") -> go.Figure:
    """Heatmap: rows topics, columns sources, cells the topic's share of the source.

    ``long`` has columns topic, source, count, share (see :func:`framing.report.data.topic_shares`),
    at sentence level; ``documents``, the same at document level, adds buttons that switch the
    cells between the share of the source's sentences and of its documents.
    """
    totals = long.groupby("topic")["count"].sum()
    real = totals.drop(OUTLIER, errors="ignore")
    order = sorted(real.index, key=lambda t: (-real[t], t))[:MAX_TOPICS_SHOWN]
    share, count = _topic_grid(long, order)
    z = share.to_numpy(float)
    top = float(z.max()) if z.size else 0.0
    views = [(z, count.to_numpy(int), what, "sentences")]
    if documents is not None and len(documents):
        dshare, dcount = _topic_grid(documents, order)
        dshare = dshare.reindex(columns=share.columns).fillna(0.0)
        dcount = dcount.reindex(columns=share.columns).fillna(0)
        views.append((dshare.to_numpy(float), dcount.to_numpy(int), what_documents, "documents"))
    fmt = pct_format(top)
    cells = share.shape[1] <= MAX_CELL_TEXT_COLUMNS

    def hover(denominator: str, unit: str) -> str:
        return "%{y}<br>%{x}: %{z:.1%} of " + esc(denominator) + " (%{text} " + unit + ")<extra></extra>"

    fig = go.Figure(go.Heatmap(
        z=z, x=[esc(s) for s in share.columns], y=[esc(names.get(t, t)) for t in order],
        text=count.to_numpy(int), colorscale="Blues", zmin=0, zmax=top or None,
        colorbar={"title": "Share", "tickformat": fmt, "nticks": 6},
        texttemplate="%{z:" + fmt + "}" if cells else None,
        hovertemplate=hover(what, "sentences"),
    ))
    title = "Topics per source: share of {}<br><sup>from compare_prevalence (kind topic){}</sup>"
    switch = "; the buttons switch between sentences and documents" if len(views) > 1 else ""
    if len(views) > 1:
        fig.update_layout(updatemenus=[{
            "type": "buttons", "direction": "right", "x": 1.0, "xanchor": "right", "y": 1.02, "yanchor": "bottom",
            "buttons": [{"label": f"share of {unit}", "method": "update",
                         "args": [_heat_view(vz, vc, hover(den, unit), cells),
                                  {"title.text": title.format(esc(den), switch)}]}
                        for vz, vc, den, unit in views]}])
    fig.update_layout(
        title=title.format(esc(what), switch), xaxis_title="Source", yaxis_title="Topic",
        height=max(320, 26 * len(order) + 180), yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"automargin": True, "tickangle": -30},
    )
    return fig


def other_groupings(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """Groupings of ``compare_prevalence`` besides source and role, in the table's order."""
    cp = tables.get("compare_prevalence")
    if cp is None or "by" not in cp.columns:
        return []
    return [b for b in dict.fromkeys(cp["by"].map(text)) if b and b not in ("source", "role")]


def grouping_slug(by: str) -> str:
    """A grouping name made safe for a figure name and an element id.

    >>> grouping_slug("bias"), grouping_slug("meta.rating <x>")
    ('bias', 'meta_rating__x_')
    """
    return "".join(c if c.isascii() and (c.isalnum() or c == "_") else "_" for c in by)


def build_figures(
    tables: Mapping[str, pd.DataFrame], seed: int = 42, max_points: int = 10000
) -> dict[str, go.Figure]:
    """Every figure the tables allow, by name, in report order.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        The run's tables. A missing table leaves out the figures that need it.
    seed : int
        Seed of the map's sample.
    max_points : int
        Sentences shown on the map at most.

    Returns
    -------
    dict of str to plotly.graph_objects.Figure
        Keys among ``frame_prevalence``, ``frames_by_source``, ``frames_by_role``, ``frames_over_time``,
        ``audience``, ``first_use``, ``sentence_map``, ``topic_sizes``, ``topics_per_source``.

    Examples
    --------
    >>> figs = build_figures(tables, seed=7, max_points=500)   # doctest: +SKIP
    >>> figs["sentence_map"].to_dict()["data"][0]["name"]      # doctest: +SKIP
    'Outliers / not clustered'
    """
    sentences, topics = get_table(tables, "sentences"), get_table(tables, "topics")
    seen = set(topic_ids(sentences)) if sentences is not None else set()
    if topics is not None:
        seen |= set(topics["topic"].astype(int))
    names, colors = topic_names(topics, seen), topic_colors(seen)
    figs: dict[str, go.Figure] = {}
    frames = get_table(tables, "frames")
    labels = dict(zip(frames["frame_id"].map(text), frames["label"].map(text))) if frames is not None else {}
    prevalence = frame_prevalence(tables)
    if prevalence is not None and len(prevalence.rows):
        figs["frame_prevalence"] = frame_figures.prevalence_bars(prevalence, labels)
        figs["frames_by_source"] = frame_figures.source_heatmap(prevalence, labels)
    by_role = frame_prevalence(tables, by="role")
    if by_role is not None and by_role.rows["group"].nunique() >= 2:
        figs["frames_by_role"] = frame_figures.prevalence_bars(by_role, labels)
    for by in other_groupings(tables):  # e.g. an outlet's bias rating kept with corpus.fields.keep
        shares = frame_prevalence(tables, by=by)
        if shares is not None and shares.rows["group"].nunique() >= 2:
            figs[f"frames_by_{grouping_slug(by)}"] = frame_figures.prevalence_bars(shares, labels)
    timing = frame_timing(tables)
    if timing is not None and len(timing.rows):
        figs["frames_over_time"] = frame_figures.over_time(timing, labels)
    audience = compare_figures.audience_bars(tables.get("compare_audience"), labels)
    if audience is not None:
        figs["audience"] = audience
    first_use = compare_figures.first_use_timeline(tables.get("compare_timing"), labels)
    if first_use is not None:
        figs["first_use"] = first_use
    if sentences is not None and {"map_x", "map_y"} <= set(sentences.columns) and sentences["map_x"].notna().any():
        figs["sentence_map"] = sentence_map(sentences, names, colors, seed, max_points)
    if topics is not None and (topics["topic"].astype(int) != OUTLIER).any():
        figs["topic_sizes"] = topic_sizes(topics, names, colors, _topic_documents(tables))
    shares = topic_source_shares(tables)
    if shares is not None and len(shares.rows):
        docs = topic_shares(tables, "source", "documents")
        figs["topics_per_source"] = topics_per_source(
            shares.rows, names, shares.denominator, docs.rows if docs is not None else None,
            docs.denominator if docs is not None else "")
    for fig in figs.values():
        fig.update_layout(template="plotly_white", margin={"t": max(70, fig.layout.margin.t or 0), "r": 20},
                          font={"size": 12})
    logger.debug("built figures: %s", ", ".join(figs))
    return figs
