"""The report in a real browser: headless Chromium opens it from disk and must see no error,
no request leaving the page, and no script from the corpus; a screenshot is kept.

Set ``FRAMING_SCREENSHOTS=DIR`` to keep the screenshots in DIR.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from framing.report import rebuild_report

from .browser import CHROMIUM, Browser
from .test_html import packed

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH: install it (apt-get install -y chromium, "
                       "or `make browser` as root) to run the browser test"),
    pytest.mark.slow,
]


@pytest.fixture(scope="module")
def opened(hostile_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "report.html"
    rebuild_report(hostile_run, out=out)
    with Browser() as browser:
        yield browser.open(out), out


def test_report_runs_clean_in_chromium(opened):
    page, out = opened
    assert page.problems() == []
    assert page.evaluate("typeof window.__xss") == "undefined", "a corpus payload ran"
    # the page unpacked plotly.js and its figures (gzip + base64 blocks) and drew every figure
    assert page.evaluate("document.body.getAttribute('data-figures')") == "drawn"
    assert page.evaluate("typeof window.Plotly.newPlot") == "function"
    n_figs = len(json.loads(packed(out.read_text(encoding="utf-8"))["figure-data"]))
    plots = "Array.from(document.querySelectorAll('.js-plotly-plot'))"
    assert page.evaluate(f"{plots}.length") == n_figs + 1 and n_figs >= 5  # every figure, and the comparison's
    assert page.evaluate(f"{plots}.every(function (d) {{ return d.querySelectorAll('.main-svg').length >= 2; }})")
    # the page's plotly.js (a partial bundle) knows every trace type it is given
    assert page.evaluate(f"{plots}.every(function (d) {{ return d._fullData.length === d.data.length &&"
                         " d._fullData.every(function (t) { return !!t._module; }); })")
    assert page.evaluate("document.querySelector('.no-webgl') === null"), "the WebGL map did not render"
    # The payloads are on the page as text.
    assert "window.__xss=2" in page.evaluate("document.body.innerText")
    assert page.evaluate("document.querySelectorAll('main img, main svg[onload], main script').length") == 0


def test_a_topic_quote_opens_in_its_document(opened):
    page, out = opened
    details = "document.querySelector('#topics details[data-ctx]')"
    i = int(page.evaluate(f"{details}.getAttribute('data-ctx')"))
    before, said, after = json.loads(packed(out.read_text(encoding="utf-8"))["context-data"])[i]
    page.evaluate(f"{details}.open = true")
    page.evaluate("new Promise(function (r) { setTimeout(r, 200); })")
    assert page.evaluate(f"{details}.querySelector('mark').textContent") == said
    assert page.evaluate(f"{details}.querySelector('p').textContent") == before + said + after
    # every packed context, hostile payloads included, opens as text
    page.evaluate("document.querySelectorAll('details[data-ctx]').forEach(function (d) { d.open = true; })")
    page.evaluate("new Promise(function (r) { setTimeout(r, 300); })")
    assert page.evaluate("document.querySelectorAll('details[data-ctx]:not([data-filled])').length") == 0
    assert page.evaluate("typeof window.__xss") == "undefined", "a corpus payload ran"
    assert page.evaluate("document.querySelectorAll('main img, main svg[onload], main script').length") == 0
    assert page.problems() == []


def test_tables_search_and_sort_in_the_page(opened):
    page, _ = opened
    rows = "Array.from(document.querySelectorAll('#topic-list table.dt tbody tr'))"
    total = page.evaluate(f"{rows}.length")
    page.evaluate("(function () { var i = document.querySelector('#topic-list .toolbar input');"
                  " i.value = 'zzzz-no-such-thing'; i.dispatchEvent(new Event('input')); })()")
    assert page.evaluate(f"{rows}.filter(function (r) {{ return !r.hidden; }}).length") == 0 < total
    page.evaluate("(function () { var i = document.querySelector('#topic-list .toolbar input');"
                  " i.value = ''; i.dispatchEvent(new Event('input')); })()")
    page.evaluate("document.querySelector('#topic-list table.dt th:nth-child(4)').click()")
    page.evaluate("document.querySelector('#topic-list table.dt th:nth-child(4)').click()")
    sizes = page.evaluate(f"{rows}.map(function (r) {{ return +r.cells[3].getAttribute('data-sort'); }})")
    assert sizes == sorted(sizes, reverse=True) and len(sizes) == total


def test_two_sources_are_chosen_in_the_page(opened, tables):
    page, _ = opened
    heads = "Array.from(document.querySelectorAll('#compare-root table thead th')).map(function (t) { return t.textContent; })"
    first = page.evaluate(heads)
    sources = sorted(set(tables["documents"]["source"]))
    other = next(s for s in sources if s not in first)
    page.evaluate(f"(function () {{ var s = document.getElementById('cmp-b'); s.value = {other!r};"
                  " s.dispatchEvent(new Event('change')); })()")
    assert other in page.evaluate(heads)
    assert page.problems() == []


def test_a_browser_without_decompressionstream_is_told_why(opened):
    """Where the page cannot unpack its figures, it says so, names the browsers, and keeps its tables."""
    _, out = opened
    with Browser() as browser:
        page = browser.open(out, settle=0.2, before="delete window.DecompressionStream;")
        assert page.problems() == []
        assert page.evaluate("document.body.getAttribute('data-figures')") == "unsupported"
        alert = page.evaluate("document.querySelector('main [role=alert]').textContent")
        assert "lacks DecompressionStream" in alert and "Firefox 113+" in alert
        assert page.evaluate("document.querySelectorAll('.js-plotly-plot').length") == 0
        assert page.evaluate("document.querySelectorAll('#topic-list .toolbar input').length") == 1  # tables still work
        assert page.evaluate("document.querySelectorAll('#themes-overview .toolbar input').length") == 1


def test_screenshot(opened, tmp_path):
    page, _ = opened
    keep = Path(os.environ.get("FRAMING_SCREENSHOTS", tmp_path))
    keep.mkdir(parents=True, exist_ok=True)
    shot = page.screenshot(keep / "report-hostile.png", full=True, max_height=9000)
    assert shot.stat().st_size > 50_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_checks_can_fail(tmp_path):
    """A page that misbehaves is caught: console error, exception, outside request, dialog."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><body><img src="http://198.51.100.7/p.png">'
                   "<script>console.error('boom'); alert('xss'); undefinedFunction();</script></body></html>")
    with Browser() as browser:
        problems = browser.open(bad, settle=0.5).problems()
    text = "\n".join(problems)
    assert "console.error: boom" in text and "a script opened a dialog: alert: xss" in text
    assert "uncaught" in text and "request left the page: http://198.51.100.7/p.png" in text
