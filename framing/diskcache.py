"""What the on-disk caches share: their folder, file checksums, library versions, whole-folder writes.

The embedding cache (SQLite), the reductions (``.npy``), the split corpora
(:mod:`framing.corpus.ingest_cache`) and the topic fits
(:mod:`framing.topics.step_cache`) all live under ``embedding.cache_dir`` and
are all turned off by ``embedding.cache: false``.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def code_digest() -> str:
    """sha256 of framing's own source files: a changed line of code is a different key."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_subdir(embedding_cfg, name: str) -> Path | None:
    """``<embedding.cache_dir>/<name>`` (the default cache folder's when unset); None when caching is off.

    >>> from framing.config import EmbeddingConfig
    >>> cache_subdir(EmbeddingConfig(cache=False), "topics") is None
    True
    >>> cache_subdir(EmbeddingConfig(cache_dir="/tmp/c"), "topics").as_posix()
    '/tmp/c/topics'
    """
    if not embedding_cfg.cache:
        return None
    if embedding_cfg.cache_dir:
        return Path(embedding_cfg.cache_dir).expanduser() / name
    from .embed.cache import default_cache_dir

    return default_cache_dir() / name


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes, read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def versions(names) -> dict[str, str]:
    """Installed versions of the named distributions ("-" when missing)."""
    out = {}
    for name in names:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "-"
    return out


@contextmanager
def folder_written_whole(folder: Path):
    """Yield a temporary folder beside ``folder``; when the block ends, it replaces ``folder`` in one rename.

    A killed process leaves only a hidden temporary folder, never a half-written ``folder``.
    On an error the temporary folder is removed and the error raised.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        yield tmp
        if folder.exists():
            shutil.rmtree(folder)  # a damaged entry, or one a concurrent run just wrote: the same content
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


ENTRY_FILE = "entry.json"


def entry_checksums(folder: Path) -> dict[str, str]:
    """The sha256 of every file in an entry folder (but its ``entry.json``), by path relative to it."""
    return {p.relative_to(folder).as_posix(): sha256_file(p)
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ENTRY_FILE}


def read_checked_entry(folder: Path, fmt: int) -> dict | None:
    """An entry folder's ``entry.json`` once its format and the sha256 of all its files are checked.

    None when there is no entry; ``ValueError`` (or ``OSError``, ``KeyError``) when it is damaged:
    another format, a file missing, added or changed.
    """
    entry_file = folder / ENTRY_FILE
    if not entry_file.exists():
        return None
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    if entry.get("format") != fmt:
        raise ValueError(f"format {entry.get('format')!r}")
    found = entry_checksums(folder)
    if sorted(found) != sorted(entry["sha256"]):
        raise ValueError("files missing or added")
    for name, digest in found.items():
        if digest != entry["sha256"][name]:
            raise ValueError(f"{name} does not match its sha256")
    return entry
