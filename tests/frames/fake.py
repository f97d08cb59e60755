"""A fixed-vector fake embedder for frame tests: words map to shared EN/NL concept axes."""

from __future__ import annotations

import re
import zlib

import numpy as np

CONCEPTS = {
    "oil": ["oil", "olie", "gas"],
    "us": ["us", "vs", "american", "americans", "amerikanen", "amerikaanse", "united", "states"],
    "withdraw": ["withdraw", "withdrawal", "retreat", "terugtrekking", "aftocht"],
    "defeat": ["defeat", "failed", "nederlaag", "mislukte", "humiliating"],
    "media": ["media", "press", "pers"],
    "lies": ["lies", "leugens", "propaganda"],
    "price": ["prices", "fell", "prijzen"],
    "weather": ["rain", "regenen", "tomorrow", "morgen"],
    "football": ["football", "voetbal", "match", "wedstrijd", "draw", "gelijk"],
}
WORD_AXIS = {w: i for i, words in enumerate(CONCEPTS.values()) for w in words}
N_HASH = 8
DIM = len(CONCEPTS) + N_HASH


class FakeEmbedder:
    """Deterministic bag-of-concepts vectors; unknown words land on a few hashed axes (weight 0.3)."""

    name = "fake-frames"
    dim = DIM

    def __init__(self):
        self.calls = 0

    def encode(self, texts):
        self.calls += 1
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                if word in WORD_AXIS:
                    out[i, WORD_AXIS[word]] += 1.0
                else:
                    out[i, len(CONCEPTS) + zlib.crc32(word.encode()) % N_HASH] += 0.3
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)


def nested_catalog(data_dir, tmp_path):
    """The tiny catalog with oil and defeat as sub-narratives of a narrative ``us-bad`` (no anchors of its own)."""
    text = (data_dir / "tiny-catalog.yaml").read_text()
    text = text.replace("label: The US is there for the oil", "label: The US is there for the oil\n    parent: us-bad")
    text = text.replace("label: Withdrawal is a defeat", "label: Withdrawal is a defeat\n    parent: us-bad")
    text += "  - id: us-bad\n    label: US narrative\n    description: oil and defeat\n"
    path = tmp_path / "nested.yaml"
    path.write_text(text)
    return path
