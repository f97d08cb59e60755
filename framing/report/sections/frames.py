"""The "Frames" section: frame prevalence by source (bars, heatmap), by every other grouping, over time,
and every frame at a glance.

Each figure draws the rows :mod:`framing.report.data` read from the comparison tables (``compare_prevalence``,
``compare_trend``); none computes a share. :func:`frame_entries` (one entry per catalog frame: counts,
facts, evidence) is also the "Evidence per frame" section's view.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..common import PALETTE, ROLE_COLORS, as_list, esc, get_table, is_missing, pct_format, text, topic_names
from ..context import ReportContext
from ..data import Shares, Timing, frame_prevalence, frame_timing
from ..evidence import Quotes, as_ids, frame_evidence, language_order
from .base import Section
from .frame_leads import MIN_LEADER_DOCUMENTS, _frame_firsts, _frame_leaders, leader_sources, subject_dates
from .voice import add_voice_facts, voice_view

CALIBRATION_NOTES = {
    "reference": "fixed: the catalog's anchors against the shipped reference sample of ordinary sentences "
                 "(run.json frames.calibration = reference); a document's decision does not depend on the "
                 "rest of the corpus",
    "corpus": "corpus-relative (run.json frames.calibration = corpus): thresholds follow this corpus, so "
              "decisions and prevalences move when documents are added or removed",
    "anchors": "fixed: from the catalog's anchors alone (run.json frames.calibration = anchors)",
}


def frame_rows(tables: Mapping[str, pd.DataFrame], quotes: Quotes, meta: Mapping | None = None,
               documents: Mapping[str, int] | None = None, subjects: Mapping[str, str] | None = None) -> list[dict]:
    """One entry per catalog frame: label, description, counts, topics expressing it, evidence by language.

    A document decision's evidence (``document_frames.evidence_ids``) leads the frame's quotes, and
    the thresholds' calibration (run.json ``frames.calibration``) is stated among the facts.
    ``documents`` holds each frame's documents using it (``corpus_counts``, by frame).
    """
    table = get_table(tables, "frames")
    if table is None:
        return []
    df_ = get_table(tables, "document_frames")
    tf = get_table(tables, "topic_frames")
    sf = get_table(tables, "sentence_frames")
    by_frame = dict(tuple(sf.groupby(sf["frame_id"].astype(str), sort=False))) if sf is not None else {}
    languages = language_order(tables)
    names = topic_names(get_table(tables, "topics"))
    leaders, firsts = _frame_leaders(tables), _frame_firsts(tables, subjects)
    validated = _validation(tables)
    decided = document_decisions(df_, quotes)
    out = []
    for r in table.to_dict("records"):
        fid = text(r["frame_id"])
        facts = [("Frame id", fid), ("Catalog", text(r.get("catalog")))]
        if not is_missing(r.get("parent")):
            facts.append(("Parent frame", text(r.get("parent"))))
        counts = []
        if not is_missing(r.get("sentences")):
            counts.append(("Matched sentences", int(r["sentences"])))
            facts.append(("Matched sentences", f"{int(r['sentences']):,} (frames.sentences)"))
        if df_ is not None:
            n = int((documents or {}).get(fid, 0))
            counts.append(("Documents", n))
            facts.append(("Documents using it", f"{n:,} (document_frames{', matched' if 'matched' in df_.columns else ''})"))
        elif not is_missing(r.get("documents")):
            counts.append(("Documents", int(r["documents"])))
            facts.append(("Documents with a matched sentence", f"{int(r['documents']):,} (frames.documents)"))
        mode = ((meta or {}).get("frames") or {}).get("calibration") if isinstance((meta or {}).get("frames"), Mapping) else None
        if isinstance(mode, str):
            facts.append(("Thresholds", CALIBRATION_NOTES.get(mode, mode)))
        srcs = [text(s) for s in (as_list(r.get("source_names")) or
                                  (as_list(r["sources"]) if isinstance(r.get("sources"), (list, np.ndarray)) else []))]
        if srcs:
            facts.append(("Sources", ", ".join(srcs)))
        if tf is not None:
            t = tf[(tf["frame_id"].astype(str) == fid) & tf["expresses"].astype(bool)]["topic"].astype(int)
            facts.append(("Expressed by topics", ", ".join(names.get(x, str(x)) for x in t) or "none"))
        out.append({"id": fid, "label": text(r.get("label")), "description": text(r.get("description")),
                    "facts": facts, "counts": counts, "sources": srcs, "leader": leaders.get(fid),
                    "first": firsts.get(fid), "validation": validated.get(fid), "documents": decided.get(fid),
                    "evidence": frame_evidence(by_frame.get(fid, sf.iloc[0:0] if sf is not None else None), quotes,
                                                as_ids(r.get("evidence_ids")), languages)})
    return out


MAX_DOCUMENTS_SHOWN = 5
"""Documents listed under a frame's evidence (the best supported first); document_frames holds them all."""


