"""Issue 19, cases 1-3: a run never destroys a user's files.

1. An output folder that is not a framing run (``--out``, or ``output.dir`` named by a
   corpus's own framing.yaml) is refused before any work; with ``--force`` only framing's
   entries are written and everything else stays (bytes, place, mode).
2. A write that fails at any step of the commit leaves the earlier run and the user's files
   exactly as they were, and the error says so truly.
3. ``--out`` that is a symbolic link to a folder: the link is kept and no partial link left.
"""

import errno
import hashlib
import os
import shutil
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
    """Every entry under ``folder`` (relative path -> sha256, 'dir' or 'link -> target'), and the folder's mode."""
    out = {".": oct(stat.S_IMODE(folder.stat().st_mode))}
    for p in sorted(folder.rglob("*")):
        key = str(p.relative_to(folder))
        out[key] = (f"link -> {os.readlink(p)}" if p.is_symlink() else "dir" if p.is_dir()
                    else hashlib.sha256(p.read_bytes()).hexdigest())
    return out


def no_reading(monkeypatch):
    for job in (analyze_job, ingest_job):
        monkeypatch.setattr(job, "ingest", lambda *a, **k: pytest.fail("the corpus was read before the check"))


@pytest.fixture
def user_folder(tmp_path):
    """A researcher's own folder (mode 700) whose names collide with a run's: no run.json."""
    v = tmp_path / "v"
    (v / "tables").mkdir(parents=True)
    (v / "tables" / "thesis.csv").write_text("data\n", encoding="utf-8")
    (v / "report.html").write_text("x", encoding="utf-8")
    (v / "notes.txt").write_text("mine", encoding="utf-8")
    v.chmod(0o700)
    return v


@pytest.fixture(scope="module")
def earlier_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "run"
    result = runner.invoke(app, ["analyze", str(TINY), "--out", str(out), *FAST])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def previous(earlier_run, tmp_path):
    """A finished run with a researcher's files beside framing's, to be replaced (or not)."""
    out = tmp_path / "run"
    shutil.copytree(earlier_run, out)
    (out / "mnt").mkdir()  # stands for a mount point (renaming it fails with EBUSY)
    (out / "mnt" / "data.txt").write_text("on another disk", encoding="utf-8")
    for i in range(5):
        (out / f"my-notes-{i}.md").write_text("keep me", encoding="utf-8")
    return out


# --- case 1: a folder that is not a run ---------------------------------------------------------------------------

def test_out_on_a_folder_that_is_not_a_run_is_refused_before_any_work(user_folder, monkeypatch):
    before = snapshot(user_folder)
    no_reading(monkeypatch)
    result = runner.invoke(app, ["ingest", str(TINY), "--out", str(user_folder)])
    assert result.exit_code == 2, result.output
    assert f"The output folder {user_folder} is not a framing run" in result.output
    assert "--force" in result.output and "Traceback" not in result.output
    assert snapshot(user_folder) == before  # thesis.csv, report.html and the mode 700 kept
    assert sorted(p.name for p in user_folder.parent.iterdir()) == ["v"]


def test_output_dir_named_by_a_corpus_framing_yaml_cannot_replace_a_folder(tmp_path, monkeypatch):
    victim = tmp_path / "home" / "thesis"
    victim.mkdir(parents=True)
    (victim / "chapter1.md").write_text("years of work", encoding="utf-8")
    (victim / "tables").mkdir()
    (victim / "tables" / "coded.csv").write_text("1,2\n", encoding="utf-8")
    corpus = tmp_path / "received"
    shutil.copytree(TINY, corpus)
    (corpus / "framing.yaml").write_text(f"output:\n  dir: {victim}\n", encoding="utf-8")
    before = snapshot(victim)
    monkeypatch.chdir(tmp_path)
    from framing.errors import UntrustedConfigWarning

    # A corpus may not set output.dir: ignored with a warning that names the key, the run goes to reports/NAME
    with pytest.warns(UntrustedConfigWarning, match="output"):
        result = runner.invoke(app, ["ingest", str(corpus)])
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports" / "received" / "run.json").is_file()
    assert snapshot(victim) == before
    # Trusted with --config, the folder is still refused: it is not a framing run
    result = runner.invoke(app, ["ingest", str(corpus), "--config", str(corpus / "framing.yaml")])
    assert result.exit_code == 2 and str(victim) in result.output and "--force" in result.output, result.output
    assert snapshot(victim) == before


