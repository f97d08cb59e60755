"""The frame classifiers share one base (framing.frames.frame_model): saving, loading, checks."""

import json

import numpy as np
import pytest

from framing.frames.classifier import FrameClassifier
from framing.frames.frame_model import FrameModel
from framing.frames.pooled import PooledFrameClassifier
from framing.frames.stacked import StackedFrameClassifier
from framing.frames.trained import classifier_from_dict


def _docs(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(120, 6))
    groups = np.repeat(np.arange(40), 3)
    Y = np.column_stack([X.reshape(40, 3, 6)[:, :, 0].max(1) > 0.8, X.reshape(40, 3, 6)[:, :, 1].mean(1) > 0])
    return X, groups, Y


@pytest.mark.parametrize("make", [lambda: FrameClassifier(C=1.0, inner_folds=3),
                                  lambda: PooledFrameClassifier(Cs=(0.1,), inner_folds=3),
                                  lambda: StackedFrameClassifier(C=1.0, inner_folds=3)])
def test_every_classifier_round_trips_through_json_with_the_same_probabilities(make):
    X, groups, Y = _docs()
    model = make().fit(X, Y, ["a", "b"], groups=groups)
    assert isinstance(model, FrameModel)
    again = classifier_from_dict(json.loads(json.dumps(model.to_dict())))
    assert type(again) is type(model) and again.get_params() == model.get_params()
    assert again.pooling_ == model.pooling_ and again.frame_ids_ == model.frame_ids_
    np.testing.assert_allclose(again.predict_proba(X, groups), model.predict_proba(X, groups), atol=1e-5)


def test_a_frame_classifier_saved_in_the_earlier_per_frame_form_still_loads():
    X, groups, Y = _docs(1)
    model = FrameClassifier(C=1.0, inner_folds=3).fit(X, Y, ["a", "b"], groups=groups)
    old = {"C": 1.0, "inner_folds": 3, "seed": 42, "top_k": 3, "pooling": "sentences", "mean": model.mean_.tolist(),
           "scale": model.scale_.tolist(), "skipped": {},
           "frames": {f: {"coef": model.coef_[i].tolist(), "intercept": float(model.intercept_[i]),
                          "threshold": float(model.thresholds_[i])} for i, f in enumerate(model.frame_ids_)}}
    again = classifier_from_dict(old)
    assert again.frame_ids_ == ["a", "b"] and again.pooling_ == "sentences"
    np.testing.assert_array_equal(again.predict(X, groups), model.predict(X, groups))


def test_document_models_refuse_rows_without_their_documents():
    X, groups, Y = _docs()
    with pytest.raises(ValueError, match="pass groups"):
        StackedFrameClassifier().fit(X[:40], Y, ["a", "b"])
    with pytest.raises(ValueError, match="item index below 40"):
        PooledFrameClassifier().fit(X, Y, ["a", "b"], groups=groups + 1)
