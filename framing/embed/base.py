"""The ``Embedder`` protocol and helpers every backend shares.

An embedder is the whole contract between the pipeline and a model: a
``name`` (its identity in the cache: the model plus a hash of its weights or
its package version), a ``dim``, and ``encode(texts)`` returning a float32
array of shape ``(n, dim)`` with rows in input order and unit length.

Examples
--------
>>> from framing.embed import get_embedder
>>> emb = get_embedder("hashing")
>>> emb.encode(["The US left the base.", "De VS vertrokken."]).shape
(2, 256)
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from ..errors import EmbeddingError

_WS = re.compile(r"\s+")


@runtime_checkable
class Embedder(Protocol):
    """What the pipeline needs from a sentence embedding backend.

    Attributes
    ----------
    name : str
        Identity used in cache keys; changes when the weights or version change.
    dim : int
        Length of each vector.
    """

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``: float32 array of shape (len(texts), dim), unit rows, input order."""
        ...


def normalize_text(text: str) -> str:
    """The text that is embedded and hashed: NFC, whitespace collapsed, stripped.

    >>> normalize_text("  De\\u00a0VS   vertrokken.\\n")
    'De VS vertrokken.'
    """
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (all-zero rows stay zero), as float32.

    Parameters
    ----------
    vectors : ndarray of shape (n, dim)

    Returns
    -------
    ndarray of shape (n, dim), float32
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def as_text_list(texts: Sequence[str], who: str) -> list[str]:
    """``texts`` as a list of str; a bare string or a non-string item is an error."""
    if isinstance(texts, str):
        raise EmbeddingError(f"{who} takes a sequence of strings, not a single string; wrap it in a list.")
    items = list(texts)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise EmbeddingError(
                f"{who}: item {i} is {type(item).__name__} ({item!r:.40}), not str; drop or fill missing texts first."
            )
    return items


def check_output(vectors: np.ndarray, n: int, dim: int, who: str) -> np.ndarray:
    """Check a backend's output against the protocol and return it as unit float32 rows."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.shape != (n, dim):
        raise EmbeddingError(f"{who} returned an array of shape {vectors.shape}; expected ({n}, {dim}).")
    if not np.isfinite(vectors).all():
        raise EmbeddingError(f"{who} returned NaN or infinite values; the model files may be damaged.")
    return l2_normalize(vectors)


class BaseEmbedder:
    """What every backend's ``encode`` shares: checked input, an empty input, output checked against the protocol.

    A backend sets ``name`` and ``dim`` and implements ``_encode(items) -> array of shape (len(items), dim)``
    for a non-empty list of str; ``encode`` returns its rows as unit float32 (:func:`check_output`).
    ``_output_name`` names the backend in an error about its output (default: its ``name``).
    """

    name: str
    dim: int

    @property
    def _output_name(self) -> str:
        return self.name

    def _encode(self, items: list[str]) -> np.ndarray:
        raise NotImplementedError

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts.

        Parameters
        ----------
        texts : sequence of str, length n

        Returns
        -------
        ndarray of shape (n, dim), float32, unit rows, input order
        """
        items = as_text_list(texts, f"{type(self).__name__}.encode")
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        return check_output(self._encode(items), len(items), self.dim, self._output_name)


_HASH_MEMO: dict[tuple[str, int, int], str] = {}


def file_sha256(path: Path) -> str:
    """sha256 of a file, remembered per (path, mtime, size) for this process."""
    real = Path(path).resolve()
    st = real.stat()
    memo_key = (str(real), st.st_mtime_ns, st.st_size)
    digest = _HASH_MEMO.get(memo_key)
    if digest is None:
        h = hashlib.sha256()
        with open(real, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        digest = h.hexdigest()
        _HASH_MEMO[memo_key] = digest
    return digest


def files_digest(root: Path, files: Sequence[Path], length: int = 16) -> str:
    """A short digest over the relative paths and contents of ``files`` under ``root``."""
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(str(Path(f).relative_to(root)).encode("utf-8") + b"\0")
        h.update(file_sha256(f).encode("ascii"))
    return h.hexdigest()[:length]