def test_force_writes_only_framings_entries_and_leaves_the_rest(user_folder):
    (user_folder / "tables").rename(user_folder / "data")  # keep the user's csv out of framing's names
    before = snapshot(user_folder)
    notes_inode = (user_folder / "notes.txt").stat().st_ino
    result = runner.invoke(app, ["ingest", str(TINY), "--out", str(user_folder), "--force"])
    assert result.exit_code == 0, result.output
    after = snapshot(user_folder)
    assert {k: v for k, v in after.items() if not k.startswith(("tables", "run.json"))} == before
    assert (user_folder / "notes.txt").stat().st_ino == notes_inode  # never moved
    assert stat.S_IMODE(user_folder.stat().st_mode) == 0o700
    assert store.read_run_json(user_folder)["framing_run"] == {"schema_version": 1, "entries": ["run.json", "tables"]}
    assert not [p for p in user_folder.iterdir() if p.name.startswith(".")], "no staging folder left"
    # The user's report.html is not framing's: a later run without --force refuses to replace it.
    result = runner.invoke(app, ["analyze", str(TINY), "--out", str(user_folder), *FAST])
    assert result.exit_code == 2
    assert "report.html, which its run.json does not list as framing's" in result.output
    assert (user_folder / "report.html").read_text(encoding="utf-8") == "x"


