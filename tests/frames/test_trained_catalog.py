"""A trained catalog carries its embedder; evaluate scores the trained model; the label spellings of coded corpora.

The model is trained with the fake embedder (registered as ``fake-frames``),
so ``embedding.model: auto`` must pick it for a run, and a run that names
another model must stop before reading the corpus.
"""

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from framing.cli import app
from framing.config import Config
from framing.embed import registry
from framing.errors import CatalogError
from framing.frames import load_catalog
from framing.frames.catalog import parse_catalog
from framing.frames.cli import evaluate_command
from framing.frames.evaluate import evaluate_labelled, evaluate_trained
from framing.frames.labelled import prepare_labelled, read_labels, resolve_label_ids
from framing.frames.train import (embedder_spec, load_trained, model_for_trained_catalog, save_trained,
                                  train_frames, trained_path)

from .fake import FakeEmbedder

TINY = Path(__file__).resolve().parent.parent / "data" / "tiny"
FAST = ["--set", "embedding.cache=false", "--set", "topics.reducer=pca", "--set", "topics.min_cluster_size=3",
        "--set", "topics.n_neighbors=5"]
runner = CliRunner()


@pytest.fixture
def fake_model(monkeypatch):
    monkeypatch.setitem(registry._REGISTRY, "fake-frames", lambda cfg: FakeEmbedder())


@pytest.fixture
def trained_catalog(tmp_path, data_dir, fake_model):
    """A copy of the tiny catalog with a model trained on the coded documents with the fake embedder."""
    path = tmp_path / "catalogs" / "tiny.yaml"
    path.parent.mkdir()
    shutil.copy(data_dir / "tiny-catalog.yaml", path)
    cat = load_catalog(path)
    labels = read_labels(data_dir / "coded-docs.jsonl")
    corpus = prepare_labelled(labels, "document", Config(), embedder=FakeEmbedder())
    save_trained(train_frames(cat, path, corpus, resolve_label_ids(labels, cat), seed=1,
                              labels_file="coded-docs.jsonl"))
    return path


def test_the_model_file_names_its_embedder_model(trained_catalog):
    data = json.loads(trained_path(trained_catalog).read_text())
    assert data["embedder"] == "fake-frames" and data["embedder_model"] == "fake-frames" and data["dim"] == 17
    assert embedder_spec(load_trained(trained_path(trained_catalog))) == "fake-frames"


def test_auto_chooses_the_trained_models_embedder(trained_catalog):
    spec, reason = model_for_trained_catalog("auto", [trained_catalog])
    assert spec == "fake-frames" and "tiny.trained.json" in reason
    assert model_for_trained_catalog("fake-frames", [trained_catalog]) is None  # named, and the model's own


def test_analyze_with_auto_embeds_with_the_catalogs_model(tmp_path, trained_catalog):
    out = tmp_path / "run"
    res = runner.invoke(app, ["analyze", str(TINY), "--out", str(out), "--frames", str(trained_catalog), *FAST])
    assert res.exit_code == 0, res.output
    meta = json.loads((out / "run.json").read_text())
    assert meta["embedding"]["model"] == "fake-frames" and "trained" in meta["embedding"]["reason"]
    assert meta["frames"]["trained"]["embedder"] == "fake-frames"
    docs = pd.read_parquet(out / "tables" / "document_frames.parquet")
    assert "trained" in set(docs["method"])
    assert not any("decided by the anchors" in w.get("message", "") for w in meta.get("warnings", []))


def test_analyze_with_another_named_model_stops_before_reading(tmp_path, trained_catalog, monkeypatch):
    def never(*_a, **_k):
        raise AssertionError("the corpus was read before the model was checked")

    monkeypatch.setattr("framing.jobs.analyze.ingest", never)
    out = tmp_path / "run"
    res = runner.invoke(app, ["analyze", str(TINY), "--out", str(out), "--frames", str(trained_catalog), *FAST,
                              "--set", "embedding.model=hashing"])
    assert res.exit_code != 0
    text = " ".join(res.output.split())
    assert "fitted on embeddings of 'fake-frames'" in text
    assert f"framing frames train {trained_catalog} --labels coded-docs.jsonl --level document --model hashing" in text
    assert not out.exists()


def test_apply_stops_when_the_catalogs_model_is_not_the_parent_runs(tmp_path, data_dir, trained_catalog, monkeypatch):
    catalog = tmp_path / "plain.yaml"
    shutil.copy(data_dir / "tiny-catalog.yaml", catalog)
    parent = tmp_path / "parent"
    res = runner.invoke(app, ["analyze", str(TINY), "--out", str(parent), "--frames", str(catalog), *FAST,
                              "--set", "embedding.model=hashing"])
    assert res.exit_code == 0, res.output
    # the parent's catalog gets a model of another embedder after the run
    shutil.copy(trained_path(trained_catalog), trained_path(catalog))

    def never(*_a, **_k):
        raise AssertionError("the new corpus was read before the model was checked")

    monkeypatch.setattr("framing.segment.step.ingest", never)
    res = runner.invoke(app, ["apply", str(parent), str(TINY), "--out", str(tmp_path / "child")])
    assert res.exit_code != 0
    text = " ".join(res.output.split())
    assert "fitted on embeddings of 'fake-frames'" in text and "--model hashing" in text
    assert not (tmp_path / "child").exists()


