"""Reduced (UMAP) embeddings kept on disk, so an unchanged re-run does not run UMAP again.

A seeded UMAP is deterministic: the same embeddings, the same UMAP settings
(``n_neighbors``, ``n_components``, ``min_dist``, ``metric``, ``init``,
``random_state`` ... every parameter the estimator reports) and the same
library versions give the same coordinates. So :class:`CachedReducer` keys
each result by the sha256 of all of these together -- the embeddings' bytes
stand for the sentences and the model that made them -- and a second run
reads the coordinates instead of recomputing them. A changed sentence,
model, setting, seed or library version is a different key: a miss.

Entries live beside the embedding cache (``<embedding.cache_dir>/reductions/``,
one ``.npy`` file per key, written to a temporary name and renamed into place,
so a killed run leaves no half entry). Each file starts with a signature of
the array bytes that follow and of its key: an HMAC-SHA256 with the user's own
cache key (:mod:`framing.diskcache`), so an entry written by someone else, or
changed, fails like a damaged one. An entry whose signature, shape or values
do not match is recomputed and overwritten, with a
:class:`~framing.errors.CacheWarning`, never used; arrays are read with
``allow_pickle=False``. A cache folder that is not the user's own is not used.

Examples
--------
>>> import os, tempfile
>>> from sklearn.decomposition import PCA
>>> os.environ["FRAMING_CACHE_KEY_FILE"] = os.path.join(tempfile.mkdtemp(), "cache.key")
>>> cache = ReductionCache(tempfile.mkdtemp())
>>> x = np.random.default_rng(0).normal(size=(20, 6)).astype(np.float32)
>>> first = CachedReducer(PCA(2, random_state=0), cache).fit_transform(x)
>>> again = CachedReducer(PCA(2, random_state=0), cache)
>>> bool(np.array_equal(again.fit_transform(x), first)), again.from_cache_
(True, True)
>>> del os.environ["FRAMING_CACHE_KEY_FILE"]
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np

from ..diskcache import MAC_SIZE, cache_subdir, sign, trusted_cache_dir, verify, versions
from ..errors import CacheWarning, NotFittedError

logger = logging.getLogger(__name__)

FORMAT = 2  # 2: signed with the user's cache key
SUBDIR = "reductions"
_VERSIONED = ("umap-learn", "pynndescent", "numba", "numpy", "scikit-learn")


def _plain(value):
    """A JSON-able stand-in for an estimator parameter (objects by their type and repr)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, np.ndarray):
        return {"ndarray": hashlib.sha256(np.ascontiguousarray(value).tobytes()).hexdigest(), "shape": value.shape}
    return f"{type(value).__module__}.{type(value).__qualname__}:{value!r}"


def reduction_key(embeddings: np.ndarray, reducer) -> str:
    """The cache key: sha256 of the embeddings, the reducer's type and parameters, and library versions.

    >>> from sklearn.decomposition import PCA
    >>> x = np.ones((3, 2), np.float32)
    >>> reduction_key(x, PCA(1, random_state=0)) == reduction_key(x, PCA(1, random_state=1))
    False
    """
    x = np.ascontiguousarray(embeddings, dtype=np.float32)
    h = hashlib.sha256()
    params = reducer.get_params() if hasattr(reducer, "get_params") else {}
    head = {"format": FORMAT, "reducer": f"{type(reducer).__module__}.{type(reducer).__qualname__}",
            "params": _plain(params), "versions": versions(_VERSIONED), "shape": list(x.shape)}
    h.update(json.dumps(head, sort_keys=True).encode("utf-8"))
    h.update(x.tobytes())
    return h.hexdigest()


def default_reduction_dir() -> Path:
    """``<user cache dir>/framing/embeddings/reductions`` (beside the embedding cache)."""
    from ..embed.cache import default_cache_dir

    return default_cache_dir() / SUBDIR


def reduction_cache_from_config(cfg) -> ReductionCache | None:
    """The cache ``embedding.cache`` / ``embedding.cache_dir`` ask for: ``<cache_dir>/reductions``.

    None when caching is off, or the folder is not the user's own (with a warning).

    >>> from framing.config import EmbeddingConfig
    >>> reduction_cache_from_config(EmbeddingConfig(cache=False)) is None
    True
    """
    folder = cache_subdir(cfg, SUBDIR)
    return ReductionCache(folder) if folder is not None else None