def test_a_run_folder_is_replaced_in_place_keeping_the_users_files_and_its_mode(previous):
    previous.chmod(0o700)
    notes = previous / "my-notes-0.md"
    inode = notes.stat().st_ino
    result = runner.invoke(app, ["ingest", str(TINY), "--out", str(previous)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in previous.iterdir()) == ["mnt", *(f"my-notes-{i}.md" for i in range(5)), "run.json",
                                                          "tables"]
    assert notes.stat().st_ino == inode and notes.read_text(encoding="utf-8") == "keep me"
    assert (previous / "mnt" / "data.txt").read_text(encoding="utf-8") == "on another disk"
    assert stat.S_IMODE(previous.stat().st_mode) == 0o700


def test_stale_partials_are_removed_only_when_name_and_content_show_framing_wrote_them(previous):
    def folder(path: Path, *names: str) -> Path:
        path.mkdir()
        for name in names:
            (path / name).write_text("x", encoding="utf-8")
        return path

    dead = "999999999"
    framings = [folder(previous / f".framing-partial-{dead}-a", run_target.STAGE_FILE, "run.json"),
                folder(previous.parent / f".run.partial-{dead}-b", run_target.STAGE_FILE, "report.html")]
    users = [folder(previous / f".framing-partial-{dead}-c", run_target.STAGE_FILE, "thesis.csv"),
             folder(previous / f".framing-old-{dead}-d", "run.json"),  # no stage file
             folder(previous.parent / f".run.partial-{dead}-e", "my.txt"),
             folder(previous / f".framing-partial-{os.getpid()}-f", run_target.STAGE_FILE)]  # alive: in use
    result = runner.invoke(app, ["ingest", str(TINY), "--out", str(previous)])
    assert result.exit_code == 0, result.output
    assert not any(p.exists() for p in framings)
    assert all(p.exists() for p in users)


# --- case 2: a write that fails -----------------------------------------------------------------------------------

def _busy(name: str):
    real = os.rename

    def rename(src, dst, *args, **kwargs):
        if Path(src).name == name:
            raise OSError(errno.EBUSY, "Device or resource busy", str(src))
        return real(src, dst, *args, **kwargs)

    return rename


def _exchange_busy_for(name: str, monkeypatch):
    """renameat2(RENAME_EXCHANGE) on a mount point fails with EBUSY too."""
    real = run_target.exchange_paths

    def exchange(a, b):
        if Path(b).name == name:
            raise OSError(errno.EBUSY, "Device or resource busy", str(b))
        return real(a, b)

    monkeypatch.setattr(run_target, "exchange_paths", exchange)


def test_a_mount_point_in_the_output_folder_is_never_moved_or_deleted(previous, monkeypatch):
    mine = {k: v for k, v in snapshot(previous).items() if k.startswith(("my-notes", "mnt"))}
    users = {p.name for p in previous.iterdir()} - set(store.RUN_ENTRIES)
    real, moved = os.rename, []

    def rename(src, dst, *args, **kwargs):
        if Path(src).name in users:  # whichever of the user's entries framing would move second is a mount point
            moved.append(src)
            if len(moved) == 2:
                raise OSError(errno.EBUSY, "Device or resource busy", str(src))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    result = runner.invoke(app, ["ingest", str(TINY), "--out", str(previous)])
    assert "Traceback" not in result.output
    assert {k: v for k, v in snapshot(previous).items() if k.startswith(("my-notes", "mnt"))} == mine
    assert result.exit_code == 0, result.output
    assert store.read_run_json(previous)["framing_run"]["entries"] == ["run.json", "tables"]  # the new run
    assert not moved


def test_a_failed_move_leaves_the_earlier_run_as_it_was_and_says_so(previous, monkeypatch):
    before = snapshot(previous)
    monkeypatch.setattr(os, "rename", _busy("tables"))
    _exchange_busy_for("tables", monkeypatch)
    result = runner.invoke(app, ["ingest", str(TINY), "--out", str(previous)])
    assert result.exit_code == 2, result.output
    assert f"Cannot move the finished run into {previous}" in result.output
    assert f"{previous} is as it was before this run" in result.output
    assert snapshot(previous) == before
    assert sorted(p.name for p in previous.parent.iterdir()) == ["run"]


def _earlier(tmp_path: Path) -> Path:
    """A run with every entry, a user's file, and a user's file named like an entry inside tables/."""
    target = tmp_path / "run"
    with store.staged_run(target) as tmp:
        (tmp / "tables").mkdir()
        (tmp / "tables" / "documents.parquet").write_bytes(b"old documents")
        (tmp / "report.html").write_text("old report", encoding="utf-8")
        (tmp / "framing.duckdb").write_bytes(b"old db")
        (tmp / "topic_model").mkdir()
        (tmp / "topic_model" / "info.json").write_text("{}", encoding="utf-8")
        store.write_run_json(tmp, {"seed": 1})
    (target / "notes.md").write_text("mine", encoding="utf-8")
    return target


def _new_run(target: Path) -> None:
    with store.staged_run(target) as tmp:  # an ingest: no report, duckdb or topic model
        (tmp / "tables").mkdir()
        (tmp / "tables" / "documents.parquet").write_bytes(b"new documents")
        store.write_run_json(tmp, {"seed": 2})


class Faults:
    """Make the k-th call (1-based, over rename and exchange together) raise EBUSY; count the calls."""

    def __init__(self, monkeypatch, fail_at: set[int], exchange: bool):
        self.calls, self.fail_at = 0, fail_at
        real_rename, real_exchange = os.rename, run_target.exchange_paths

        def rename(src, dst, *a, **k):
            self._step(src)
            return real_rename(src, dst, *a, **k)

        def swap(a, b):
            if not exchange:
                return False
            self._step(b)
            return real_exchange(a, b)

        monkeypatch.setattr(os, "rename", rename)
        monkeypatch.setattr(run_target, "exchange_paths", swap)

    def _step(self, path):
        self.calls += 1
        if self.calls in self.fail_at:
            raise OSError(errno.EBUSY, "Device or resource busy", str(path))


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_every_failure_point_of_the_commit_restores_the_earlier_run(tmp_path, monkeypatch, exchange):
    with monkeypatch.context() as m:
        counting = Faults(m, set(), exchange)
        _new_run(_earlier(tmp_path / "count"))
        steps = counting.calls
    assert steps >= (3 if exchange else 5)
    for k in range(1, steps + 1):
        target = _earlier(tmp_path / f"k{k}")
        before = snapshot(target)
        with monkeypatch.context() as m:
            Faults(m, {k}, exchange)
            with pytest.raises(RunStoreError, match=f"{target} is as it was before this run"):
                _new_run(target)
        assert snapshot(target) == before, f"step {k}"
        assert sorted(p.name for p in target.parent.iterdir()) == ["run"], f"step {k}"
    _new_run(target)  # and the next run goes through
    assert store.read_run_json(target)["seed"] == 2 and (target / "notes.md").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in target.iterdir()) == ["notes.md", "run.json", "tables"]


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_when_putting_back_fails_too_nothing_is_deleted_and_the_error_says_where(tmp_path, monkeypatch, exchange):
    target = _earlier(tmp_path)
    files = {k: v for k, v in snapshot(target).items() if v != "dir" and k != "."}
    with monkeypatch.context() as m:
        Faults(m, {3, 4, 5, 6, 7, 8, 9, 10}, exchange)  # the third step fails, and so does every undo
        with pytest.raises(RunStoreError) as info:
            _new_run(target)
    message = str(info.value)
    assert "putting the earlier run back failed too" in message and "Nothing was deleted" in message
    assert "is as it was" not in message
    kept = {}  # every file of the earlier run is somewhere under tmp_path, byte for byte
    for p in tmp_path.rglob("*"):
        if p.is_file():
            kept.setdefault(p.name, set()).add(hashlib.sha256(p.read_bytes()).hexdigest())
    assert all(digest in kept.get(Path(name).name, set()) for name, digest in files.items())
    leftovers = [p for p in target.iterdir() if p.name.startswith(".framing-")]
    assert leftovers and all(str(p) in message for p in leftovers)
    _new_run(target)  # the next run does not remove what holds the earlier run
    assert all(p.exists() for p in leftovers)