def document_decisions(document_frames: pd.DataFrame | None, quotes: Quotes) -> dict[str, dict]:
    """Per frame, the documents decided to use it: where to find each and, under the support rule, its support.

    ``support`` reads "3 of 27 sentences lean toward it" only for a decision the support rule took
    (``document_frames.method`` ending in ``support``), and adds "none states it on its own" when no sentence
    of the document passes the sentence decision (``matched_sentences`` 0: weak evidence, docs/frames.md); a
    decision by score (``frames.document_rule: score``) or by a trained model says nothing of support. The
    documents a matched sentence states come first; then, decided by support, the most supported, else the
    highest scores. Per frame: ``{"shown": [up to MAX_DOCUMENTS_SHOWN documents], "total": n}``.
    Nothing is escaped here: the template escapes every value.
    """
    need = {"doc_id", "frame_id", "matched", "score"}
    if document_frames is None or not need <= set(document_frames.columns):
        return {}
    used = document_frames[document_frames["matched"].astype(bool)]
    out = {}
    for fid, part in used.groupby(used["frame_id"].astype(str), sort=False):
        method = part["method"].astype(str) if "method" in part.columns else pd.Series("", index=part.index)
        stated = (part["matched_sentences"].fillna(1).astype(float) > 0 if "matched_sentences" in part.columns
                  else pd.Series(True, index=part.index))
        part = part.assign(_support=method.str.endswith("support") & ("support" in part.columns), _stated=stated)
        keys = ["_stated", *(["_support", "support"] if part["_support"].any() else []), "score"]
        top = part.sort_values([*keys, "doc_id"], ascending=[*([False] * len(keys)), True]).head(MAX_DOCUMENTS_SHOWN)
        out[fid] = {"shown": [_decided_document(r, quotes) for r in top.to_dict("records")], "total": len(part)}
    return out


def _decided_document(r: dict, quotes: Quotes) -> dict:
    docs, doc_id = quotes.documents, r["doc_id"]
    doc = docs.loc[doc_id] if docs is not None and doc_id in docs.index else {}
    support = None
    if r["_support"] and not is_missing(r.get("support")):
        lean, n = int(r["support"]), r.get("sentences")
        verb = "leans" if lean == 1 else "lean"
        support = (f"{lean:,} of {int(n):,} sentences {verb} toward it" if not is_missing(n)
                   else f"{lean:,} sentence{'' if lean == 1 else 's'} {verb} toward it")
        if not r["_stated"]:
            support += "; none states it on its own"
    return {"doc_id": text(doc_id), "title": text(doc.get("title")), "source": text(doc.get("source")),
            "date": text(doc.get("date")), "support": support}


def _validation(tables: Mapping[str, pd.DataFrame]) -> dict[str, list[str]]:
    """Per frame, its validated precision from ``frame_validation`` (one text per level), else nothing."""
    from ...frames.validate import validation_text

    table = get_table(tables, "frame_validation")
    if table is None:
        return {}
    out: dict[str, list[str]] = {}
    for row in table.sort_values(["frame_id", "level"]).to_dict("records"):
        out.setdefault(text(row["frame_id"]), []).append(validation_text(row))
    return out


