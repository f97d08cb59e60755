"""Embedding texts through the cache: :func:`embed_texts` and its :class:`CacheStats`.

Each distinct normalised text is embedded at most once; the vectors are read
from and written to the :class:`~framing.embed.cache.EmbeddingCache`, and the
batches run on the Dask workers under ``--scheduler`` (:mod:`framing.parallel`).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import EmbeddingError
from .base import Embedder, OneByOne, as_text_list, check_output, encodes_alone, normalize_text
from .cache import EmbeddingCache

logger = logging.getLogger("framing.embed.cache")  # the logger name users filter on stays the same


@dataclass(frozen=True)
class CacheStats:
    """How one :func:`embed_texts` call used the cache.

    ``total`` texts, ``unique`` distinct normalised texts, of which ``hits``
    came from the cache and ``misses`` were embedded (hits + misses == unique).
    """

    hits: int
    misses: int
    unique: int
    total: int

    @property
    def hit_rate(self) -> float:
        """Share of unique texts served from the cache (1.0 when there were none)."""
        return self.hits / self.unique if self.unique else 1.0

    def __str__(self) -> str:
        return (
            f"{self.total} sentences, {self.unique} unique: {self.hits} from cache, "
            f"{self.misses} embedded ({self.hit_rate:.0%} hits)"
        )


def _progress(total: int, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="sent", desc="Embedding", disable=not enabled or total == 0)


def _encoded_batches(embedder: Embedder, batches: list[list[str]]):
    """``(i, embedder.encode(batches[i]))`` for every batch: on the active Dask cluster (framing.parallel), else here in order."""
    from ..parallel import map_batches

    distributed = map_batches(embedder, batches)
    if distributed is not None:
        return distributed
    return ((i, embedder.encode(batch)) for i, batch in enumerate(batches))


def embed_texts(
    texts: Sequence[str],
    embedder: Embedder,
    cache: EmbeddingCache | None = None,
    batch_size: int = 64,
    progress: bool = False,
) -> tuple[np.ndarray, CacheStats]:
    """Embed texts through the cache: each distinct normalised text at most once.

    Parameters
    ----------
    texts : sequence of str, length n
    embedder : Embedder
    cache : EmbeddingCache, optional
        None embeds every distinct text (still once each) and stores nothing.
    batch_size : int, default 64
        Texts per ``embedder.encode`` call (per progress step and Dask task part when
        the embedder encodes one by one, see :class:`~framing.embed.base.OneByOne`); each
        batch is written to the cache in its own transaction, so a killed run keeps the
        finished batches.
    progress : bool, default False
        Show a progress bar.

    Returns
    -------
    vectors : ndarray of shape (n, embedder.dim), float32, rows in input order
    stats : CacheStats

    Examples
    --------
    >>> from framing.embed import HashingEmbedder
    >>> vecs, stats = embed_texts(["US troops left.", "US troops  left.", "Storm"], HashingEmbedder())
    >>> vecs.shape, stats.unique, stats.misses
    ((3, 256), 2, 2)
    """
    if batch_size < 1:
        raise EmbeddingError(f"The 'batch_size' parameter must be an int >= 1. Got {batch_size!r} instead.")
    normed = [normalize_text(t) for t in as_text_list(texts, "embed_texts")]
    keys = [hashlib.sha256(t.encode("utf-8")).digest() for t in normed]
    unique = dict(zip(keys, normed))
    if encodes_alone(embedder):
        # One call per text: its vector is the same whatever else is missing from the cache (cached apart).
        embedder = OneByOne(embedder)
    dim, name = embedder.dim, embedder.name
    vectors = cache.get(name, list(unique), dim) if cache is not None else {}
    hits = len(vectors)
    # Similar lengths in one batch waste less padding in transformer models.
    missing = sorted((k for k in unique if k not in vectors), key=lambda k: len(unique[k]), reverse=True)
    batches = [missing[start : start + batch_size] for start in range(0, len(missing), batch_size)]
    with _progress(len(missing), progress) as bar:
        for i, encoded in _encoded_batches(embedder, [[unique[k] for k in b] for b in batches]):
            batch = batches[i]
            out = check_output(encoded, len(batch), dim, name)
            vectors.update(zip(batch, out))
            if cache is not None:
                cache.put(name, zip(batch, out))
            bar.update(len(batch))
    stats = CacheStats(hits=hits, misses=len(missing), unique=len(unique), total=len(keys))
    logger.info("Embeddings with %s: %s", name, stats)
    if not keys:
        return np.zeros((0, dim), dtype=np.float32), stats
    return np.stack([vectors[k] for k in keys]).astype(np.float32, copy=False), stats
