"""`frames train news-frames` in a folder that holds another news-frames.yaml stops before any embedding."""

from __future__ import annotations

from typer.testing import CliRunner

import framing.frames.cli as frames_cli
from framing.cli import app

runner = CliRunner()


def test_a_foreign_copy_of_a_bundled_catalog_stops_the_training_before_the_items_are_embedded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "news-frames.yaml").write_text("catalog: mine\n", encoding="utf-8")
    labels = tmp_path / "coded.csv"
    labels.write_text("text,frames\nA sentence.,conflict\n", encoding="utf-8")

    def embedding_started(*args, **kwargs):
        raise AssertionError("the labelled items were prepared (embedded) before the catalog copy was checked")

    monkeypatch.setattr(frames_cli, "_prepare_coded", embedding_started)
    result = runner.invoke(app, ["frames", "train", "news-frames", "--labels", str(labels)])
    assert result.exit_code == 2
    assert "already exists with other content" in " ".join(result.output.split())
    assert (tmp_path / "news-frames.yaml").read_text(encoding="utf-8") == "catalog: mine\n"
