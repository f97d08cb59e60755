"""What the on-disk caches share: their folder, file checksums, library versions, whole-folder writes.

The embedding cache (SQLite), the reductions (``.npy``), the split corpora
(:mod:`framing.corpus.ingest_cache`) and the topic fits
(:mod:`framing.topics.step_cache`) all live under ``embedding.cache_dir`` and
are all turned off by ``embedding.cache: false``.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


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
