"""Learning frames from coded examples: per-frame logistic regression on embeddings.

``framing frames train CATALOG --labels CODED`` fits, for every frame of the
catalog with enough coded positives and negatives, a logistic regression on
the items' embeddings, with balanced class weights (rare
frames are not drowned by the frequent "no") and the decision threshold that
maximises F1 on out-of-fold predictions of the training data. The model is
saved beside the catalog as ``<catalog>.trained.json``: plain coefficients
with the embedder's identity (no pickle), and ``analyze`` uses it when the
run's embedder is the same; frames without a model keep the anchors.

Coded documents are learned, by default (``pooling="pooled"``), from their
pooled sentence embeddings (:mod:`framing.frames.pooled`): the mean and the
element-wise maximum of a document's sentence vectors, its length and how
near its sentences come to each frame's anchors (the catalog as a prior,
:mod:`framing.frames.prior`; the model keeps the anchor vectors it learned
from), one regression per frame whose regularisation and threshold are chosen
by cross-validation on the training documents. ``pooling="sentences"``
(multiple-instance learning: every sentence takes its document's codes, a
document's probability is the mean of its ``top_k`` most probable sentences),
``"stacked"`` (:mod:`framing.frames.stacked`) and ``"mean"`` (the normalised
mean embedding) keep the earlier models. Coded sentences are learned from
their own embedding. Every fit runs with one BLAS thread (:func:`one_thread`).

Examples
--------
>>> model = FrameClassifier(seed=1).fit(X, Y, ["conflict", "economic"])   # doctest: +SKIP
>>> model.predict_proba(X).shape                                          # doctest: +SKIP
(428, 2)
"""

from __future__ import annotations

import numpy as np

from ..errors import CatalogError
# the classifier and the trained model's file live in their own modules; their names stay importable from here
from .classifier import (DEFAULT_C, MIN_CLASS, SENTENCES_PER_TOP, TOP_K, FrameClassifier,  # noqa: F401
                         _folds, _logistic, one_thread, top_k_pool)
from .trained import (FORMAT_VERSION, TRAINED_SUFFIX, TrainedFrames, _mismatch, catalog_of,  # noqa: F401
                      check_trained_embedder, classifier_from_dict, embedder_spec, load_trained, load_trained_for,
                      model_for_trained_catalog, retrain_command, save_trained, trained_for_catalogs, trained_path,
                      working_copy)


POOLINGS = ("pooled", "stacked", "sentences", "mean")
"""How coded documents are learned: see :func:`make_classifier`."""
DEFAULT_POOLING = "pooled"
"""What ``frames train`` fits on coded documents unless told otherwise (see :func:`make_classifier`)."""


def make_classifier(pooling: str, level: str, seed: int = 42, C: float | None = None, prior=None):
    """The classifier ``frames train`` fits for coded items of ``level`` with ``pooling``.

    ``pooled`` (coded documents, the default): :class:`framing.frames.pooled.PooledFrameClassifier`,
    per frame a regression on the mean- and max-pooled sentence embeddings, its regularisation and
    threshold chosen by inner cross-validation;
    ``stacked`` (coded documents): :class:`framing.frames.stacked.StackedFrameClassifier`,
    sentence-score distributions and the mean embedding of every frame, stacked;
    ``sentences``: :class:`FrameClassifier` on the documents' sentences, top-k pooled;
    ``mean``: :class:`FrameClassifier` on the documents' mean embeddings.
    Coded sentences always get a :class:`FrameClassifier` on their own embeddings.
    ``prior`` (an :class:`framing.frames.prior.AnchorPrior`, see :func:`classifier_prior`) is used by ``pooled``.
    """
    if pooling == "pooled" and level == "document":
        from .pooled import DEFAULT_CS, PooledFrameClassifier

        return PooledFrameClassifier(Cs=DEFAULT_CS if C is None else (C,), seed=seed, prior=prior)
    if pooling == "stacked" and level == "document":
        from .stacked import StackedFrameClassifier

        return StackedFrameClassifier(C=DEFAULT_C if C is None else C, seed=seed)
    return FrameClassifier(C=DEFAULT_C if C is None else C, seed=seed)


