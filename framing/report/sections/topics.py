"""The "Topics" section: the sentence map, topic sizes, topics per source, and every topic with its quotes.

Figures take tables, never an estimator, and compute no statistic: shares are read from
``compare_prevalence``, documents per topic from ``corpus_counts``. Corpus text is untrusted: everything
that reaches a label is HTML-escaped, because Plotly renders a few tags (``<b>``, ``<br>``, ``<a>``) in hover
text, legends and ticks.

Examples
--------
>>> sample_index(5, 10, seed=0).tolist()
[0, 1, 2, 3, 4]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..common import (
    OUTLIER, OUTLIER_COLOR, as_list, esc, get_table, is_missing, pct_format, text, topic_colors, topic_ids,
    topic_names,
)
from ..context import ReportContext
from ..data import topic_shares, topic_source_shares
from ..evidence import Quotes, as_ids
from .base import Section
from .themes import theme_rows

MAX_KEYWORDS = 10

MAX_TOPICS_SHOWN = 20
"""Bar charts and heatmaps show the largest topics only; the topic table lists all."""
MAX_SOURCES_SHOWN = 30
"""The topics-per-source heatmap shows this many sources (most clustered sentences); the tables list all."""
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
    sources = long[long["topic"] != OUTLIER].groupby("source")["count"].sum()
    columns = sorted(sources.index, key=lambda s: (-sources[s], s))[:MAX_SOURCES_SHOWN]
    long = long[long["source"].isin(columns)]
    documents = documents[documents["source"].isin(columns)] if documents is not None else None
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
    more = (f"; the {len(columns)} sources with most clustered sentences of {len(sources)}"
            if len(sources) > len(columns) else "")
    title = "Topics per source: share of {}<br><sup>from compare_prevalence (kind topic){}" + more + "</sup>"
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


def _stability(tables: Mapping[str, pd.DataFrame]) -> dict[int, dict]:
    """Per topic: its stability mark (``topic_stability``, else the ``stable`` column of ``topics``)."""
    ts = tables.get("topic_stability")
    if ts is None or "topic" not in ts.columns:
        ts = tables.get("topics")
        if ts is None or "stable" not in ts.columns:
            return {}
    out = {}
    for r in ts.to_dict("records"):
        if is_missing(r.get("stable")):
            continue
        out[int(r["topic"])] = {
            "stable": bool(r["stable"]), "stability": None if is_missing(r.get("stability")) else float(r["stability"]),
            "reappearance": None if is_missing(r.get("reappearance")) else float(r["reappearance"]),
            "core_share": None if is_missing(r.get("core_share")) else float(r["core_share"])}
    return out


def stability_summary(tables: Mapping[str, pd.DataFrame], meta: Mapping) -> dict | None:
    """How many topics are stable and fragile, and the refits behind it; None before ``framing stability``."""
    marks = _stability(tables)
    if not marks:
        return None
    info = meta.get("stability") if isinstance(meta.get("stability"), Mapping) else {}
    return {"stable": sum(m["stable"] for m in marks.values()), "fragile": sum(not m["stable"] for m in marks.values()),
            "seeds": [text(s) for s in info.get("seeds") or []], "stable_share": info.get("stable_share"),
            "match_jaccard": info.get("match_jaccard"),
            "table": "topic_stability" if tables.get("topic_stability") is not None else "topics"}


def topic_rows(tables: Mapping[str, pd.DataFrame], quotes: Quotes,
               per_doc: tuple[dict, dict] | None = None) -> list[dict]:
    """One row per topic (outliers left out): name, color, keywords, size, documents, stability, sources,
    frames (:func:`expressed_frames`), representatives. ``per_doc``: documents with a sentence in each topic, and documents whose
    main topic it is (``corpus_counts``, by topic), or None when the run has no ``document_topics``."""
    table, sents = get_table(tables, "topics"), get_table(tables, "sentences")
    if table is None:
        return []
    ids = set(table["topic"].astype(int)) | (set(topic_ids(sents)) if sents is not None else set())
    names, colors = topic_names(table, ids), topic_colors(ids)
    marks, expressed = _stability(tables), expressed_frames(tables)
    df = table.assign(topic=table["topic"].astype(int))
    df = df[df["topic"] != OUTLIER].sort_values(["size", "topic"], ascending=[False, True])
    rows = []
    for r in df.to_dict("records"):
        t = r["topic"]
        rows.append({
            "topic": t, "name": names[t], "color": colors[t], "size": int(r["size"]),
            "documents": None if per_doc is None else int(per_doc[0].get(t, 0)),
            "main_in": None if per_doc is None else int(per_doc[1].get(t, 0)),
            "stability": marks.get(t),
            "keywords": ", ".join(text(k) for k in as_list(r.get("keywords"))[:MAX_KEYWORDS]),
            "sources": [text(s) for s in as_list(r.get("sources"))],
            "languages": [text(s) for s in as_list(r.get("languages"))],
            "frames": expressed.get(t, []),
            "quotes": quotes.many(as_ids(r.get("representative_ids"))[:2]),
            "theme": None if is_missing(r.get("theme")) else int(r["theme"]),
        })
    return rows


def expressed_frames(tables: Mapping[str, pd.DataFrame]) -> dict[int, list[str]]:
    """Per topic, the labels of the frames it expresses (``topic_frames.expresses``), largest share first.

    >>> tf = pd.DataFrame({"topic": [0, 0, 1], "frame_id": ["eco", "moral", "eco"], "share": [0.2, 0.5, 0.1],
    ...                    "expresses": [True, True, False]})
    >>> expressed_frames({"topic_frames": tf, "frames": pd.DataFrame({"frame_id": ["eco"], "label": ["Economic"]})})
    {0: ['moral', 'Economic']}
    """
    tf, frames = get_table(tables, "topic_frames"), get_table(tables, "frames")
    if tf is None or not {"topic", "frame_id", "share", "expresses"} <= set(tf.columns):
        return {}
    labels = dict(zip(frames["frame_id"].map(text), frames["label"].map(text))) if frames is not None else {}
    rows = tf[tf["expresses"].astype(bool)].sort_values(["topic", "share"], ascending=[True, False])
    return {int(t): [labels.get(text(f)) or text(f) for f in part["frame_id"]] for t, part in rows.groupby("topic")}


def topic_documents(ctx: ReportContext) -> tuple[dict[int, int], dict[int, int]] | None:
    """Per topic: documents with a sentence in it, and documents whose main topic it is (``corpus_counts``);
    None when the run has no ``document_topics``."""
    dt = ctx.tables.get("document_topics")
    if dt is None or not {"doc_id", "topic"} <= set(dt.columns):
        return None
    rows = ctx.counts_by("topic").to_dict("records")
    return ({int(r["group"]): int(r["documents"]) for r in rows},
            {int(r["group"]): int(r["main_topic_documents"]) for r in rows if not is_missing(r["main_topic_documents"])})


def _names_colors(tables: Mapping[str, pd.DataFrame]) -> tuple[dict[int, str], dict[int, str]]:
    sentences, topics = get_table(tables, "sentences"), get_table(tables, "topics")
    seen = set(topic_ids(sentences)) if sentences is not None else set()
    if topics is not None:
        seen |= set(topics["topic"].astype(int))
    return topic_names(topics, seen), topic_colors(seen)


def figures(ctx: ReportContext) -> dict[str, go.Figure]:
    """The sentence map, topic sizes and topics per source, as the tables allow."""
    tables = ctx.tables
    sentences, topics = get_table(tables, "sentences"), get_table(tables, "topics")
    names, colors = _names_colors(tables)
    figs: dict[str, go.Figure] = {}
    if sentences is not None and {"map_x", "map_y"} <= set(sentences.columns) and sentences["map_x"].notna().any():
        figs["sentence_map"] = sentence_map(sentences, names, colors, ctx.seed, ctx.max_points)
    if topics is not None and (topics["topic"].astype(int) != OUTLIER).any():
        per_doc = ctx.memo(topic_documents)
        figs["topic_sizes"] = topic_sizes(topics, names, colors, None if per_doc is None else pd.Series(per_doc[0]))
    shares = topic_source_shares(tables)
    if shares is not None and len(shares.rows):
        docs = topic_shares(tables, "source", "documents")
        figs["topics_per_source"] = topics_per_source(
            shares.rows, names, shares.denominator, docs.rows if docs is not None else None,
            docs.denominator if docs is not None else "")
    return figs


def view(ctx: ReportContext) -> dict:
    rows = topic_rows(ctx.tables, ctx.quotes, ctx.memo(topic_documents))
    ctx.add_contexts(rows)
    return {"topics": rows, "themes": theme_rows(get_table(ctx.tables, "topics"), rows),
            "stability": stability_summary(ctx.tables, ctx.meta)}


SECTION = Section("topics", "sections/topics.html.j2", view, label="Topics", figures=figures, figures_last=True)
