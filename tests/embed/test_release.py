"""An embedder lets go of its loaded model between stages and loads it again when needed (framing.embed)."""

from __future__ import annotations

import numpy as np
import pytest

from framing.config import EmbeddingConfig
from framing.embed import get_embedder
from framing.memory import release_memory


@pytest.mark.parametrize("spec", ["sentence-transformers", "use-multilingual"])
def test_release_drops_the_model_and_the_next_encode_loads_it_again(spec):
    embedder = get_embedder(spec, EmbeddingConfig())  # both bundled models are dependencies of framing
    first = embedder.encode(["US troops left Syria."])
    assert embedder._model is not None
    embedder.release()
    assert embedder._model is None
    release_memory()
    np.testing.assert_allclose(embedder.encode(["US troops left Syria."]), first, atol=1e-6)
    assert embedder._model is not None
