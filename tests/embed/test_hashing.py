"""The hashing embedder: deterministic and similarity-preserving."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from framing.embed import HashingEmbedder


def test_similar_texts_are_closer_than_unrelated_ones():
    v = HashingEmbedder().encode(
        ["US troops withdraw from Syria", "US troops withdrew from Syria", "A recipe for apple pancakes"]
    )
    assert v[0] @ v[1] > 0.6
    assert v[0] @ v[2] < 0.3


def test_same_vectors_in_another_process():
    """No salted hash(): a fresh interpreter gives identical vectors."""
    code = (
        "from framing.embed import HashingEmbedder; "
        "print(HashingEmbedder(64).encode(['hello world'])[0].tobytes().hex())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert bytes.fromhex(out) == HashingEmbedder(64).encode(["hello world"])[0].tobytes()


def test_empty_and_punctuation_texts_get_unit_vectors():
    v = HashingEmbedder().encode(["", "...", "!!"])
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-6)
    assert not np.allclose(v[1], v[2])


def test_name_carries_the_dimension():
    assert HashingEmbedder(dim=64).name == "hashing-64-v1"
    assert HashingEmbedder(dim=64).encode(["x"]).shape == (1, 64)