def _evaluate_app():
    app_ = typer.Typer()
    app_.command()(evaluate_command)
    return app_


def test_evaluate_scores_the_saved_model_by_default_and_both_on_request(trained_catalog, data_dir):
    labels = str(data_dir / "coded-docs.jsonl")
    args = ["--frames", str(trained_catalog), "--labels", labels, "--level", "document", "--set", "embedding.cache=false"]
    res = runner.invoke(_evaluate_app(), args)
    assert res.exit_code == 0, res.output
    assert "Embedding model: fake-frames" in res.output  # auto: the model's embedder
    assert "trained model tiny.trained.json" in res.output and ", catalog" not in res.output
    res = runner.invoke(_evaluate_app(), [*args, "--score", "both"])
    assert res.exit_code == 0, res.output
    assert "trained model tiny.trained.json" in res.output and "document level, catalog" in res.output
    res = runner.invoke(_evaluate_app(), [*args, "--score", "anchors"])
    assert res.exit_code == 0 and "trained model" not in res.output


def test_evaluate_trained_with_another_named_model_stops(trained_catalog, data_dir):
    res = runner.invoke(_evaluate_app(), ["--frames", str(trained_catalog), "--labels", str(data_dir / "coded-docs.jsonl"),
                                          "--model", "hashing", "--set", "embedding.cache=false"])
    assert res.exit_code != 0
    assert "--model hashing" in " ".join(res.output.split())
    assert "Embedding model" not in res.output  # stopped before embedding


def test_evaluate_without_a_model_says_how_to_get_one(tmp_path, data_dir):
    catalog = tmp_path / "plain.yaml"
    shutil.copy(data_dir / "tiny-catalog.yaml", catalog)
    res = runner.invoke(_evaluate_app(), ["--frames", str(catalog), "--labels", str(data_dir / "coded-docs.jsonl"),
                                          "--score", "trained", "--model", "hashing"])
    assert res.exit_code != 0 and "framing frames train" in " ".join(res.output.split())


def test_evaluate_trained_decides_the_models_frames_with_the_model(trained_catalog, data_dir):
    cat = load_catalog(trained_catalog)
    labels = read_labels(data_dir / "coded-docs.jsonl")
    gold = resolve_label_ids(labels, cat)
    corpus = prepare_labelled(labels, "document", Config(), embedder=FakeEmbedder())
    trained = load_trained(trained_path(trained_catalog))
    trained.classifier.thresholds_[:] = 0.0  # every item passes: the model, not the anchors, decided
    result = evaluate_trained(cat, corpus, gold, trained, seed=1)
    rows = result.per_frame.set_index("frame_id")
    for fid in trained.classifier.frame_ids_:
        assert rows.loc[fid, "predicted"] == len(gold) and rows.loc[fid, "method"] == "trained"
    anchors = evaluate_labelled(cat, corpus, gold, seed=1).per_frame.set_index("frame_id")
    assert (anchors.loc[trained.classifier.frame_ids_, "predicted"] < len(gold)).all()


def test_coded_corpora_spellings_name_the_catalogs_frames():
    cat = parse_catalog({"frames": [
        {"id": "legality-constitutionality-jurisprudence", "label": "L", "description": "d", "examples": ["x"]},
        {"id": "quality-of-life", "label": "Q", "description": "d", "examples": ["y"]},
        {"id": "crime", "label": "C", "description": "d", "examples": ["z"]},
        {"id": "crime-and-punishment", "label": "CP", "description": "d", "examples": ["w"]}]})
    labels = pd.DataFrame({"text": ["a", "b"], "frames": [["Legality_Constitutionality_and_jurisprudence"],
                                                         ["Quality_of_life", "Crime_and_punishment"]]})
    assert resolve_label_ids(labels, cat) == [{"legality-constitutionality-jurisprudence"},
                                              {"quality-of-life", "crime-and-punishment"}]
    with pytest.raises(Exception, match="not in the catalog: Quality"):
        resolve_label_ids(pd.DataFrame({"text": ["a"], "frames": [["Quality"]]}), cat)


