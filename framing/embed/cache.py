"""The on-disk embedding cache, which :func:`framing.embed.texts.embed_texts` reads and fills.

Vectors are stored in one SQLite file per cache directory, keyed by the
embedder's ``name`` (model plus a hash of its weights or version) and the
sha256 of the normalised sentence text (NFC, whitespace collapsed). So a
second run, a changed config, or a corpus that grew by one source embeds
only the sentences it has not seen, and identical sentences are embedded
once.

Why SQLite: it is in the standard library, every write is a transaction
(a run killed mid-write leaves no half entry: the journal rolls it back on
the next open), WAL mode lets one process read while another writes, and a
busy timeout makes two runs sharing a directory wait for each other instead
of failing. Each row carries a signature of its model, key and vector: an
HMAC-SHA256 with the user's own cache key (:mod:`framing.diskcache`), so a
row someone else wrote is rejected like a damaged one. A row whose signature
does not verify (written by another user or shipped with a corpus, a damaged
page, a bit flip, an edit), whose vector has the wrong length or holds NaN is
a miss (recomputed, overwritten, with a ``CacheWarning``), never used; a
database file that SQLite reports as corrupt or not a database is moved aside
and rebuilt. A cache folder that is not the user's own, or that others may
write to, is not used at all. (Rows of earlier formats -- table ``vectors``
without a checksum, table ``embeddings`` with an unkeyed blake2b checksum --
are not read.)

Examples
--------
>>> import os, tempfile
>>> from framing.embed import HashingEmbedder, embed_texts
>>> os.environ["FRAMING_CACHE_KEY_FILE"] = os.path.join(tempfile.mkdtemp(), "cache.key")  # else: the user's own
>>> cache = EmbeddingCache(tempfile.mkdtemp())
>>> vecs, stats = embed_texts(["a b", "a  b", "c"], HashingEmbedder(), cache)
>>> vecs.shape, stats
((3, 256), CacheStats(hits=0, misses=2, unique=2, total=3))
>>> embed_texts(["c", "d"], HashingEmbedder(), cache)[1]
CacheStats(hits=1, misses=1, unique=2, total=2)
>>> del os.environ["FRAMING_CACHE_KEY_FILE"]
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import time
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from ..config import EmbeddingConfig
from ..diskcache import MAC_SIZE, cache_key, default_cache_dir, sign, trusted_cache_dir, verify
from ..errors import CacheWarning
from .base import normalize_text

logger = logging.getLogger(__name__)

DB_NAME = "embeddings.sqlite3"
_BUSY_TIMEOUT_S = 120.0
_OPEN_ATTEMPTS = 40
_SELECT_CHUNK = 500  # keys per SELECT ... IN (...), far below SQLite's variable limit
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_TABLE = "signed_embeddings"
_KIND = "embeddings"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {_TABLE} (
    model  TEXT NOT NULL,
    key    BLOB NOT NULL,
    vec    BLOB NOT NULL,
    digest BLOB NOT NULL,
    PRIMARY KEY (model, key)
) WITHOUT ROWID
"""


def _row_payload(key: bytes, vec: bytes) -> bytes:
    return len(key).to_bytes(8, "little") + key + len(vec).to_bytes(8, "little") + vec


def entry_digest(model: str, key: bytes, vec: bytes, secret: bytes) -> bytes:
    """The signature stored with each row: HMAC-SHA256 (32 bytes) of model, key and vector under ``secret``.

    ``secret`` is the user's cache key (:func:`framing.diskcache.cache_key`).

    >>> len(entry_digest("m", b"k", b"v", b"0" * 32))
    32
    """
    return sign(_KIND, model, _row_payload(key, vec), secret)


def text_key(text: str) -> bytes:
    """The cache key of a sentence: sha256 of its normalised text (32 bytes).

    >>> text_key("De  VS\\n") == text_key("De VS")
    True
    """
    return hashlib.sha256(normalize_text(text).encode("utf-8")).digest()


def _is_locked(exc: sqlite3.Error) -> bool:
    """A lock held by another process: transient, worth waiting for."""
    return "locked" in str(exc).lower() or "busy" in str(exc).lower()


