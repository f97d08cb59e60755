"""Figures of the report: result tables in, Plotly figures out.

Every function here takes tables (pandas DataFrames with the columns of the
table contracts) and never an estimator, so a report can be rebuilt from a
run folder alone. Corpus text is untrusted: everything that reaches a hover
label is HTML-escaped, because Plotly renders a few tags (``<b>``, ``<br>``,
``<a>``) in hover text.

Examples
--------
>>> figs = build_figures(tables, seed=42)          # doctest: +SKIP
>>> sorted(figs)                                    # doctest: +SKIP
['frames_per_source', 'sentence_map', 'topic_sizes', 'topics_by_role', 'topics_per_source']
"""

from __future__ import annotations

import html
import logging
import textwrap
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from ..errors import ReportError

logger = logging.getLogger(__name__)

OUTLIER = -1
OUTLIER_COLOR = "#b4b4b4"
OUTLIER_NAME = "Outliers / not clustered"
ROLE_COLORS = {"article": "#1f77b4", "comment": "#ff7f0e", "post": "#2ca02c"}
MAX_TOPICS_SHOWN = 40
"""Bar charts and heatmaps show the largest topics only; the topic table lists all."""
HOVER_CHARS = 220
HOVER_WIDTH = 80


def _palette() -> list[str]:
    seen: dict[str, None] = {}
    q = plotly.colors.qualitative
    for color in [*q.Plotly, *q.D3, *q.Dark24, *q.Alphabet, *q.Light24]:
        if color.lower() != OUTLIER_COLOR:
            seen.setdefault(color, None)
    return list(seen)


PALETTE = _palette()

# Columns each figure reads: a table that is present but lacks them is an error.
REQUIRED = {
    "sentences": ["sentence_id", "doc_id", "source", "role", "start", "end", "text", "topic"],
    "topics": ["topic", "label", "size"],
    "topic_prevalence": ["topic", "source", "role", "count"],
    "sentence_frames": ["sentence_id", "frame_id", "score", "matched"],
    "frames": ["frame_id", "label"],
}


def get_table(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame | None:
    """Return ``tables[name]`` or None when absent; check its required columns.

    Raises
    ------
    ReportError
        When the table is present but lacks columns the report reads.
    """
    df = tables.get(name)
    if df is None:
        return None
    missing = [c for c in REQUIRED.get(name, []) if c not in df.columns]
    if missing:
        raise ReportError(
            f"Table '{name}' lacks the column(s) {', '.join(missing)} the report needs "
            f"(it has: {', '.join(map(str, df.columns))}). Pass the table as the pipeline "
            f"writes it (RUN/tables/{name}.parquet)."
        )
    return df


def esc(value: object) -> str:
    """HTML-escape any value for display; None and NaN become ''."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def as_list(value: object) -> list:
    """A list from a list, tuple, ndarray (parquet round trip) or None/NaN."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, (list, tuple, np.ndarray, pd.Series)):
        return list(value)
    return [value]


def topic_ids(sentences: pd.DataFrame) -> pd.Series:
    """The ``topic`` column as ints, NaN (not analysed) counted as outlier."""
    return pd.to_numeric(sentences["topic"], errors="coerce").fillna(OUTLIER).astype(int)


def topic_names(topics: pd.DataFrame | None, extra: Iterable[int] = ()) -> dict[int, str]:
    """Display name of every topic: its label, prefixed by its id unless the label has it.

    >>> topic_names(pd.DataFrame({"topic": [0, 1, 2], "label": ["0_vaccine_dose", "Energy", "2: oil, fields"]}))
    {-1: 'Outliers / not clustered', 0: '0_vaccine_dose', 1: '1: Energy', 2: '2: oil, fields'}
    """
    names = {OUTLIER: OUTLIER_NAME}
    if topics is not None:
        for t, label in zip(topics["topic"].astype(int), topics["label"]):
            if t == OUTLIER:
                continue
            label = "" if label is None else str(label)
            has_id = label.startswith((f"{t}_", f"{t}:"))
            names[t] = label if has_id else f"{t}: {label}".rstrip(": ")
    for t in extra:
        names.setdefault(int(t), f"Topic {int(t)}")
    return names


def topic_colors(ids: Iterable[int]) -> dict[int, str]:
    """A fixed color per topic id (in sorted order); outliers are grey."""
    colors = {OUTLIER: OUTLIER_COLOR}
    real = sorted({int(t) for t in ids if int(t) != OUTLIER})
    for i, t in enumerate(real):
        colors[t] = PALETTE[i % len(PALETTE)]
    return colors


def sample_index(n: int, max_points: int, seed: int) -> np.ndarray:
    """Sorted positions of a seeded sample of at most ``max_points`` out of ``n``.

    >>> sample_index(5, 10, seed=0).tolist()
    [0, 1, 2, 3, 4]
    """
    if n <= max_points:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=max_points, replace=False))


