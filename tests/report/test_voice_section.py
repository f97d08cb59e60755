"""The report's "Who is speaking" section: read from compare_voice, escaped, and a "quotes only" mark."""

from __future__ import annotations

import re

from markupsafe import escape

from framing.report import render_report
from framing.report.context import ReportContext
from framing.report.sections.voice import voice_view

from .conftest import SCRIPT


def _section(page: str) -> str:
    m = re.search(r'<section id="voice">(.*?)</section>', page, re.DOTALL)
    assert m, "the page has no voice section"
    return m.group(1)


def test_the_run_has_compare_voice_and_the_page_shows_it(tables, meta):
    cv = tables["compare_voice"]
    assert {"own", "quote", "reported"} == set(cv["voice"]) and set(cv["level"]) == {"group", "corpus"}
    page = render_report(tables, meta)
    assert '<a href="#voice">Who speaks</a>' in page
    section = _section(page)
    view = voice_view(ReportContext(tables, {}))
    corpus = cv[(cv["by"] == "source") & (cv["level"] == "corpus")]
    for f in view["frames"]:
        own = int(corpus[(corpus["item"] == f["id"]) & (corpus["voice"] == "own")]["sentences"].iloc[0])
        assert dict(f["counts"])["own"] == own
    assert "Who speaks" in page.split('<section id="evidence">')[1]  # the fact beside each frame's evidence


def test_speakers_are_escaped_and_a_frame_only_in_quotes_is_marked(tables, meta):
    cv = tables["compare_voice"].copy()
    first = cv["item"].iloc[0]
    mine = cv["item"] == first
    cv.loc[mine, "quotes_only"] = True
    cv.loc[mine & (cv["voice"] == "quote"), "top_speakers"] = f"{SCRIPT} (3)"
    page = render_report({**tables, "compare_voice": cv}, meta)
    section = _section(page)
    assert SCRIPT not in page and str(escape(SCRIPT)) in section
    # one in the explanation above the table, one beside the frame
    assert section.count('<span class="mark quotes">quotes only</span>') == 2
    assert "Quotes only" in page.split('<section id="evidence">')[1]


def test_a_run_without_compare_voice_has_no_section(tables, meta):
    page = render_report({k: v for k, v in tables.items() if k != "compare_voice"}, meta)
    assert '<section id="voice">' not in page and 'href="#voice"' not in page