class ReductionCache:
    """Reduced embeddings on disk, one checksummed ``.npy`` file per key.

    Parameters
    ----------
    directory : Path or str, optional
        None uses :func:`default_reduction_dir`.
    """

    def __init__(self, directory: Path | str | None = None):
        self.directory = Path(directory).expanduser() if directory is not None else default_reduction_dir()
        self._trusted: bool | None = None

    def _usable(self) -> bool:
        """Whether the folder is the user's own (checked once, with a warning when not)."""
        if self._trusted is None:
            self._trusted = trusted_cache_dir(self.directory)
        return self._trusted

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.npy"

    def get(self, key: str, rows: int) -> np.ndarray | None:
        """The stored array of ``key`` with ``rows`` rows, or None (missing or damaged: removed, with a warning)."""
        path = self.path(key)
        if not path.exists() or not self._usable():
            return None
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        array = _decode(blob, rows, key)
        if array is None:
            warnings.warn(f"The cached reduction {path} is damaged or not yours (signature, shape or values); it is recomputed "
                          "and overwritten.", CacheWarning, stacklevel=3)
            path.unlink(missing_ok=True)
        return array

    def put(self, key: str, array: np.ndarray) -> bool:
        """Store ``array`` under ``key`` atomically; False (with a warning) when the folder cannot be written."""
        if not self._usable():
            return False
        buf = io.BytesIO()
        np.save(buf, np.ascontiguousarray(array, dtype=np.float32), allow_pickle=False)
        body = buf.getvalue()
        try:
            mac = sign(SUBDIR, key, body)
        except ValueError:
            return False
        try:
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".npy")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(mac + body)
                os.replace(tmp, self.path(key))
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            warnings.warn(f"The reduction cache at {self.directory} cannot be written ({exc}); UMAP runs again "
                          "next time. Set embedding.cache_dir to a writable folder.", CacheWarning, stacklevel=3)
            return False
        return True

    def __repr__(self) -> str:
        return f"ReductionCache({str(self.directory)!r})"


def _decode(blob: bytes, rows: int, key: str) -> np.ndarray | None:
    mac, body = blob[:MAC_SIZE], blob[MAC_SIZE:]
    if not verify(SUBDIR, key, body, mac):
        return None
    try:
        array = np.load(io.BytesIO(body), allow_pickle=False)
    except (ValueError, OSError, EOFError):
        return None
    if array.ndim != 2 or array.shape[0] != rows or array.dtype != np.float32 or not np.isfinite(array).all():
        return None
    return array


class CachedReducer:
    """A reducer (UMAP) whose ``fit_transform`` result is read from a :class:`ReductionCache` when it is there.

    Parameters
    ----------
    reducer : estimator
        Unfitted, with ``fit_transform`` and ``get_params`` (UMAP, PCA); used as given on a miss.
    cache : ReductionCache

    Attributes
    ----------
    embedding_ : ndarray of shape (n_samples, n_components), float32
        The reduced training data (BERTopic reads it through ``fit_transform``).
    from_cache_ : bool
        Whether ``embedding_`` came from the cache.
    key_ : str
        The cache key of the training data and settings.

    Notes
    -----
    ``transform`` of new data needs the fitted reducer; after a cache hit it is
    fitted then (same data, same seed, hence the same space as the cached one).
    """

    def __init__(self, reducer, cache: ReductionCache):
        self.reducer = reducer
        self.cache = cache

    def get_params(self, deep: bool = True) -> dict:
        return {"reducer": self.reducer, "cache": self.cache}

    def fit(self, X, y=None) -> CachedReducer:
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None) -> np.ndarray:
        x = np.ascontiguousarray(X, dtype=np.float32)
        self.key_ = reduction_key(x, self.reducer)
        cached = self.cache.get(self.key_, len(x))
        self.from_cache_ = cached is not None
        if cached is not None:
            logger.info("Reduced embeddings of %d rows read from %s", len(x), self.cache.path(self.key_))
            self._train = x
            self.fitted_ = None
            self.embedding_ = cached
            return cached
        self.fitted_ = self.reducer
        self.embedding_ = np.asarray(self.reducer.fit_transform(x), dtype=np.float32)
        self._train = None
        self.cache.put(self.key_, self.embedding_)
        return self.embedding_

    def transform(self, X) -> np.ndarray:
        if not hasattr(self, "embedding_"):
            raise NotFittedError("This CachedReducer is not fitted yet; call fit(X) first.")
        x = np.ascontiguousarray(X, dtype=np.float32)
        if x.shape == (len(self.embedding_), x.shape[1]) and reduction_key(x, self.reducer) == self.key_:
            return self.embedding_
        if self.fitted_ is None:
            self.reducer.fit(self._train)
            self.fitted_, self._train = self.reducer, None
        return np.asarray(self.fitted_.transform(x), dtype=np.float32)
