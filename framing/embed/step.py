"""The embed stage: the non-fragment sentences of a corpus as vectors, through the embedding cache.

Takes plain data (the sentences table and the config) and returns plain data: :class:`Embeddings`,
keyed by sentence id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..config import Config

Say = Callable[[str], None]


@dataclass(frozen=True)
class Embeddings:
    """The embedded sentences of a corpus.

    Attributes
    ----------
    sentence_ids : ndarray of shape (n_embedded,)
        The ``sentence_id`` of each row of ``vectors``.
    rows : ndarray of shape (n_embedded,)
        Their positions in the sentences table the step was given.
    vectors : ndarray of shape (n_embedded, dim)
    info : dict
        Model, the reason it was chosen, dim and cache statistics (run.json ``embedding``).
    embedder : Embedder
        The loaded embedder (topic keywords and frames are embedded in the same space).
    """

    sentence_ids: np.ndarray
    rows: np.ndarray
    vectors: np.ndarray
    info: dict
    embedder: Any


def embed_step(sentences: pd.DataFrame, cfg: Config, say: Say, progress: bool,
               choice: tuple[str, str] | None = None) -> Embeddings:
    """Embed the non-fragment sentences.

    ``choice`` (model, reason) replaces the choice of ``embedding.model``
    (see :func:`framing.frames.step.trained_catalog_model`).

    Returns
    -------
    Embeddings
        Vectors of the non-fragment sentences, keyed by ``sentence_id``, with the embedder and run.json's record.
    """
    from . import cache_from_config, embed_texts, get_embedder, resolve_model
    from .base import encodes_alone

    rows = np.flatnonzero(~sentences.is_fragment.to_numpy(dtype=bool))
    spec, reason = choice or resolve_model(cfg.embedding.model, sentences.lang.iloc[rows].tolist(), cfg.embedding)
    say(f"Embedding model: {spec} ({reason})")
    embedder = get_embedder(spec, cfg.embedding)
    cache = cache_from_config(cfg.embedding)
    texts = sentences.text.iloc[rows].tolist()
    vectors, stats = embed_texts(texts, embedder, cache, batch_size=cfg.embedding.batch_size, progress=progress)
    share = stats.hit_rate
    say(f"Embedded {stats.total} sentences ({stats.unique} distinct): cache hits {stats.hits}, "
        f"misses {stats.misses} ({share:.0%} hits)")
    info = {"model": spec, "name": embedder.name, "dim": int(embedder.dim), "reason": reason,
            "one_by_one": encodes_alone(embedder),
            "cache": {"enabled": cache is not None, "dir": str(cache.directory) if cache else None,
                      "hits": stats.hits, "misses": stats.misses, "unique": stats.unique, "total": stats.total,
                      "hit_share": round(share, 4)}}
    return Embeddings(sentences.sentence_id.to_numpy()[rows], rows, vectors, info, embedder)


def cached_encoder(embedder, cfg: Config) -> Callable[[list[str]], np.ndarray]:
    """``encode(texts)`` through the embedding cache (topic keywords are embedded like sentences)."""
    from . import cache_from_config, embed_texts

    cache = cache_from_config(cfg.embedding)

    def encode(texts: list[str]) -> np.ndarray:
        return embed_texts(texts, embedder, cache, batch_size=cfg.embedding.batch_size)[0]

    return encode


