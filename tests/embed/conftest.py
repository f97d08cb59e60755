"""Shared fakes for the embedding tests."""

from __future__ import annotations

import numpy as np
import pytest

from framing.embed import HashingEmbedder


class CountingEmbedder:
    """A hashing embedder that records every text it is asked to encode."""

    def __init__(self, dim: int = 32, name: str | None = None):
        self._inner = HashingEmbedder(dim=dim)
        self.dim = dim
        self.name = name or self._inner.name
        self.calls: list[list[str]] = []

    @property
    def encoded(self) -> list[str]:
        return [t for call in self.calls for t in call]

    def encode(self, texts):
        self.calls.append(list(texts))
        return self._inner.encode(texts)


@pytest.fixture
def counting():
    return CountingEmbedder()


@pytest.fixture
def corpus():
    return [
        "US forces withdraw from a key base near the Syrian border.",
        "Rockets struck the area near the US embassy in Baghdad.",
        "De VS coalitie valt Syrische troepen aan.",
        "US forces withdraw from a key base near the Syrian border.",
        "  Rockets struck the area   near the US embassy in Baghdad. ",
        "A safe zone created by the US helps ISIS to hide.",
    ]


def unit_rows(x: np.ndarray) -> bool:
    return bool(np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5))