def classifier_prior(pooling: str, level: str, catalog, embedder, cache=None):
    """The catalog's anchors embedded for the classifier of ``pooling`` (``pooled`` documents), else None.

    The pooled model learns from them as a prior (:mod:`framing.frames.prior`): on climate-frames
    it lifts the 5-fold CV macro-F1 from 0.621 to 0.631 (mean of three fold seeds) and matters most
    when few documents are coded.
    """
    if pooling != "pooled" or level != "document":
        return None
    from .prior import anchor_prior

    return anchor_prior(catalog, embedder, cache)


def training_matrix(corpus, pooling: str = "sentences") -> tuple[np.ndarray, np.ndarray | None]:
    """The rows a classifier is fitted on, and the item of each row (None: one row per item).

    Coded sentences: their embeddings. Coded documents: their sentences'
    embeddings with ``pooling="sentences"``, the normalised mean of them with
    ``pooling="mean"``.
    """
    if pooling not in POOLINGS:
        raise ValueError(f"The 'pooling' parameter must be one of {', '.join(POOLINGS)}. Got {pooling!r} instead.")
    if corpus.level == "document" and pooling in ("sentences", "stacked", "pooled"):
        return np.asarray(corpus.vectors), corpus.sentences["item"].to_numpy(dtype=int)
    return corpus.item_vectors(), None


def train_frames(catalog, catalog_path, corpus, gold: list[set], seed: int = 42, C: float | None = None,
                 pooling: str = DEFAULT_POOLING, labels_file: str | None = None, cache=None,
                 prior: bool = True) -> TrainedFrames:
    """Fit the classifier on a prepared labelled corpus and describe it (not yet saved).

    Parameters
    ----------
    catalog : FrameCatalog
    catalog_path : path of the catalog file (the model is saved beside it)
    corpus : LabelledCorpus
    gold : list of set of frame ids, one per item
    C : float, optional
        The regularisation; by default the classifier's own (``pooled`` chooses it per frame by inner CV).
    pooling : "pooled", "stacked", "sentences" or "mean"
        How coded documents are learned (see :func:`make_classifier`).
    labels_file : str, optional
        The coded file, recorded so that a message can give the command that trains the catalog again.
    cache : EmbeddingCache, optional
        Where the catalog's anchors are embedded through (``pooled``: the prior, see :func:`classifier_prior`).
    prior : bool
        Whether ``pooled`` learns the catalog's anchors as a prior (``frames train --no-prior``: not).
    """
    from ..store import utc_now

    ids = [f.id for f in catalog.matchable()]
    X, groups = training_matrix(corpus, pooling)
    Y = np.array([[fid in g for fid in ids] for g in gold], dtype=bool).reshape(len(gold), len(ids))
    prior = classifier_prior(pooling, corpus.level, catalog, corpus.embedder, cache) if prior else None
    classifier = make_classifier(pooling, corpus.level, seed=seed, C=C, prior=prior).fit(X, Y, ids, groups=groups)
    if not classifier.frame_ids_:
        raise CatalogError("No frame has enough coded examples to train on (at least "
                           f"{MIN_CLASS} positives and {MIN_CLASS} negatives each): code more items.")
    meta = {"catalog": catalog.name, "items": len(gold), "positives": {f: int(Y[:, i].sum()) for i, f in enumerate(ids)},
            "created": utc_now()}
    if labels_file:
        meta["labels_file"] = str(labels_file)
    return TrainedFrames(classifier=classifier, level=corpus.level, embedder=corpus.embedder.name,
                         dim=int(corpus.embedder.dim), path=trained_path(catalog_path), meta=meta, spec=corpus.model)
