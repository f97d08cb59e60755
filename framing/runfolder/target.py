"""Where a run may be written: the check before any work, and which entries of a folder are framing's.

Writing the run there is :mod:`framing.runfolder.commit`.

The rules (docs/reference/run-folder.md, "What a run guarantees"):

- framing writes a run into a folder only when the folder does not exist, is
  empty, or is a framing run: its ``run.json`` starts with the marker
  ``"framing_run": {"schema_version": 1, "entries": [...]}`` that framing writes
  when it commits a run (a run.json of framing before the marker counts when it
  names framing's version and command). Anything else is refused before any
  work, with a message naming the folder and ``--force``.
- Framing's own entries are the names in :data:`framing.runfolder.layout.RUN_ENTRIES`
  (tables/, run.json, framing.duckdb, report.html, topic_model/, inputs/) that the
  folder's marker lists. A run replaces only those; every other file in the
  folder stays where it is, untouched (never moved, deleted or chmod-ed).
  With ``--force`` a run may also replace entries of those names that framing
  did not write (and only those).
- An existing folder is written in place, entry by entry, the new run.json
  last: the folder itself (its mode, owner, a mount point, a symlink to it) is
  kept. Every step is journalled; when one fails, the steps done are undone and
  the error says whether the folder is as it was (and where the earlier
  entries are when putting them back failed too).
- ``--out`` may be a symbolic link to a folder: the link is kept and the run
  written into the folder it points to, under the rules above. A link that
  points nowhere is refused.
- A run that dies leaves a hidden staging folder (``.framing-partial-PID-*``
  inside the folder, or ``.NAME.partial-PID-*`` beside a new one). The next run
  removes such a folder only when its process is gone, its name has that form
  and its content shows framing wrote it: a ``.framing-stage`` file and no
  other names than a run's entries.

Examples
--------
>>> import tempfile
>>> from framing import store
>>> from framing.runfolder.commit import staged_run
>>> target = Path(tempfile.mkdtemp()) / "run"
>>> with staged_run(target) as tmp:
...     _ = store.write_run_json(tmp, {"seed": 1})
>>> store.read_run_json(target)["framing_run"]
{'schema_version': 1, 'entries': ['run.json']}
>>> owned_entries(target)
{'run.json'}
"""

from __future__ import annotations

import contextvars
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from ..errors import RunStoreError
from .layout import RUN_ENTRIES, RUN_JSON
from .meta import MARKER

STAGE_FILE = ".framing-stage"  # inside every staging folder framing makes
_INSIDE_PARTIAL = ".framing-partial-"
_INSIDE_OLD = ".framing-old-"
_BESIDE_PARTIAL = ".partial-"
_MAX_RUN_JSON = 512 * 2**20

_force = contextvars.ContextVar("framing_force_output", default=False)


@contextmanager
def allow_replacing(force: bool = True):
    """Within the block, runs may write into folders that are not framing runs (``--force``).

    The command line sets it for ``--force``; :func:`framing.analyze` for ``force=True``.
    Even then only framing's own entries are replaced.
    """
    token = _force.set(bool(force))
    try:
        yield
    finally:
        _force.reset(token)


def _forced(force: bool | None) -> bool:
    return _force.get() if force is None else bool(force)


# --- what framing wrote -------------------------------------------------------------------------------------------

def _read_marker(folder: Path) -> set[str] | None:
    """The entries framing wrote in ``folder`` per its run.json, or None when run.json is not framing's."""
    path = folder / RUN_JSON
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > _MAX_RUN_JSON:
            return None
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(meta, dict):
        return None
    marker = meta.get(MARKER)
    if isinstance(marker, dict) and isinstance(marker.get("schema_version"), int):
        entries = marker.get("entries")
        if isinstance(entries, list):
            return {e for e in entries if e in RUN_ENTRIES}
        return set(RUN_ENTRIES)
    versions, command = meta.get("versions"), meta.get("command")
    if (isinstance(versions, dict) and isinstance(versions.get("framing"), str)  # a run of framing before the marker
            and isinstance(command, str) and command.startswith("framing")):
        return set(RUN_ENTRIES)
    return None


def owned_entries(folder: str | Path) -> set[str] | None:
    """Framing's own entries present in ``folder``, or None when it is not a framing run.

    An empty set: a framing run whose run.json lists nothing present (rare).
    """
    folder = Path(folder)
    owned = _read_marker(folder)
    if owned is None:
        return None
    return {name for name in owned if os.path.lexists(folder / name)}


def _is_stage_folder(path: Path) -> bool:
    """A staging folder framing made: the name says so and so does the content."""
    if path.is_symlink() or not path.is_dir():
        return False
    try:
        names = {p.name for p in path.iterdir()}
    except OSError:
        return False
    mark = path / STAGE_FILE
    return STAGE_FILE in names and mark.is_file() and not mark.is_symlink() and names <= {STAGE_FILE, *RUN_ENTRIES}


