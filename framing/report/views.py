"""What each section of the report shows, as plain data for the templates.

Numbers are read from the run's tables and run.json (or are row counts of a
table, with the table named); every share comes with what it divides by.
Values are plain strings and numbers: the Jinja2 templates escape them.

Examples
--------
>>> view = overview(tables, meta)       # doctest: +SKIP
>>> view["sources"][0]["documents"]    # doctest: +SKIP
2
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .common import OUTLIER, as_list, get_table, is_missing, strs, text, topic_colors, topic_ids, topic_names
from .data import frame_prevalence, topic_source_shares
from .evidence import Quotes, as_ids, frame_evidence, language_order, top_by_group

MAX_KEYWORDS = 10
MAX_TABLE_ROWS = 500
ROLES = ("article", "comment", "post")
COMPARE_TABLES = {  # (compare_trend is drawn, not listed)
    "compare_prevalence": "Prevalence by group, with intervals",
    "compare_terms": "Distinctive terms",
    "compare_divergence": "How far apart groups are",
    "compare_timing": "Who said it first",
    "compare_audience": "Outlet against comments",
}


def _month(value: object) -> str:
    s = text(value)
    return s[:7] if len(s) >= 7 and s[:4].isdigit() else "no date"


def overview(tables: Mapping[str, pd.DataFrame], meta: Mapping) -> dict:
    """Counts by source, role, language and period; topics summary; warnings and skipped inputs."""
    docs, sents = get_table(tables, "documents"), get_table(tables, "sentences")
    counts = meta.get("counts") or {}
    view: dict = {"facts": [], "sources": [], "roles": [], "languages": [], "periods": [],
                  "n_documents": len(docs) if docs is not None else counts.get("documents"),
                  "n_sentences": len(sents) if sents is not None else counts.get("sentences")}
    if docs is not None:
        view["roles"] = [(r, int(n)) for r, n in docs["role"].map(text).value_counts().items()]
        months = docs["date"].map(_month) if "date" in docs.columns else pd.Series(["no date"] * len(docs))
        view["periods"] = sorted((m, int(n)) for m, n in months.value_counts().items())
        view["sources"] = _source_rows(docs, sents)
    if sents is not None and "lang" in sents.columns:
        n = len(sents)
        view["languages"] = [(lang, int(k), k / n) for lang, k in strs(sents["lang"]).value_counts().items()]
    view["topics"] = _topic_summary(meta, sents)
    view["warnings"] = meta.get("warnings")
    view["skipped"] = [{"item": text(s.get("item")), "reason": text(s.get("reason")), "stage": text(s.get("stage"))}
                       for s in meta.get("skipped") or []]
    emb = meta.get("embedding") or {}
    view["embedding"] = {"model": text(emb.get("model")), "reason": text(emb.get("reason")),
                         "cache": emb.get("cache") or {}}
    return view


def _source_rows(docs: pd.DataFrame, sents: pd.DataFrame | None) -> list[dict]:
    by_source = strs(sents["source"]).value_counts() if sents is not None else pd.Series(dtype=int)
    rows = []
    for source, part in docs.groupby(docs["source"].map(text), sort=True):
        roles = part["role"].map(text).value_counts()
        dates = part["date"].map(text) if "date" in part.columns else pd.Series([], dtype=str)
        dates = dates[dates != ""]
        rows.append({"source": source, "documents": len(part), "roles": {r: int(roles.get(r, 0)) for r in ROLES},
                     "sentences": int(by_source.get(source, 0)),
                     "first": dates.min() if len(dates) else "", "last": dates.max() if len(dates) else ""})
    return sorted(rows, key=lambda r: (-r["documents"], r["source"]))


def _topic_summary(meta: Mapping, sents: pd.DataFrame | None) -> dict | None:
    info = meta.get("topics")
    if not isinstance(info, Mapping) or "outlier_share" not in info:
        return None
    clustered = info.get("clustered")
    return {"topics": info.get("topics"), "clustered": clustered, "outlier_share": info.get("outlier_share"),
            "not_clustered": (len(sents) - clustered) if sents is not None and clustered is not None else None}


CALIBRATION_NOTES = {
    "reference": "fixed: the catalog's anchors against the shipped reference sample of ordinary sentences "
                 "(run.json frames.calibration = reference); a document's decision does not depend on the "
                 "rest of the corpus",
    "corpus": "corpus-relative (run.json frames.calibration = corpus): thresholds follow this corpus, so "
              "decisions and prevalences move when documents are added or removed",
    "anchors": "fixed: from the catalog's anchors alone (run.json frames.calibration = anchors)",
}


def frames(tables: Mapping[str, pd.DataFrame], quotes: Quotes, meta: Mapping | None = None) -> list[dict]:
    """One entry per catalog frame: label, description, counts, topics expressing it, evidence by language.

    A document decision's evidence (``document_frames.evidence_ids``) leads the frame's quotes, and
    the thresholds' calibration (run.json ``frames.calibration``) is stated among the facts.
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
    leaders, firsts = _frame_leaders(tables), _frame_firsts(tables)
    validated = _validation(tables)
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
            mine = df_[df_["frame_id"].astype(str) == fid]
            n = int(mine["matched"].astype(bool).sum()) if "matched" in mine.columns else len(mine)
            counts.append(("Documents", n))
            facts.append(("Documents using it", f"{n:,} (document_frames{', matched' if 'matched' in mine.columns else ''})"))
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
                    "first": firsts.get(fid), "validation": validated.get(fid), "evidence": frame_evidence(by_frame.get(fid, sf.iloc[0:0] if sf is not None else None), quotes,
                                                as_ids(r.get("evidence_ids")), languages)})
    return out


