"""`framing frames suggest --out FILE` replaces an earlier stub of its own, never a file of yours."""

from __future__ import annotations

from typer.testing import CliRunner

import framing.frames.suggest as suggest_module
from framing.cli import app

runner = CliRunner()
STUB = ("# Candidate frames written by `framing frames suggest`.\n# ...\ncatalog: candidates\nframes:\n"
        "- id: candidate-1-x\n  label: TODO\n")


def _fake(monkeypatch):
    monkeypatch.setattr(suggest_module, "suggest_from_run", lambda run_dir, min_sources=2: STUB)


def test_suggest_does_not_replace_a_catalog_of_yours(tmp_path, monkeypatch):
    _fake(monkeypatch)
    mine = tmp_path / "my-frames.yaml"
    mine.write_text("catalog: mine\nframes: []\n", encoding="utf-8")
    result = runner.invoke(app, ["frames", "suggest", str(tmp_path), "--out", str(mine)])
    assert result.exit_code == 2
    assert "is not a stub written by `framing frames suggest`" in " ".join(result.output.split())
    assert mine.read_text(encoding="utf-8") == "catalog: mine\nframes: []\n"


def test_suggest_writes_a_new_file_and_replaces_its_own_stub(tmp_path, monkeypatch):
    _fake(monkeypatch)
    out = tmp_path / "candidates.yaml"
    for _ in range(2):
        result = runner.invoke(app, ["frames", "suggest", str(tmp_path), "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert out.read_text(encoding="utf-8") == STUB
