"""Reading and writing a run folder: tables, run.json (through :class:`RunMeta`), the DuckDB file.

Every reader and writer of run.json goes through :func:`read_meta` / :func:`write_meta`
(:func:`framing.store.read_run_json` and :func:`framing.store.write_run_json` are these);
``meta["tables"]`` is built by :func:`table_records` only, and the run's config is
re-validated from run.json by :func:`run_config` only. A run is written whole into a
staging folder that replaces the target when complete: :func:`staged_run`
(:mod:`framing.runfolder.commit`); nothing is written into a run after that.

Examples
--------
>>> import pandas as pd, tempfile
>>> d = tempfile.mkdtemp()
>>> _ = write_tables(d, {"documents": pd.DataFrame({"doc_id": ["a"]})})
>>> read_tables(d)["documents"].doc_id.tolist()
['a']
>>> table_records({"documents": pd.DataFrame({"doc_id": ["a"]})})
{'documents': {'rows': 1, 'columns': ['doc_id']}}
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..diskcache import sha256_file
from ..errors import RunStoreError
from .layout import DUCKDB_FILE, RUN_JSON, TABLES_DIR, table_path
from .meta import MARKER, RunMeta

log = logging.getLogger(__name__)


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


def own_subfolder(run_dir: str | Path, *parts: str) -> Path:
    """``RUN/PART/...`` for a command's files (``export/csv``, ``samples/...``), created as needed.

    A symbolic link on the way is refused: a run folder someone sent may hold ``export -> ~``, and
    framing writes only inside the run unless you name another folder yourself (``--out``).
    """
    folder = Path(run_dir)
    for part in parts:
        folder = folder / part
        if folder.is_symlink():
            raise RunStoreError(
                f"{folder} is a symbolic link: framing does not write through a link inside a run folder (a run "
                "you received may point it anywhere). Remove the link, or name the folder to write with --out.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunStoreError(f"Cannot create {folder}: {exc.strerror}. Choose another --out.") from exc
    return folder


def write_new_file(path: str | Path, write) -> Path:
    """Write ``path`` as a new file: ``write(tmp)`` fills a temporary file that then replaces ``path``.

    A link already at ``path`` (planted in a received run's ``export/`` or ``samples/``) is replaced
    by the file, never written through; a failed write leaves the earlier file as it was.

    Examples
    --------
    >>> write_new_file("RUN/export/csv/documents.csv", lambda tmp: df.to_csv(tmp))  # doctest: +SKIP
    """
    path = Path(path)
    with _atomic_target(path) as tmp:
        write(tmp)
    return path


#: In a folder ``export`` or ``sample`` writes into: each file framing wrote there, with the SHA-256 of what it wrote.
OWNED_FILES = ".framing-files.json"


def _owned(folder: Path) -> dict[str, str]:
    """The folder's record of the files framing wrote (empty when missing, a link or unreadable: nothing is ours)."""
    record = folder / OWNED_FILES
    if record.is_symlink() or not record.is_file():
        return {}
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(files, dict) else {}


def write_owned_files(folder: str | Path, files: Mapping[str, Any]) -> list[Path]:
    """Write ``files`` (name -> ``write(tmp)``) into ``folder``, never replacing a file of yours.

    A file already at a name is replaced only when framing wrote it there and it is unchanged since (its
    SHA-256 is the one recorded in the folder's ``.framing-files.json``). Anything else (a file of yours, a
    sample whose ``frames`` column coders filled in, a file of an older framing without the record) stops
    the command before any file is written, naming the files. A symbolic link at a name is replaced by the
    file, never written through.

    Examples
    --------
    >>> import tempfile; d = Path(tempfile.mkdtemp())
    >>> _ = write_owned_files(d, {"a.csv": lambda tmp: tmp.write_text("1")})
    >>> _ = write_owned_files(d, {"a.csv": lambda tmp: tmp.write_text("2")})   # framing's own, unchanged: replaced
    >>> _ = (d / "a.csv").write_text("coded")
    >>> write_owned_files(d, {"a.csv": lambda tmp: tmp.write_text("3")})
    Traceback (most recent call last):
    ...
    framing.errors.RunStoreError: ...a.csv...
    """
    folder = Path(folder)
    owned = _owned(folder)
    foreign = []
    for name in files:
        path = folder / name
        if path.is_symlink() or not os.path.lexists(path):
            continue
        if not path.is_file() or owned.get(name) != sha256_file(path):
            foreign.append(name)
    if foreign:
        listed = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise RunStoreError(
            f"{folder} already holds files that framing did not write there, or that changed since it wrote them "
            f"(codes filled in, files of yours, an older framing's output): {listed}. framing never replaces "
            "them: move them away, or write to another folder with --out.")
    written = []
    for name, write in files.items():
        path = write_new_file(folder / name, write)
        owned[name] = sha256_file(path)
        written.append(path)
    text = json.dumps({"written_by": "framing", "files": owned}, indent=1, sort_keys=True)
    write_new_file(folder / OWNED_FILES, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return written


def table_records(tables: Mapping[str, pd.DataFrame]) -> dict[str, dict]:
    """run.json's ``tables``: each table's row count and columns (the one place that builds it)."""
    return {name: {"rows": len(df), "columns": list(df.columns)} for name, df in tables.items()}


def write_tables(run_dir: str | Path, tables: dict[str, pd.DataFrame]) -> dict[str, Path]:
    """Write each table to ``RUN/tables/NAME.parquet`` (atomically).

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
        path = table_path(run_dir, name)
        with _atomic_target(path) as tmp:
            df.to_parquet(tmp, index=False)
        written[name] = path
    return written


def read_tables(run_dir: str | Path, names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Read the tables of a run folder (all, or the ones named); no link in it is followed."""
    if not (Path(run_dir) / TABLES_DIR).is_dir():
        raise RunStoreError(
            f"{run_dir} is not a run folder: it has no {TABLES_DIR}/ folder. "
            "Give the folder that `framing analyze` or `framing ingest` wrote."
        )
    from .received import read_tables as read_checked  # a run may come from someone else: no link followed

    return read_checked(run_dir, names)


def claim_entries(meta: dict[str, Any], *names: str) -> None:
    """Add ``names`` to the entries of run.json's marker: framing wrote them into the finished run.

    A command that adds an entry to a run (``framing compare`` writing ``framing.duckdb`` into a run of
    ``framing ingest``) lists it, so that the next run into the folder replaces it as framing's own.

    Examples
    --------
    >>> meta = {"framing_run": {"schema_version": 1, "entries": ["run.json", "tables"]}}
    >>> claim_entries(meta, "framing.duckdb"); meta["framing_run"]["entries"]
    ['run.json', 'tables', 'framing.duckdb']
    """
    marker = meta.get(MARKER)
    if isinstance(marker, dict) and isinstance(marker.get("entries"), list):
        marker["entries"] = marker["entries"] + [name for name in names if name not in marker["entries"]]


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


def write_meta(run_dir: str | Path, meta: RunMeta | Mapping[str, Any]) -> Path:
    """Write ``RUN/run.json`` (UTF-8, indented) after checking it against :class:`RunMeta`."""
    path = Path(run_dir) / RUN_JSON
    record = meta if isinstance(meta, RunMeta) else RunMeta.from_json(dict(meta), f"the run.json for {path.parent}")
    data = json.dumps(record.to_json(), indent=2, ensure_ascii=False, default=str).encode("utf-8")
    with _atomic_target(path) as tmp:
        tmp.write_bytes(data)
    return path


def read_meta(run_dir: str | Path) -> RunMeta:
    """``RUN/run.json`` as a :class:`RunMeta`: read without following links, migrated, checked.

    Raises
    ------
    RunStoreError
        When there is no run.json, or it is damaged, of a newer schema, or not framing's.
    """
    from .received import read_json  # no link followed, size-limited, damage a clear error

    if not os.path.lexists(Path(run_dir) / RUN_JSON):
        raise RunStoreError(f"{run_dir} has no {RUN_JSON}; give a folder written by `framing analyze`.")
    return RunMeta.from_json(read_json(run_dir, RUN_JSON), f"{RUN_JSON} in {run_dir}")


def read_meta_dict(run_dir: str | Path) -> dict[str, Any]:
    """:func:`read_meta` as plain data (what ``Run.meta`` and the report read)."""
    return read_meta(run_dir).to_json()


def run_config(meta: RunMeta | Mapping[str, Any], where: str, received: bool = False, fallback: bool = False):
    """The run's config, re-validated from run.json: the one function that does it.

    Parameters
    ----------
    meta : RunMeta or dict
        The run's run.json.
    where : str
        The file, for messages (``run.json in RUN``).
    received : bool
        The run may come from someone else and a new run is written from its config (apply, rerun):
        what only the user may choose (``output.*``, ``embedding.cache_dir``) is reset to the
        defaults, with an :class:`~framing.errors.UntrustedConfigWarning` where it differed
        (:func:`framing.config.received_config`).
    fallback : bool
        The one fallback: a run.json without a config, or with one this version cannot read, gives
        the defaults (``configs/default.yaml``) with a logged warning instead of an error. For a job that
        only reads the run's tables (``framing compare``); a job that repeats or extends the run needs its config.

    Raises
    ------
    RunStoreError
        When run.json has no config or one this version cannot read (naming the field), with what to do.
    """
    from ..config import Config, _format_validation_error, load_config, received_config
    from ..errors import ConfigError
    from pydantic import ValidationError

    data = meta.config if isinstance(meta, RunMeta) else meta.get("config")
    if fallback:
        try:
            return run_config(meta, where, received)
        except RunStoreError:
            log.warning("%s: its config does not match this version of framing; using the defaults", where)
            return load_config()
    if not isinstance(data, dict):
        raise RunStoreError(f"{where} has no 'config' object: it was not written by framing analyze or ingest.")
    try:
        return received_config(data, f"'config' of {where}") if received else Config.model_validate(data)
    except ValidationError as exc:
        raise RunStoreError(_format_validation_error(exc, f"'config' of {where}")) from None
    except ConfigError as exc:
        raise RunStoreError(str(exc)) from None


def staged_run(run_dir: str | Path, force: bool | None = None):
    """A staging folder that becomes ``run_dir`` when complete: see :func:`framing.runfolder.commit.staged_run`.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "run"
    >>> with staged_run(target) as tmp:
    ...     _ = write_meta(tmp, {"seed": 1})
    ...     target.exists()
    False
    >>> read_meta(target).seed
    1
    """
    from .commit import staged_run as staged

    return staged(run_dir, force=force)