def _validation(tables: Mapping[str, pd.DataFrame]) -> dict[str, list[str]]:
    """Per frame, its validated precision from ``frame_validation`` (one text per level), else nothing."""
    from ..frames.validate import validation_text

    table = get_table(tables, "frame_validation")
    if table is None:
        return {}
    out: dict[str, list[str]] = {}
    for row in table.sort_values(["frame_id", "level"]).to_dict("records"):
        out.setdefault(text(row["frame_id"]), []).append(validation_text(row))
    return out


def _frame_leaders(tables: Mapping[str, pd.DataFrame]) -> dict[str, dict]:
    """Per frame, the source where the table gives it the largest share (groups flagged as having
    few documents only when no other group uses the frame)."""
    prev = frame_prevalence(tables)
    if prev is None or prev.rows.empty:
        return {}
    rows = prev.rows[prev.rows["share"] > 0].sort_values(["few", "share", "count"], ascending=[True, False, False],
                                                         kind="stable")
    out = {}
    for item, part in rows.groupby("item", sort=False):
        r = part.iloc[0]
        out[item] = {"group": r["group"], "share": float(r["share"]), "few": bool(r["few"]),
                     "ci": (float(r["ci_low"]), float(r["ci_high"])) if prev.has_ci and not is_missing(r["ci_low"]) else None,
                     "count": None if is_missing(r["count"]) else int(r["count"]),
                     "total": None if is_missing(r["total"]) else int(r["total"]), "denominator": prev.denominator,
                     "table": prev.table}
    return out


def _frame_firsts(tables: Mapping[str, pd.DataFrame]) -> dict[str, dict]:
    """Per frame, the first source to use it and when (``compare_timing``, rank 1)."""
    df = tables.get("compare_timing")
    if df is None or not {"item", "group", "first_date", "rank"} <= set(df.columns):
        return {}
    if "by" in df.columns:
        df = df[df["by"].astype(str) == "source"]
    if "kind" in df.columns:
        df = df[df["kind"].astype(str) == "frame"]
    out: dict[str, dict] = {}
    for r in df[pd.to_numeric(df["rank"], errors="coerce") == 1].itertuples(index=False):
        entry = out.setdefault(text(r.item), {"date": text(r.first_date), "groups": [],
                                              "using": None if is_missing(getattr(r, "groups_using", None))
                                              else int(r.groups_using)})
        entry["groups"].append(text(r.group))
    return out


