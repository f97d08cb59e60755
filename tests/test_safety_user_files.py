"""framing never replaces a file it did not write: a coded sample, a file in an `--out` folder, a page of yours.

And `framing report` on a run someone sent never writes through a `report.html` link planted in it.
"""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.errors import RunStoreError
from framing.runfolder.io import OWNED_FILES, write_owned_files

runner = CliRunner()


@pytest.fixture
def run(tiny_frames_run, tmp_path):
    copy = tmp_path / "run"
    shutil.copytree(tiny_frames_run, copy)
    return copy


def _said(result) -> str:
    return " ".join(result.output.split())


def test_drawing_again_never_replaces_a_sample_the_coders_filled_in(run):
    first = runner.invoke(app, ["sample", str(run), "--strategy", "stratified", "--n", "4"])
    assert first.exit_code == 0, first.output
    sample = run / "samples" / "stratified-sentence" / "sample.csv"
    again = runner.invoke(app, ["sample", str(run), "--strategy", "stratified", "--n", "3"])
    assert again.exit_code == 0, again.output  # framing's own file, unchanged: a new draw replaces it
    coded = sample.read_text(encoding="utf-8").replace('"none"', '"a"') + "\n"  # the coders' work
    sample.write_text(coded, encoding="utf-8")
    refused = runner.invoke(app, ["sample", str(run), "--strategy", "stratified", "--n", "4"])
    assert refused.exit_code == 2, refused.output
    assert "sample.csv" in _said(refused) and "never replaces" in _said(refused)
    assert sample.read_text(encoding="utf-8") == coded


def test_export_into_a_folder_of_yours_never_replaces_your_file(run, tmp_path):
    mine = tmp_path / "my-folder"
    mine.mkdir()
    (mine / "documents.csv").write_text("my notes", encoding="utf-8")
    result = runner.invoke(app, ["export", str(run), "--format", "csv", "--out", str(mine)])
    assert result.exit_code == 2, result.output
    assert "documents.csv" in _said(result)
    assert (mine / "documents.csv").read_text(encoding="utf-8") == "my notes"
    assert sorted(p.name for p in mine.iterdir()) == ["documents.csv"]  # stopped before writing anything


def test_export_again_replaces_its_own_files(run, tmp_path):
    out = tmp_path / "exported"
    for _ in range(2):
        result = runner.invoke(app, ["export", str(run), "--format", "csv", "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert (out / "documents.csv").stat().st_size > 0 and (out / OWNED_FILES).is_file()


def test_report_never_writes_through_a_link_in_a_run_you_received(run, tmp_path):
    victim = tmp_path / "outside" / "precious.txt"
    victim.parent.mkdir()
    victim.write_text("my own file", encoding="utf-8")
    (run / "report.html").unlink()
    (run / "report.html").symlink_to(victim)
    result = runner.invoke(app, ["report", str(run)])
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "my own file"
    assert not (run / "report.html").is_symlink() and (run / "report.html").stat().st_size > 1000


def test_report_out_never_replaces_a_page_of_yours(run, tmp_path):
    page = tmp_path / "index.html"
    page.write_text("<html>my page</html>", encoding="utf-8")
    result = runner.invoke(app, ["report", str(run), "--out", str(page)])
    assert result.exit_code == 2, result.output
    assert "not a report framing wrote" in _said(result)
    assert page.read_text(encoding="utf-8") == "<html>my page</html>"
    earlier = tmp_path / "framing-report.html"
    for _ in range(2):  # an earlier framing report at --out is replaced
        result = runner.invoke(app, ["report", str(run), "--out", str(earlier)])
        assert result.exit_code == 0, result.output


def test_owned_files_record_is_not_taken_from_a_link_or_a_file_of_another_framing(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a.csv").write_text("older framing's output, no record", encoding="utf-8")
    with pytest.raises(RunStoreError, match="a.csv"):
        write_owned_files(folder, {"a.csv": lambda tmp: tmp.write_text("new")})
    forged = tmp_path / "forged.json"
    forged.write_text('{"files": {"a.csv": "0"}}', encoding="utf-8")
    (folder / OWNED_FILES).symlink_to(forged)
    with pytest.raises(RunStoreError, match="a.csv"):
        write_owned_files(folder, {"a.csv": lambda tmp: tmp.write_text("new")})
    (folder / "a.csv").unlink()
    write_owned_files(folder, {"a.csv": lambda tmp: tmp.write_text("new")})
    assert not (folder / OWNED_FILES).is_symlink() and forged.read_text() == '{"files": {"a.csv": "0"}}'


def test_code_labels_out_never_replaces_a_label_file_before_any_coding(run, tmp_path):
    from framing.config import load_config
    from framing.jobs.code import code_run

    mine = tmp_path / "my-codes.jsonl"
    mine.write_text('{"id": "a", "frames": ["x"]}\n', encoding="utf-8")
    # no language-model server is reachable here: the refusal comes before any is asked
    with pytest.raises(RunStoreError, match="my-codes.jsonl already exists"):
        code_run(run, load_config(None, ["llm.url=http://127.0.0.1:9"]), labels_out=mine)
    assert mine.read_text(encoding="utf-8") == '{"id": "a", "frames": ["x"]}\n'
