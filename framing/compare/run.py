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
from collections.abc import Mapping, Sequence

import pandas as pd

from .. import store
from ..config import CompareConfig
from ..errors import InputError
from .audience import audience_table, empty_audience
from .divergence import DIVERGENCE_COLUMNS, divergence_table
from .groups import document_groups
from .items import ItemCounts, frame_counts, technique_counts, topic_counts
from .prevalence import check_pair, empty_prevalence, prevalence_table
from .reuse import find_reuse, reprint_sentences, reuse_sources
from .terms import terms_tables
from .timing import TIMING_COLUMNS, TREND_COLUMNS, timing_table, trend_table
from .voice import empty_voice, voice_table

log = logging.getLogger(__name__)

PREVALENCE = store.COMPARE_PREVALENCE
NO_AUDIENCE_GROUPINGS = ("role", "depth", "parent_id", "author")
"""Groupings under which outlet and audience fall apart (a page's comments are in another group)."""


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
    st = tables.get("sentence_techniques")
    if st is not None and len(st):
        out.append(technique_counts(sentences, st, tables.get("techniques"), tables.get("document_techniques")))
    return out


def counted_tables(tables: Mapping[str, pd.DataFrame], cfg: CompareConfig) -> Mapping[str, pd.DataFrame]:
    """The tables the counts read: with ``reprints: once``, without the sentences that copy a passage first
    seen in another document (the ``reuse`` table)."""
    reuse, sentences = tables.get(store.REUSE), tables.get("sentences")
    if cfg.reprints == "raw" or reuse is None or sentences is None or not len(reuse):
        return tables
    copies = reprint_sentences(reuse, sentences)
    if not copies.any():
        return tables
    return {**tables, "sentences": sentences[~copies.to_numpy()]}


def reuse_tables(tables: Mapping[str, pd.DataFrame], cfg: CompareConfig, say=lambda _m: None) -> dict[str, pd.DataFrame]:
    """The ``reuse`` and ``reuse_sources`` tables of a run's documents and sentences."""
    documents, sentences = tables.get("documents"), tables.get("sentences")
    if documents is None or sentences is None:
        return {}
    reuse = find_reuse(documents, sentences, cfg.reuse_min_words, cfg.reuse_threshold)
    if len(reuse):
        copies = reuse[~reuse.is_first]
        say(f"Reprints: {copies[copies.kind == 'passage'].sentence_id.nunique()} sentences and "
            f"{copies[copies.kind == 'document'].doc_id.nunique()} documents copy a text first seen elsewhere"
            + (" (counted once)" if cfg.reprints == "once" else " (counted as they are: compare.reprints raw)"))
    return {store.REUSE: reuse, store.REUSE_SOURCES: reuse_sources(reuse)}


def compare_tables(tables: Mapping[str, pd.DataFrame], by: str, cfg: CompareConfig, seed: int,
                   a: str | None = None, b: str | None = None, within: Sequence[str] | None = None,
                   ngram_max: int = 2) -> dict[str, pd.DataFrame]:
    """The ``compare_*`` tables of one grouping.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        The run's tables (``documents``, ``sentences`` with ``topic``; frame tables when frames ran).
    by : str
        A documents column, a ``meta`` key, or ``month``.
    cfg : CompareConfig
    seed : int
        The run's seed (every bootstrap).
    a, b : str, optional
        Two groups to compare with each other instead of each group with the rest.
    within : sequence of str, optional
        Scopes of distinctive terms besides ``all`` (``frame:ID``, ``topic:N``); None uses
        every frame with matched sentences when ``cfg.terms_by_frame``.
    ngram_max : int
        Longest term in words (``topics.ngram_max``, so terms read like topic keywords).

    Returns
    -------
    dict of str to DataFrame
        ``compare_prevalence``, ``compare_terms``, ``compare_divergence``, ``compare_timing``,
        ``compare_trend``, ``compare_audience``, ``compare_voice``.
    """
    documents = tables.get("documents")
    if documents is None:
        raise InputError("The run has no documents table; give a folder written by `framing analyze`.")
    groups = document_groups(documents, by)
    check_pair(sorted(set(groups)), a, b, by)
    tables = counted_tables(tables, cfg)
    counts = item_counts(tables)
    dates = pd.Series(documents["date"].to_numpy(object) if "date" in documents.columns else None,
                      index=documents["doc_id"].astype(str).to_numpy())
    prevalence = [prevalence_table(c, groups, by, a, b, seed=seed, n_boot=cfg.bootstrap,
                                   min_documents=cfg.min_documents) for c in counts]
    divergence = [divergence_table(c, groups, by, cfg.min_documents) for c in counts]
    timing = [timing_table(c, groups, dates, by) for c in counts]
    trend = [trend_table(c, groups, dates, by) for c in counts]
    audience = [] if by in NO_AUDIENCE_GROUPINGS else [
        audience_table(c, documents, groups, by, seed, cfg.bootstrap, cfg.min_documents) for c in counts]
    return {name: tidy(df) for name, df in {
        PREVALENCE: _stack(prevalence, empty_prevalence()),
        store.COMPARE_TERMS: _terms(tables, groups, by, a, b, cfg, within, ngram_max),
        store.COMPARE_DIVERGENCE: _stack(divergence, pd.DataFrame(columns=DIVERGENCE_COLUMNS)),
        store.COMPARE_TIMING: _stack(timing, pd.DataFrame(columns=TIMING_COLUMNS)),
        store.COMPARE_TREND: _stack(trend, pd.DataFrame(columns=TREND_COLUMNS)),
        store.COMPARE_AUDIENCE: _stack(audience, empty_audience()),
        store.COMPARE_VOICE: _voice(tables, groups, by),
    }.items()}