def _topic_documents(tables: Mapping[str, pd.DataFrame]) -> tuple[pd.Series, pd.Series] | None:
    """Per topic: documents with a sentence in it, and documents whose main topic it is (``document_topics``)."""
    dt = tables.get("document_topics")
    if dt is None or not {"doc_id", "topic"} <= set(dt.columns):
        return None
    if "sentences" in dt.columns:
        dt = dt[pd.to_numeric(dt["sentences"], errors="coerce").fillna(0) > 0]
    topic = dt["topic"].astype(int)
    docs = dt.groupby(topic)["doc_id"].nunique()
    main = dt[dt["is_main"].astype(bool)].groupby(topic[dt["is_main"].astype(bool)])["doc_id"].nunique() \
        if "is_main" in dt.columns else pd.Series(dtype=int)
    return docs, main


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


def topics(tables: Mapping[str, pd.DataFrame], quotes: Quotes) -> list[dict]:
    """One row per topic (outliers left out): name, color, keywords, size, documents, stability, sources,
    frames, representatives."""
    table, sents = get_table(tables, "topics"), get_table(tables, "sentences")
    if table is None:
        return []
    ids = set(table["topic"].astype(int)) | (set(topic_ids(sents)) if sents is not None else set())
    names, colors = topic_names(table, ids), topic_colors(ids)
    per_doc, marks = _topic_documents(tables), _stability(tables)
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
            "frames": [text(s) for s in as_list(r.get("frame_labels"))],
            "quotes": quotes.many(as_ids(r.get("representative_ids"))[:2]),
        })
    return rows


def candidates(tables: Mapping[str, pd.DataFrame], quotes: Quotes) -> list[dict] | None:
    """Candidate new frames (``frame_candidates``); None when the run has no such table."""
    table = tables.get("frame_candidates")
    if table is None:
        return None
    return [{"topic": text(r.get("topic")), "label": text(r.get("label")),
             "keywords": ", ".join(text(k) for k in as_list(r.get("keywords"))[:MAX_KEYWORDS]),
             "size": text(r.get("size")), "sources": [text(s) for s in as_list(r.get("sources"))],
             "languages": [text(s) for s in as_list(r.get("languages"))],
             "quotes": quotes.many(as_ids(r.get("evidence_ids"))[:2])}
            for r in table.to_dict("records")]


def _cell(column: str, value: object) -> tuple[str, object]:
    """(shown text, sort key) of one cell."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return ", ".join(text(v) for v in value), ""
    if is_missing(value):
        return "", ""
    if isinstance(value, (bool, np.bool_)):
        return ("yes" if value else "no"), int(value)
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}", int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if "share" in column or column.endswith(("ci_low", "ci_high")) or column == "difference":
            return f"{v:.1%}", v
        return f"{v:.3g}" if abs(v) < 1e4 else f"{v:,.0f}", v
    return text(value), text(value)


def data_table(df: pd.DataFrame, limit: int = MAX_TABLE_ROWS, sort_by: str | None = None) -> dict:
    """Any table as header + rows of (text, sort key) cells, at most ``limit`` rows, for the page's sortable tables."""
    if sort_by and sort_by in df.columns:
        df = df.sort_values(sort_by, ascending=False, kind="stable")
    cols = [str(c) for c in df.columns]
    rows = [[_cell(c, v) for c, v in zip(cols, rec)] for rec in df.head(limit).itertuples(index=False)]
    filters = [c for c in cols if c in ("by", "group", "kind", "source", "role", "group_a", "group_b")
               and df[c].nunique() <= 60]
    return {"columns": cols, "rows": rows, "total": len(df), "filters": filters}


# How each comparison table is shown: rows kept, columns first (the rest follow), sort order.
COMPARE_VIEWS = {
    "compare_prevalence": ({}, ["by", "group", "kind", "item", "label", "share_of_documents", "documents_ci_low",
                                "documents_ci_high", "documents", "group_documents", "share_of_sentences", "ci_low",
                                "ci_high", "q_value", "few_documents"], ["by", "kind", "item", "group"], True),
    "compare_terms": ({"scope": "all"}, ["by", "group", "rank", "term", "count", "versus_count", "log_odds", "z"],
                      ["by", "group", "rank"], True),
    "compare_divergence": ({}, ["by", "kind", "group_a", "group_b", "jsd", "count_a", "count_b", "few_documents"],
                           ["by", "kind", "jsd"], True),
    "compare_timing": ({}, ["by", "kind", "label", "item", "group", "rank", "first_date", "lag_days", "shared",
                           "groups_using", "first_doc_id", "dated_documents", "undated_documents"],
                       ["by", "kind", "item", "rank"], True),
    "compare_audience": ({"level": "group"}, ["by", "group", "kind", "label", "pages", "outlet_share_of_sentences",
                                              "outlet_ci_low", "outlet_ci_high", "audience_share_of_sentences",
                                              "audience_ci_low", "audience_ci_high", "difference", "ci_low", "ci_high",
                                              "amplified_pages", "ignored_pages", "introduced_pages",
                                              "contest_measurable", "contested_pages", "contest_share_of_comments",
                                              "contest_ci_low", "contest_ci_high", "few_documents"],
                         ["by", "group", "kind", "item"], True),
}