def _is_corrupt(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _CORRUPT_CODES
    msg = str(exc).lower()
    return "malformed" in msg or "not a database" in msg


class EmbeddingCache:
    """Vectors on disk, keyed by (embedder name, text key).

    Parameters
    ----------
    directory : Path, optional
        Where the database lives; None uses :func:`default_cache_dir`.

    Examples
    --------
    >>> import tempfile
    >>> cache = EmbeddingCache(tempfile.mkdtemp())
    >>> cache.put("m", [(text_key("hi"), np.ones(4, np.float32) / 2)])
    1
    >>> cache.get("m", [text_key(" hi ")], dim=4)[text_key("hi")]
    array([0.5, 0.5, 0.5, 0.5], dtype=float32)
    """

    def __init__(self, directory: Path | str | None = None):
        self.directory = Path(directory).expanduser() if directory is not None else default_cache_dir()
        self._conn: sqlite3.Connection | None = None
        self._disabled = False
        self._key: bytes | None = None

    @property
    def path(self) -> Path:
        """The database file."""
        return self.directory / DB_NAME

    # -- connection ------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        self.directory.mkdir(parents=True, exist_ok=True)
        # Calls are serial; check_same_thread=False only lets a run hand the cache to a worker thread.
        conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(_SCHEMA)
            conn.execute(f"SELECT 1 FROM {_TABLE} LIMIT 1").fetchall()
        except BaseException:
            conn.close()
            raise
        return conn

    def _open_retrying(self) -> sqlite3.Connection:
        # Switching a new database to WAL needs an exclusive lock that SQLite's busy
        # timeout does not wait for: when two runs create the cache at the same moment,
        # one sees "database is locked" at once. Wait and try again instead of giving up.
        for attempt in range(_OPEN_ATTEMPTS):
            try:
                return self._open()
            except sqlite3.OperationalError as exc:
                if not _is_locked(exc) or attempt == _OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _connection(self) -> sqlite3.Connection | None:
        if self._conn is not None or self._disabled:
            return self._conn
        # Another user's folder, or one others may write, is not read or written (diskcache warned why).
        self._key = cache_key() if trusted_cache_dir(self.directory) else None
        if self._key is None:
            self._disabled = True
            return None
        try:
            self._conn = self._open_retrying()
        except sqlite3.DatabaseError as exc:
            if not _is_corrupt(exc):
                return self._disable(exc)
            self._quarantine(exc)
            try:
                self._conn = self._open_retrying()
            except sqlite3.Error as exc2:
                return self._disable(exc2)
        except OSError as exc:
            return self._disable(exc)
        return self._conn

    def _disable(self, exc: Exception) -> None:
        self._disabled = True
        warnings.warn(
            f"The embedding cache at {self.path} cannot be used ({exc}); embeddings are computed without it. "
            "Set embedding.cache_dir to a writable folder.",
            CacheWarning,
            stacklevel=4,
        )
        return None

    def _quarantine(self, exc: Exception) -> None:
        """Move a corrupt database (and its WAL files) aside so a fresh one can be built."""
        self.close()
        stamp = f"corrupt-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(self.path) + suffix)
            if src.exists():
                try:
                    src.replace(Path(f"{self.path}.{stamp}{suffix}"))
                except OSError:
                    src.unlink(missing_ok=True)
        warnings.warn(
            f"The embedding cache {self.path} was corrupt ({exc}); it was moved to {self.path}.{stamp} "
            "and a new cache is being built. Affected sentences are embedded again.",
            CacheWarning,
            stacklevel=4,
        )

    def close(self) -> None:
        """Close the database connection (reopened on next use)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> EmbeddingCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __getstate__(self) -> dict:
        # A connection cannot cross processes; each process opens its own.
        return {"directory": self.directory, "_conn": None, "_disabled": self._disabled, "_key": None}

    # -- reading and writing ---------------------------------------------
    def get(self, model: str, keys: Sequence[bytes], dim: int) -> dict[bytes, np.ndarray]:
        """Cached vectors of ``keys`` for ``model``; unreadable rows are left out.

        Returns
        -------
        dict mapping key to ndarray of shape (dim,), float32
        """
        conn = self._connection()
        if conn is None or not keys:
            return {}
        try:
            rows = self._select(conn, model, list(keys))
        except sqlite3.DatabaseError as exc:
            self._on_error(exc)
            return {}
        found, bad = {}, 0
        for key, blob, digest in rows:
            vec = _checked_vector(model, key, blob, digest, dim, self._key)
            if vec is None:
                bad += 1
                continue
            found[bytes(key)] = vec
        if bad:
            warnings.warn(
                f"{bad} cached embedding(s) of {model} in {self.path} were damaged or not yours (signature mismatch, "
                "wrong length or not finite); they are recomputed and overwritten.",
                CacheWarning,
                stacklevel=2,
            )
        return found

    @staticmethod
    def _select(conn: sqlite3.Connection, model: str, keys: list[bytes]) -> list[tuple[bytes, bytes, bytes]]:
        rows: list[tuple[bytes, bytes, bytes]] = []
        for start in range(0, len(keys), _SELECT_CHUNK):
            chunk = keys[start : start + _SELECT_CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT key, vec, digest FROM {_TABLE} WHERE model = ? AND key IN ({marks})"
            rows.extend(conn.execute(sql, [model, *chunk]).fetchall())
        return rows

    def put(self, model: str, items: Iterable[tuple[bytes, np.ndarray]]) -> int:
        """Store vectors for ``model`` in one transaction: all of them or none.

        Returns
        -------
        int
            Rows written (0 when the cache is unusable).
        """
        conn = self._connection()
        if conn is None:
            return 0
        try:
            return self._write(conn, model, items, self._key)
        except sqlite3.DatabaseError as exc:
            self._on_error(exc)
            return 0

    def _on_error(self, exc: sqlite3.DatabaseError) -> None:
        """A corrupt file is rebuilt; any other failure (disk full, locked too long) ends caching for this run."""
        if _is_corrupt(exc):
            self._quarantine(exc)
        else:
            self.close()
            self._disable(exc)

    @staticmethod
    def _write(conn: sqlite3.Connection, model: str, items: Iterable[tuple[bytes, np.ndarray]], secret: bytes) -> int:
        def row(key: bytes, vec: np.ndarray) -> tuple[str, bytes, bytes, bytes]:
            blob = np.ascontiguousarray(vec, dtype=np.float32).tobytes()
            return model, key, blob, entry_digest(model, key, blob, secret)

        rows = (row(key, vec) for key, vec in items)
        conn.execute("BEGIN IMMEDIATE")
        try:
            cur = conn.executemany(
                f"INSERT OR REPLACE INTO {_TABLE} (model, key, vec, digest) VALUES (?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return cur.rowcount

    def count(self, model: str | None = None) -> int:
        """Number of stored vectors, of one model or of all."""
        conn = self._connection()
        if conn is None:
            return 0
        if model is None:
            return conn.execute(f"SELECT COUNT(*) FROM {_TABLE}").fetchone()[0]
        return conn.execute(f"SELECT COUNT(*) FROM {_TABLE} WHERE model = ?", (model,)).fetchone()[0]

    def verify(self, model: str | None = None) -> tuple[int, int]:
        """Check every stored row (of one model or all): ``(good, damaged)``."""
        conn = self._connection()
        if conn is None:
            return 0, 0
        sql, args = f"SELECT model, key, vec, digest FROM {_TABLE}", ()
        if model is not None:
            sql, args = sql + " WHERE model = ?", (model,)
        good = damaged = 0
        for m, key, blob, digest in conn.execute(sql, args):
            ok = isinstance(blob, bytes) and len(blob) % 4 == 0 and \
                _checked_vector(m, key, blob, digest, len(blob) // 4, self._key) is not None
            good, damaged = good + ok, damaged + (not ok)
        return good, damaged

    def models(self) -> list[str]:
        """The embedder names that have vectors in this cache."""
        conn = self._connection()
        if conn is None:
            return []
        return [r[0] for r in conn.execute(f"SELECT DISTINCT model FROM {_TABLE} ORDER BY model")]

    def __repr__(self) -> str:
        return f"EmbeddingCache({str(self.directory)!r})"


def _checked_vector(model: str, key, blob, digest, dim: int, secret: bytes | None) -> np.ndarray | None:
    """The row's vector, or None when its signature, length or values show it is damaged or not the user's."""
    if not isinstance(blob, bytes) or len(blob) != 4 * dim or not isinstance(digest, bytes) or secret is None:
        return None
    if len(digest) != MAC_SIZE or not isinstance(key, bytes) or \
            not verify(_KIND, model, _row_payload(key, blob), digest, secret):
        return None
    vec = np.frombuffer(blob, dtype=np.float32)
    return vec if np.isfinite(vec).all() else None


def cache_from_config(cfg: EmbeddingConfig) -> EmbeddingCache | None:
    """The cache ``embedding.cache`` / ``embedding.cache_dir`` ask for (None when caching is off).

    >>> cache_from_config(EmbeddingConfig(cache=False)) is None
    True
    """
    if not cfg.cache:
        return None
    return EmbeddingCache(Path(cfg.cache_dir) if cfg.cache_dir else None)
