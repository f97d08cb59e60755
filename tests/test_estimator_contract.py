"""The scikit-learn estimator contract over every estimator of framing, as ``parametrize_with_checks`` does.

TopicModeler, FrameMatcher and FrameClassifier: ``__init__`` only stores its arguments
(``sklearn.base.clone`` and the ``get_params`` round trip), ``fit`` returns ``self`` and adds only
attributes ending in ``_``, never changes a constructor argument, the unfitted ``transform`` raises
``NotFittedError``, and a fit that fails part-way leaves no fitted attribute behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from framing.config import EmbeddingConfig, TopicsConfig
from framing.embed import get_embedder
from framing.errors import NotFittedError
from framing.frames import FrameMatcher, load_catalog
from framing.frames.pooled import PooledFrameClassifier
from framing.frames.stacked import StackedFrameClassifier
from framing.frames.train import FrameClassifier
from framing.topics import TopicModeler
from topic_blobs import topical_blobs

DATA = Path(__file__).resolve().parent / "data" / "frames"


@dataclass
class Case:
    """How to build, fit, use and break one estimator."""

    make: Callable[[], object]
    fit: Callable[[object], object]
    transform: Callable[[object], object]
    late_step: str  # a method fit calls after it has set some learned attributes


def _topic_case() -> Case:
    texts, rows, docs, _ = topical_blobs(np.random.default_rng(0))
    emb = np.asarray(rows, dtype=np.float32)
    ids = [f"s{i}" for i in range(len(texts))]
    return Case(make=lambda: TopicModeler(TopicsConfig(reducer="pca", min_cluster_size=5), seed=3),
                fit=lambda m: m.fit(texts, emb, ["en"] * len(texts), ids, doc_ids=docs),
                transform=lambda m: m.transform(texts[:4], emb[:4]),
                late_step="_map_coords")


def _matcher_case() -> Case:
    catalog = load_catalog(DATA / "tiny-catalog.yaml")
    embedder = get_embedder("hashing", EmbeddingConfig())
    sentences = pd.read_csv(DATA / "sentences.csv")
    sentences["is_fragment"] = sentences["is_fragment"].astype(bool)
    vectors = embedder.encode(sentences["text"].tolist())
    return Case(make=lambda: FrameMatcher(catalog, embedder, clauses=False),
                fit=lambda m: m.fit(sentences, vectors),
                transform=lambda m: m.transform(sentences, vectors),
                late_step="_calibrate_on_corpus")


def _classifier_case() -> Case:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 6))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0.5])
    return Case(make=lambda: FrameClassifier(C=1.0, inner_folds=3, seed=3),
                fit=lambda m: m.fit(X, Y, ["a", "b"]),
                transform=lambda m: m.predict_proba(X),
                late_step="_fit_predict")


def _pooled_case() -> Case:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 6))
    groups = np.repeat(np.arange(40), 3)
    Y = np.column_stack([X.reshape(40, 3, 6)[:, :, 0].max(1) > 0.8, X.reshape(40, 3, 6)[:, :, 1].mean(1) > 0])
    return Case(make=lambda: PooledFrameClassifier(Cs=(0.1, 1.0), inner_folds=3, seed=3),
                fit=lambda m: m.fit(X, Y, ["a", "b"], groups=groups),
                transform=lambda m: m.predict_proba(X, groups),
                late_step="_fit_frame")


def _stacked_case() -> Case:
    case = _pooled_case()
    return Case(make=lambda: StackedFrameClassifier(C=1.0, inner_folds=3, seed=3), fit=case.fit,
                transform=case.transform, late_step="_stage_one")


CASES = {"TopicModeler": _topic_case, "FrameMatcher": _matcher_case, "FrameClassifier": _classifier_case,
         "PooledFrameClassifier": _pooled_case, "StackedFrameClassifier": _stacked_case}


@pytest.fixture(params=sorted(CASES))
def case(request) -> Case:
    return CASES[request.param]()


def _learned(estimator) -> set[str]:
    return {name for name in vars(estimator) if name.endswith("_") and not name.startswith("__")}


def test_init_only_stores_its_arguments(case):
    estimator = case.make()
    params = estimator.get_params()
    assert params and not _learned(estimator)
    assert set(vars(estimator)) == set(params)  # nothing but the arguments, under their own names
    copy = clone(estimator)  # sklearn rebuilds it from get_params and checks every argument came back as passed
    assert type(copy) is type(estimator) and copy is not estimator
    rebuilt = type(estimator)(**params).get_params()
    assert rebuilt.keys() == params.keys() and all(rebuilt[k] is params[k] for k in params)
    assert estimator.set_params(**params) is estimator
    with pytest.raises(ValueError, match="Invalid parameter"):
        estimator.set_params(no_such_parameter=1)


def test_fit_returns_self_and_adds_only_learned_attributes(case):
    estimator = case.make()
    before = dict(vars(estimator))
    assert case.fit(estimator) is estimator
    added = set(vars(estimator)) - set(before)
    assert added and all(name.endswith("_") for name in added), sorted(added)
    assert all(getattr(estimator, k) is v for k, v in before.items())  # no argument overwritten by fit
    case.transform(estimator)


def test_transform_before_fit_raises_not_fitted(case):
    with pytest.raises(NotFittedError, match="not fitted"):
        case.transform(case.make())


def test_a_failed_fit_leaves_no_fitted_attributes(case, monkeypatch):
    estimator = case.make()

    def broken(*args, **kwargs):
        raise RuntimeError("a late step of fit failed")

    monkeypatch.setattr(type(estimator), case.late_step, broken)
    with pytest.raises(RuntimeError, match="late step"):
        case.fit(estimator)
    assert not _learned(estimator)
    with pytest.raises(NotFittedError):
        case.transform(estimator)


def test_frame_matcher_has_no_seed():
    assert "seed" not in FrameMatcher.__init__.__code__.co_varnames
