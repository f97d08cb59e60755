"""Reading a run folder that someone else may have written.

A run folder is data, and a folder received from a colleague (or found on a
shared drive) may have been made by anyone. Everything framing reads from a
run it did not just write goes through this module:

- paths are confined to the run folder: no file is opened through a
  symbolic link (the last component is opened with ``O_NOFOLLOW``, every
  folder on the way is checked), and only regular files are read (no
  devices, FIFOs or sockets);
- files are read with a size limit, JSON with a depth it can parse, and a
  damaged file is one :class:`~framing.errors.RunStoreError` naming it;
- nothing is unpickled: a ``.bin``, ``.pkl``, ``.pt`` or ``.joblib`` file in
  ``topic_model/`` is refused, and the topic embeddings are read from
  ``topic_embeddings.safetensors`` by a parser of that format's header and
  raw little-endian data (no code runs);
- no name read from a run is handed to a loader that may download: a model
  name must resolve on this machine (:func:`framing.embed.from_run.check_model_name`).

Examples
--------
>>> import tempfile
>>> d = Path(tempfile.mkdtemp())
>>> _ = (d / "run.json").write_text('{"seed": 1}')
>>> read_json(d, "run.json")
{'seed': 1}
>>> (d / "link.json").symlink_to(d / "run.json")
>>> try:
...     read_json(d, "link.json")
... except RunStoreError as exc:
...     print(str(exc).split(";")[0].endswith("is a symbolic link"))
True
"""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import stat
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np

from ..errors import RunStoreError
from .layout import TABLES_DIR, TOPIC_MODEL_DIR as MODEL_DIR, table_file, table_name
from .safetensors import MAX_TENSOR_BYTES, read_safetensors, write_safetensors  # noqa: F401

MAX_JSON_BYTES = 256 * 2**20
"""run.json and the JSON files of a topic model: larger is not a file framing wrote."""
MODEL_FILES = ("framing.json", "config.json", "topics.json", "topic_embeddings.safetensors",
               "ctfidf.safetensors", "ctfidf_config.json")
"""The files framing and BERTopic's safetensors serialization write into ``topic_model/``; nothing else is copied."""
EMBEDDINGS_FILE = "topic_embeddings.safetensors"
PICKLE_SUFFIXES = (".bin", ".pkl", ".pickle", ".pt", ".pth", ".joblib", ".npy", ".npz")
"""Formats that can run code when loaded (pickle) or that framing never writes into a topic model."""


def _where(run_dir: Path, rel: str) -> str:
    return f"{rel} in {run_dir}"


def _parts(rel: str) -> list[str]:
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or any(p in ("", ".", "..") for p in parts):
        raise RunStoreError(f"The path {rel!r} leaves the run folder; framing reads only files inside a run.")
    return list(parts)


def _refuse_link(run_dir: Path, rel: str) -> RunStoreError:
    return RunStoreError(
        f"{_where(run_dir, rel)} is a symbolic link; framing does not follow links in a run folder (it may point "
        "at files outside it). Replace the link by the file framing wrote, or use the run as it was written.")


def _refuse_special(run_dir: Path, rel: str, kind: str) -> RunStoreError:
    return RunStoreError(f"{_where(run_dir, rel)} is {kind}, not a regular file; a run folder holds only files "
                         "framing wrote. Remove it, or use the run as it was written.")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _unlinked_mode(run_dir: Path, rel: str, path: Path) -> int:
    """``lstat`` mode of ``path`` (``run_dir/rel``); a symbolic link is a RunStoreError naming it."""
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode):
        raise _refuse_link(run_dir, rel)
    return mode


def check_folder(run_dir: str | Path, rel: str) -> Path:
    """``run_dir / rel`` after checking that it and every folder on the way is a real folder, not a link.

    ``run_dir`` itself is the folder the user named and may be a link.
    Raises :class:`RunStoreError` for a link or a file on the way, or a missing folder.
    """
    run_dir = Path(run_dir)
    here = run_dir
    for i, part in enumerate(_parts(rel)):
        here = here / part
        sub = "/".join(_parts(rel)[:i + 1])
        try:
            mode = _unlinked_mode(run_dir, sub, here)
        except FileNotFoundError:
            raise RunStoreError(f"{run_dir} has no {sub}/ folder; give a folder written by `framing analyze`.") from None
        if not stat.S_ISDIR(mode):
            raise RunStoreError(f"{_where(run_dir, sub)} is not a folder; give a folder written by `framing analyze`.")
    return here