MAX_GROUPS_BARS = 8
"""The bar chart shows this many groups (the largest)."""
MAX_HEATMAP_GROUPS = 20
"""The heatmap shows this many groups (the largest); the prevalence table lists all."""


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
    more = (f"; the {len(shown)} largest of {len(groups)} groups (the heatmap shows "
            f"{'all' if len(groups) <= MAX_HEATMAP_GROUPS else f'the {MAX_HEATMAP_GROUPS} largest'})"
            if len(groups) > len(shown) else "")
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
    every, frames = _groups_by_size(rows), _frame_order(rows, labels)
    groups = every[:MAX_HEATMAP_GROUPS]
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
    note = "; * few documents (compare.min_documents): read with care" if few.reindex(groups).any() else ""
    if len(every) > len(groups):
        note += f"; the {len(groups)} largest of {len(every)} (the prevalence table lists all)"
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

    Every calendar month from the first to the last runs on a category axis, so a month without a
    dated document is a gap in the lines, not a straight line to the next; undated documents (the
    table's ``unknown`` month) are left out.
    """
    labels = labels or {}
    rows = timing.rows[timing.rows["period"].str.match(r"^\d{4}-\d{2}")]
    periods = calendar_months(rows["period"])
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


def calendar_months(periods: pd.Series) -> list[str]:
    """Every ``YYYY-MM`` from the first to the last of ``periods``, in order.

    >>> calendar_months(pd.Series(["2018-02", "2017-11"]))
    ['2017-11', '2017-12', '2018-01', '2018-02']
    """
    months = sorted(set(periods))
    if not months:
        return []
    return [str(p) for p in pd.period_range(months[0], months[-1], freq="M")]


def _over_time_title(timing: Timing, group: str) -> str:
    return (f"Frames over time in {esc(group)}<br><sup>share of {esc(timing.denominator)} per month</sup><br>"
            f"<sup>from {esc(timing.table)}; marker size: that month's denominator</sup><br><sup>choose the "
            f"{esc(timing.by)} in the menu; a gap: no dated document that month; undated documents left out</sup>")


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


def frame_entries(ctx: ReportContext) -> list[dict]:
    """One entry per catalog frame (read from the tables without reprinted copies), with who speaks it."""
    documents = {text(r["group"]): int(r["documents"]) for r in ctx.counts_by("frame").to_dict("records")}
    rows = frame_rows(ctx.shown, ctx.quotes, ctx.meta, documents, ctx.memo(subject_dates))
    return add_voice_facts(rows, ctx.memo(voice_view))


def figures(ctx: ReportContext) -> dict[str, go.Figure]:
    """Frame prevalence by source (bars and heatmap), by role (placed in "Outlet against comments"), by every
    other grouping of ``compare_prevalence``, and over time."""
    tables, labels = ctx.tables, ctx.frame_labels
    figs: dict[str, go.Figure] = {}
    prevalence = frame_prevalence(tables)
    if prevalence is not None and len(prevalence.rows):
        figs["frame_prevalence"] = prevalence_bars(prevalence, labels)
        figs["frames_by_source"] = source_heatmap(prevalence, labels)
    by_role = frame_prevalence(tables, by="role")
    if by_role is not None and by_role.rows["group"].nunique() >= 2:
        figs["frames_by_role"] = prevalence_bars(by_role, labels)
    for by in other_groupings(tables):  # e.g. an outlet's bias rating kept with corpus.fields.keep
        shares = frame_prevalence(tables, by=by)
        if shares is not None and shares.rows["group"].nunique() >= 2:
            figs[f"frames_by_{grouping_slug(by)}"] = prevalence_bars(shares, labels)
    timing = frame_timing(tables)
    if timing is not None and timing.rows["period"].str.match(r"^\d{4}-\d{2}").any():  # an undated corpus: none
        figs["frames_over_time"] = over_time(timing, labels)
    return figs


def view(ctx: ReportContext) -> dict:
    return {"frames": ctx.memo(frame_entries), "timing_computed": bool(ctx.cmp.get("compare_timing")),
            "leader_min": MIN_LEADER_DOCUMENTS, "leader_sources": len(leader_sources(ctx.tables)),
            "shares": frame_prevalence(ctx.tables) is not None, "trend": ctx.tables.get("compare_trend") is not None}


SECTION = Section("frames", "sections/frames.html.j2", view, label="Frames", figures=figures)
