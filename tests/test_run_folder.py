"""A run folder is complete or absent: checked early, written beside its target, renamed into place.

Also: every file of a run has ordinary permissions (colleagues on a shared
server can read the tables, not only the report).
"""

import hashlib
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from framing import run_target, store
from framing.jobs import analyze as analyze_job, ingest as ingest_job
from framing.cli import app
from framing.errors import RunStoreError

TINY = Path(__file__).parent / "data" / "tiny"
FAST = ["--set", "embedding.model=hashing", "--set", "embedding.cache=false",
        "--set", "topics.reducer=pca", "--set", "topics.min_cluster_size=3", "--set", "topics.n_neighbors=5"]
runner = CliRunner()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path -> sha256)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def earlier_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("runs")
    out = base / "run"
    result = runner.invoke(app, ["analyze", str(TINY), "--out", str(out), *FAST])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def previous(earlier_run, tmp_path):
    """A copy of a finished run, to be replaced (or not) by the test."""
    import shutil

    out = tmp_path / "run"
    shutil.copytree(earlier_run, out)
    return out


def test_bad_frames_fails_before_reading_and_keeps_the_previous_run(previous, monkeypatch):
    before = snapshot(previous)
    monkeypatch.setattr(analyze_job, "ingest", lambda *a, **k: pytest.fail("the corpus was read before the check"))
    result = runner.invoke(app, ["analyze", str(TINY), "--out", str(previous), "--frames", "us-midle-east", *FAST])
    assert result.exit_code == 2
    assert "us-midle-east" in result.output and "Traceback" not in result.output
    assert snapshot(previous) == before
    assert [p.name for p in previous.parent.iterdir()] == ["run"], "no partial folder left behind"


def test_unknown_model_fails_before_reading(previous, monkeypatch):
    before = snapshot(previous)
    monkeypatch.setattr(analyze_job, "ingest", lambda *a, **k: pytest.fail("the corpus was read before the check"))
    result = runner.invoke(app, ["analyze", str(TINY), "--out", str(previous), *FAST,
                                 "--set", "embedding.model=no-such-model-xyz"])
    assert result.exit_code == 2
    assert "no-such-model-xyz" in result.output
    assert snapshot(previous) == before


def test_out_that_is_a_file_fails_before_reading(tmp_path, monkeypatch):
    target = tmp_path / "notes.txt"
    target.write_text("mine", encoding="utf-8")
    monkeypatch.setattr(ingest_job, "ingest", lambda *a, **k: pytest.fail("the corpus was read before the check"))
    result = runner.invoke(app, ["ingest", str(TINY), "--out", str(target)])
    assert result.exit_code == 2 and "is a file" in result.output
    assert target.read_text(encoding="utf-8") == "mine"


def test_a_run_that_dies_while_writing_leaves_the_previous_run(previous, monkeypatch):
    before = snapshot(previous)

    def broken_report(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("framing.report.write_report", broken_report)
    result = runner.invoke(app, ["analyze", str(TINY), "--out", str(previous), *FAST])
    assert result.exit_code != 0
    assert snapshot(previous) == before
    assert [p.name for p in previous.parent.iterdir()] == ["run"]


def test_a_new_run_replaces_the_old_one_whole_and_keeps_foreign_files(previous):
    (previous / "tables" / "stale_table.parquet").write_bytes(b"old")
    (previous / "my-notes.md").write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(TINY), "--out", str(previous)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (previous / "tables").iterdir()) == ["documents.parquet", "sentences.parquet"]
    assert not (previous / "report.html").exists() and not (previous / "framing.duckdb").exists()
    assert (previous / "my-notes.md").read_text(encoding="utf-8") == "keep me"
    assert [p.name for p in previous.parent.iterdir()] == ["run"]


def test_killed_run_leftovers_never_look_complete_and_are_cleaned(tmp_path):
    target = tmp_path / "run"
    dead = tmp_path / ".run.partial-999999999-abc"
    dead.mkdir()
    (dead / "run.json").write_text("{}", encoding="utf-8")
    (dead / run_target.STAGE_FILE).write_text("{}", encoding="utf-8")
    assert not target.exists()
    with store.staged_run(target) as tmp:
        store.write_run_json(tmp, {"seed": 1})
    assert not dead.exists()
    assert store.read_run_json(target)["seed"] == 1


def test_overwrite_false_refuses_before_reading(previous, monkeypatch):
    monkeypatch.setattr(ingest_job, "ingest", lambda *a, **k: pytest.fail("the corpus was read before the check"))
    result = runner.invoke(app, ["ingest", str(TINY), "--out", str(previous), "--set", "output.overwrite=false"])
    assert result.exit_code == 2 and "output.overwrite is false" in result.output


def test_check_run_target_names_an_unwritable_parent(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        with pytest.raises(RunStoreError, match="not writable"):
            store.check_run_target(locked / "run")
    finally:
        locked.chmod(0o700)


def test_every_run_file_has_ordinary_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        out = tmp_path / "run"
        result = runner.invoke(app, ["analyze", str(TINY), "--out", str(out), *FAST])
        assert result.exit_code == 0, result.output
    finally:
        os.umask(old)
    modes = {str(p.relative_to(out)): stat.S_IMODE(p.stat().st_mode) for p in [out, *out.rglob("*")]}
    assert {"run.json", "report.html", "framing.duckdb", "tables/sentences.parquet"} <= set(modes)
    wrong = {name: oct(mode) for name, mode in modes.items()
             if mode != (0o755 if (out / name).is_dir() else 0o644)}
    assert not wrong, wrong


def test_exchange_swaps_two_folders_in_one_step(tmp_path):
    import sys

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "new.txt").write_text("new")
    (b / "old.txt").write_text("old")
    swapped = run_target.exchange_paths(a, b)
    if sys.platform.startswith("linux"):
        assert swapped  # renameat2(RENAME_EXCHANGE): Linux >= 3.15 on local file systems
    if swapped:
        assert (b / "new.txt").read_text() == "new" and (a / "old.txt").read_text() == "old"


def _commit_twice(target, monkeypatch, exchange):
    calls = []
    real = run_target.exchange_paths

    def spy(a, b):
        calls.append((Path(a).name, Path(b).name))
        return real(a, b) if exchange else False

    monkeypatch.setattr(run_target, "exchange_paths", spy)
    for content in ("first", "second"):
        with store.staged_run(target) as tmp:
            store.write_run_json(tmp, {"content": content})
    return calls


@pytest.mark.parametrize("exchange", [True, False])
def test_a_finished_run_replaces_the_earlier_one_with_or_without_an_atomic_exchange(tmp_path, monkeypatch, exchange):
    target = tmp_path / "run"
    calls = _commit_twice(target, monkeypatch, exchange)
    assert store.read_run_json(target)["content"] == "second"
    assert calls == [("run.json", "run.json")]  # the first run had nothing to replace
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no partial or old folder left behind
    assert sorted(p.name for p in target.iterdir()) == ["run.json"]