def test_a_failed_cleanup_after_the_commit_keeps_the_new_run(tmp_path, monkeypatch):
    target = _earlier(tmp_path)

    def broken_rmtree(path, *a, **k):
        raise OSError(errno.EACCES, "Permission denied", str(path))

    with monkeypatch.context() as m:
        m.setattr(run_target.shutil, "rmtree", broken_rmtree)
        _new_run(target)
    assert store.read_run_json(target)["seed"] == 2
    _new_run(target)  # the leftovers are framing's and its process is ... this one: kept while alive
    assert store.read_run_json(target)["seed"] == 2


# --- case 3: --out is a symbolic link -----------------------------------------------------------------------------

def test_out_that_is_a_link_to_an_empty_folder_writes_into_it_and_keeps_the_link(tmp_path):
    real = tmp_path / "disk" / "runs"
    real.mkdir(parents=True)
    link = tmp_path / "out"
    link.symlink_to(real, target_is_directory=True)
    for _ in range(2):  # a first run, then one that replaces it
        result = runner.invoke(app, ["ingest", str(TINY), "--out", str(link)])
        assert result.exit_code == 0, result.output
        assert link.is_symlink() and os.readlink(link) == str(real)
        assert sorted(p.name for p in real.iterdir()) == ["run.json", "tables"]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["disk", "out"], "no .out.partial-* left behind"


def test_out_that_is_a_link_to_a_users_folder_is_refused(tmp_path, user_folder, monkeypatch):
    link = tmp_path / "out"
    link.symlink_to(user_folder, target_is_directory=True)
    before = snapshot(user_folder)
    no_reading(monkeypatch)
    result = runner.invoke(app, ["ingest", str(TINY), "--out", str(link)])
    assert result.exit_code == 2, result.output
    assert f"The output folder {link} (a link to {user_folder}) is not a framing run" in result.output
    assert "--force" in result.output
    assert link.is_symlink() and snapshot(user_folder) == before


def test_out_that_is_a_link_to_nothing_is_refused(tmp_path, monkeypatch):
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "gone", target_is_directory=True)
    no_reading(monkeypatch)
    result = runner.invoke(app, ["ingest", str(TINY), "--out", str(link)])
    assert result.exit_code == 2, result.output
    assert "is a symbolic link to" in result.output and "which does not exist" in result.output
    assert link.is_symlink() and not (tmp_path / "gone").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_rerun_and_the_api_refuse_a_users_folder_too(earlier_run, user_folder, monkeypatch):
    import framing

    before = snapshot(user_folder)
    result = runner.invoke(app, ["rerun", str(earlier_run), "--out", str(user_folder), "--quiet"])
    assert result.exit_code == 2 and "--force" in result.output, result.output
    with pytest.raises(RunStoreError, match="is not a framing run"):
        framing.analyze(TINY, out=user_folder, embedding__model="hashing")
    assert snapshot(user_folder) == before


def test_a_replaced_entry_that_is_a_link_is_removed_as_a_link_never_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("not framing's", encoding="utf-8")
    target = _earlier(tmp_path)
    shutil.rmtree(target / "tables")
    (target / "tables").symlink_to(outside, target_is_directory=True)  # a received run's hostile entry
    before = snapshot(outside)
    _new_run(target)
    assert snapshot(outside) == before
    assert not (target / "tables").is_symlink()
    assert (target / "tables" / "documents.parquet").read_bytes() == b"new documents"
