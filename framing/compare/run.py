"""Every comparison of a run, from its tables to the ``compare_*`` tables.

:func:`compare_tables` runs one grouping (``by``); :func:`default_comparisons`
runs the groupings of ``compare.by`` that have at least two groups (so
``role`` is compared only where comments or posts exist) and stacks them.
The ``by`` column of every table names the grouping, so tables of several
groupings live together; :func:`merge_comparisons` replaces the rows of a
grouping that is computed again.

Examples
--------
>>> out = compare_tables(read_tables("reports/seeds"), "source", CompareConfig(), seed=42)   # doctest: +SKIP
>>> out["compare_prevalence"].query("kind == 'frame'")[["group", "label", "share_of_sentences"]]  # doctest: +SKIP
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import pandas as pd

from .. import store
from ..config import CompareConfig
from ..errors import InputError
from .groups import document_groups
from .items import ItemCounts, frame_counts, topic_counts
from .prevalence import empty_prevalence, prevalence_table

log = logging.getLogger(__name__)

PREVALENCE = store.COMPARE_PREVALENCE


def item_counts(tables: Mapping[str, pd.DataFrame]) -> list[ItemCounts]:
    """Topic and frame counts per document, for whatever the run has."""
    sentences = tables.get("sentences")
    if sentences is None:
        raise InputError("The run has no sentences table; give a folder written by `framing analyze`.")
    out = []
    if "topic" in sentences.columns:
        out.append(topic_counts(sentences, tables.get("topics"), tables.get("document_topics")))
    sf = tables.get("sentence_frames")
    if sf is not None and len(sf):
        out.append(frame_counts(sentences, sf, tables.get("frames"), tables.get("document_frames")))
    return out


def compare_tables(tables: Mapping[str, pd.DataFrame], by: str, cfg: CompareConfig, seed: int,
                   a: str | None = None, b: str | None = None) -> dict[str, pd.DataFrame]:
    """The ``compare_*`` tables of one grouping.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        The run's tables (``documents``, ``sentences`` with ``topic``; frame tables when frames ran).
    by : str
        A documents column, a ``meta`` key, or ``month``.
    cfg : CompareConfig
    seed : int
        The run's seed (bootstrap).
    a, b : str, optional
        Two groups to compare with each other instead of each group with the rest.

    Returns
    -------
    dict of str to DataFrame
    """
    documents = tables.get("documents")
    if documents is None:
        raise InputError("The run has no documents table; give a folder written by `framing analyze`.")
    groups = document_groups(documents, by)
    parts = [prevalence_table(c, groups, by, a, b, seed=seed, n_boot=cfg.bootstrap,
                              min_documents=cfg.min_documents) for c in item_counts(tables)]
    prevalence = pd.concat(parts, ignore_index=True) if parts else empty_prevalence()
    return {PREVALENCE: prevalence}


def default_comparisons(tables: Mapping[str, pd.DataFrame], cfg: CompareConfig, seed: int,
                        say=lambda _m: None) -> dict[str, pd.DataFrame]:
    """The groupings of ``cfg.by`` that have two groups or more, stacked in one set of tables."""
    documents = tables["documents"]
    results = []
    for by in cfg.by:
        try:
            n = document_groups(documents, by).nunique()
        except InputError as exc:
            say(f"Comparison by {by} skipped: {exc}")
            continue
        if n < 2:
            log.info("comparison by %s skipped: one group only", by)
            continue
        say(f"Comparing {n} groups by {by}")
        results.append(compare_tables(tables, by, cfg, seed))
    return merge_comparisons({}, *results)


def merge_comparisons(old: Mapping[str, pd.DataFrame], *new: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Stack comparison tables; rows of a grouping in a later set replace that grouping's earlier rows."""
    out = {name: df for name, df in old.items()}
    for tables in new:
        for name, df in tables.items():
            prev = out.get(name)
            if prev is not None and len(prev) and "by" in prev.columns and len(df):
                prev = prev[~prev["by"].isin(df["by"].unique())]
                df = pd.concat([prev, df], ignore_index=True) if len(prev) else df
            elif prev is not None and len(prev) and not len(df):
                df = prev
            out[name] = df.reset_index(drop=True)
    return out