def _stage_pid(name: str, prefix: str) -> int | None:
    pid = name[len(prefix):].split("-")[0]
    return int(pid) if name.startswith(prefix) and pid.isdigit() else None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _contents(folder: Path) -> list[str]:
    """The names in ``folder``, framing's own staging folders left out."""
    return sorted(p.name for p in folder.iterdir()
                  if not (p.name.startswith((_INSIDE_PARTIAL, _INSIDE_OLD)) and _is_stage_folder(p)))


# --- the check, before any work -----------------------------------------------------------------------------------

def _resolve_link(run_dir: Path) -> Path:
    """The folder a run into ``run_dir`` writes: ``run_dir``, or the folder its symbolic link points to."""
    if not run_dir.is_symlink():
        return run_dir
    target = Path(os.path.realpath(run_dir))
    if not target.exists():
        raise RunStoreError(
            f"The output folder {run_dir} is a symbolic link to {target}, which does not exist. framing keeps "
            "links and writes into the folder they point to: create that folder, or choose another --out.")
    return target


def _listing(names: list[str], most: int = 5) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def _refusal(run_dir: Path, folder: Path, why: str) -> RunStoreError:
    where = f"{run_dir}" if folder == run_dir else f"{run_dir} (a link to {folder})"
    return RunStoreError(
        f"The output folder {where} {why} framing refuses to write into it, so that none of your files is "
        "replaced. Choose a new or empty folder (--out, or output.dir in a config you pass), or pass --force to "
        f"write framing's entries ({', '.join(RUN_ENTRIES)}) into it: framing then replaces those names only "
        "and leaves everything else there untouched.")


def check_run_target(run_dir: str | Path, overwrite: bool = True, force: bool | None = None) -> Path:
    """Check, before any work, that a run can be written to ``run_dir``; returns it.

    Parameters
    ----------
    run_dir : str or Path
        The run folder (``--out`` or ``output.dir``); may be a symbolic link to a folder.
    overwrite : bool
        ``output.overwrite``: False refuses a folder that holds a run.
    force : bool, optional
        Write into a folder that is not a framing run (only framing's entries are replaced).
        None: as :func:`allow_replacing` set it (default False).

    Raises
    ------
    RunStoreError
        When ``run_dir`` is a file, a link to nothing, a folder that holds files and
        is not a framing run (without ``force``), a run and ``overwrite`` is false,
        or when it or its parent cannot be created or written.
    """
    run_dir = Path(run_dir)
    folder = _resolve_link(run_dir)
    if folder.exists() and not folder.is_dir():
        raise RunStoreError(f"The run folder {run_dir} is a file, not a folder; choose another --out.")
    if folder.is_dir():
        _check_folder(run_dir, folder, overwrite, _forced(force))
        if not os.access(folder, os.W_OK | os.X_OK):
            raise RunStoreError(f"Cannot write the run folder {run_dir}: it is not writable. Choose another --out.")
        return run_dir
    parent = run_dir.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunStoreError(f"Cannot create {parent} for the run folder {run_dir}: {exc.strerror}. "
                            "Choose another --out.") from exc
    if not os.access(parent, os.W_OK | os.X_OK):
        raise RunStoreError(f"Cannot write the run folder {run_dir}: {parent} is not writable. Choose another --out.")
    return run_dir


def _check_folder(run_dir: Path, folder: Path, overwrite: bool, force: bool) -> set[str]:
    """Framing's entries in an existing ``folder`` a run may replace (raises when it may not be written)."""
    try:
        names = _contents(folder)
    except OSError as exc:
        raise RunStoreError(f"Cannot read the run folder {run_dir}: {exc.strerror}. Choose another --out.") from exc
    owned = owned_entries(folder)
    if owned is not None and not overwrite:
        raise RunStoreError(f"{run_dir} already holds a run and output.overwrite is false; "
                            "choose another --out or set output.overwrite=true.")
    if not names or force:
        return owned or set()
    if owned is None:
        raise _refusal(run_dir, folder, f"is not a framing run (it has no run.json written by framing) and holds "
                                        f"{_listing(names)}:")
    foreign = sorted(set(names) & set(RUN_ENTRIES) - owned)
    if foreign:
        raise _refusal(run_dir, folder, f"holds a framing run, but also {', '.join(foreign)}, which its run.json "
                                        "does not list as framing's:")
    return owned


def remove_stale(run_dir: str | Path) -> None:
    """Remove staging folders of runs into ``run_dir`` whose process is gone.

    Only folders whose name (``.framing-partial-PID-*``, ``.framing-old-PID-*`` inside,
    ``.NAME.partial-PID-*`` beside) and content (a ``.framing-stage`` file, nothing but a
    run's entries) show that framing made them.
    """
    run_dir = Path(run_dir)
    places = [(run_dir.absolute().parent, f".{run_dir.name}{_BESIDE_PARTIAL}")]
    folder = Path(os.path.realpath(run_dir))
    if folder.is_dir():
        places += [(folder, _INSIDE_PARTIAL), (folder, _INSIDE_OLD)]
    for where, prefix in places:
        try:
            candidates = [p for p in where.iterdir() if p.name.startswith(prefix)]
        except OSError:
            continue
        for path in candidates:
            pid = _stage_pid(path.name, prefix)
            if pid is not None and not _pid_alive(pid) and _is_stage_folder(path):
                shutil.rmtree(path, ignore_errors=True)
