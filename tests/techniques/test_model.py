"""The trained technique model on the tiny coded corpus (hashing embedder): what it learns, saving, loading."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.config import load_config
from framing.embed import embed_texts
from framing.errors import CatalogError, NotFittedError
from framing.techniques.catalog import load_technique_catalog
from framing.techniques.model import TechniqueModel, best_f1_threshold, load_model, save_model
from framing.techniques.scorers import classify_spans_trained, score_trained, tagged_spans
from framing.techniques.train import fit_model, prepare_coded

from .synthetic import coded_corpus


@pytest.fixture(scope="module")
def coded():
    docs, spans = coded_corpus(24)
    cat = load_technique_catalog("propaganda")
    return cat, prepare_coded(cat, docs, spans, load_config(overrides=["embedding.cache=false"]), model="hashing")


@pytest.fixture(scope="module")
def fitted(coded):
    cat, data = coded
    train = data.subset([f"d{i:02d}" for i in range(18)])
    return fit_model(cat, train, seed=1), data.subset([f"d{i:02d}" for i in range(18, 24)])


def _decide(cat, model, test):
    return score_trained(cat, test.sentences, test.vectors, model=model, doc_texts=test.doc_texts(),
                         encode=lambda t: embed_texts(t, test.embedder)[0])


def test_prepared_spans_use_catalog_ids(coded):
    _, data = coded
    assert set(data.spans.technique_id) == {"loaded-language", "name-calling", "doubt"}
    assert data.unknown == {}
    assert len(data.span_vectors) == len(data.spans) and len(data.vectors) == len(data.sentences)


def test_held_out_spans_are_located_and_named(coded, fitted):
    cat, _ = coded
    model, test = fitted
    assert set(model.trained_) == {"loaded-language", "name-calling", "doubt"}
    dec = _decide(cat, model, test)
    tagged = dec.spans[dec.spans.method == "tagger"]
    texts = test.doc_texts()
    words = [texts[test.sentences.doc_id[r]][a:b] for r, a, b in zip(tagged.row, tagged.start, tagged.end)]
    loaded = [w for w, t in zip(words, tagged.technique_id) if t == "loaded-language"]
    labels = [w for w, t in zip(words, tagged.technique_id) if t == "name-calling"]
    assert loaded and set(loaded) <= {"vicious", "monstrous", "shameful", "savage", "evil", "disgusting"}
    assert labels and set(labels) <= {"thugs", "puppets", "traitors", "crooks"}
    plain = test.sentences.text.str.contains("council").to_numpy()
    assert not dec.matched[plain].any() and dec.matched[~plain].any(axis=1).all()


def test_gold_spans_are_classified(coded, fitted):
    model, test = fitted
    got = classify_spans_trained(model, test.spans, test.span_vectors, test.sentences, test.vectors,
                                 test.doc_texts())
    assert np.mean(np.array(got) == test.spans.technique_id.to_numpy()) >= 0.9


def test_saved_model_reads_back_without_pickle_and_decides_the_same(coded, fitted, tmp_path):
    cat, _ = coded
    model, test = fitted
    path = save_model(model, tmp_path / "p.techniques.npz", {"embedder": "hashing", "dim": 256})
    again, meta = load_model(path)
    assert meta["embedder"] == "hashing" and again.span_classes_ == model.span_classes_
    a, b = _decide(cat, model, test), _decide(cat, again, test)
    assert np.allclose(a.scores, b.scores) and a.spans.equals(b.spans)
    (tmp_path / "bad.techniques.npz").write_bytes(b"not a model")
    with pytest.raises(CatalogError, match="cannot be read.*framing techniques train"):
        load_model(tmp_path / "bad.techniques.npz")


def test_unfitted_model_says_so():
    with pytest.raises(NotFittedError, match="not fitted"):
        TechniqueModel(["x"]).sentence_proba(pd.DataFrame({"text": ["a"]}), np.zeros((1, 4)))
    with pytest.raises(ValueError, match="'folds' parameter must be an int >= 2"):
        TechniqueModel(["x"], folds=1).fit(pd.DataFrame(), np.zeros((0, 2)), pd.DataFrame(), np.zeros((0, 2)))


def test_tagged_spans_bridge_one_low_token_but_not_sentences():
    toks = pd.DataFrame({"row": [0, 0, 0, 0, 1], "start": [0, 5, 7, 12, 20], "end": [4, 6, 11, 15, 24]})
    out = tagged_spans(toks, np.array([0.9, 0.1, 0.8, 0.1, 0.9]), 0.5)
    assert out[["row", "start", "end"]].values.tolist() == [[0, 0, 11], [1, 20, 24]]


def test_best_threshold_maximises_f1():
    thr, f1 = best_f1_threshold(np.array([0.2, 0.3, 0.7, 0.8]), np.array([0, 1, 1, 1], bool))
    assert (thr, f1) == (0.3, 1.0)
