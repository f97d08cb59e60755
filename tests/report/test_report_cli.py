"""`framing report RUN_DIR` rebuilds the page from the run's tables and run.json."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from framing.cli import app

runner = CliRunner()


def test_report_rebuilds_the_page_analyze_wrote(hostile_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(hostile_run, run)
    written = (run / "report.html").read_text(encoding="utf-8")
    (run / "report.html").unlink()
    result = runner.invoke(app, ["report", str(run)])
    assert result.exit_code == 0, result.output
    assert (run / "report.html").read_text(encoding="utf-8") == written
    assert "Report: " in result.output


def test_report_options(hostile_run, tmp_path):
    out = tmp_path / "other.html"
    result = runner.invoke(app, ["report", str(hostile_run), "--out", str(out), "--title", "Hostile <b>", "--max-points", "100"])
    assert result.exit_code == 0, result.output
    assert "<title>Hostile &lt;b&gt;</title>" in out.read_text(encoding="utf-8")


def test_report_of_a_folder_that_is_no_run(tmp_path):
    result = runner.invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert "run.json" in result.output or "not a run folder" in result.output


def test_compare_leaves_the_report_consistent(hostile_run, tmp_path):
    """`framing compare RUN --by X` rebuilds report.html: the page shows the new grouping's comparison."""
    run = tmp_path / "run"
    shutil.copytree(hostile_run, run)
    assert 'id="fig-frames_by_month"' not in (run / "report.html").read_text(encoding="utf-8")
    result = runner.invoke(app, ["compare", str(run), "--by", "month", "--set", "compare.bootstrap=100"])
    assert result.exit_code == 0, result.output
    assert "rebuilt" in result.output and "report.html" in result.output
    page = (run / "report.html").read_text(encoding="utf-8")
    assert 'id="fig-frames_by_month"' in page
    rebuilt = runner.invoke(app, ["report", str(run), "--out", str(tmp_path / "again.html")])
    assert rebuilt.exit_code == 0 and (tmp_path / "again.html").read_text(encoding="utf-8") == page
