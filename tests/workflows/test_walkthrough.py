"""docs/walkthrough.py, the notebook-style tour, runs on the tiny corpus (hashing embedder, PCA)."""

import json
import runpy
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]


def test_walkthrough_runs_every_step(tmp_path, monkeypatch, capsys):
    out = tmp_path / "walk"
    monkeypatch.setattr(sys, "argv", ["walkthrough.py", str(ROOT / "tests" / "data" / "tiny"), str(out), "--fast"])
    runpy.run_path(str(ROOT / "docs" / "walkthrough.py"), run_name="__main__")
    printed = capsys.readouterr().out
    assert "the rerun reproduced every table" in printed
    assert (out / "run" / "report.html").is_file()                                       # analyze
    assert {"compare_prevalence"} <= {p.stem for p in (out / "run" / "tables").glob("*.parquet")}  # compare
    sample = pd.read_csv(out / "coding" / "sample.csv")                                  # sample
    assert len(sample) > 0 and (out / "coding" / "label-studio-config.xml").is_file()
    assert "micro F1" in printed                                                         # evaluate
    week = json.loads((out / "week-2" / "run.json").read_text())                         # apply
    assert week["parent"]["run"] == str((out / "run").resolve())
    assert (out / "run" / "tables" / "topic_stability.parquet").is_file()                # stability
    assert (out / "run" / "export" / "csv" / "schema.json").is_file()                    # export
    assert (out / "run" / "export" / "xlsx" / "tables.xlsx").is_file()


def test_walkthrough_never_deletes_a_folder_it_did_not_write(tmp_path, monkeypatch):
    out = tmp_path / "research"
    out.mkdir()
    (out / "notes.txt").write_text("my notes", encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["walkthrough.py", str(ROOT / "tests" / "data" / "tiny"), str(out), "--fast"])
    try:
        runpy.run_path(str(ROOT / "docs" / "walkthrough.py"), run_name="__main__")
    except SystemExit as stop:
        assert "did not write (notes.txt)" in str(stop.code)
    else:
        raise AssertionError("the walkthrough ran in a folder holding the user's files")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "my notes"
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
