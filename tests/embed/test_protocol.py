"""Every registered embedder against the Embedder protocol."""

from __future__ import annotations

import numpy as np
import pytest

from framing.embed import Embedder, available_embedders, get_embedder

from .conftest import unit_rows

_REAL = {"sentence-transformers", "use-multilingual"}
TEXTS = ["US troops left the base.", "De VS vertrokken uit Syrië.", "Rockets hit the embassy."]


def _param(name: str):
    return pytest.param(name, marks=pytest.mark.slow, id=name) if name in _REAL else pytest.param(name, id=name)


@pytest.fixture(scope="module", params=[_param(n) for n in available_embedders()])
def embedder(request):
    emb = get_embedder(request.param)
    emb.spec = request.param  # for the identity check below
    return emb


def test_registry_holds_the_backends_of_the_design():
    assert {"hashing", "sentence-transformers", "use-multilingual"} <= set(available_embedders())


def test_identity(embedder):
    assert isinstance(embedder, Embedder)
    assert isinstance(embedder.name, str) and embedder.name
    assert isinstance(embedder.dim, int) and embedder.dim > 0


def test_shape_dtype_and_unit_rows(embedder):
    vecs = embedder.encode(TEXTS)
    assert vecs.shape == (len(TEXTS), embedder.dim)
    assert vecs.dtype == np.float32
    assert unit_rows(vecs)


def test_rows_follow_input_order(embedder):
    forward = embedder.encode(TEXTS)
    backward = embedder.encode(TEXTS[::-1])
    np.testing.assert_allclose(backward, forward[::-1], atol=1e-5)
    single = embedder.encode([TEXTS[1]])
    np.testing.assert_allclose(single[0], forward[1], atol=1e-5)
    assert not np.allclose(forward[0], forward[1], atol=1e-3)


def test_empty_input(embedder):
    out = embedder.encode([])
    assert out.shape == (0, embedder.dim)
    assert out.dtype == np.float32


def test_deterministic(embedder):
    np.testing.assert_allclose(embedder.encode(TEXTS), embedder.encode(TEXTS), atol=1e-6)
    # The identity is stable across instances: it is what the cache keys on.
    assert get_embedder(embedder.spec).name == embedder.name


def test_a_single_string_is_refused(embedder):
    from framing.errors import EmbeddingError

    with pytest.raises(EmbeddingError, match="not a single string"):
        embedder.encode("one sentence")
