"""The embed step returns plain data keyed by sentence id: fragments are left out, rows line up with ids."""

import numpy as np
import pandas as pd

from framing.config import load_config
from framing.embed.step import Embeddings, embed_step


def test_embed_step_keys_vectors_by_sentence_id_and_skips_fragments():
    cfg = load_config(overrides=["embedding.model=hashing", "embedding.cache=false"])
    sentences = pd.DataFrame({
        "sentence_id": ["s1", "s2", "s3", "s4"],
        "text": ["Rockets hit the base.", "Ok.", "The troops are there for the oil.", "Families go hungry."],
        "lang": ["en"] * 4, "is_fragment": [False, True, False, False]})
    said = []
    out = embed_step(sentences, cfg, said.append, progress=False)
    assert isinstance(out, Embeddings)
    assert out.sentence_ids.tolist() == ["s1", "s3", "s4"] and out.rows.tolist() == [0, 2, 3]
    assert out.vectors.shape == (3, out.info["dim"]) and out.vectors.dtype == np.float32
    again = out.embedder.encode([sentences.text[2]])
    np.testing.assert_allclose(out.vectors[1], again[0], rtol=1e-6)  # row i is the sentence of sentence_ids[i]
    assert out.info["model"] == "hashing" and out.info["cache"]["enabled"] is False
    assert any("Embedding model: hashing" in m for m in said)
