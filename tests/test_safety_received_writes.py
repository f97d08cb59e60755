"""Writing into a run folder someone sent: `export` and `sample` never write through a link planted in it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from framing.cli import app

runner = CliRunner()


@pytest.fixture
def received(tiny_frames_run, tmp_path):
    run = tmp_path / "sent-to-me"
    shutil.copytree(tiny_frames_run, run)
    return run


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "outside" / "precious.txt"
    victim.parent.mkdir()
    victim.write_text("my own file", encoding="utf-8")
    return victim


@pytest.mark.parametrize("fmt,name", [("csv", "documents.csv"), ("jsonl", "sentences.jsonl"),
                                      ("xlsx", "tables.xlsx"), ("csv", "schema.json")])
def test_export_replaces_a_planted_link_instead_of_writing_through_it(received, tmp_path, fmt, name):
    victim = _victim(tmp_path)
    (received / "export" / fmt).mkdir(parents=True)
    (received / "export" / fmt / name).symlink_to(victim)
    result = runner.invoke(app, ["export", str(received), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "my own file"
    written = received / "export" / fmt / name
    assert not written.is_symlink() and written.stat().st_size > 0


def test_export_refuses_an_export_folder_that_is_a_link(received, tmp_path):
    victim = _victim(tmp_path)
    (received / "export").symlink_to(victim.parent, target_is_directory=True)
    result = runner.invoke(app, ["export", str(received)])
    assert result.exit_code == 2
    assert "is a symbolic link" in " ".join(result.output.split())
    assert sorted(p.name for p in victim.parent.iterdir()) == ["precious.txt"]


def test_sample_replaces_planted_links_instead_of_writing_through_them(received, tmp_path):
    victim = _victim(tmp_path)
    folder = received / "samples" / "frame-sentence"
    folder.mkdir(parents=True)
    for name in ("sample.csv", "sample.json", "codebook.md", "label-studio-tasks.json"):
        (folder / name).symlink_to(victim)
    result = runner.invoke(app, ["sample", str(received), "--n", "3"])
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "my own file"
    assert not any(p.is_symlink() for p in folder.iterdir())


def test_sample_refuses_a_samples_folder_that_is_a_link(received, tmp_path):
    victim = _victim(tmp_path)
    (received / "samples").symlink_to(victim.parent, target_is_directory=True)
    result = runner.invoke(app, ["sample", str(received), "--n", "3"])
    assert result.exit_code == 2
    assert sorted(p.name for p in victim.parent.iterdir()) == ["precious.txt"]
