"""Matching sentences to frames: :class:`FrameMatcher` (scikit-learn contract).

Examples
--------
>>> matcher = FrameMatcher(load_catalog("us-middle-east"), embedder).fit()   # doctest: +SKIP
>>> sentence_frames = matcher.transform(sentences, embeddings)              # doctest: +SKIP
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from ..errors import CatalogError, NotFittedError
from ..estimators import Estimator, fit_succeeds_or_leaves_nothing
from .calibrate import frame_scores
from .catalog import FrameCatalog
from .clauses import _CLAUSE_SPLIT, _normalise, clause_windows  # noqa: F401  (importable from here, as before)
from .margin import margins
from .thresholds import (FALLBACK_THRESHOLD, MIN_CORPUS_SENTENCES, MIN_GAP,  # noqa: F401
                         REFERENCE_QUANTILE, MatcherCalibration)

logger = logging.getLogger(__name__)

SENTENCE_FRAME_COLUMNS = ["sentence_id", "frame_id", "score", "strength", "matched", "margin", "sentence_margin"]
_CHUNK = 4096


class FrameMatcher(Estimator, MatcherCalibration):
    """Scores every sentence against every frame of a catalog and decides per frame.

    Parameters
    ----------
    catalog : FrameCatalog
    embedder : Embedder
        Must be the embedder that produced the sentence embeddings.
    threshold : "calibrated", float or dict
        ``"calibrated"`` learns one threshold per frame from the catalog
        (leave-one-out on its anchors and near misses); a float applies to
        every frame; a dict maps frame ids to thresholds (others calibrated).
    negative_weight : float
        How hard a sentence nearer a near miss than an anchor is pushed down.
    top_k : int
        Number of nearest anchors averaged into the score.
    beta : float
        F-beta of the calibration; below 1 favours precision.
    clauses : bool
        Also score clause windows of long sentences (see :func:`clause_windows`)
        and keep the best score; needs a ``text`` column in ``transform``.
    calibration : "reference", "corpus" or "anchors"
        ``reference`` (the default; label-free and independent of the corpus):
        each frame is placed against the fixed reference sample of ordinary
        sentences shipped with the package (:mod:`framing.frames.reference`),
        per language: a sentence's strength is 0 at the reference's median
        score in its language (the pooled reference for other languages) and
        1 at the frame's anchors; its threshold is the higher of strength 0.5
        and the reference's ``reference_quantile`` score. A sentence's
        decision then depends on that sentence alone.
        ``corpus`` (corpus-relative): when :meth:`fit` is given the corpus, a frame's
        threshold sits halfway between the corpus's typical score for the frame
        (its median: most sentences do not use a given frame) and the typical
        score of the frame's own anchors (leave-one-out). ``anchors``: the
        threshold learned on the catalog's anchors alone.
    specificity : float
        How hard a sentence's strength for one frame is lowered by its
        strength for the unrelated frames (0 = not at all); a generic sentence
        near every frame then matches none.
    cache : EmbeddingCache, optional
        Anchors, near misses and clause windows are embedded through it.
    exclusive : bool
        A sentence is matched only to the frame it is strongest on (on the
        frames' own scales) and to that frame's family (parent, children,
        siblings), never to unrelated frames at once. Scores and strengths
        of every frame are kept.
    reference_quantile : float
        With ``calibration="reference"``, the share of reference sentences a
        threshold stays above (see REFERENCE_QUANTILE).
    contrast : bool
        A sentence is matched only when it also *leans* toward the frame:
        its contrast margin (:mod:`framing.frames.margin`) is above 0, i.e.
        it is nearer the frame's anchors than to any reference sentence, any
        near miss of the catalog and the anchors of any unrelated frame. The
        margin is always computed (the ``margin`` column).
    whole_sentence_lean : bool
        With ``contrast``, a sentence is matched only when the whole sentence
        leans toward the frame (the ``sentence_margin`` column above 0), not
        only one of its clause windows: a window is a short span cut out of
        its sentence, and short spans sit near many things. A window can still
        raise the sentence's strength and its ``margin`` (the best of the
        sentence and its windows), which is what a document's support counts.
    near_miss_floor : bool
        With ``calibration="reference"``, a frame's threshold is also never
        below the midpoint between the typical score of its near misses (the
        catalog's negatives: sentences on the frame's subject that take no
        side) and its anchors: a sentence must be nearer a use of the frame
        than a known non-use on the same subject.

    Attributes
    ----------
    thresholds_ : dict of str to float
        Thresholds on ``score``.
    calibration_ : pandas.DataFrame
        frame_id, n_anchors, n_negatives, threshold, f_beta, source,
        anchor_level, background, separation.
    anchor_vectors_ : ndarray of shape (n_anchors, dim)
    anchor_level_ : ndarray of shape (n_frames,)
        Typical score of the frame's anchors.
    languages_ : list of str
        Languages with a reference row (reference calibration); empty otherwise.
    background_, strength_thresholds_ : ndarray of shape (n_languages + 1, n_frames)
        Typical score (reference or corpus median) and sentence threshold on
        the strength scale, one row per language of ``languages_`` and a last
        row for every other language (the only row without reference calibration).
    """

    def __init__(self, catalog: FrameCatalog, embedder, threshold="calibrated", negative_weight=0.5,
                 top_k=2, beta=0.5, clauses=True, calibration="corpus", specificity=0.0, cache=None,
                 exclusive=False, reference_quantile=REFERENCE_QUANTILE, near_miss_floor=False, contrast=False,
                 whole_sentence_lean=False):
        self.catalog = catalog
        self.embedder = embedder
        self.threshold = threshold
        self.negative_weight = negative_weight
        self.top_k = top_k
        self.beta = beta
        self.clauses = clauses
        self.calibration = calibration
        self.specificity = specificity
        self.cache = cache
        self.exclusive = exclusive
        self.reference_quantile = reference_quantile
        self.near_miss_floor = near_miss_floor
        self.contrast = contrast
        self.whole_sentence_lean = whole_sentence_lean

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Every text the matcher embeds goes through the embedding cache (when one is given)."""
        from ..embed import embed_texts

        vectors, _ = embed_texts(list(texts), self.embedder, self.cache)
        return vectors

    # -- fitting ---------------------------------------------------------
    @fit_succeeds_or_leaves_nothing
    def fit(self, sentences: pd.DataFrame | None = None, embeddings: np.ndarray | None = None) -> FrameMatcher:
        """Embed anchors and near misses and calibrate one threshold per frame.

        Parameters
        ----------
        sentences : DataFrame, optional
            The corpus to calibrate on (sentence_id, text, is_fragment), no
            labels needed; rows aligned with ``embeddings``.
        embeddings : ndarray of shape (n_sentences, dim), optional
        """
        if self.calibration not in ("reference", "corpus", "anchors"):
            raise CatalogError(f"The 'calibration' parameter must be 'reference', 'corpus' or 'anchors'. "
                               f"Got {self.calibration!r} instead.")
        if not 0.5 <= float(self.reference_quantile) < 1.0:
            raise CatalogError(f"The 'reference_quantile' parameter must be a number in [0.5, 1). "
                               f"Got {self.reference_quantile!r} instead.")
        frames = self.catalog.matchable()
        if not frames:
            raise CatalogError(f"Catalog {self.catalog.name!r} has no frame with examples to match.")
        anchors, a_owner, negatives, n_owner = [], [], [], []
        for i, frame in enumerate(frames):
            anchors += frame.anchors
            a_owner += [i] * len(frame.anchors)
            negatives += frame.near_misses
            n_owner += [i] * len(frame.near_misses)
        vecs = _normalise(self._encode(anchors + negatives))
        self.frame_ids_ = [f.id for f in frames]
        self.anchor_vectors_ = vecs[: len(anchors)]
        self.negative_vectors_ = vecs[len(anchors):]
        self.anchor_owner_ = np.asarray(a_owner, dtype=int)
        self.negative_owner_ = np.asarray(n_owner, dtype=int)
        self.related_ = np.array([self._related(frames, i) for i in range(len(frames))])
        from .reference import reference_sentences

        self.reference_vectors_ = _normalise(self._encode(reference_sentences()["text"].tolist()))
        self.thresholds_, self.calibration_ = self._calibrate(frames)
        if self.calibration == "reference":
            self._calibrate_on_reference()
        else:
            self._calibrate_on_corpus(sentences, embeddings)
        return self

    def _related(self, frames, i: int) -> np.ndarray:
        """Frames of the same family (parent / children / siblings) are not negatives of each other."""
        fam = {frames[i].id, frames[i].parent} - {None}
        return np.array([(f.id in fam or (f.parent is not None and f.parent in fam)) for f in frames])

    # -- scoring ---------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "thresholds_"):
            raise NotFittedError("This FrameMatcher is not fitted yet. Call fit() before transform() or score().")

    def score(self, embeddings: np.ndarray) -> np.ndarray:
        """Scores of texts for every matchable frame.

        Parameters
        ----------
        embeddings : ndarray of shape (n_texts, dim)

        Returns
        -------
        ndarray of shape (n_texts, n_frames), columns in ``frame_ids_`` order.
        """
        self._check_fitted()
        X = _normalise(embeddings) if len(embeddings) else np.zeros((0, self.anchor_vectors_.shape[1]), np.float32)
        out = np.empty((len(X), len(self.frame_ids_)), dtype=np.float64)
        for start in range(0, len(X), _CHUNK):
            chunk = X[start:start + _CHUNK]
            sa, sn = chunk @ self.anchor_vectors_.T, chunk @ self.negative_vectors_.T
            for i in range(len(self.frame_ids_)):
                neg = sn[:, self.negative_owner_ == i]
                out[start:start + _CHUNK, i] = frame_scores(sa[:, self.anchor_owner_ == i], neg if neg.shape[1] else None,
                                                           self.top_k, self.negative_weight)
        return out

    def margin(self, embeddings: np.ndarray) -> np.ndarray:
        """Contrast margins of texts for every matchable frame (see :mod:`framing.frames.margin`).

        Parameters
        ----------
        embeddings : ndarray of shape (n_texts, dim)

        Returns
        -------
        ndarray of shape (n_texts, n_frames): above 0 where the text leans toward the frame.
        """
        self._check_fitted()
        if not len(embeddings):
            return np.zeros((0, len(self.frame_ids_)))
        return margins(embeddings, self.anchor_vectors_, self.anchor_owner_, self.negative_vectors_,
                       self.negative_owner_, self.reference_vectors_, self.related_, self.top_k)

    def _raw_margins(self, sentences: pd.DataFrame, embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Margins (n_kept, n_frames) of the non-fragment sentences: the best of each sentence and its clause
        windows, and the whole sentence's own."""
        keep = self._kept(sentences, embeddings)
        whole = self.margin(np.asarray(embeddings)[keep])
        values = whole
        if self.clauses and "text" in sentences:
            values = self._clause_max(sentences["text"].to_numpy()[keep], whole, self.margin)
        return values, whole

    def _clause_max(self, texts, scores: np.ndarray, measure=None) -> np.ndarray:
        measure = measure or self.score
        windows, owner = [], []
        for i, text in enumerate(texts):
            spans = clause_windows(str(text))
            windows += spans
            owner += [i] * len(spans)
        if not windows:
            return scores
        logger.info("Scoring %d clause windows of %d long sentences", len(windows), len(set(owner)))
        win_scores = measure(self._encode(windows))
        out = scores.copy()
        np.maximum.at(out, np.asarray(owner), win_scores)
        return out

    def _kept(self, sentences: pd.DataFrame, embeddings: np.ndarray) -> np.ndarray:
        if len(sentences) != len(embeddings):
            raise ValueError(f"sentences has {len(sentences)} rows but embeddings has {len(embeddings)}; "
                             "they must be aligned row by row.")
        if "is_fragment" in sentences:
            return ~sentences["is_fragment"].fillna(False).astype(bool).to_numpy()
        return np.ones(len(sentences), bool)

    def _raw_scores(self, sentences: pd.DataFrame, embeddings: np.ndarray) -> np.ndarray:
        """Scores (n_kept, n_frames) of the non-fragment sentences, clause windows included."""
        keep = self._kept(sentences, embeddings)
        scores = self.score(np.asarray(embeddings)[keep])
        if self.clauses and "text" in sentences:
            scores = self._clause_max(sentences["text"].to_numpy()[keep], scores)
        return scores

    def strength(self, scores: np.ndarray, langs=None) -> np.ndarray:
        """Scores on each frame's own scale: 0 = a typical sentence, 1 = the frame's anchors.

        The typical sentence is the reference sample's in the text's language
        (``calibration="reference"``) or the corpus's. With ``specificity`` > 0,
        a sentence's positive strength for the unrelated frames (their mean)
        lowers its strength for each frame.

        Parameters
        ----------
        scores : ndarray of shape (n_texts, n_frames)
        langs : sequence of str of length n_texts, optional
            The texts' languages (the pooled reference when not given).

        Returns
        -------
        ndarray of shape (n_texts, n_frames)
        """
        self._check_fitted()
        background = self.background_[self._language_rows(langs, len(scores))]
        gap = np.maximum(self.anchor_level_[None, :] - background, MIN_GAP)
        rel = (scores - background) / gap
        if self.specificity <= 0 or rel.shape[1] < 2:
            return rel
        pos = np.maximum(rel, 0.0)
        unrelated = ~self.related_
        n_unrel = np.maximum(unrelated.sum(axis=1), 1)
        penalty = (pos @ unrelated.T.astype(float)) / n_unrel[None, :]
        return rel - self.specificity * penalty

    def transform(self, sentences: pd.DataFrame, embeddings: np.ndarray) -> pd.DataFrame:
        """The sentence_frames table: one row per (non-fragment sentence, frame).

        Parameters
        ----------
        sentences : DataFrame with sentence_id (and optionally is_fragment, text)
            Rows aligned with ``embeddings``. Fragments are not matched: they
            have no rows.
        embeddings : ndarray of shape (n_sentences, dim)

        Returns
        -------
        DataFrame with columns sentence_id, frame_id, score (similarity to the
        frame's anchors), strength (see :meth:`strength`), matched
        (strength at or above the frame's threshold, and with ``contrast`` a
        margin above 0), margin (contrast margin, best of the sentence and
        its clause windows) and sentence_margin (the whole sentence's own).
        A narrative without examples of its own takes the maximum of its
        sub-narratives and is matched when any of them is.
        """
        self._check_fitted()
        keep = self._kept(sentences, embeddings)
        ids = sentences["sentence_id"].to_numpy()[keep]
        scores = self._raw_scores(sentences, embeddings)
        langs = sentences["lang"].to_numpy()[keep] if "lang" in sentences else None
        strength = self.strength(scores, langs)
        frame_ids = list(self.frame_ids_)
        matched = strength >= self.strength_thresholds_[self._language_rows(langs, len(scores))]
        margin, whole = self._raw_margins(sentences, embeddings)
        if self.contrast:
            matched &= margin > 0
            if self.whole_sentence_lean:
                matched &= whole > 0
        if self.exclusive and strength.shape[1] > 1 and len(strength):
            # only the strongest frame's family: one sentence does not carry unrelated frames at once
            best = np.argmax(strength, axis=1)
            matched &= self.related_[best]
        for parent in self.catalog.frames:
            if parent.anchors:
                continue
            cols = [frame_ids.index(c.id) for c in self.catalog.children(parent.id) if c.id in self.frame_ids_]
            scores = np.column_stack([scores, scores[:, cols].max(axis=1)])
            strength = np.column_stack([strength, strength[:, cols].max(axis=1)])
            matched = np.column_stack([matched, matched[:, cols].any(axis=1)])
            margin = np.column_stack([margin, margin[:, cols].max(axis=1)])
            whole = np.column_stack([whole, whole[:, cols].max(axis=1)])
            frame_ids.append(parent.id)
        n, m = scores.shape
        return pd.DataFrame({
            "sentence_id": np.repeat(ids, m),
            "frame_id": np.tile(np.asarray(frame_ids, dtype=object), n),
            "score": scores.reshape(-1).astype(np.float32),
            "strength": strength.reshape(-1).astype(np.float32),
            "matched": matched.reshape(-1),
            "margin": margin.reshape(-1).astype(np.float32),
            "sentence_margin": whole.reshape(-1).astype(np.float32),
        }, columns=SENTENCE_FRAME_COLUMNS)

    def document_thresholds(self) -> dict[str, float]:
        """The strength a document's score must reach, per frame (narratives: their lowest child's).

        With reference calibration, strength 0.5 (the midpoint between the
        reference's typical sentence and the anchors); the document must also
        hold a matched sentence (:mod:`framing.frames.document`), which carries
        the language's reference floor.
        """
        self._check_fitted()
        out = dict(zip(self.frame_ids_, map(float, self.document_strength_)))
        for parent in self.catalog.frames:
            if not parent.anchors:
                kids = [out[c.id] for c in self.catalog.children(parent.id) if c.id in out]
                if kids:
                    out[parent.id] = min(kids)
        return out

    def predict_texts(self, texts: list[str]) -> pd.DataFrame:
        """Score raw texts (embedded with the matcher's embedder): a wide table of scores and matches."""
        self._check_fitted()
        scores = self.score(self._encode(list(texts))) if texts else np.zeros((0, len(self.frame_ids_)))
        frame = pd.DataFrame(scores, columns=self.frame_ids_)
        frame.insert(0, "text", list(texts))
        return frame
