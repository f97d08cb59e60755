"""Three well-separated synthetic stories fitted with several UMAP layouts (shared by the layout tests)."""

from __future__ import annotations

import numpy as np

from framing.config import TopicsConfig
from framing.topics import TopicModeler

WORDS = ["rocket attack base", "vaccine dose trial", "election vote ballot"]


def three_stories(rng_seed: int):
    """Embeddings (60 x 16, three blobs of 20) and their texts."""
    rng = np.random.default_rng(rng_seed)
    centers = np.eye(3, 16) * 10
    emb = np.vstack([c + rng.normal(size=(20, 16)) for c in centers]).astype(np.float32)
    texts = [f"the {WORDS[i // 20]} news {i}" for i in range(60)]
    return emb, texts


def fit_with_layouts(rng_seed: int, layouts: int = 2):
    """A TopicModeler fitted on :func:`three_stories` with ``layouts`` small UMAP layouts; (model, emb, texts)."""
    emb, texts = three_stories(rng_seed)
    cfg = TopicsConfig(reducer="umap", layouts=layouts, n_epochs=50, min_cluster_size=5, n_neighbors=10)
    tm = TopicModeler(cfg, seed=3).fit(texts, emb, ["en"] * 60, [f"s{i}" for i in range(60)])
    return tm, emb, texts
