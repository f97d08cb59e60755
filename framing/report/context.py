"""What every section of the report reads: the run's tables, run.json, and what several sections share.

Examples
--------
>>> ctx = ReportContext({}, {"corpus": "demo"})
>>> ctx.reprints, len(ctx.counts)
('once', 0)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import pandas as pd

from ..compare.counts import COUNTS_COLUMNS, COUNTS_TABLE, corpus_counts
from .common import get_table, text
from .evidence import Quotes, without_reprints
from .tables import compare_sections

T = TypeVar("T")


class ReportContext:
    """The input of every section: tables, run.json, the map's seed, and shared readings made once.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        The run's tables.
    meta : mapping
        The run's ``run.json``.
    seed : int
        Seed of the map's sample.
    max_points : int
        Sentences shown on the map at most.
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame], meta: Mapping, seed: int = 42, max_points: int = 10000):
        self.tables = tables
        self.meta = meta
        self.seed = seed
        self.max_points = max_points
        self.contexts: list[list[str]] = []
        self._memo: dict[Callable, Any] = {}

    def memo(self, fn: Callable[["ReportContext"], T]) -> T:
        """``fn(self)``, computed once per report (for a view that several sections read)."""
        if fn not in self._memo:
            self._memo[fn] = fn(self)
        return self._memo[fn]

    @functools.cached_property
    def reprints(self) -> str:
        """``compare.reprints`` of the run: ``once`` (a reprinted passage counted where it first appeared) or ``raw``."""
        return ((self.meta.get("config") or {}).get("compare") or {}).get("reprints", "once")

    @functools.cached_property
    def shown(self) -> Mapping[str, pd.DataFrame]:
        """The tables evidence is drawn from: without reprinted copies when ``reprints`` is ``once``."""
        return without_reprints(self.tables) if self.reprints == "once" else self.tables

    @functools.cached_property
    def quotes(self) -> Quotes:
        return Quotes(self.tables)

    @functools.cached_property
    def frame_labels(self) -> dict[str, str]:
        """Frame id -> label, from the frames table (empty without one).

        One dict for the whole page: a figure adds the labels its comparison table carries for frames
        the catalog lacks, and the figures drawn after it use them too.
        """
        frames = get_table(self.tables, "frames")
        return dict(zip(frames["frame_id"].map(text), frames["label"].map(text))) if frames is not None else {}

    @functools.cached_property
    def counts(self) -> pd.DataFrame:
        """The run's ``corpus_counts`` table; computed from its tables when the run has none (an older run)."""
        table = self.tables.get(COUNTS_TABLE)
        if table is not None and set(COUNTS_COLUMNS) <= set(table.columns):
            return table
        return corpus_counts(self.tables)

    def counts_by(self, by: str) -> pd.DataFrame:
        """The rows of ``corpus_counts`` for one ``by`` (source, role, month, language, voice, frame, topic)."""
        c = self.counts
        return c[c["by"].astype(str) == by]

    @functools.cached_property
    def cmp(self) -> dict[str, dict | None]:
        """Each comparison table as a page table (:func:`framing.report.tables.compare_sections`)."""
        return compare_sections(self.tables)

    def add_contexts(self, rows: list[dict] | None) -> None:
        """Move the document context of the quotes in ``rows`` into :attr:`contexts` (packed once on the page).

        Each such quote gets ``ctx``, its index in the list of ``[before, text, after]``; the page's
        script writes a context (with textContent) when its "Open in its document" is opened. Those
        contexts are the largest part of the HTML of a run with many topics (0.7 of 2.2 MB for
        climate-frames' 270 topics) and pack about fourfold. The frames' evidence keeps its context inline.
        """
        for row in rows or []:
            for q in row.get("quotes", []):
                if not q.get("missing") and (q.get("before") or q.get("after")):
                    q["ctx"] = len(self.contexts)
                    self.contexts.append([q["before"], q["text"], q["after"]])
