"""Committing a run: a staging folder that becomes the run folder only when complete.

Until the block that writes the run ends without error, the target stays as it
was; a new folder appears in one rename, an existing one has framing's entries
replaced in place (run.json last), every other file in it left alone. The rules
are those of :mod:`framing.runfolder.target`.
"""

from __future__ import annotations

import errno as errnos
import json
import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import RunStoreError
from .io import make_ordinary
from .layout import RUN_ENTRIES, RUN_JSON
from .meta import MARKER, SCHEMA_VERSION
from .target import (_BESIDE_PARTIAL, _INSIDE_OLD, _INSIDE_PARTIAL, STAGE_FILE, _check_folder, _forced,
                     _resolve_link, check_run_target, remove_stale)

log = logging.getLogger(__name__)


def _make_stage(parent: Path, prefix: str) -> Path:
    tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f"{prefix}{os.getpid()}-"))
    (tmp / STAGE_FILE).write_text(json.dumps({"pid": os.getpid()}), encoding="utf-8")
    return tmp


@contextmanager
def staged_run(run_dir: str | Path, force: bool | None = None):
    """Yield an empty staging folder to write a run into; it becomes ``run_dir`` only when the block succeeds.

    Write only a run's entries (:data:`framing.runfolder.layout.RUN_ENTRIES`) into it. Until the block
    ends without error, ``run_dir`` stays as it was; a block that fails leaves it untouched
    and removes the staging folder. A new ``run_dir`` appears in one rename; an existing one
    (or the folder a link ``run_dir`` points to) has framing's entries replaced in place,
    the new run.json last, with every other file in it left alone. See the module's rules.

    Examples
    --------
    >>> import tempfile
    >>> from framing import store
    >>> target = Path(tempfile.mkdtemp()) / "run"
    >>> with staged_run(target) as tmp:
    ...     _ = store.write_run_json(tmp, {"seed": 1})
    ...     target.exists()
    False
    >>> store.read_run_json(target)["seed"]
    1
    """
    run_dir = Path(run_dir)
    force = _forced(force)
    check_run_target(run_dir, force=force)
    remove_stale(run_dir)
    folder = _resolve_link(run_dir)
    tmp = _make_stage(folder, _INSIDE_PARTIAL) if folder.is_dir() else \
        _make_stage(run_dir.absolute().parent, f".{run_dir.name}{_BESIDE_PARTIAL}")
    try:
        yield tmp
        written = sorted(p.name for p in tmp.iterdir() if p.name != STAGE_FILE)
        unknown = [n for n in written if n not in RUN_ENTRIES]
        if unknown:
            raise RunStoreError(f"Internal error: a run wrote {', '.join(unknown)} outside its entries "
                                f"({', '.join(RUN_ENTRIES)}); please report it.")
        _seal(tmp, written)
        for path in tmp.rglob("*"):
            make_ordinary(path)  # whoever wrote a file (parquet, duckdb, the report), colleagues can read it
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)  # only what this run wrote
        raise
    _commit(tmp, run_dir, written, force)


def _seal(tmp: Path, written: list[str]) -> None:
    """Put the marker first in the staged run.json: framing wrote this run, with these entries."""
    path = tmp / RUN_JSON
    if not path.is_file():
        return
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return  # not a run.json framing can read: the folder will not count as a run
    if isinstance(meta, dict):
        meta = {MARKER: {"schema_version": SCHEMA_VERSION, "entries": written},
                **{k: v for k, v in meta.items() if k != MARKER}}
        from .io import write_meta

        write_meta(tmp, meta)


_RENAME_NOREPLACE = 1  # linux/fs.h
_RENAME_EXCHANGE = 2


