"""The "Two sources side by side" section: the page's script compares two sources chosen by the reader.

Its view (frame and topic shares per source with their intervals, evidence, distinctive terms) is packed
into the page as the ``compare-data`` block and drawn by ``report.js`` (bar charts).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..common import OUTLIER, get_table, is_missing, strs, text, topic_names
from ..context import ReportContext
from ..data import frame_prevalence, topic_source_shares
from ..evidence import top_by_group
from .base import Section


def side_by_side(tables: Mapping[str, pd.DataFrame], documents: Mapping[str, int] | None = None) -> dict | None:
    """Data for the in-page two-source comparison: frame and topic shares per source, evidence, terms.

    ``documents`` holds each source's documents (``corpus_counts``, by source).
    """
    prev = frame_prevalence(tables)
    topics_ = topic_source_shares(tables)
    if prev is None and topics_ is None:
        return None
    frame_labels = {}
    ft = get_table(tables, "frames")
    if ft is not None:
        frame_labels = dict(zip(ft["frame_id"].map(text), ft["label"].map(text)))
    data: dict = {"sources": [], "frames": [], "topics": [], "frame_shares": {}, "topic_shares": {},
                  "evidence": top_by_group(tables), "terms": _terms(tables)}
    if prev is not None:
        data["frame_denominator"], data["frame_table"], data["has_ci"] = prev.denominator, prev.table, prev.has_ci
        items = list(dict.fromkeys([*frame_labels, *prev.rows["item"]]))
        data["frames"] = [[i, frame_labels.get(i, i)] for i in items]
        for r in prev.rows.itertuples(index=False):
            data["frame_shares"].setdefault(r.group, {})[r.item] = [_num(r.share), _num(r.ci_low), _num(r.ci_high),
                                                                   _num(r.count), _num(r.total)]
    if topics_ is not None:
        names = topic_names(get_table(tables, "topics"))
        data["topic_denominator"], data["topic_table"] = topics_.denominator, topics_.table
        data["topic_has_ci"] = topics_.has_ci
        ids = sorted(set(topics_.rows["topic"]) - {OUTLIER})
        data["topics"] = [[int(t), names.get(int(t), f"Topic {t}")] for t in ids]
        for r in topics_.rows.itertuples(index=False):
            if int(r.topic) != OUTLIER:
                data["topic_shares"].setdefault(r.source, {})[str(int(r.topic))] = [
                    _num(r.share), _num(r.ci_low), _num(r.ci_high), _num(r.count), _num(r.total)]
    groups = set(data["frame_shares"]) | set(data["topic_shares"])
    sizes = {} if documents is None else documents
    data["sources"] = sorted(groups, key=lambda g: (-int(sizes.get(g, 0)), g))
    data["documents"] = {g: int(sizes.get(g, 0)) for g in data["sources"]}
    return data


def _num(value: object) -> float | None:
    return None if is_missing(value) else round(float(value), 6)


def _terms(tables: Mapping[str, pd.DataFrame], per: int = 15) -> dict[str, list]:
    """Most distinctive terms per source (``compare_terms``, scope ``all``), by rank."""
    df = tables.get("compare_terms")
    if df is None or not {"group", "term"} <= set(df.columns):
        return {}
    if "by" in df.columns:
        df = df[df["by"].astype(str) == "source"]
    if "scope" in df.columns:
        df = df[df["scope"].astype(str) == "all"]
    if "rank" in df.columns:
        df = df.sort_values("rank", kind="stable")
    elif "log_odds" in df.columns:
        df = df.sort_values("log_odds", ascending=False, kind="stable")
    return {text(g): [[text(t)] for t in part["term"].head(per)] for g, part in df.groupby(strs(df["group"]), sort=True)}


def view(ctx: ReportContext) -> dict | None:
    documents = {text(r["group"]): int(r["documents"]) for r in ctx.counts_by("source").to_dict("records")} \
        if get_table(ctx.tables, "documents") is not None else None
    return side_by_side(ctx.shown, documents)


SECTION = Section("compare", "sections/compare.html.j2", view, label="Two sources", data_block="compare-data",
                  traces=frozenset({"bar"}))
