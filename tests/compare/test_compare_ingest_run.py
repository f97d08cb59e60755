"""A run of `framing ingest` (documents and sentences only) can be compared; it has no report, and says why."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from framing.cli import app
from framing.store import read_tables

DATA = Path(__file__).parent.parent / "data"
runner = CliRunner()


def _ingest(out: Path) -> None:
    result = runner.invoke(app, ["ingest", str(DATA / "tiny"), "--out", str(out)])
    assert result.exit_code == 0, result.output


def test_report_of_an_ingest_run_names_the_analyze_command(tmp_path):
    out = tmp_path / "docs-only"
    _ingest(out)
    result = runner.invoke(app, ["report", str(out)])
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "a run of `framing ingest`, no topics or frames" in message
    assert f"framing analyze {DATA / 'tiny'} --out {out}" in message
    assert "lacks the column" not in message
    assert not (out / "report.html").exists()


def test_compare_of_an_ingest_run_writes_its_tables_and_the_next_run_may_replace_them(tmp_path):
    out = tmp_path / "docs-only"
    _ingest(out)
    result = runner.invoke(app, ["compare", str(out), "--by", "source"])
    assert result.exit_code == 0, result.output
    assert "compare_terms" in read_tables(out)
    assert "so it has no report" in " ".join(result.output.split())
    marker = json.loads((out / "run.json").read_text(encoding="utf-8"))["framing_run"]
    assert "framing.duckdb" in marker["entries"]                    # written by compare, so framing's own
    _ingest(out)                                                      # no --force needed to write the run again
    assert not (out / "framing.duckdb").exists()


def test_apply_of_an_ingest_run_says_to_analyze_first(tmp_path):
    out = tmp_path / "docs-only"
    _ingest(out)
    result = runner.invoke(app, ["apply", str(out), str(DATA / "tiny"), "--out", str(tmp_path / "child")])
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "has no topics (it was only ingested)" in message and "framing analyze" in message
    assert "framing rerun" not in message                 # a rerun of an ingest run has no topics either
    assert not (tmp_path / "child").exists()