def open_file(run_dir: str | Path, rel: str, limit: int | None = None) -> io.BufferedReader:
    """Open ``run_dir / rel`` for reading: a regular file inside the run, reached without links.

    Parameters
    ----------
    run_dir : str or Path
    rel : str
        A relative path with ``/`` separators (``tables/topics.parquet``).
    limit : int, optional
        The largest size accepted, in bytes.

    Returns
    -------
    A binary file object; the caller closes it.
    """
    run_dir = Path(run_dir)
    parts = _parts(rel)
    if len(parts) > 1:
        check_folder(run_dir, "/".join(parts[:-1]))
    path = run_dir.joinpath(*parts)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        mode = _unlinked_mode(run_dir, rel, path)
    except FileNotFoundError:
        raise RunStoreError(f"{run_dir} has no {rel}; give a folder written by `framing analyze`.") from None
    if not stat.S_ISREG(mode):  # checked before opening: opening a FIFO or a device can block or have effects
        raise _refuse_special(run_dir, rel, _kind(mode))
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # replaced by a link since the check
            raise _refuse_link(run_dir, rel) from None
        raise RunStoreError(f"Cannot read {_where(run_dir, rel)}: {exc.strerror}.") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise _refuse_special(run_dir, rel, _kind(info.st_mode))
    if limit is not None and info.st_size > limit:
        os.close(fd)
        raise RunStoreError(f"{_where(run_dir, rel)} is {info.st_size:,} bytes, more than the {limit:,} framing "
                            "accepts for it; it is not a file framing wrote. Use the run as it was written.")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_bytes(run_dir: str | Path, rel: str, limit: int) -> bytes:
    """The content of a regular file inside the run (see :func:`open_file`), at most ``limit`` bytes."""
    with open_file(run_dir, rel, limit) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise RunStoreError(f"{_where(run_dir, rel)} grew past {limit:,} bytes while it was read.")
    return data


def read_json(run_dir: str | Path, rel: str, limit: int = MAX_JSON_BYTES) -> Any:
    """Parse a JSON file inside the run; an empty, truncated or too deeply nested file is a RunStoreError."""
    data = read_bytes(run_dir, rel, limit)
    hint = "the run may have been interrupted or damaged; run the analysis again, or ask for the run again."
    if not data.strip():
        raise RunStoreError(f"{_where(run_dir, rel)} is empty: {hint}")
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RunStoreError(f"{_where(run_dir, rel)} is not UTF-8 text (byte {exc.start}): {hint}") from None
    except json.JSONDecodeError as exc:
        raise RunStoreError(f"{_where(run_dir, rel)} is not valid JSON (line {exc.lineno}, column {exc.colno}): "
                            f"{hint}") from None
    except RecursionError:
        raise RunStoreError(f"{_where(run_dir, rel)} nests its JSON too deeply to be a file framing wrote: {hint}") from None


def read_tables(run_dir: str | Path, names: list[str] | None = None) -> dict:
    """The tables of a run (all, or those named), each opened as :func:`open_file` does.

    A table that is a link, a device or not Parquet is a RunStoreError naming it.
    """
    import pandas as pd

    run_dir = Path(run_dir)
    present = table_names(run_dir)
    if names is not None:
        missing = [n for n in names if n not in present]
        if missing:
            raise RunStoreError(f"Run folder {run_dir} has no table(s) {', '.join(missing)}; it has: "
                                f"{', '.join(present) or 'none'}.")
    out = {}
    for name in names if names is not None else present:
        rel = table_file(name)
        with open_file(run_dir, rel) as fh:
            try:
                out[name] = pd.read_parquet(fh)
            except Exception as exc:  # pyarrow raises several kinds for a damaged file
                raise RunStoreError(f"{_where(run_dir, rel)} is not a readable Parquet table ({exc}); the run may "
                                    "be damaged: run the analysis again.") from None
    return out


def table_names(run_dir: str | Path) -> list[str]:
    """The tables in ``RUN/tables/``, after checking that none is a link, a device or a pipe (a RunStoreError)."""
    run_dir = Path(run_dir)
    names = []
    for entry in sorted(check_folder(run_dir, TABLES_DIR).iterdir()):
        name = table_name(entry.name)
        if name is None:
            continue
        mode = _unlinked_mode(run_dir, table_file(name), entry)
        if not stat.S_ISREG(mode):
            raise _refuse_special(run_dir, table_file(name), _kind(mode))
        names.append(name)
    return names


