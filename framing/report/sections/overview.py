"""The "Overview" section: documents and sentences by source, role, language and month; warnings; skipped inputs.

Every count is a row of ``corpus_counts`` (:func:`framing.compare.counts.corpus_counts`).
"""

from __future__ import annotations

from collections.abc import Mapping


from ...compare.counts import ROLES, UNKNOWN
from ..common import get_table, is_missing, text
from ..context import ReportContext
from .base import Section


def _int(value: object) -> int:
    return 0 if is_missing(value) else int(value)


def source_rows(ctx: ReportContext) -> list[dict]:
    """One row per source: documents, documents per role, sentences, first and last date."""
    rows = [{"source": text(r["group"]), "documents": _int(r["documents"]),
             "roles": {role: _int(r[f"{role}_documents"]) for role in ROLES}, "sentences": _int(r["sentences"]),
             "first": text(r["first_date"]), "last": text(r["last_date"])}
            for r in ctx.counts_by("source").to_dict("records")]
    return sorted(rows, key=lambda r: (-r["documents"], r["source"]))


def _topic_summary(meta: Mapping, n_sentences: int | None) -> dict | None:
    info = meta.get("topics")
    if not isinstance(info, Mapping) or "outlier_share" not in info:
        return None
    clustered = info.get("clustered")
    return {"topics": info.get("topics"), "clustered": clustered, "outlier_share": info.get("outlier_share"),
            "not_clustered": (n_sentences - clustered) if n_sentences is not None and clustered is not None else None}


def overview(ctx: ReportContext) -> dict:
    """Counts by source, role, language and period; topics summary; warnings and skipped inputs."""
    meta = ctx.meta
    docs, sents = get_table(ctx.tables, "documents"), get_table(ctx.tables, "sentences")
    counts = meta.get("counts") or {}
    corpus = ctx.counts_by("corpus").to_dict("records")
    n_docs = _int(corpus[0]["documents"]) if docs is not None else counts.get("documents")
    n_sents = _int(corpus[0]["sentences"]) if sents is not None else counts.get("sentences")
    view: dict = {"facts": [], "sources": [], "roles": [], "languages": [], "periods": [],
                  "n_documents": n_docs, "n_sentences": n_sents}
    if docs is not None:
        view["roles"] = [(text(r["group"]), _int(r["documents"])) for r in ctx.counts_by("role").to_dict("records")]
        view["periods"] = [("no date" if r["group"] == UNKNOWN else text(r["group"]), _int(r["documents"]))
                           for r in ctx.counts_by("month").to_dict("records")]
        view["sources"] = source_rows(ctx)
    if sents is not None and "lang" in sents.columns:
        view["languages"] = [(text(r["group"]), _int(r["sentences"]), float(r["share_of_all_sentences"]))
                             for r in ctx.counts_by("language").to_dict("records")]
    view["topics"] = _topic_summary(meta, n_sents if sents is not None else None)
    view["warnings"] = meta.get("warnings")
    view["skipped"] = [{"item": text(s.get("item")), "reason": text(s.get("reason")), "stage": text(s.get("stage"))}
                       for s in meta.get("skipped") or []]
    emb = meta.get("embedding") or {}
    view["embedding"] = {"model": text(emb.get("model")), "reason": text(emb.get("reason")),
                         "cache": emb.get("cache") or {}}
    return view


SECTION = Section("overview", "sections/overview.html.j2", lambda ctx: ctx.memo(overview), label="Overview")
