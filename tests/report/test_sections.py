"""Report sections through their registry: a new section is one module and one registration."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from framing.errors import RegistryError, ReportError
from framing.report import build_figures, render_report
from framing.report.sections import SECTIONS, Section, register

from .test_html import packed

TOY_MODULE = '''
import plotly.graph_objects as go

from framing.report.sections import Section


def view(ctx):
    docs = ctx.counts_by("source")
    return {"sources": len(docs), "first": str(docs["group"].iloc[0])}


def figures(ctx):
    return {"toy_bars": go.Figure(go.Bar(x=["a", "b"], y=[1, 2], name="toy <b>bars</b>"))}


SECTION = Section("toy", "toy_section:toy.html.j2", view, label="Toy section", figures=figures)
'''
TOY_TEMPLATE = '''{%- from "macros.html.j2" import figure -%}
<section id="toy">
<h2>Toy section</h2>
<p class="toy-fact">{{ view.sources }} sources, the first {{ view.first }}</p>
{{ figure("toy_bars", figs) }}
</section>
'''


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """A section in a package of its own (as a plug-in ships it), registered for the test only."""
    pkg = tmp_path / "toy_section"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(TOY_MODULE, encoding="utf-8")
    (pkg / "toy.html.j2").write_text(TOY_TEMPLATE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import toy_section

    register(toy_section.SECTION)
    try:
        yield toy_section.SECTION
    finally:
        SECTIONS.unregister("toy")


def test_the_page_follows_the_registry():
    assert SECTIONS.names() == ["overview", "frames", "evidence", "voice", "techniques", "compare", "topics", "terms",
                                "audience", "timing", "reuse", "candidates", "prevalence-table", "llm", "run"]
    with pytest.raises(RegistryError, match="Did you mean 'topics'"):
        SECTIONS.get("topic")


def test_a_registered_section_is_on_the_page_with_its_figure(toy, tables, meta):
    page = render_report(tables, meta, seed=42)
    assert '<a href="#toy">Toy section</a>' in page
    n_sources = tables["documents"]["source"].nunique()
    assert f'<p class="toy-fact">{n_sources} sources' in page
    assert page.index('<section id="run">') < page.index('<section id="toy">') < page.index("<footer>")
    assert '<div id="fig-toy_bars" class="plotly-graph-div">' in page
    figs = json.loads(packed(page)["figure-data"])
    assert figs["toy_bars"]["data"][0]["y"] == [1, 2]
    assert "toy_bars" in build_figures(tables)
    SECTIONS.unregister("toy")
    page = render_report(tables, meta, seed=42)
    assert 'id="toy"' not in page and "toy_bars" not in json.loads(packed(page)["figure-data"])


def test_two_sections_cannot_draw_one_figure_name(toy, tables, meta):
    register(Section("toy2", "toy_section:toy.html.j2", lambda ctx: None,
                     figures=lambda ctx: {"toy_bars": go.Figure()}))
    try:
        with pytest.raises(ReportError, match="Two report sections draw a figure named 'toy_bars'"):
            render_report(tables, meta)
    finally:
        SECTIONS.unregister("toy2")


def test_the_report_reads_its_counts_from_the_counts_table(tables, meta):
    """Every count of the overview, the frames and the topics is a cell of corpus_counts (when the run has it)."""
    from framing.compare.counts import COUNTS_TABLE, corpus_counts

    counts = corpus_counts(tables)
    assert render_report({**tables, COUNTS_TABLE: counts}, meta, seed=42) == render_report(tables, meta, seed=42)
    marked = counts.copy()
    first = marked.index[(marked["by"] == "source")][0]
    marked.loc[first, "sentences"] = 987654
    marked.loc[marked["by"] == "frame", "documents"] = 876543
    marked.loc[marked["by"] == "topic", "main_topic_documents"] = 765432
    page = render_report({**tables, COUNTS_TABLE: marked}, meta, seed=42)
    assert 'data-sort="987654">987,654</td>' in page  # the sources table
    assert "876,543 (document_frames" in page  # a frame's documents using it
    assert 'data-sort="765432">765,432</td>' in page  # a topic's "main topic of"


def test_a_stale_counts_table_is_not_read(tables, meta):
    """A corpus_counts that does not count the documents at hand (carried over, or tables changed) is recomputed."""
    from framing.compare.counts import COUNTS_TABLE, corpus_counts
    from framing.report.context import ReportContext

    stale = corpus_counts(tables)
    articles = tables["documents"].assign(role="article")
    ctx = ReportContext({**tables, "documents": articles, COUNTS_TABLE: stale}, meta)
    assert ctx.counts_by("role")["group"].tolist() == ["article"]
    fresh = ReportContext({**tables, COUNTS_TABLE: stale}, meta)
    assert fresh.counts is stale
