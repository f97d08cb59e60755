"""`framing analyze --techniques propaganda` as a user runs it: the tables, the comparison rows, the report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.report.context import ReportContext
from framing.report.sections import SECTIONS
from framing.report.sections.techniques import marked_segments

TINY = Path(__file__).parents[1] / "data" / "tiny"
FAST = ["--set", "embedding.model=hashing", "--set", "embedding.cache=false", "--set", "topics.reducer=pca",
        "--set", "topics.min_cluster_size=3", "--set", "topics.n_neighbors=5"]
runner = CliRunner()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    for f in TINY.iterdir():
        shutil.copy(f, corpus / f.name)
    with (corpus / "alpha.txt").open("a", encoding="utf-8") as fh:
        fh.write("\n\nThe <b>vicious</b> thugs & their puppets attacked the <i>town</i> again.\n")
    out = tmp_path_factory.mktemp("run") / "run"
    result = runner.invoke(app, ["analyze", str(corpus), "--out", str(out), "--techniques", "propaganda", *FAST])
    assert result.exit_code == 0, result.output
    return out


def test_analyze_writes_the_technique_tables_with_offsets_into_the_input(run):
    tables = {n: pd.read_parquet(run / "tables" / f"{n}.parquet") for n in
              ("documents", "sentences", "sentence_techniques", "technique_spans", "document_techniques", "techniques")}
    spans = tables["technique_spans"]
    text = tables["documents"].set_index("doc_id").text
    assert len(spans) and all(text[d][a:b] == t for d, a, b, t in zip(spans.doc_id, spans.start, spans.end, spans.text))
    assert "vicious" in set(spans.text)
    assert set(tables["sentence_techniques"].sentence_id) <= set(tables["sentences"].sentence_id)
    assert len(tables["techniques"]) == 14
    meta = json.loads((run / "run.json").read_text())
    assert meta["techniques"]["scorer"] == "catalog" and meta["config"]["techniques"]["catalogs"] == ["propaganda"]


def test_techniques_are_compared_by_source_like_frames(run):
    prev = pd.read_parquet(run / "tables" / "compare_prevalence.parquet")
    rows = prev[(prev.kind == "technique") & (prev.by == "source")]
    assert set(rows.group) == {"alpha-news", "beta-blog", "gamma-nl"} and rows.item.nunique() == 14
    assert rows.sentence_denominator.str.contains("techniques stage").all()


def test_report_marks_spans_inside_escaped_quotes(run):
    html = (run / "report.html").read_text(encoding="utf-8")
    assert 'id="techniques"' in html and "Propaganda techniques" in html
    assert "&lt;b&gt;<mark>vicious</mark>&lt;/b&gt;" in html
    assert "<b>vicious</b>" not in html and "&amp; their" in html


def test_the_section_is_absent_without_technique_tables():
    assert SECTIONS.get("techniques").view(ReportContext({}, {})) is None


def test_marked_segments_merge_overlaps_and_clip_to_the_sentence():
    segs = marked_segments("ab cd ef", 10, [(13, 15), (14, 17), (5, 11)])
    assert [(s["text"], s["mark"]) for s in segs] == [("a", True), ("b ", False), ("cd e", True), ("f", False)]
