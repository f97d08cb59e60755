"""Coded examples: reading (incl. Label Studio), training, saving, cross-validation, and the CLI."""

import json
import shutil

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from framing.config import Config
from framing.embed import registry
from framing.errors import CatalogError, FrameWarning, InputError
from framing.frames import load_catalog
from framing.frames.catalog import parse_catalog
from framing.frames.cli import evaluate_command, frames_app
from framing.frames.evaluate import bootstrap_intervals, cross_validate, evaluate_labelled
from framing.frames.labelled import prepare_labelled, read_labels, resolve_label_ids
from framing.frames.train import FrameClassifier, load_trained, load_trained_for, save_trained, train_frames

from .fake import FakeEmbedder


def test_label_studio_export(data_dir, tiny_catalog):
    labels = read_labels(data_dir / "label-studio.json", tiny_catalog)
    assert labels["text"].tolist()[0] == "The Americans only want the oil."
    assert labels["frames"].tolist()[0] == ["us-there-for-oil"]


def test_aliases_resolve_label_names():
    cat = parse_catalog({"frames": [{"id": "economic-consequences", "label": "E", "description": "d",
                                     "aliases": ["economic"], "examples": ["a", "b"]}]})
    labels = pd.DataFrame({"text": ["x"], "frames": [["economic"]]})
    assert resolve_label_ids(labels, cat) == [{"economic-consequences"}]
    with pytest.raises(InputError, match="not in the catalog: other"):
        resolve_label_ids(pd.DataFrame({"text": ["x"], "frames": [["other"]]}), cat)


def test_alias_clash_is_a_catalog_error():
    with pytest.raises(CatalogError, match="alias 'b' is already a name of frame 'b'"):
        parse_catalog({"frames": [{"id": "a", "label": "A", "description": "d", "aliases": ["b"], "examples": ["x"]},
                                  {"id": "b", "label": "B", "description": "d", "examples": ["y"]}]})


def test_documents_are_prepared_like_analyze(data_dir):
    labels = read_labels(data_dir / "coded-docs.jsonl")
    corpus = prepare_labelled(labels, "document", Config(), embedder=FakeEmbedder())
    assert corpus.level == "document" and len(corpus.items) == len(labels)
    first = corpus.sentences[corpus.sentences["item"] == 0]
    assert first["text"].tolist() == ["The Americans only want the oil.", "It will rain tomorrow."]
    assert set(corpus.sentences["lang"]) >= {"en", "nl"}  # framing's language identification
    assert corpus.item_vectors().shape == (len(labels), FakeEmbedder.dim)


def _separable(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 6))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0.5])
    return X, Y


def test_classifier_learns_and_round_trips_through_json(tmp_path):
    X, Y = _separable()
    clf = FrameClassifier(C=1.0, seed=3).fit(X, Y, ["a", "b"])
    assert (clf.predict(X) == Y).mean() > 0.9
    again = FrameClassifier.from_dict(json.loads(json.dumps(clf.to_dict())))
    np.testing.assert_allclose(again.predict_proba(X), clf.predict_proba(X))


def test_frames_without_enough_codes_are_skipped():
    X, Y = _separable()
    Y[:, 1] = False
    Y[:2, 1] = True
    clf = FrameClassifier().fit(X, Y, ["a", "b"])
    assert clf.frame_ids_ == ["a"] and "2 coded positives" in clf.skipped_["b"]


def test_train_save_and_use_in_analyze(tmp_path, data_dir):
    catalog_path = tmp_path / "tiny.yaml"
    shutil.copy(data_dir / "tiny-catalog.yaml", catalog_path)
    cat = load_catalog(catalog_path)
    labels = read_labels(data_dir / "coded-docs.jsonl")
    corpus = prepare_labelled(labels, "document", Config(), embedder=FakeEmbedder())
    trained = train_frames(cat, catalog_path, corpus, resolve_label_ids(labels, cat), seed=1)
    path = save_trained(trained)
    assert path == tmp_path / "tiny.trained.json"
    data = json.loads(path.read_text())
    assert data["embedder"] == "fake-frames" and data["level"] == "document"
    loaded = load_trained_for([catalog_path], FakeEmbedder())
    dec = loaded.predict_documents(corpus.sentences.rename(columns={"item": "_i"}), corpus.vectors)
    assert set(dec["method"]) == {"trained"} and set(dec["frame_id"]) == set(loaded.classifier.frame_ids_)
    got = dec[dec.matched].groupby("doc_id")["frame_id"].agg(set)
    first_doc = corpus.sentences["doc_id"].iloc[0]
    assert got.get(first_doc) == {"us-there-for-oil"}


