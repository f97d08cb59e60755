"""The "Propaganda techniques" section: which sources use which devices, how much more than the others,
and the passages that show it, with the technique's spans marked.

Shares, intervals and tests are the ``compare_prevalence`` rows with ``kind == "technique"`` (their one
home, :mod:`framing.compare`); counts and evidence come from the ``techniques``, ``technique_spans`` and
``sentences`` tables. Every text is a plain string: the template escapes it, and a marked span is a
slice of the quoted sentence, never markup.

Examples
--------
>>> marked_segments("They are evil thugs.", 0, [(9, 13)])
[{'text': 'They are ', 'mark': False}, {'text': 'evil', 'mark': True}, {'text': ' thugs.', 'mark': False}]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..common import PALETTE, esc, get_table, is_missing, text
from ..context import ReportContext
from .base import Section

N_QUOTES = 3
N_LEADS = 15


def marked_segments(sentence: str, offset: int, spans: list[tuple[int, int]]) -> list[dict]:
    """The sentence cut into plain and marked pieces; ``spans`` are offsets into the document, ``offset`` the
    sentence's own. Overlapping spans are merged; a span reaching outside the sentence is clipped to it."""
    cuts = sorted((max(0, a - offset), min(len(sentence), b - offset)) for a, b in spans)
    merged: list[list[int]] = []
    for a, b in cuts:
        if b <= a:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out, pos = [], 0
    for a, b in merged:
        if a > pos:
            out.append({"text": sentence[pos:a], "mark": False})
        out.append({"text": sentence[a:b], "mark": True})
        pos = b
    if pos < len(sentence):
        out.append({"text": sentence[pos:], "mark": False})
    return out


def _quotes(ctx: ReportContext, tid: str, ids: list, spans: pd.DataFrame | None) -> list[dict]:
    out = []
    for sid in ids[:N_QUOTES]:
        q = ctx.quotes.get(sid)
        if q is None:
            continue
        mine = spans[(spans["sentence_id"] == sid) & (spans["technique_id"] == tid)] if spans is not None else None
        pairs = list(zip(mine["start"].astype(int), mine["end"].astype(int))) if mine is not None else []
        offset = q["start"] if q["start"] is not None else 0
        q = {**q, "segments": marked_segments(q["text"], offset, pairs),
             "methods": sorted(set(mine["method"].astype(str))) if mine is not None and len(mine) else []}
        out.append(q)
    return out


def _prevalence(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame | None:
    prev = tables.get("compare_prevalence")
    if prev is None or "kind" not in prev.columns:
        return None
    rows = prev[(prev["kind"].astype(str) == "technique") & (prev["by"].astype(str) == "source")]
    return rows if len(rows) else None


def _leads(prev: pd.DataFrame | None) -> list[dict]:
    """Source and technique pairs where the source uses the device more than the other sources, most first."""
    if prev is None:
        return []
    rows = []
    for r in prev.to_dict("records"):
        share, other = r.get("share_of_sentences"), r.get("versus_share_of_sentences")
        if is_missing(share) or share <= 0:
            continue
        ratio = share / other if not is_missing(other) and other > 0 else np.inf
        rows.append({"source": text(r["group"]), "technique": text(r["label"]), "share": float(share),
                     "ci": None if is_missing(r.get("ci_low")) else (float(r["ci_low"]), float(r["ci_high"])),
                     "versus": None if is_missing(other) else float(other), "ratio": float(ratio),
                     "q": None if is_missing(r.get("q_value")) else float(r["q_value"]),
                     "sentences": int(r["sentences"]), "group_sentences": int(r["group_sentences"]),
                     "few": bool(r.get("few_documents"))})
    rows = [r for r in rows if r["ratio"] > 1]
    rows.sort(key=lambda r: (r["q"] is None or r["q"] >= 0.05, -min(r["ratio"], 1e9), -r["share"]))
    return rows[:N_LEADS]


def view(ctx: ReportContext) -> dict | None:
    """The section's data; None when the run has no technique tables."""
    table = get_table(ctx.tables, "techniques")
    if table is None:
        return None
    spans = get_table(ctx.tables, "technique_spans")
    info = ctx.meta.get("techniques") if isinstance(ctx.meta.get("techniques"), Mapping) else {}
    entries = []
    for r in table.to_dict("records"):
        tid = text(r["technique_id"])
        ids = [x for x in (r.get("evidence_ids") if r.get("evidence_ids") is not None else [])]
        entries.append({"id": tid, "label": text(r["label"]), "description": text(r["description"]),
                        "span": text(r.get("span")), "sentences": int(r["sentences"]), "spans": int(r["spans"]),
                        "documents": int(r["documents"]), "sources": [text(s) for s in (r.get("source_names")
                                                                                         if r.get("source_names") is not None else [])],
                        "quotes": _quotes(ctx, tid, list(ids), spans)})
    entries.sort(key=lambda e: (-e["documents"], -e["sentences"], e["id"]))
    return {"entries": entries, "leads": _leads(_prevalence(ctx.tables)), "scorer": text(info.get("scorer")),
            "catalog": text(info.get("catalog")), "total_spans": 0 if spans is None else len(spans)}


def figures(ctx: ReportContext) -> dict[str, go.Figure]:
    """A heatmap of the share of each source's scored sentences that use each technique (compare_prevalence)."""
    prev = _prevalence(ctx.tables)
    if prev is None:
        return {}
    grid = prev.pivot_table(index="label", columns="group", values="share_of_sentences", aggfunc="first")
    grid = grid.loc[grid.max(axis=1).sort_values(ascending=True).index]
    fig = go.Figure(go.Heatmap(z=grid.to_numpy(), x=[esc(c) for c in grid.columns], y=[esc(i) for i in grid.index],
                               colorscale=[[0, "#ffffff"], [1, PALETTE[0]]], zmin=0,
                               hovertemplate="%{y} in %{x}: %{z:.1%} of scored sentences<extra></extra>",
                               colorbar={"tickformat": ".0%"}))
    fig.update_layout(title="Share of each source's scored sentences that use a technique (compare_prevalence)",
                      height=120 + 28 * len(grid), margin={"l": 220, "r": 20, "t": 50, "b": 60})
    return {"techniques-heatmap": fig}


SECTION = Section("techniques", "sections/techniques.html.j2", view, label="Techniques", figures=figures,
                  shown=lambda v: v is not None)
