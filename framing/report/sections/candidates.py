"""The "Candidate new frames" section: the topics of ``frame_candidates`` that look like a frame, at most a screen.

A frame is a way of talking about subjects (a problem, a cause, a judgement, a remedy), not a subject: a
topic model mostly finds subjects (an election, a trial, a person). A topic of ``frame_candidates`` (spread
over several sources or languages, expressing no catalog frame) is shown only when, by its counts in
``corpus_counts``:

1. it does not name its subject: at most :data:`MAX_NAME_SHARE` of its keywords name someone or something
   (a word written with a capital inside a sentence in most of its uses; German and scripts without
   capitals are not judged, so there this test passes);
2. it recurs across subjects: in the documents long enough to have several topics (at least 3 clustered
   sentences), it is the main topic of at most :data:`MAX_MAIN_SHARE` of them, and those documents' main
   topics are at least :data:`MIN_OTHER_SUBJECTS` others (a topic of short texts only, such as comments, is
   not judged by this test).

At most :data:`MAX_SHOWN` are shown, the most widely used first; the page says how many passed, and the
``frame_candidates`` table lists all.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..common import as_list, is_missing, text
from ..context import ReportContext
from ..evidence import Quotes, as_ids
from .base import Section

MAX_KEYWORDS = 10
MAX_SHOWN = 5
MAX_NAME_SHARE = 0.2
MAX_MAIN_SHARE = 0.25
MIN_OTHER_SUBJECTS = 3
MIN_JUDGED_DOCUMENTS = 3


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


def looks_like_a_frame(row: Mapping) -> bool:
    """Whether a topic's ``corpus_counts`` row passes the two tests of this module's docstring."""
    def num(key: str) -> float:
        value = row.get(key)
        return 0.0 if is_missing(value) else float(value)

    judged = num("keywords_judged")
    names_ok = judged == 0 or num("name_keywords") / judged <= MAX_NAME_SHARE
    long = num("long_documents")
    recurs = long < MIN_JUDGED_DOCUMENTS or (num("main_topic_long_documents") / long <= MAX_MAIN_SHARE
                                            and num("other_main_topics") >= MIN_OTHER_SUBJECTS)
    return names_ok and recurs


def view(ctx: ReportContext) -> dict | None:
    rows = candidates(ctx.tables, ctx.quotes)
    if rows is None:
        return None
    counts = {text(r["group"]): r for r in ctx.counts_by("topic").to_dict("records")}
    passed = [r for r in rows if r["topic"] in counts and looks_like_a_frame(counts[r["topic"]])]
    passed.sort(key=lambda r: (-int(counts[r["topic"]]["sources"] or 0), -int(counts[r["topic"]]["documents"] or 0)))
    shown = passed[:MAX_SHOWN]
    ctx.add_contexts(shown)
    return {"rows": shown, "passed": len(passed), "total": len(rows), "max_name_share": MAX_NAME_SHARE,
            "max_main_share": MAX_MAIN_SHARE, "min_other": MIN_OTHER_SUBJECTS}


SECTION = Section("candidates", "sections/candidates.html.j2", view, label="Candidate frames")
