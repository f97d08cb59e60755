"""The pooled document classifier (``frames train --pooling pooled``, the default for coded documents)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from framing.frames.evaluate import multilabel_metrics
from framing.frames.pooled import PooledFrameClassifier, pooled_features
from framing.frames.train import DEFAULT_POOLING, POOLINGS, make_classifier
from framing.frames.trained import classifier_from_dict


def _one_passage_corpus(n_docs: int, seed: int):
    """Documents of 20 noise sentences; in half of them one sentence carries the frame (direction 0)."""
    rng = np.random.default_rng(seed)
    dim, per = 16, 20
    X = rng.normal(size=(n_docs * per, dim))
    y = np.arange(n_docs) % 2 == 0
    for d in np.flatnonzero(y):
        X[d * per + rng.integers(per)] = np.eye(dim)[0] * 5 + rng.normal(scale=0.1, size=dim)
    return X, np.repeat(np.arange(n_docs), per), y[:, None]


def _f1(model, X, groups, Y) -> float:
    pred = model.predict(X, groups)
    gold = [{"f"} if v else set() for v in Y[:, 0]]
    return multilabel_metrics(gold, [{"f"} if v else set() for v in pred[:, 0]], ["f"])[1]["micro_f1"]


def test_a_frame_carried_by_one_passage_is_learned_where_the_mean_embedding_misses_it():
    X, groups, Y = _one_passage_corpus(120, seed=0)
    Xt, gt, Yt = _one_passage_corpus(60, seed=1)
    pooled = PooledFrameClassifier(seed=1).fit(X, Y, ["f"], groups=groups)
    mean = make_classifier("mean", "document", seed=1).fit(pooled_features(X, groups, 120)[:, :16], Y, ["f"])
    f1_pooled = _f1(pooled, Xt, gt, Yt)
    f1_mean = multilabel_metrics([{"f"} if v else set() for v in Yt[:, 0]],
                                 [{"f"} if v else set() for v in mean.predict(pooled_features(Xt, gt, 60)[:, :16])[:, 0]],
                                 ["f"])[1]["micro_f1"]
    assert f1_pooled >= 0.95
    assert f1_pooled > f1_mean + 0.2


def test_a_documents_decision_does_not_depend_on_the_other_documents():
    X, groups, Y = _one_passage_corpus(60, seed=2)
    model = PooledFrameClassifier(seed=1).fit(X, Y, ["f"], groups=groups)
    together = model.predict_proba(X, groups)
    rows = groups == 7
    alone = model.predict_proba(X[rows], np.zeros(rows.sum(), dtype=int))
    assert alone.shape == (1, 1)
    assert alone[0, 0] == pytest.approx(together[7, 0], abs=1e-12)


def test_saved_model_decides_as_the_fitted_one():
    X, groups, Y = _one_passage_corpus(60, seed=3)
    Y = np.column_stack([Y[:, 0], np.arange(60) % 3 == 0, np.arange(60) < 2])
    model = PooledFrameClassifier(Cs=(0.01, 0.1), inner_folds=3, seed=4).fit(X, Y, ["a", "b", "rare"], groups=groups)
    assert model.frame_ids_ == ["a", "b"] and "rare" in model.skipped_  # 2 positives: too few to learn
    assert set(model.C_) <= {0.01, 0.1}
    again = classifier_from_dict(json.loads(json.dumps(model.to_dict())))
    assert isinstance(again, PooledFrameClassifier)
    np.testing.assert_allclose(again.predict_proba(X, groups), model.predict_proba(X, groups), atol=1e-5)
    np.testing.assert_allclose(again.thresholds_, model.thresholds_, atol=1e-7)


def test_pooled_is_what_frames_train_fits_on_coded_documents():
    assert DEFAULT_POOLING == "pooled" and "pooled" in POOLINGS
    assert isinstance(make_classifier(DEFAULT_POOLING, "document"), PooledFrameClassifier)


def test_every_regression_is_fitted_with_one_blas_thread(monkeypatch):
    from threadpoolctl import threadpool_info

    import framing.frames.pooled as pooled

    seen = []
    real = pooled._logistic

    def spy(C, seed):
        seen.extend(i["num_threads"] for i in threadpool_info())
        return real(C, seed)

    monkeypatch.setattr(pooled, "_logistic", spy)
    X, groups, Y = _one_passage_corpus(30, seed=5)
    PooledFrameClassifier(Cs=(0.1,), inner_folds=3).fit(X, Y, ["f"], groups=groups)
    assert seen and set(seen) == {1}


def test_pooled_features_describe_each_document_by_its_own_sentences():
    X = np.array([[3.0, 4.0], [0.0, 1.0], [1.0, 0.0]])
    F = pooled_features(X, np.array([0, 0, 1]), 3)
    assert F.shape == (3, 5)
    np.testing.assert_allclose(F[0, 2:4], [0.6, 1.0])         # element-wise max of the normalised sentences
    np.testing.assert_allclose(F[:, 4], np.log1p([2, 1, 0]))  # log(1 + sentences)
    np.testing.assert_allclose(F[2], 0.0)                     # a document without sentences