def hover_text(rows: pd.DataFrame, name: str) -> list[str]:
    """One escaped hover label per sentence: topic, wrapped text, where to find it."""
    head = f"<b>{esc(name)}</b>"
    out = []
    for r in rows.itertuples(index=False):
        text = str(r.text)
        if len(text) > HOVER_CHARS:
            text = text[: HOVER_CHARS - 1].rstrip() + "…"
        lines = textwrap.wrap(text, HOVER_WIDTH) or [""]
        body = "<br>".join(esc(line) for line in lines)
        where = (
            f"{esc(r.source)} · {esc(r.role)} · doc {esc(r.doc_id)} "
            f"[{esc(r.start)}–{esc(r.end)}] · {esc(r.sentence_id)}"
        )
        out.append(f"{head}<br>{body}<br><i>{where}</i>")
    return out


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
    df = sentences.assign(topic=topic_ids(sentences)).dropna(subset=["map_x", "map_y"])
    total = len(df)
    df = df.iloc[sample_index(total, max_points, seed)]
    fig = go.Figure()
    order = [OUTLIER] + sorted(t for t in df["topic"].unique() if t != OUTLIER)
    size = 6 if len(df) <= 5000 else 3
    for t in order:
        part = df[df["topic"] == t]
        if part.empty:
            continue
        fig.add_trace(
            go.Scattergl(
                x=part["map_x"].to_numpy(float), y=part["map_y"].to_numpy(float), mode="markers",
                name=esc(names.get(t, f"Topic {t}")),
                marker={"color": colors.get(t, OUTLIER_COLOR), "size": size,
                        "opacity": 0.45 if t == OUTLIER else 0.8},
                text=hover_text(part, names.get(t, f"Topic {t}")),
                hovertemplate="%{text}<extra></extra>",
            )
        )
    shown = f"all {total:,}" if len(df) == total else f"{len(df):,} of {total:,} (seeded sample, seed {seed})"
    fig.update_layout(
        title=f"Sentences on the topic map: {shown}", height=620, legend={"itemsizing": "constant"},
        hoverlabel={"align": "left"}, xaxis_title="Map dimension 1", yaxis_title="Map dimension 2",
    )
    return fig


def topic_sizes(topics: pd.DataFrame, names: dict[int, str], colors: dict[int, str]) -> go.Figure:
    """Horizontal bars of topic sizes, largest at the top (outliers left out)."""
    df = topics[topics["topic"].astype(int) != OUTLIER].copy()
    df["topic"] = df["topic"].astype(int)
    df = df.sort_values(["size", "topic"], ascending=[False, True]).head(MAX_TOPICS_SHOWN).iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=df["size"].to_numpy(int), y=[esc(names[t]) for t in df["topic"]], orientation="h",
            marker={"color": [colors.get(t, OUTLIER_COLOR) for t in df["topic"]]},
            hovertemplate="%{y}<br>%{x} sentences<extra></extra>",
        )
    )
    note = f" (largest {MAX_TOPICS_SHOWN} of {len(topics)})" if len(topics) > MAX_TOPICS_SHOWN else ""
    fig.update_layout(
        title=f"Topic sizes{note}", xaxis_title="Sentences", yaxis_title="Topic",
        height=max(320, 26 * len(df) + 140), yaxis={"automargin": True},
    )
    return fig


