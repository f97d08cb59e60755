"""The int8 backend (embedding.backend: int8): its own cache key, vectors close to the full model's."""

from __future__ import annotations

import numpy as np
import pytest

from framing.config import EmbeddingConfig
from framing.embed import EmbeddingCache, embed_texts, get_embedder
from framing.errors import EmbeddingError

# Three pairs of paraphrases: each sentence's nearest neighbour is its pair under both backends.
SENTENCES = [
    "US troops left the air base on Friday after twenty years.",
    "The storm flooded the harbour and cut power to thousands of homes.",
    "Parliament voted to raise the minimum wage next year.",
    "American soldiers withdrew from the airbase after two decades.",
    "Floods from the storm hit the port and left many houses without electricity.",
    "Lawmakers approved a higher minimum wage starting next year.",
]
PAIR = [3, 4, 5, 0, 1, 2]


def test_int8_is_keyed_apart_from_the_full_model_without_loading_it():
    full = get_embedder("sentence-transformers", EmbeddingConfig())
    int8 = get_embedder("sentence-transformers", EmbeddingConfig(backend="int8"))
    assert int8.name.startswith(full.name + "+int8-dynamic-torch")
    assert int8.dim == full.dim == 384
    assert int8._model is None and "backend='int8'" in repr(int8)
    by_path = get_embedder(str(full.folder), EmbeddingConfig(backend="int8"))
    assert by_path.name.split("@")[1] == int8.name.split("@")[1]


@pytest.mark.parametrize("model", ["use-multilingual", "hashing"])
def test_int8_with_a_model_it_cannot_quantise_is_an_error(model):
    with pytest.raises(EmbeddingError, match=rf"embedding.backend: int8 applies to sentence-transformers.*'{model}'"):
        get_embedder(model, EmbeddingConfig(backend="int8"))


def test_int8_on_a_gpu_device_is_an_error():
    with pytest.raises(EmbeddingError, match="CPU only"):
        get_embedder("sentence-transformers", EmbeddingConfig(backend="int8", device="cuda"))


def test_unknown_backend_is_rejected_by_the_config():
    with pytest.raises(Exception, match="backend"):
        EmbeddingConfig(backend="onnx")


@pytest.mark.slow
def test_int8_vectors_are_close_to_the_full_model_and_cached_apart(tmp_path):
    cache = EmbeddingCache(tmp_path)
    full = get_embedder("sentence-transformers", EmbeddingConfig())
    int8 = get_embedder("sentence-transformers", EmbeddingConfig(backend="int8"))
    a, sa = embed_texts(SENTENCES, full, cache)
    b, sb = embed_texts(SENTENCES, int8, cache)
    assert sa.misses == sb.misses == len(SENTENCES)  # the full model's vectors are not reused for int8
    import torch

    assert any(isinstance(m, torch.ao.nn.quantized.dynamic.Linear) for m in int8._load().modules())
    cos = (a * b).sum(axis=1)
    assert not np.allclose(a, b, atol=1e-4)  # really quantised
    assert cos.min() > 0.9, cos
    for vecs in (a, b):
        assert (np.argsort(-(vecs @ vecs.T), axis=1)[:, 1] == PAIR).all()
    again, stats = embed_texts(SENTENCES, int8, cache)
    assert stats.hits == len(SENTENCES)
    np.testing.assert_array_equal(again, b)
