"""What the on-disk caches share: their folder, signatures, file checksums, library versions, whole-folder writes.

The embedding cache (SQLite), the reductions (``.npy``), the split corpora
(:mod:`framing.corpus.ingest_cache`) and the topic fits
(:mod:`framing.topics.step_cache`) all live under ``embedding.cache_dir`` and
are all turned off by ``embedding.cache: false``.

A cache is not trusted across users. A checksum anyone can recompute only
finds damage; so every entry is also signed: an HMAC-SHA256 with a secret key
of the user's own (:func:`cache_key`: 32 random bytes made on first use, in
``<user config dir>/framing/cache.key``, mode 0600; ``$FRAMING_CACHE_KEY_FILE``
names another file). An entry whose signature does not verify -- written by
someone else, shipped inside a corpus, or damaged -- is recomputed and
overwritten with a :class:`~framing.errors.CacheWarning`, never used. A cache
folder that another user owns or that others may write to
(:func:`trusted_cache_dir`) is not used at all: the run computes everything
and writes nothing there. Nothing in a cache is ever unpickled.

Examples
--------
>>> import os, tempfile
>>> os.environ["FRAMING_CACHE_KEY_FILE"] = os.path.join(tempfile.mkdtemp(), "cache.key")
>>> mac = sign("demo", "name", b"payload")
>>> verify("demo", "name", b"payload", mac), verify("demo", "other", b"payload", mac)
(True, False)
>>> del os.environ["FRAMING_CACHE_KEY_FILE"]
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.metadata
import json
import logging
import os
import secrets
import shutil
import stat
import tempfile
import warnings
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from .errors import CacheWarning

logger = logging.getLogger(__name__)

KEY_ENV = "FRAMING_CACHE_KEY_FILE"
KEY_FILE_NAME = "cache.key"
MAC_SIZE = 32  # HMAC-SHA256


def key_file() -> Path:
    """The file holding this user's cache key: ``$FRAMING_CACHE_KEY_FILE``, else ``<user config dir>/framing/cache.key``."""
    override = os.environ.get(KEY_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("framing")) / KEY_FILE_NAME


def _current_uid() -> int | None:
    return os.geteuid() if hasattr(os, "geteuid") else None


def _not_private(st: os.stat_result, mask: int) -> str | None:
    """Why a file or folder with this stat is not this user's alone (None when it is)."""
    uid = _current_uid()
    if uid is not None and st.st_uid != uid:
        return f"it belongs to user id {st.st_uid}, not to you ({uid})"
    if uid is not None and st.st_mode & mask:
        return f"its mode {stat.filemode(st.st_mode)} lets other users {'write' if mask == 0o022 else 'read or write'} it"
    return None


def _create_key(path: Path) -> None:
    """Write a new random key to ``path`` (0600) unless one is there; safe when two runs race to create it."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cache-key-")  # mkstemp: mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32) + "\n")
        try:
            os.link(tmp, path)  # fails when another run made the key first: keep theirs
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)


@lru_cache(maxsize=8)
def _load_key(path: str) -> bytes:
    """The key in ``path``, created on first use; ``OSError`` / ``ValueError`` when it cannot be trusted."""
    p = Path(path)
    if not os.path.lexists(p):
        _create_key(p)
    st = os.lstat(p)
    if not stat.S_ISREG(st.st_mode):
        raise ValueError("it is not a regular file (a symlink or a folder)")
    reason = _not_private(st, 0o077)
    if reason:
        raise ValueError(reason)
    text = p.read_text(encoding="ascii").strip()
    key = bytes.fromhex(text)
    if len(key) < 16:
        raise ValueError("it holds fewer than 16 bytes")
    return key


def cache_key() -> bytes | None:
    """This user's secret cache key (created on first use); None, with a warning, when it cannot be used.

    The key signs every cache entry this user writes (:func:`sign`). A key file
    that is not a regular file, belongs to someone else or that others may read
    is refused: caching is off until it is fixed.
    """
    path = key_file()
    try:
        return _load_key(str(path))
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        warnings.warn(f"The cache key {path} cannot be used ({reason}); this run uses no cache. Delete the file "
                      f"(a new key is made on the next run) or set ${KEY_ENV} to a file only you can read.",
                      CacheWarning, stacklevel=2)
        return None


def sign(kind: str, name: str, payload: bytes, key: bytes | None = None) -> bytes:
    """HMAC-SHA256 of ``payload`` under this user's key, bound to the cache ``kind`` and the entry ``name``.

    Raises ``ValueError`` when there is no usable key (:func:`cache_key` has warned).
    """
    key = key if key is not None else cache_key()
    if key is None:
        raise ValueError("no usable cache key")
    head = b"framing-cache-1\0" + kind.encode("utf-8") + b"\0" + name.encode("utf-8") + b"\0"
    return hmac.digest(key, head + payload, "sha256")


def verify(kind: str, name: str, payload: bytes, mac, key: bytes | None = None) -> bool:
    """Whether ``mac`` is this user's signature of ``payload`` (constant-time compare)."""
    if not isinstance(mac, (bytes, bytearray)) or len(mac) != MAC_SIZE:
        return False
    try:
        return hmac.compare_digest(sign(kind, name, payload, key), bytes(mac))
    except ValueError:
        return False


