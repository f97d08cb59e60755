"""The sentence gate (propaganda or not): its features, its learners, and that techniques are decided inside it."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from framing.config import load_config
from framing.embed import embed_texts
from framing.errors import NotFittedError
from framing.techniques.catalog import load_technique_catalog
from framing.techniques.features import sentence_tokens
from framing.techniques.gate import (PropagandaGate, fit_word_rates, neighbour_vectors, sentence_cues,
                                     word_rate_features)
from framing.techniques.model import load_model, save_model
from framing.techniques.scorers import score_trained
from framing.techniques.train import fit_model, prepare_coded

from .synthetic import coded_corpus


def test_cues_count_exclamations_capitals_and_superlatives():
    plain, loud = sentence_cues(["The council met on Tuesday.", "The WORST, most CORRUPT gang ever!!"])
    assert plain[1] == 0 and plain[5] == 0 and plain[6] == 0
    assert loud[1] == pytest.approx(np.log1p(2)) and loud[5] == pytest.approx(np.log1p(2))  # WORST, CORRUPT
    assert loud[6] == pytest.approx(np.log1p(2))  # WORST, most


def test_word_rates_mark_the_words_inside_spans_and_a_sentence_gets_its_highest():
    words = np.array(["vicious", "attack", "on", "the", "town", "the", "council", "met", "vicious", "men"])
    inside = np.array([1, 0, 0, 0, 0, 0, 0, 0, 1, 0], bool)
    vocab, rates, prior = fit_word_rates(words, inside, smoothing=1.0)
    rate = dict(zip(vocab, rates))
    assert prior == pytest.approx(0.2) and rate["vicious"] > 0.5 > rate["council"]
    feats = word_rate_features(np.array(["a", "vicious", "plan", "the", "council"]), np.array([0, 0, 0, 1, 1]),
                               3, vocab, rates, prior)
    assert feats[0, 0] == pytest.approx(rate["vicious"]) and feats[0, 2] == pytest.approx(np.log1p(1))
    assert feats[1, 0] < 0.5 and feats[1, 2] == 0 and not feats[2].any()  # sentence 2 has no tokens


def test_neighbours_stay_in_their_document_and_follow_the_text_order():
    s = pd.DataFrame({"doc_id": ["b", "a", "a", "a"], "start": [0, 20, 0, 10]})
    v = np.arange(4, dtype=np.float32)[:, None] + 1
    prev, nxt = neighbour_vectors(s, v)
    # document a in text order: rows 2 (start 0), 3 (10), 1 (20)
    assert prev[:, 0].tolist() == [0, 4, 0, 3] and nxt[:, 0].tolist() == [0, 0, 4, 2]


@pytest.fixture(scope="module")
def fitted():
    docs, spans = coded_corpus(24)
    cat = load_technique_catalog("propaganda")
    data = prepare_coded(cat, docs, spans, load_config(overrides=["embedding.cache=false"]), model="hashing")
    model = fit_model(cat, data.subset([f"d{i:02d}" for i in range(18)]), seed=1)
    return cat, model, data.subset([f"d{i:02d}" for i in range(18, 24)])


def _decide(cat, model, test):
    return score_trained(cat, test.sentences, test.vectors, model=model, doc_texts=test.doc_texts(),
                         encode=lambda t: embed_texts(t, test.embedder)[0])


def test_gate_passes_the_coded_sentences_and_not_the_plain_news(fitted):
    _, model, test = fitted
    gate = model.gate_
    assert gate.learner_ in ("logistic", "mlp", "mean") and set(gate.oof_f1_) == {"logistic", "mlp", "mean"}
    passed = model.gate_proba(test.sentences, test.vectors, sentence_tokens(test.sentences)) >= gate.threshold_
    plain = test.sentences.text.str.contains("council").to_numpy()
    assert passed[~plain].all() and not passed[plain].any()


def test_techniques_are_decided_only_where_the_gate_passes(fitted):
    cat, model, test = fitted
    dec = _decide(cat, model, test)
    passed = model.gate_proba(test.sentences, test.vectors, sentence_tokens(test.sentences)) >= model.gate_.threshold_
    assert (dec.matched.any(axis=1) == passed).all()  # the gate is the sentence decision, and always names one
    assert set(dec.spans["row"]) <= set(np.flatnonzero(passed))
    shut = copy.copy(model)
    shut.gate_ = PropagandaGate.from_arrays(*_arrays_with_threshold(model.gate_, 1.01))
    closed = _decide(cat, shut, test)
    assert not closed.matched.any() and not len(closed.spans)


def _arrays_with_threshold(gate, threshold):
    arrays, header = gate.to_arrays()
    return arrays, {**header, "threshold": threshold}


def test_gate_reads_back_from_the_saved_model_and_scores_the_same(fitted, tmp_path):
    _, model, test = fitted
    again, _ = load_model(save_model(model, tmp_path / "p.techniques.npz", {"embedder": "hashing", "dim": 256}))
    toks = sentence_tokens(test.sentences)
    assert again.gate_.learner_ == model.gate_.learner_
    assert np.allclose(again.gate_proba(test.sentences, test.vectors, toks),
                       model.gate_proba(test.sentences, test.vectors, toks), atol=1e-6)


def test_an_unfitted_gate_says_so():
    with pytest.raises(NotFittedError, match="not fitted"):
        PropagandaGate().predict_proba(pd.DataFrame({"text": ["x"], "doc_id": ["d"], "start": [0]}),
                                       np.zeros((1, 2)), pd.DataFrame())
