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
import sys
import unicodedata
from collections.abc import Sequence
from contextlib import contextmanager
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


#: Appended to an embedder's name in the embedding cache when its texts are encoded one by one.
ALONE_SUFFIX = "+alone"


def encodes_alone(embedder) -> bool:
    """True when ``embedder``'s texts must be encoded one by one for vectors that do not depend on the batch.

    That is when it was made with ``embedding.batch_independent`` (the attribute ``batch_independent``,
    set by :func:`framing.embed.get_embedder`) and its rows can depend on the other texts of a call
    (``rows_depend_on_batch``, true unless the backend says otherwise: the hashing embedder's do not).
    """
    return bool(getattr(embedder, "batch_independent", False)) and bool(getattr(embedder, "rows_depend_on_batch", True))


@contextmanager
def one_torch_thread():
    """torch on one intra-op thread inside the block (when torch is loaded), its own setting restored after.

    Yields the thread count torch had (1 without torch): a backend may run that many texts side by side.

    A transformer's vector for one text differs in the last bits with torch's thread count (1.6e-7
    for all-MiniLM-L6-v2 between 1 and 2 threads), so one thread makes it the same on every machine;
    and one text is too small a product to share between threads.
    """
    torch = sys.modules.get("torch")
    if torch is None:
        yield 1
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield before
    finally:
        torch.set_num_threads(before)


class OneByOne:
    """``inner`` with each text encoded in a call of its own: a text's vector is a function of the text alone.

    Transformer and USE backends compute a batch in one set of matrix products, so a text's vector
    differs in the last bits (up to about 3e-7) with the texts it is batched with, and UMAP and HDBSCAN
    can turn that into a different topic for a few sentences. One call per text, on one torch thread
    (:func:`one_torch_thread`), removes the dependence on the batch and on the machine's core count.
    ``name`` carries :data:`ALONE_SUFFIX`, so these vectors are cached apart from batched ones.
    Picklable when ``inner`` is (sent to Dask workers by :mod:`framing.parallel`).

    Examples
    --------
    >>> from framing.embed import HashingEmbedder
    >>> one = OneByOne(HashingEmbedder())
    >>> one.name, one.encode(["a b", "c"]).shape
    ('hashing-256-v1+alone', (2, 256))
    """

    def __init__(self, inner: Embedder):
        self.inner = inner
        self.name = f"{inner.name}{ALONE_SUFFIX}"
        self.dim = int(inner.dim)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed each text in a call of its own; float32 array of shape (len(texts), dim), unit rows."""
        items = as_text_list(texts, "OneByOne.encode")
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        who = getattr(self.inner, "_output_name", self.inner.name)
        each = getattr(self.inner, "encode_each", None)  # a backend that runs single texts side by side
        with one_torch_thread() as threads:
            if each is None:
                return np.concatenate([check_output(self.inner.encode([t]), 1, self.dim, who) for t in items])
            raw = np.asarray(each(items, threads=threads), dtype=np.float32)
        if raw.shape != (len(items), self.dim):
            raise EmbeddingError(f"{who} returned an array of shape {raw.shape}; expected ({len(items)}, {self.dim}).")
        return np.concatenate([check_output(raw[i : i + 1], 1, self.dim, who) for i in range(len(items))])

    def __repr__(self) -> str:
        return f"OneByOne({self.inner!r})"


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
