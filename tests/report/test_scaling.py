"""A report that stays readable as the corpus grows (issue 25): capped figures, collapsed tables, candidate frames
only where a topic looks like a frame, time charts with gaps and none for an undated corpus."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from framing.compare.counts import COUNTS_TABLE, corpus_counts
from framing.report import build_figures, render_report
from framing.report.data import Shares
from framing.report.sections import candidates as cand
from framing.report.sections.frames import MAX_HEATMAP_GROUPS, source_heatmap

from .test_figures import arr
from .test_html import page  # noqa: F401 - the hostile run's page


def _trend(months: list[str]) -> pd.DataFrame:
    n = len(months)
    return pd.DataFrame({"by": "source", "kind": "frame", "item": "us-there-for-oil", "label": "Oil",
                         "group": "alpha news", "month": months, "sentences": [1] * n, "group_sentences": [4] * n,
                         "share_of_sentences": [0.25] * n, "documents": [1] * n, "group_documents": [2] * n,
                         "share_of_documents": [0.5] * n})


def test_over_time_keeps_a_gap_between_distant_months(tables):
    d = build_figures({**tables, "compare_trend": _trend(["2018-02", "2018-04"])})["frames_over_time"].to_dict()
    assert d["layout"]["xaxis"]["categoryarray"] == ["2018-02", "2018-03", "2018-04"]
    (line,) = [t for t in d["data"] if t["visible"] is True]
    y = arr(line["y"])
    assert y[0] == 0.5 and np.isnan(y[1]) and y[2] == 0.5 and line["connectgaps"] is False


def test_an_undated_corpus_gets_no_over_time_chart(tables, meta):
    undated = {**tables, "compare_trend": _trend(["unknown"])}
    assert "frames_over_time" not in build_figures(undated)
    assert "Frames over time: not drawn, because no document of the corpus has a date." in render_report(undated, meta)


def test_the_source_heatmap_shows_the_largest_groups():
    groups = [f"outlet {i:02d}" for i in range(MAX_HEATMAP_GROUPS + 10)]
    rows = pd.DataFrame({"group": groups, "item": "f", "label": "F", "share": 0.5, "count": range(len(groups)),
                         "total": 100, "ci_low": np.nan, "ci_high": np.nan, "few": False, "documents": 100})
    d = source_heatmap(Shares(rows, "documents", "compare_prevalence", "source", False)).to_dict()
    assert len(d["data"][0]["y"]) == MAX_HEATMAP_GROUPS and d["data"][0]["y"][0] == groups[-1]
    assert f"the {MAX_HEATMAP_GROUPS} largest of {len(groups)}" in d["layout"]["title"]["text"]


def _candidates(tables: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Eight candidate topics: six that look like a frame, one that names its subject, one that is the story."""
    ids = list(range(100, 108))
    fc = pd.DataFrame({"topic": ids, "label": [f"cand {i}" for i in ids], "keywords": [["a", "b"]] * 8,
                       "size": 10, "sources": [["x", "y"]] * 8, "languages": [["en"]] * 8,
                       "evidence_ids": [[]] * 8})
    counts = corpus_counts(tables)
    rows = pd.DataFrame({"by": "topic", "group": [str(i) for i in ids], "documents": 20, "sources": range(8, 0, -1),
                         "long_documents": 20, "main_topic_long_documents": [2] * 7 + [15],
                         "other_main_topics": 6, "keywords_judged": 10, "name_keywords": [1] * 6 + [6, 1]})
    return fc, pd.concat([counts, rows.reindex(columns=counts.columns)], ignore_index=True)


def test_candidates_are_only_topics_that_look_like_a_frame_and_fit_a_screen(tables, meta):
    fc, counts = _candidates(tables)
    page = render_report({**tables, "frame_candidates": fc, COUNTS_TABLE: counts}, meta)
    section = re.search(r'<section id="candidates">.*?</section>', page, re.DOTALL).group(0)
    shown = re.findall(r"<td>cand (\d+)</td>", section)
    assert shown == [str(i) for i in range(100, 100 + cand.MAX_SHOWN)]  # the most widely used first
    assert "cand 106" not in section and "cand 107" not in section  # names its subject; is the story
    assert "<b>6</b> passed; the 5 used by most sources are shown" in section
    assert 'class="scroll"' in section


def test_topics_of_short_texts_are_not_judged_as_the_story():
    row = {"keywords_judged": 10, "name_keywords": 0, "long_documents": 2, "main_topic_long_documents": 2,
           "other_main_topics": 0}
    assert cand.looks_like_a_frame(row)
    assert not cand.looks_like_a_frame({**row, "long_documents": 10, "main_topic_long_documents": 9})


def test_long_tables_are_collapsed_with_their_row_count(page, tables):
    prevalence = re.search(r'<section id="prevalence-table">.*?</section>', page, re.DOTALL).group(0)
    n = len(tables["compare_prevalence"])
    assert f'<details class="table"><summary>Every group and item with its interval (compare_prevalence, {n:,} rows)' \
        in prevalence
    timing = re.search(r'<section id="timing">.*?</section>', page, re.DOTALL).group(0)
    assert '<details class="table"><summary>Every first use (table compare_timing' in timing
    assert re.search(r'<h3>Sources</h3>\s*<div class="scroll">', page)
