"""The "Candidate new frames" section: topics that express no catalog frame (``frame_candidates``)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..common import as_list, text
from ..context import ReportContext
from ..evidence import Quotes, as_ids
from .base import Section

MAX_KEYWORDS = 10


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


def view(ctx: ReportContext) -> list[dict] | None:
    rows = candidates(ctx.tables, ctx.quotes)
    ctx.add_contexts(rows)
    return rows


SECTION = Section("candidates", "sections/candidates.html.j2", view, label="Candidate frames")
