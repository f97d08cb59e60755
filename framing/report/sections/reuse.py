"""The "Reprints and copied passages" section: read from the ``reuse`` and ``reuse_sources`` tables.

Examples
--------
>>> import pandas as pd
>>> reuse_section({}) is None
True
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..common import get_table
from ..context import ReportContext
from ..evidence import Quotes
from .base import Section

MAX_GROUPS = 15  # the most reprinted passages shown; the table holds them all
MAX_PAIRS = 20


def reuse_section(tables: Mapping[str, pd.DataFrame], quotes: Quotes | None = None) -> dict | None:
    """Counts, the source pairs, and the most reprinted passages (first appearance quoted); None without the table."""
    reuse = get_table(tables, "reuse")
    if reuse is None:
        return None
    copies = reuse[~reuse.is_first.astype(bool)]
    passages = reuse[reuse.kind == "passage"]
    cross = passages[passages.n_sources.astype(int) > 1]
    groups = []
    ranked = (passages.groupby("reuse_id").agg(n_documents=("n_documents", "first"), n_sources=("n_sources", "first"))
              .sort_values(["n_sources", "n_documents"], ascending=False, kind="stable"))
    for rid in ranked.index[:MAX_GROUPS]:
        members = passages[passages.reuse_id == rid]
        first = members[members.is_first.astype(bool)].iloc[0]
        later = members[~members.is_first.astype(bool)]
        groups.append({"reuse_id": rid, "n_documents": int(first.n_documents), "n_sources": int(first.n_sources),
                       "first": quotes.get(first.sentence_id) if quotes is not None else None,
                       "text": str(first.text), "first_source": str(first.first_source),
                       "first_date": None if pd.isna(first.first_date) else str(first.first_date),
                       "reprinted_by": sorted({f"{s} ({d})" if not pd.isna(d) else str(s)
                                               for s, d in zip(later.source, later.date)})})
    pairs = get_table(tables, "reuse_sources")
    pair_rows = [] if pairs is None else pairs.head(MAX_PAIRS).to_dict("records")
    return {"copied_sentences": int(copies[copies.kind == "passage"].sentence_id.nunique()),
            "copied_documents": int(copies[copies.kind == "document"].doc_id.nunique()),
            "groups_total": int(passages.reuse_id.nunique()), "cross_source_groups": int(cross.reuse_id.nunique()),
            "groups": groups, "pairs": pair_rows, "pairs_total": 0 if pairs is None else len(pairs)}


def view(ctx: ReportContext) -> dict | None:
    section = reuse_section(ctx.tables, ctx.quotes)
    return None if section is None else {**section, "reprints": ctx.reprints}


SECTION = Section("reuse", "sections/reuse.html.j2", view, label="Reprints", shown=lambda v: v is not None)
