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


class SentenceCorpus:
    """Sentences added one by one around a centre, each in a document: ``corpus.arrays()`` gives
    (texts, float32 embeddings, doc ids)."""

    def __init__(self, rng_seed: int, dim: int = 16):
        self.rng, self.dim = np.random.default_rng(rng_seed), dim
        self.texts, self.rows, self.docs = [], [], []

    def axis(self, i: int, length: float = 8.0) -> np.ndarray:
        """A centre on axis ``i``."""
        out = np.zeros(self.dim)
        out[i] = length
        return out

    def add(self, text: str, center: np.ndarray, doc: str, spread: float) -> None:
        self.texts.append(text)
        self.rows.append(center + self.rng.normal(scale=spread, size=self.dim))
        self.docs.append(doc)

    def arrays(self):
        return self.texts, np.asarray(self.rows, dtype=np.float32), self.docs