def _renameat2(a: str | Path, b: str | Path, flags: int) -> bool:
    """``renameat2(a, b, flags)``: True when done, False (nothing changed) where unsupported; raises OSError."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), flags) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (errnos.ENOSYS, errnos.EINVAL, errnos.EOPNOTSUPP, errnos.EPERM):
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def exchange_paths(a: str | Path, b: str | Path) -> bool:
    """Swap two existing paths in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``).

    At every instant, each path holds either its old or its new content:
    a reader never finds ``b`` missing. Returns False, changing nothing, where
    the system or the file system cannot do it (other systems, some network
    file systems); the caller then renames in two steps.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "a").mkdir(); (root / "b").mkdir(); (root / "a" / "new").touch()
    >>> exchange_paths(root / "a", root / "b") in (True, False)
    True
    """
    return _renameat2(a, b, _RENAME_EXCHANGE)


def _rename_new(src: Path, dst: Path) -> None:
    """Rename ``src`` to ``dst``, which must not exist (atomically checked where the system can)."""
    if _renameat2(src, dst, _RENAME_NOREPLACE):
        return
    if os.path.lexists(dst):
        raise FileExistsError(errnos.EEXIST, os.strerror(errnos.EEXIST), str(dst))
    os.rename(src, dst)


def _commit(tmp: Path, run_dir: Path, written: list[str], force: bool) -> None:
    """Move the staged run into place; on any failure the earlier state is restored, or the error says where it is."""
    if not os.path.lexists(run_dir):
        try:
            os.remove(tmp / STAGE_FILE)
            make_ordinary(tmp)
            _rename_new(tmp, run_dir)
            return
        except FileExistsError:
            (tmp / STAGE_FILE).write_text(json.dumps({"pid": os.getpid()}), encoding="utf-8")
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise RunStoreError(f"Cannot move the finished run into {run_dir}: {exc}. Nothing was written there; "
                                "check the folder's permissions and free space, and run again.") from exc
    try:
        folder = _resolve_link(run_dir)
        owned = _check_folder(run_dir, folder, True, force)  # again: the folder may have changed during the run
    except RunStoreError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _replace_entries(tmp, run_dir, folder, written, owned)


def _replace_entries(tmp: Path, run_dir: Path, folder: Path, written: list[str], owned: set[str]) -> None:
    order = sorted(written, key=lambda n: n == RUN_JSON)  # run.json last: the folder holds a complete run or the old
    stale = sorted(n for n in owned if n not in written and os.path.lexists(folder / n))
    done: list[tuple[str, str]] = []
    trash = None
    try:
        trash = _make_stage(folder, _INSIDE_OLD)
        for name in stale:
            os.rename(folder / name, trash / name)
            done.append(("out", name))
        for name in order:
            if os.path.lexists(folder / name):
                if exchange_paths(tmp / name, folder / name):
                    done.append(("swap", name))
                    continue
                os.rename(folder / name, trash / name)
                done.append(("out", name))
            os.rename(tmp / name, folder / name)
            done.append(("in", name))
    except OSError as exc:
        _undo_or_explain(exc, done, tmp, trash, run_dir, folder)
    for path in (tmp, trash):  # the earlier run's entries, now replaced
        try:
            shutil.rmtree(path)
        except OSError as exc:
            log.warning("Could not remove %s (%s); the next run into %s removes it.", path, exc, run_dir)


def _undo_or_explain(exc: OSError, done: list[tuple[str, str]], tmp: Path, trash: Path | None, run_dir: Path,
                     folder: Path) -> None:
    """Undo the steps done, newest first; raise the error that says what state the folder is in."""
    failed = []
    for step, name in reversed(done):
        try:
            if step == "in":
                os.rename(folder / name, tmp / name)
            elif step == "out":
                os.rename(trash / name, folder / name)
            elif not exchange_paths(tmp / name, folder / name):
                raise OSError(errnos.ENOTSUP, "cannot swap back", str(folder / name))
        except OSError as undo_exc:
            failed.append((step, name, undo_exc))
    if not failed:
        shutil.rmtree(tmp, ignore_errors=True)  # only the new run's entries
        if trash is not None:
            shutil.rmtree(trash, ignore_errors=True)  # empty again
        raise RunStoreError(f"Cannot move the finished run into {run_dir}: {exc}. {run_dir} is as it was before "
                            "this run; check the folder (a mount point or a file in use?) and run again.") from exc
    for path in (tmp, trash):  # they hold the earlier run now: no longer framing's to remove
        if path is not None:
            Path(path, STAGE_FILE).unlink(missing_ok=True)
    where = {"in": tmp, "out": trash, "swap": tmp}
    lost = "; ".join(f"{name} of the earlier run is in {where[step]}" if step != "in" else
                     f"{name} of the new run is in {folder} (the earlier run had none)"
                     for step, name, _ in failed)
    raise RunStoreError(
        f"Cannot move the finished run into {run_dir}: {exc}; putting the earlier run back failed too "
        f"({failed[0][2]}). Nothing was deleted: {lost}. Move those back into {folder} by hand, then run again; "
        f"framing leaves these folders alone. The new run's other files are in {tmp}.") from exc
