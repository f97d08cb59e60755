"""The assembled HTML: sections, one inline plotly.js, escaping, traceable evidence."""

from __future__ import annotations

import base64
import hashlib
import html as htmllib
import re

import plotly.offline
import pytest

from framing.errors import ReportError
from framing.report import render_report, write_report
from framing.report.html import script_safe

from .conftest import BREAKOUT, IMG, SCRIPT

SCRIPT_BLOCK = re.compile(r"<script>(.*?)</script>", re.DOTALL)


@pytest.fixture
def page(tables, meta) -> str:
    return render_report(tables, meta, seed=42)


def test_sections_present(page):
    for anchor in ("map", "topics", "frames", "skipped", "run"):
        assert f'<section id="{anchor}">' in page and f'href="#{anchor}"' in page
    for fig in ("sentence_map", "topic_sizes", "topics_per_source", "topics_by_role", "frames_per_source"):
        assert page.count(f'id="fig-{fig}"') == 1 and f'Plotly.newPlot("fig-{fig}"' in page
    assert "12 hits, 18 misses" in page and "99% of sentences are English" in page
    assert "article: 2, comment: 2, post: 2" in page and "20.0% of sentences not in a topic" in page


def test_plotlyjs_inline_once_and_nothing_from_the_network(page):
    assert page.count(plotly.offline.get_plotlyjs()[:300]) == 1
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert not re.search(r"<script[^>]*\bsrc=|<link\b|<iframe\b|@import|url\(http", page)
    assert "cdn.plot.ly/plotly" not in page.split("<script>", 1)[0]


def test_csp_allows_exactly_the_page_scripts(page):
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-inline" not in csp.split(";")[1]
    for block in SCRIPT_BLOCK.findall(page):
        digest = base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_untrusted_text_is_escaped_everywhere(page):
    for raw in (SCRIPT, IMG, BREAKOUT, "<script>alert", "<img src=x"):
        assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    init = SCRIPT_BLOCK.findall(page)[-1]
    assert "</" not in init and "<" not in init  # Plotly's JSON writes \u003c ... \u002f
    assert "\\u003c\\u002fscript\\u003e" in init or "&lt;\\u002fscript&gt;" in init


def test_script_safe_breaks_closing_tags():
    assert script_safe('{"a": "</script><b>"}') == '{"a": "<\\/script><b>"}'
    assert "</" not in script_safe("x </SCRIPT> y")


def test_every_shown_sentence_is_found_by_its_ids(page, tables):
    sents = tables["sentences"].set_index("sentence_id")
    docs = tables["documents"].set_index("doc_id")
    refs = re.findall(
        r"<q>(.*?)</q><br><span class=\"ref\">(\S+) · (\S+) · doc_id (\S+) · sentence_id (\S+) · (\d+)&ndash;(\d+)",
        page,
    )
    assert len(refs) >= 6 + 5  # representative sentences (2 per topic) + frame evidence
    for text, source, role, doc_id, sid, start, end in refs:
        row = sents.loc[sid]
        assert (row.source, row.role, row.doc_id) == (source, role, doc_id)
        assert htmllib.unescape(text) == row.text == docs.loc[doc_id, "text"][int(start):int(end)]
    shown = {r[4] for r in refs}
    for ids in tables["topics"]["representative_ids"][tables["topics"]["topic"] != -1]:
        assert set(ids) <= shown
    for ids in tables["frames"]["evidence_ids"]:
        assert set(ids) <= shown


def test_frame_evidence_shows_scores(page, tables):
    sf = tables["sentence_frames"]
    sid = tables["frames"].set_index("frame_id").loc["economic", "evidence_ids"][0]
    score = sf[(sf["frame_id"] == "economic") & (sf["sentence_id"] == sid)]["score"].iloc[0]
    assert f"sentence_id {sid} · " in page and f"score {score:.3f}" in page
    assert "Expressed by topics</dt><dd>0_energy_prices" in page


def test_skipped_inputs_and_run_summary(page):
    assert "<td>broken.pdf</td><td>unsupported extension &lt;img src=x onerror=alert(1)&gt;</td><td>ingest</td>" in page
    assert "Resolved configuration" in page and "&quot;min_cluster_size&quot;: 3" in page
    assert "framing 0.1.0" in page and "<dt>Seed</dt><dd>42</dd>" in page


def test_missing_frame_tables_omit_frame_sections(tables, meta):
    for name in ("sentence_frames", "frames", "topic_frames"):
        tables.pop(name)
    page = render_report(tables, meta)
    assert 'id="frames"' not in page and 'href="#frames"' not in page and "fig-frames_per_source" not in page
    assert '<section id="topics">' in page and "Frames:</b>" not in page


def test_only_topic_frames_missing_still_shows_frames(tables, meta):
    tables.pop("topic_frames")
    page = render_report(tables, meta)
    assert '<section id="frames">' in page and "Expressed by topics" not in page


def test_missing_prevalence_omits_its_figures(tables, meta):
    tables.pop("topic_prevalence")
    page = render_report(tables, meta)
    assert "fig-topics_per_source" not in page and "fig-topic_sizes" in page


def test_render_is_deterministic_and_title_is_escaped(tables, meta):
    a = render_report(tables, meta, title="My <b>run</b>", seed=3)
    assert a == render_report(tables, meta, title="My <b>run</b>", seed=3)
    assert "<title>My &lt;b&gt;run&lt;/b&gt;</title>" in a


def test_write_report(tables, meta, tmp_path):
    path = write_report(tables, meta, tmp_path / "run" / "report.html", seed=1, max_points=100)
    assert path.exists() and path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReportError, match="Cannot write the report to"):
        write_report(tables, meta, blocker / "report.html")