def _voice(tables: Mapping[str, pd.DataFrame], groups: pd.Series, by: str) -> pd.DataFrame:
    """Frames by voice (``compare_voice``); a run written before sentences had a voice gets it from its texts."""
    sf = tables.get("sentence_frames")
    if sf is None or not len(sf):
        return empty_voice()
    sentences = tables["sentences"]
    if not {"voice", "speaker"} <= set(sentences.columns):
        from ..voice import voice_columns

        sentences = sentences.assign(**voice_columns(tables["documents"], sentences))
    return voice_table(sentences, sf, groups, by, tables.get("frames"))


def tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns as pandas strings (missing = NaN), so a table equals itself read back from Parquet."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            values = out[col].dropna()
            if len(values) and all(isinstance(v, str) for v in values):
                out[col] = out[col].astype("str")
    return out


def _stack(parts: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else empty


def _terms(tables, groups, by, a, b, cfg: CompareConfig, within, ngram_max) -> pd.DataFrame:
    sentences, sf = tables["sentences"], tables.get("sentence_frames")
    if within is None:
        within = []
        if cfg.terms_by_frame and sf is not None and len(sf):
            hits = sf[sf["matched"].astype(bool)]["frame_id"].astype(str).value_counts()
            within = [f"frame:{f}" for f in sorted(hits[hits >= cfg.terms_min_count].index)]
    try:
        return terms_tables(sentences, sf, groups, by, ["all", *within], a, b, top_n=cfg.terms_top_n,
                            min_count=cfg.terms_min_count, prior_scale=cfg.terms_prior_scale, ngram_max=ngram_max)
    except ValueError as exc:
        raise InputError(f"{exc} Got it from --within.") from None


def default_comparisons(tables: Mapping[str, pd.DataFrame], cfg: CompareConfig, seed: int,
                        say=lambda _m: None, ngram_max: int = 2) -> dict[str, pd.DataFrame]:
    """The groupings of ``cfg.by`` that have two groups or more, stacked in one set of tables.

    The first grouping (``source`` by default) runs even with one group: its
    prevalence, first use, trend and audience rows are the run's only home of
    those numbers (the report reads them); a single group has nothing to
    diverge from, so it gets no divergence or terms rows.
    """
    reuse = reuse_tables(tables, cfg, say) if store.REUSE not in tables else {}
    tables = {**tables, **reuse}
    documents = tables["documents"]
    results = []
    for k, by in enumerate(cfg.by):
        try:
            n = document_groups(documents, by).nunique()
        except InputError as exc:
            say(f"Comparison by {by} skipped: {exc}")
            continue
        if n < 2 and (k > 0 or n == 0):
            log.info("comparison by %s skipped: one group only", by)
            continue
        say(f"Comparing {n} groups by {by}" if n > 1 else f"Prevalence of the single {by} (no other {by} to compare)")
        out = compare_tables(tables, by, cfg, seed, ngram_max=ngram_max)
        if n < 2:
            out[store.COMPARE_DIVERGENCE] = out[store.COMPARE_DIVERGENCE].iloc[0:0]
            out[store.COMPARE_TERMS] = out[store.COMPARE_TERMS].iloc[0:0]
        results.append(out)
    return {**merge_comparisons({}, *results), **reuse}


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
