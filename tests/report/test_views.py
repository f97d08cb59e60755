"""The report's page tables of the comparison tables (framing/report/tables.py)."""

import numpy as np
import pandas as pd

from framing.report.tables import compare_sections


def _audience(measurable: bool) -> pd.DataFrame:
    nan = np.nan
    return pd.DataFrame({
        "by": ["source"], "level": ["group"], "group": ["rt"], "page_id": [None], "kind": ["frame"], "item": ["f"],
        "label": ["F"], "pages": [4], "outlet_share_of_sentences": [0.5], "outlet_ci_low": [0.25],
        "outlet_ci_high": [0.75], "audience_share_of_sentences": [0.2], "audience_ci_low": [0.1],
        "audience_ci_high": [0.3], "difference": [-0.3], "ci_low": [-0.5], "ci_high": [-0.1],
        "amplified_pages": [1], "ignored_pages": [1], "introduced_pages": [0],
        "contest_measurable": [measurable], "contested_pages": [2 if measurable else nan],
        "contest_share_of_comments": [0.25 if measurable else nan],
        "contest_ci_low": [0.125 if measurable else nan], "contest_ci_high": [0.5 if measurable else nan],
        "few_documents": [False]})


def _row(table: dict) -> dict:
    return {c: cell[0] for c, cell in zip(table["columns"], table["rows"][0])}


def test_audience_table_shows_contest_with_its_interval():
    row = _row(compare_sections({"compare_audience": _audience(True)})["compare_audience"])
    assert row["contested_pages"] == "2"
    assert row["contest_share_of_comments [95% interval]"] == "25.0% [12.5% – 50.0%]"
    assert "contest_ci_low" not in row and "contest_ci_high" not in row


def test_audience_table_leaves_contest_empty_when_not_measurable():
    row = _row(compare_sections({"compare_audience": _audience(False)})["compare_audience"])
    assert row["contest_measurable"] == "no" and row["contested_pages"] == ""
    assert row["contest_share_of_comments [95% interval]"] == ""