def topic_model_files(run_dir: str | Path, folder: str = MODEL_DIR) -> list[str]:
    """The files of ``RUN/topic_model/`` framing reads and copies, after checking every entry there.

    Refused with a RunStoreError naming the entry: a link (to a file or a folder), a device,
    pipe or socket, and a pickle or torch file (``.bin``, ``.pkl``, ...: loading one can run code).
    Other regular files and real sub-folders are not framing's: they are neither read nor copied.
    """
    run_dir = Path(run_dir)
    found = []
    for entry in sorted(check_folder(run_dir, folder).iterdir()):
        rel = f"{folder}/{entry.name}"
        mode = _unlinked_mode(run_dir, rel, entry)
        if entry.name.lower().endswith(PICKLE_SUFFIXES):
            raise RunStoreError(
                f"{_where(run_dir, rel)} is a pickle or torch file; loading one can run any code, so framing never "
                "does. A topic model framing wrote holds topic_embeddings.safetensors instead: use the run as it was "
                "written, or rerun the analysis.")
        if stat.S_ISDIR(mode):
            continue
        if not stat.S_ISREG(mode):
            raise _refuse_special(run_dir, rel, _kind(mode))
        if entry.name in MODEL_FILES:
            found.append(entry.name)
    return found


def check_topic_model(run_dir: str | Path, folder: str = MODEL_DIR) -> list[str]:
    """:func:`topic_model_files`, each JSON file parsed and the embeddings read: a damaged model fails here.

    Returns the names of the files present (``framing.json`` and ``topic_embeddings.safetensors`` always).
    """
    names = topic_model_files(run_dir, folder)
    for needed in ("framing.json", EMBEDDINGS_FILE):
        if needed not in names:
            raise RunStoreError(f"{run_dir}/{folder} has no {needed}: the topic model is incomplete. Rerun the "
                                "analysis (`framing rerun`) to write it again.")
    for name in names:
        if name.endswith(".json"):
            read_json(run_dir, f"{folder}/{name}")
    read_topic_embeddings(run_dir, folder)
    return names


def read_topic_embeddings(run_dir: str | Path, folder: str = MODEL_DIR) -> np.ndarray:
    """The topic embeddings of ``RUN/topic_model/`` (one row per topic of ``framing.json``'s ``row_topics``).

    >>> import tempfile
    >>> from framing.runfolder.received import write_safetensors
    >>> d = Path(tempfile.mkdtemp()); (d / "topic_model").mkdir()
    >>> write_safetensors(d / "topic_model" / EMBEDDINGS_FILE, {"topic_embeddings": np.eye(2, 3, dtype=np.float32)})
    >>> read_topic_embeddings(d).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """
    return read_safetensors(run_dir, f"{folder}/{EMBEDDINGS_FILE}", "topic_embeddings")


def copy_topic_model(run_dir: str | Path, dest: str | Path, names: list[str] | None = None,
                     replace: dict[str, bytes] | None = None, folder: str = MODEL_DIR) -> list[str]:
    """Copy the checked files of ``RUN/topic_model/`` into the new folder ``dest``; nothing else.

    Each file is read through :func:`open_file` (no link followed) and written as a new file
    (``replace`` gives new content for some names, e.g. an updated ``framing.json``). A failed
    write (a full disk) is a RunStoreError; the caller writes into a staged run folder, so such a
    failure leaves no run behind.

    Returns the names written.
    """
    names = check_topic_model(run_dir, folder) if names is None else names
    replace = replace or {}
    dest = Path(dest)
    written = []
    try:
        dest.mkdir(parents=True, exist_ok=False)
        for name in names:
            with open(dest / name, "xb") as out:
                if name in replace:
                    out.write(replace[name])
                else:
                    with open_file(run_dir, f"{folder}/{name}", MAX_TENSOR_BYTES) as src:
                        shutil.copyfileobj(src, out)
            written.append(name)
    except OSError as exc:
        raise RunStoreError(f"Cannot write the topic model into {dest}: {exc.strerror or exc}. Free some space or "
                            "choose another --out; no run was written.") from exc
    return written