def _documents(n, seed, sentences=30):
    """Frame a: one passage of a document; frame b: every sentence leans a little (a diffuse frame)."""
    rng = np.random.default_rng(seed)
    X, G, Y = [], [], []
    for i in range(n):
        local, diffuse = rng.random() < 0.4, rng.random() < 0.4
        s = rng.normal(size=(sentences, 12))
        if local:
            s[rng.integers(sentences), 0] += 4.0
        if diffuse:
            s[:, 1] += 0.5
        X.append(s)
        G += [i] * sentences
        Y.append([local, diffuse])
    return np.vstack(X), np.array(G), np.array(Y)


def _f1(P, Y):
    from framing.frames.evaluate import prf

    return [prf(int((P[:, j] & Y[:, j]).sum()), int((P[:, j] & ~Y[:, j]).sum()), int((~P[:, j] & Y[:, j]).sum()))[2]
            for j in range(Y.shape[1])]


def test_stacked_model_catches_a_diffuse_frame_that_top_k_pooling_misses():
    from framing.frames.stacked import StackedFrameClassifier
    from framing.frames.train import FrameClassifier

    X, G, Y = _documents(160, 1)
    Xt, Gt, Yt = _documents(160, 2)
    pooled = _f1(FrameClassifier(C=0.01, seed=0).fit(X, Y, ["a", "b"], groups=G).predict(Xt, Gt), Yt)
    stacked = _f1(StackedFrameClassifier(C=0.01, seed=0).fit(X, Y, ["a", "b"], groups=G).predict(Xt, Gt), Yt)
    assert stacked[1] >= 0.8 and stacked[1] > pooled[1] + 0.1
    assert stacked[0] >= pooled[0] - 0.05  # the local frame is not lost


def test_pooled_model_catches_a_local_and_a_diffuse_frame():
    from framing.frames.pooled import PooledFrameClassifier
    from framing.frames.train import FrameClassifier

    X, G, Y = _documents(160, 1)
    Xt, Gt, Yt = _documents(160, 2)
    pooled = _f1(PooledFrameClassifier(seed=0).fit(X, Y, ["a", "b"], groups=G).predict(Xt, Gt), Yt)
    topk = _f1(FrameClassifier(C=0.01, seed=0).fit(X, Y, ["a", "b"], groups=G).predict(Xt, Gt), Yt)
    assert min(pooled) >= 0.75  # measured 0.80 (local), 0.79 (diffuse)
    assert pooled[1] > topk[1] + 0.05


def test_pooled_model_is_the_default_and_round_trips_through_the_saved_file(trained_catalog, data_dir):
    from framing.frames.pooled import PooledFrameClassifier

    trained = load_trained(trained_path(trained_catalog))
    assert isinstance(trained.classifier, PooledFrameClassifier)
    labels = read_labels(data_dir / "coded-docs.jsonl")
    corpus = prepare_labelled(labels, "document", Config(), embedder=FakeEmbedder())
    cat = load_catalog(trained_catalog)
    fresh = train_frames(cat, trained_catalog, corpus, resolve_label_ids(labels, cat), seed=1).classifier
    groups = corpus.sentences["item"].to_numpy()
    np.testing.assert_allclose(trained.classifier.predict_proba(corpus.vectors, groups),
                               fresh.predict_proba(corpus.vectors, groups), atol=1e-5)


def test_news_frames_ships_a_use_model_that_the_wheel_carries():
    import fnmatch
    import re

    from framing.frames.catalog import CATALOG_DIR
    from framing.frames.pooled import PooledFrameClassifier

    catalog = CATALOG_DIR / "news-frames.yaml"
    path = trained_path(catalog)
    assert path.is_file() and path.stat().st_size < 400_000
    trained = load_trained(path)  # plain JSON, no pickle
    assert embedder_spec(trained) == "use-multilingual" and trained.dim == 512 and trained.level == "document"
    assert isinstance(trained.classifier, PooledFrameClassifier)
    assert "climate-frames" in trained.meta["labels_file"]
    assert set(trained.classifier.frame_ids_) == {f.id for f in load_catalog(catalog).matchable()}
    # it learned the catalog's anchors as prior, and they are still the bundled catalog's (no warning in a run)
    from framing.frames.prior import anchor_fingerprint

    assert trained.classifier.prior_frames_ == [f.id for f in load_catalog(catalog).matchable()]
    assert trained.classifier.prior_fingerprint_ == anchor_fingerprint(load_catalog(catalog), trained.embedder)
    setup = (Path(__file__).resolve().parents[2] / "setup.py").read_text()
    globs = re.search(r'"framing\.configs":\s*\[([^\]]*)\]', setup).group(1)
    assert any(fnmatch.fnmatch(f"frames/{path.name}", g.strip().strip('"')) for g in globs.split(","))
    spec, reason = model_for_trained_catalog("auto", [catalog])
    assert spec == "use-multilingual" and "news-frames" in reason
    with pytest.raises(CatalogError, match="--model hashing"):
        model_for_trained_catalog("hashing", [catalog])
