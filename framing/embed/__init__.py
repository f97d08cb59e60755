"""Sentence embeddings: the Embedder protocol, backends by name, automatic choice, the on-disk cache.

Examples
--------
>>> from framing.embed import get_embedder, embed_texts
>>> vecs, stats = embed_texts(["US troops left.", "De VS vertrokken."], get_embedder("hashing"))
>>> vecs.shape, stats.misses
((2, 256), 2)
"""

from .auto import choose_model, resolve_model
from .base import Embedder, l2_normalize, normalize_text
from .cache import EmbeddingCache, cache_from_config, default_cache_dir, text_key
from .texts import CacheStats, embed_texts
from .hashing import HashingEmbedder
from .registry import available_embedders, get_embedder, register_embedder
from .sbert import SentenceTransformerEmbedder
from .use import UniversalSentenceEncoder

__all__ = [
    "CacheStats",
    "Embedder",
    "EmbeddingCache",
    "HashingEmbedder",
    "SentenceTransformerEmbedder",
    "UniversalSentenceEncoder",
    "available_embedders",
    "cache_from_config",
    "choose_model",
    "default_cache_dir",
    "embed_texts",
    "get_embedder",
    "l2_normalize",
    "normalize_text",
    "register_embedder",
    "resolve_model",
    "text_key",
]
