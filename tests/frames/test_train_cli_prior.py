"""``framing frames train`` and ``evaluate --cv``: --no-prior, and the catalog's anchors embedded through the embedding cache."""

import shutil

import pytest
import typer
from typer.testing import CliRunner

from framing.embed import registry
from framing.embed.cache import EmbeddingCache
from framing.frames import prior as prior_module
from framing.frames.cli import evaluate_command, frames_app
from framing.frames.train import load_trained

from .fake import FakeEmbedder


@pytest.fixture
def catalog_path(tmp_path, data_dir, monkeypatch):
    monkeypatch.setitem(registry._REGISTRY, "fake-frames", lambda cfg: FakeEmbedder())
    path = tmp_path / "tiny.yaml"
    shutil.copy(data_dir / "tiny-catalog.yaml", path)
    return path


def _train(path, data_dir, *extra):
    return CliRunner().invoke(frames_app, ["train", str(path), "--labels", str(data_dir / "coded-docs.jsonl"),
                                           "--model", "fake-frames", "--level", "document", *extra])


def test_frames_train_no_prior_learns_without_the_catalogs_anchors(catalog_path, data_dir):
    res = _train(catalog_path, data_dir, "--no-prior", "--set", "embedding.cache=false")
    assert res.exit_code == 0, res.output
    model = load_trained(catalog_path.with_name("tiny.trained.json")).classifier
    assert model.prior_frames_ == [] and len(model.anchors_) == 0 and model.prior_fingerprint_ == ""
    res = _train(catalog_path, data_dir, "--set", "embedding.cache=false")
    assert res.exit_code == 0, res.output
    assert load_trained(catalog_path.with_name("tiny.trained.json")).classifier.prior_frames_


@pytest.fixture
def seen_caches(monkeypatch):
    seen = []
    real = prior_module.anchor_prior

    def spy(catalog, embedder, cache=None):
        seen.append(cache)
        return real(catalog, embedder, cache)

    monkeypatch.setattr(prior_module, "anchor_prior", spy)
    return seen


def test_frames_train_embeds_the_anchors_through_the_embedding_cache(catalog_path, data_dir, tmp_path, seen_caches):
    seen = seen_caches
    res = _train(catalog_path, data_dir, "--set", f"embedding.cache_dir={tmp_path / 'cache'}")
    assert res.exit_code == 0, res.output
    assert len(seen) == 1 and isinstance(seen[0], EmbeddingCache)


def test_evaluate_cv_embeds_the_anchors_through_the_embedding_cache(catalog_path, data_dir, tmp_path, seen_caches):
    app = typer.Typer()
    app.command()(evaluate_command)
    res = CliRunner().invoke(app, ["--frames", str(catalog_path), "--labels", str(data_dir / "coded-docs.jsonl"),
                                   "--model", "fake-frames", "--level", "document", "--cv", "3",
                                   "--set", f"embedding.cache_dir={tmp_path / 'cache'}"])
    assert res.exit_code == 0, res.output
    assert "3-fold cross-validation" in res.output
    assert len(seen_caches) == 1 and isinstance(seen_caches[0], EmbeddingCache)