# Value columns shown with their interval in one cell: "12.0% [5.0% – 20.0%]".
INTERVALS = [("share_of_documents", "documents_ci_low", "documents_ci_high"), ("share_of_sentences", "ci_low", "ci_high"),
             ("outlet_share_of_sentences", "outlet_ci_low", "outlet_ci_high"),
             ("audience_share_of_sentences", "audience_ci_low", "audience_ci_high"), ("difference", "ci_low", "ci_high"),
             ("contest_share_of_comments", "contest_ci_low", "contest_ci_high")]


def _with_intervals(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, tuple[str, str]]]:
    merged = {}
    for value, lo, hi in INTERVALS:
        if {value, lo, hi} <= set(df.columns) and lo not in [m for pair in merged.values() for m in pair]:
            merged[value] = (lo, hi)
    drop = [c for pair in merged.values() for c in pair]
    return df.drop(columns=drop), {v: pair for v, pair in merged.items()} if merged else {}


def compare_sections(tables: Mapping[str, pd.DataFrame]) -> dict[str, dict | None]:
    """Each comparison table (``compare_*``) as a page table; None where the run has not computed it."""
    out: dict[str, dict | None] = {}
    for name in COMPARE_TABLES:
        df = tables.get(name)
        if df is None or df.empty:  # e.g. compare_audience of a corpus without comments
            out[name] = None
            continue
        keep, first, order, _ = COMPARE_VIEWS.get(name, ({}, [], [], True))
        for col, value in keep.items():
            if col in df.columns:
                df = df[df[col].astype(str) == value]
        cols = [c for c in first if c in df.columns]
        df = df[cols] if cols else df
        order = [c for c in order if c in df.columns]
        if order:
            df = df.sort_values(order, kind="stable")
        shown, merged = _with_intervals(df)
        table = data_table(shown)
        for value, (lo, hi) in merged.items():
            k = table["columns"].index(value)
            table["columns"][k] = f"{value} [95% interval]"
            for row, a, b in zip(table["rows"], df[lo].head(MAX_TABLE_ROWS), df[hi].head(MAX_TABLE_ROWS)):
                shown_text, key = row[k]
                if shown_text and not is_missing(a) and not is_missing(b):
                    row[k] = (f"{shown_text} [{float(a):.1%} – {float(b):.1%}]", key)
        out[name] = table
    return out


def side_by_side(tables: Mapping[str, pd.DataFrame]) -> dict | None:
    """Data for the in-page two-source comparison: frame and topic shares per source, evidence, terms."""
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
    docs = get_table(tables, "documents")
    groups = set(data["frame_shares"]) | set(data["topic_shares"])
    sizes = docs["source"].map(text).value_counts() if docs is not None else pd.Series(dtype=int)
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


def run_facts(meta: Mapping) -> dict:
    """Seed, inputs, versions and the resolved config (as indented JSON text)."""
    inputs = []
    for item in meta.get("inputs") or []:
        inputs.append(" · ".join(text(v) for v in item.values()) if isinstance(item, Mapping) else text(item))
    return {"seed": text(meta.get("seed")), "created": text(meta.get("created")), "command": text(meta.get("command")),
            "inputs": inputs, "versions": [(text(k), text(v)) for k, v in (meta.get("versions") or {}).items()],
            "config": json.dumps(meta.get("config") or {}, indent=2, sort_keys=True, ensure_ascii=False, default=str)}