def _top_topics(counts: pd.Series, limit: int = MAX_TOPICS_SHOWN) -> list[int]:
    """Topic ids by decreasing count (ties by id), outliers last if present."""
    real = counts.drop(OUTLIER, errors="ignore")
    ranked = sorted(real.index, key=lambda t: (-real[t], t))[:limit]
    return ranked + ([OUTLIER] if OUTLIER in counts.index else [])


def prevalence_shares(prevalence: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts and shares of each topic within each value of ``by`` (source or role).

    Returns a long table with columns ``topic``, ``by``, ``count``, ``share``; the
    share divides by all rows of that source (or role), outliers included when the
    prevalence table holds them.
    """
    df = prevalence.assign(topic=prevalence["topic"].astype(int))
    grouped = df.groupby(["topic", by], as_index=False)["count"].sum()
    totals = grouped.groupby(by)["count"].transform("sum")
    return grouped.assign(share=grouped["count"] / totals.where(totals > 0, 1))


def topics_per_source(prevalence: pd.DataFrame, names: dict[int, str]) -> go.Figure:
    """Heatmap: rows topics, columns sources, cells the topic's share of the source."""
    long = prevalence_shares(prevalence, "source")
    order = _top_topics(long.groupby("topic")["count"].sum())
    share = long.pivot(index="topic", columns="source", values="share").reindex(order).fillna(0.0)
    count = long.pivot(index="topic", columns="source", values="count").reindex(order).fillna(0)
    fig = go.Figure(
        go.Heatmap(
            z=share.to_numpy(float), x=[esc(s) for s in share.columns], y=[esc(names.get(t, t)) for t in order],
            text=count.to_numpy(int), colorscale="Blues", zmin=0, colorbar={"title": "Share", "tickformat": ".0%"},
            texttemplate="%{z:.0%}", hovertemplate="%{y}<br>%{x}: %{z:.1%} (%{text} sentences)<extra></extra>",
        )
    )
    fig.update_layout(
        title="Topics per source (share of each source's sentences)", xaxis_title="Source", yaxis_title="Topic",
        height=max(320, 26 * len(order) + 160), yaxis={"autorange": "reversed", "automargin": True},
    )
    return fig


def topics_by_role(prevalence: pd.DataFrame, names: dict[int, str]) -> go.Figure:
    """Grouped bars: per topic, its share of each role's sentences (article, comment, post)."""
    long = prevalence_shares(prevalence, "role")
    order = _top_topics(long.groupby("topic")["count"].sum())
    fig = go.Figure()
    for role in sorted(long["role"].astype(str).unique(), key=lambda r: (r not in ROLE_COLORS, r)):
        part = long[long["role"].astype(str) == role].set_index("topic").reindex(order)
        fig.add_trace(
            go.Bar(
                name=esc(role), x=[esc(names.get(t, t)) for t in order], y=part["share"].fillna(0.0).to_numpy(float),
                customdata=part["count"].fillna(0).to_numpy(int), marker={"color": ROLE_COLORS.get(role, "#7f7f7f")},
                hovertemplate=f"{esc(role)}<br>%{{x}}: %{{y:.1%}} (%{{customdata}} sentences)<extra></extra>",
            )
        )
    fig.update_layout(
        title="Topics by role (share of each role's sentences)", barmode="group", xaxis_title="Topic",
        yaxis_title="Share of the role's sentences", yaxis_tickformat=".0%", height=460,
        xaxis={"automargin": True},
    )
    return fig


def frames_per_source(
    sentence_frames: pd.DataFrame, frames: pd.DataFrame, sentences: pd.DataFrame
) -> go.Figure:
    """Heatmap: rows frames, columns sources, cells the share of the source's sentences matching."""
    matched = sentence_frames[sentence_frames["matched"].astype(bool)]
    joined = matched.merge(sentences[["sentence_id", "source"]], on="sentence_id", how="inner")
    counts = joined.groupby(["frame_id", "source"]).size().unstack(fill_value=0)
    sources = sorted(sentences["source"].astype(str).unique())
    frame_ids = list(frames["frame_id"])
    counts = counts.reindex(index=frame_ids, columns=sources, fill_value=0)
    per_source = sentences.groupby("source").size().reindex(sources).to_numpy(float)
    share = counts.to_numpy(float) / np.where(per_source > 0, per_source, 1.0)
    labels = dict(zip(frames["frame_id"], frames["label"]))
    fig = go.Figure(
        go.Heatmap(
            z=share, x=[esc(s) for s in sources], y=[esc(labels.get(f, f)) for f in frame_ids],
            text=counts.to_numpy(int), colorscale="Oranges", zmin=0, colorbar={"title": "Share", "tickformat": ".0%"},
            texttemplate="%{text}", hovertemplate="%{y}<br>%{x}: %{text} matched sentences (%{z:.1%})<extra></extra>",
        )
    )
    fig.update_layout(
        title="Frames per source (matched sentences; color: share of the source's sentences)",
        xaxis_title="Source", yaxis_title="Frame", height=max(300, 30 * len(frame_ids) + 160),
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return fig


def build_figures(
    tables: Mapping[str, pd.DataFrame], seed: int = 42, max_points: int = 20000
) -> dict[str, go.Figure]:
    """Every figure the tables allow, by name, in report order.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        ``sentences`` (with topic, map_x, map_y), ``topics``, ``topic_prevalence``,
        and optionally ``sentence_frames`` and ``frames``. A missing table leaves
        out the figures that need it.
    seed : int
        Seed of the map's sample.
    max_points : int
        Sentences shown on the map at most.

    Returns
    -------
    dict of str to plotly.graph_objects.Figure
        Keys among ``sentence_map``, ``topic_sizes``, ``topics_per_source``,
        ``topics_by_role``, ``frames_per_source``.

    Examples
    --------
    >>> figs = build_figures(tables, seed=7, max_points=500)   # doctest: +SKIP
    >>> figs["sentence_map"].to_dict()["data"][0]["name"]      # doctest: +SKIP
    'Outliers / not clustered'
    """
    sentences, topics = get_table(tables, "sentences"), get_table(tables, "topics")
    prevalence = get_table(tables, "topic_prevalence")
    sf, frames = get_table(tables, "sentence_frames"), get_table(tables, "frames")
    seen = set(topic_ids(sentences)) if sentences is not None else set()
    if topics is not None:
        seen |= set(topics["topic"].astype(int))
    names, colors = topic_names(topics, seen), topic_colors(seen)
    figs: dict[str, go.Figure] = {}
    if sentences is not None and {"map_x", "map_y"} <= set(sentences.columns):
        figs["sentence_map"] = sentence_map(sentences, names, colors, seed, max_points)
    if topics is not None and len(topics):
        figs["topic_sizes"] = topic_sizes(topics, names, colors)
    if prevalence is not None and len(prevalence):
        figs["topics_per_source"] = topics_per_source(prevalence, names)
        figs["topics_by_role"] = topics_by_role(prevalence, names)
    if sf is not None and frames is not None and sentences is not None and len(frames):
        figs["frames_per_source"] = frames_per_source(sf, frames, sentences)
    for fig in figs.values():
        fig.update_layout(template="plotly_white", margin={"t": 60, "r": 20})
    logger.debug("built figures: %s", ", ".join(figs))
    return figs
