"""A deterministic, dependency-free embedder for tests and quick looks.

Each text becomes a bag of features (lower-cased words, word bigrams and
character 3- and 4-grams of each word), each feature is hashed with BLAKE2b
to a column and a sign, and the signed counts are L2-normalised. Texts that
share words or word pieces get similar vectors, so topics and frames found
on it are meaningful enough for tests, and the result never depends on the
process (Python's ``hash`` is salted per process; BLAKE2b is not).

Examples
--------
>>> emb = HashingEmbedder(dim=64)
>>> v = emb.encode(["US troops leave Syria", "US troops left Syria", "Recipe for pancakes"])
>>> bool(v[0] @ v[1] > v[0] @ v[2])
True
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np

from ..errors import EmbeddingError
from .base import BaseEmbedder, normalize_text

_WORD = re.compile(r"\w+", re.UNICODE)
_VERSION = "v1"
# Relative weights of the feature kinds: whole words carry most meaning,
# character n-grams make inflections (leave / left / leaving) land nearby.
_W_WORD, _W_BIGRAM, _W_CHAR = 1.0, 0.5, 0.25


@lru_cache(maxsize=200_000)
def _bucket(feature: str, dim: int) -> tuple[int, float]:
    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return (value >> 1) % dim, (1.0 if value & 1 else -1.0)


def _features(text: str) -> list[tuple[str, float]]:
    words = _WORD.findall(normalize_text(text).lower())
    if not words:
        # An empty or punctuation-only text still needs a unit vector.
        return [("e:" + text.strip(), 1.0)]
    feats = [("w:" + w, _W_WORD) for w in words]
    feats += [(f"b:{a} {b}", _W_BIGRAM) for a, b in zip(words, words[1:])]
    for w in words:
        padded = f"<{w}>"
        for n in (3, 4):
            feats += [("c:" + padded[i : i + n], _W_CHAR) for i in range(len(padded) - n + 1)]
    return feats


class HashingEmbedder(BaseEmbedder):
    """Signed feature hashing of words, word bigrams and character n-grams.

    Parameters
    ----------
    dim : int, default 256
        Length of each vector.

    Attributes
    ----------
    name : str
        ``hashing-<dim>-v1``.
    """

    #: Each row is computed from its own text only, so batches never change it (no one-by-one encoding needed).
    rows_depend_on_batch = False

    def __init__(self, dim: int = 256):
        if not isinstance(dim, int) or dim < 8:
            raise EmbeddingError(f"The 'dim' parameter of HashingEmbedder must be an int >= 8. Got {dim!r} instead.")
        self.dim = dim
        self.name = f"hashing-{dim}-{_VERSION}"

    def _encode(self, items: list[str]) -> np.ndarray:
        out = np.zeros((len(items), self.dim), dtype=np.float32)
        for row, text in enumerate(items):
            for feature, weight in _features(text):
                col, sign = _bucket(feature, self.dim)
                out[row, col] += sign * weight
        # A text whose features cancel exactly would be all zero; give it its own axis.
        zero = ~out.any(axis=1)
        for row in np.flatnonzero(zero):
            out[row, _bucket("z:" + items[row], self.dim)[0]] = 1.0
        return out

    def __repr__(self) -> str:
        return f"HashingEmbedder(dim={self.dim})"