def trusted_cache_dir(folder: Path) -> bool:
    """Whether the cache folder ``folder`` may be read and written: created (0700) when missing, else checked.

    A folder is trusted when it is this user's and no one else may write to it
    (POSIX; elsewhere only existence is checked), and this user's cache key is
    usable. Otherwise a :class:`~framing.errors.CacheWarning` says why, and the
    caller computes without the cache and writes nothing there.
    """
    folder = Path(folder).expanduser()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(folder)
    except OSError as exc:
        warnings.warn(f"The cache folder {folder} cannot be used: it cannot be written ({exc.strerror or exc}); "
                      "this run computes without it. Set embedding.cache_dir to a folder of your own.",
                      CacheWarning, stacklevel=2)
        return False
    reason = "it is not a folder" if not stat.S_ISDIR(st.st_mode) else _not_private(st, 0o022)
    if reason:
        warnings.warn(f"The cache folder {folder} is not trusted ({reason}): its entries could have been written "
                      "by someone else, so this run computes without it and writes nothing there. Use a folder only "
                      "you can write (`chmod go-w` it, or set embedding.cache_dir to another folder).",
                      CacheWarning, stacklevel=2)
        return False
    return cache_key() is not None


@lru_cache(maxsize=1)
def code_digest() -> str:
    """sha256 of framing's own source files: a changed line of code is a different key."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """``<user cache dir>/framing/embeddings`` (platformdirs): where the embedding cache lives by default."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("framing")) / "embeddings"


def cache_subdir(embedding_cfg, name: str) -> Path | None:
    """``<embedding.cache_dir>/<name>`` (the default cache folder's when unset); None when caching is off
    or the folder is not trusted (:func:`trusted_cache_dir`, with a warning).

    >>> from framing.config import EmbeddingConfig
    >>> cache_subdir(EmbeddingConfig(cache=False), "topics") is None
    True
    >>> import os, tempfile
    >>> os.environ["FRAMING_CACHE_KEY_FILE"] = os.path.join(tempfile.mkdtemp(), "cache.key")
    >>> root = tempfile.mkdtemp()
    >>> cache_subdir(EmbeddingConfig(cache_dir=root), "topics") == Path(root) / "topics"
    True
    >>> del os.environ["FRAMING_CACHE_KEY_FILE"]
    """
    if not embedding_cfg.cache:
        return None
    if embedding_cfg.cache_dir:
        root = Path(embedding_cfg.cache_dir).expanduser()
    else:
        root = default_cache_dir()
    folder = root / name
    return folder if trusted_cache_dir(root) and trusted_cache_dir(folder) else None


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
    folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
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
    """The sha256 of every file in an entry folder (but its ``entry.json``), by path relative to it.

    ``ValueError`` when the folder holds anything but regular files and folders (a symlink is never followed).
    """
    found = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink() or not (p.is_file() or p.is_dir()):
            raise ValueError(f"{p.relative_to(folder).as_posix()} is not a regular file")
        if p.is_file() and p.name != ENTRY_FILE:
            found[p.relative_to(folder).as_posix()] = sha256_file(p)
    return found


def _manifest_bytes(entry: dict) -> bytes:
    body = {k: v for k, v in entry.items() if k != "mac"}
    return json.dumps(body, sort_keys=True, default=str, separators=(",", ":")).encode("utf-8")


def write_signed_entry(tmp: Path, name: str, kind: str, entry: dict) -> None:
    """Write ``entry.json`` into the entry folder ``tmp`` (to be renamed ``name``): the sha256 of its files, signed.

    The signature (:func:`sign`) covers the whole manifest -- the checksums of
    all files included -- and the entry's ``kind`` and ``name``, so no file can
    be changed and no entry moved under another key without it failing.
    """
    entry = {**entry, "sha256": entry_checksums(tmp)}
    entry["mac"] = sign(kind, name, _manifest_bytes(entry)).hex()
    (tmp / ENTRY_FILE).write_text(json.dumps(entry, indent=1, default=str), encoding="utf-8")


def read_checked_entry(folder: Path, fmt: int, kind: str | None = None) -> dict | None:
    """An entry folder's ``entry.json`` once its signature, format and the sha256 of all its files are checked.

    None when there is no entry; ``ValueError`` (or ``OSError``, ``KeyError``) when it is damaged or not
    this user's: a signature that does not verify, another format, a file missing, added, changed or a symlink.
    ``kind`` is the cache's name (the folder's parent's name when None).
    """
    entry_file = folder / ENTRY_FILE
    if not os.path.lexists(entry_file):
        return None
    if entry_file.is_symlink() or folder.is_symlink():
        raise ValueError("the entry is a symlink")
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    if not isinstance(entry, dict):
        raise ValueError("entry.json is not a mapping")
    try:
        mac = bytes.fromhex(str(entry.get("mac", "")))
    except ValueError:
        mac = b""
    if not verify(kind or folder.parent.name, folder.name, _manifest_bytes(entry), mac):
        raise ValueError("its signature does not verify: it was not written by you, or it was changed")
    if entry.get("format") != fmt:
        raise ValueError(f"format {entry.get('format')!r}")
    found = entry_checksums(folder)
    if sorted(found) != sorted(entry["sha256"]):
        raise ValueError("files missing or added")
    for name, digest in found.items():
        if digest != entry["sha256"][name]:
            raise ValueError(f"{name} does not match its sha256")
    return entry
