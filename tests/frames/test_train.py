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
    res = runner.invoke(app, ["--frames", str(catalog_path), "--labels", str(data_dir / "coded-docs.jsonl"),
                              "--model", "fake-frames", "--cv", "3", "--pooling", "max"])
    assert res.exit_code == 2 and "'--pooling' option must be pooled, stacked, sentences or mean" in res.output
    res = runner.invoke(app, ["--frames", str(catalog_path), "--labels", str(data_dir / "coded-docs.jsonl"),
                              "--model", "fake-frames", "--level", "document", "--cv", "3", "--pooling", "mean",
                              "--set", "embedding.cache=false"])
    assert res.exit_code == 0 and "logistic regression on item embeddings" in res.output, res.output


def _documents_with_one_signal_sentence(n_docs=80, length=20, seed=0):
    """Documents of ``length`` noise sentences; a frame's documents carry it in one sentence only."""
    rng = np.random.default_rng(seed)
    dim = 16
    signal = np.zeros(dim)
    signal[0] = 1.0
    X, groups = [], []
    Y = np.zeros((n_docs, 1), bool)
    Y[: n_docs // 2, 0] = True
    for d in range(n_docs):
        rows = rng.normal(scale=1.0, size=(length, dim))
        if Y[d, 0]:
            rows[rng.integers(length)] += 4.0 * signal
        X.append(rows)
        groups += [d] * length
    return np.vstack(X), np.asarray(groups), Y


def test_documents_learned_from_their_sentences_find_a_frame_in_one_passage():
    X, groups, Y = _documents_with_one_signal_sentence(n_docs=200, seed=1)
    Xt, gt, Yt = _documents_with_one_signal_sentence(n_docs=200, seed=2)
    mil = FrameClassifier(C=1.0, seed=0).fit(X, Y, ["f"], groups=groups)
    assert mil.pooling_ == "sentences"
    acc_mil = (mil.predict(Xt, gt) == Yt).mean()
    means = np.stack([X[groups == d].mean(0) for d in range(len(Y))])
    means_t = np.stack([Xt[gt == d].mean(0) for d in range(len(Yt))])
    pooled = FrameClassifier(C=1.0, seed=0).fit(means, Y, ["f"])
    acc_mean = (pooled.predict(means_t) == Yt).mean()
    assert acc_mil >= 0.75 and acc_mil > acc_mean + 0.1  # measured: 0.825 against 0.67
    again = FrameClassifier.from_dict(json.loads(json.dumps(mil.to_dict())))
    assert again.pooling_ == "sentences"
    np.testing.assert_allclose(again.predict_proba(Xt, gt), mil.predict_proba(Xt, gt))


def test_groups_must_name_an_item_for_every_row():
    X, groups, Y = _documents_with_one_signal_sentence(n_docs=10)
    with pytest.raises(ValueError, match="item index below 10"):
        FrameClassifier().fit(X, Y, ["f"], groups=groups + 1)


def test_sentence_level_model_decides_documents_from_their_best_sentences(tmp_path):
    from framing.frames.train import TrainedFrames

    X, groups, Y = _documents_with_one_signal_sentence(seed=3)
    sent_y = np.zeros((len(X), 1), bool)
    for d in np.flatnonzero(Y[:, 0]):  # the coded sentence of each positive document
        rows = np.flatnonzero(groups == d)
        sent_y[rows[np.argmax(X[rows, 0])], 0] = True
    clf = FrameClassifier(C=1.0, seed=0).fit(X, sent_y, ["f"])
    trained = TrainedFrames(clf, "sentence", "fake", X.shape[1], tmp_path / "t.trained.json", {})
    sentences = pd.DataFrame({"doc_id": [f"d{g:03d}" for g in groups]})
    dec = trained.predict_documents(sentences, X).set_index("doc_id")
    truth = pd.Series(Y[:, 0], index=[f"d{d:03d}" for d in range(len(Y))])
    assert (dec.loc[truth.index, "matched"].to_numpy() == truth.to_numpy()).mean() >= 0.9
    assert set(dec["method"]) == {"trained"}


def test_cli_train_bundled_catalog_saves_beside_a_working_copy(tmp_path, data_dir, fake_model, monkeypatch):
    from framing.frames import catalog as catalog_module

    bundled = tmp_path / "package" / "frames"
    bundled.mkdir(parents=True)
    shutil.copy(data_dir / "tiny-catalog.yaml", bundled / "tiny.yaml")
    monkeypatch.setattr(catalog_module, "CATALOG_DIR", bundled)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    args = ["train", "tiny", "--labels", str(data_dir / "coded-docs.jsonl"), "--model", "fake-frames",
            "--level", "document", "--set", "embedding.cache=false"]
    res = CliRunner().invoke(frames_app, args)
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in bundled.iterdir()) == ["tiny.yaml"]          # the installed catalogs are untouched
    assert (work / "tiny.yaml").read_text() == (bundled / "tiny.yaml").read_text()
    assert load_trained(work / "tiny.trained.json").classifier.frame_ids_
    assert "copied to" in res.output and "--frames" in res.output
    assert CliRunner().invoke(frames_app, args).exit_code == 0                # the same copy is reused
    (work / "tiny.yaml").write_text((bundled / "tiny.yaml").read_text() + "\n# edited\n")
    res = CliRunner().invoke(frames_app, args)
    assert res.exit_code != 0 and "already exists with other content" in res.output
