"""The embed stage: the non-fragment sentences of a corpus as vectors, through the embedding cache.

Takes plain data (the sentences table and the config) and returns plain data.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from ..config import Config

Say = Callable[[str], None]


def embed_step(sentences: pd.DataFrame, cfg: Config, say: Say, progress: bool,
               choice: tuple[str, str] | None = None) -> tuple[np.ndarray, np.ndarray, dict, object]:
    """Embed the non-fragment sentences.

    ``choice`` (model, reason) replaces the choice of ``embedding.model``
    (see :func:`framing.frames.step.trained_catalog_model`).

    Returns
    -------
    embeddings : ndarray of shape (n_embedded, dim)
    rows : ndarray of shape (n_embedded,)
        Positions in ``sentences`` of the embedded rows.
    info : dict
        Model, the reason it was chosen, dim and cache statistics (for run.json).
    embedder : Embedder
        The loaded embedder (frames are matched in the same space).
    """
    from . import cache_from_config, embed_texts, get_embedder, resolve_model

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
            "cache": {"enabled": cache is not None, "dir": str(cache.directory) if cache else None,
                      "hits": stats.hits, "misses": stats.misses, "unique": stats.unique, "total": stats.total,
                      "hit_share": round(share, 4)}}
    return vectors, rows, info, embedder


def cached_encoder(embedder, cfg: Config) -> Callable[[list[str]], np.ndarray]:
    """``encode(texts)`` through the embedding cache (topic keywords are embedded like sentences)."""
    from . import cache_from_config, embed_texts

    cache = cache_from_config(cfg.embedding)

    def encode(texts: list[str]) -> np.ndarray:
        return embed_texts(texts, embedder, cache, batch_size=cfg.embedding.batch_size)[0]

    return encode