def test_model_of_another_embedder_is_not_used(tmp_path, data_dir):
    catalog_path = tmp_path / "tiny.yaml"
    shutil.copy(data_dir / "tiny-catalog.yaml", catalog_path)
    X, Y = _separable()
    from framing.frames.train import TrainedFrames, trained_path

    save_trained(TrainedFrames(FrameClassifier().fit(X, Y, ["us-there-for-oil", "media-lies"]), "document",
                               "another-model", 6, trained_path(catalog_path), {}))
    with pytest.warns(FrameWarning, match="another-model"):
        assert load_trained_for([catalog_path], FakeEmbedder()) is None
    assert load_trained(trained_path(catalog_path)).embedder == "another-model"


def test_bootstrap_intervals_are_seeded_and_contain_the_estimate():
    X, Y = _separable(80)
    P = Y.copy()
    P[:10] = ~P[:10]
    a, avg_a = bootstrap_intervals(Y, P, n_boot=200, seed=5)
    b, avg_b = bootstrap_intervals(Y, P, n_boot=200, seed=5)
    np.testing.assert_array_equal(a, b)
    assert avg_a == avg_b and avg_a["micro_f1"][0] < avg_a["micro_f1"][1]


def test_catalog_and_cross_validated_evaluation(data_dir, tiny_catalog):
    labels = read_labels(data_dir / "coded-docs.jsonl")
    corpus = prepare_labelled(labels, "document", Config(), embedder=FakeEmbedder())
    gold = resolve_label_ids(labels, tiny_catalog)
    catalog = evaluate_labelled(tiny_catalog, corpus, gold, seed=1)
    assert catalog.level == "document" and catalog.micro_f1 > 0.7
    cv = cross_validate(tiny_catalog, corpus, gold, n_splits=3, seed=1)
    assert "3-fold" in cv.method and set(cv.intervals) >= {"micro_f1", "macro_f1"}
    assert cv.micro_f1 > 0.5
    assert cv.per_frame[["f1_low", "f1_high"]].notna().all().all()
    assert cross_validate(tiny_catalog, corpus, gold, n_splits=3, seed=1).per_frame.equals(cv.per_frame)


@pytest.fixture
def fake_model(monkeypatch):
    monkeypatch.setitem(registry._REGISTRY, "fake-frames", lambda cfg: FakeEmbedder())


def test_cli_train_and_evaluate_cv(tmp_path, data_dir, fake_model):
    catalog_path = tmp_path / "tiny.yaml"
    shutil.copy(data_dir / "tiny-catalog.yaml", catalog_path)
    runner = CliRunner()
    res = runner.invoke(frames_app, ["train", str(catalog_path), "--labels", str(data_dir / "coded-docs.jsonl"),
                                     "--model", "fake-frames", "--level", "document",
                                     "--set", "embedding.cache=false"])
    assert res.exit_code == 0, res.output
    assert "Trained 3 frames on 18 documents" in res.output and (tmp_path / "tiny.trained.json").exists()
    app = typer.Typer()
    app.command()(evaluate_command)
    res = runner.invoke(app, ["--frames", str(catalog_path), "--labels", str(data_dir / "coded-docs.jsonl"),
                              "--model", "fake-frames", "--level", "document", "--cv", "3",
                              "--set", "embedding.cache=false"])
    assert res.exit_code == 0, res.output
    assert "3-fold cross-validation" in res.output and "macro F1" in res.output and "95% CI" in res.output
    res = runner.invoke(app, ["--frames", str(catalog_path), "--labels", str(data_dir / "coded-docs.jsonl"),
                              "--model", "fake-frames", "--cv", "1"])
    assert res.exit_code == 2 and "at least 2 folds" in res.output
