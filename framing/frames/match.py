"""Matching sentences to frames: :class:`FrameMatcher` (scikit-learn contract).

Examples
--------
>>> matcher = FrameMatcher(load_catalog("us-middle-east"), embedder).fit()   # doctest: +SKIP
>>> sentence_frames = matcher.transform(sentences, embeddings)              # doctest: +SKIP
"""

from __future__ import annotations

import logging
import re
import warnings

import numpy as np
import pandas as pd

from ..errors import CatalogError, FrameWarning, NotFittedError
from .calibrate import best_threshold, frame_scores
from .catalog import FrameCatalog

logger = logging.getLogger(__name__)

# The least distance (cosine) between a frame's anchors and the typical sentence that can be told apart: below it,
# in a language where the anchors stand no higher than ordinary text, a strength would divide by almost nothing.
MIN_GAP = 0.02
SENTENCE_FRAME_COLUMNS = ["sentence_id", "frame_id", "score", "strength", "matched"]
FALLBACK_THRESHOLD = 0.5
MIN_CORPUS_SENTENCES = 20
REFERENCE_QUANTILE = 0.99
"""A frame's sentence threshold never sits below this quantile of the reference sentences' scores for it:
at most about one ordinary sentence in a hundred passes it (chosen, not fitted to any labels)."""
_CHUNK = 4096
_CLAUSE_SPLIT = re.compile(r"\s*(?:[,;:()\u2013\u2014]|\s-\s|\.{2,})\s*")


def clause_windows(text: str, min_words: int = 4, min_sentence_words: int = 16) -> list[str]:
    """Spans of one or two consecutive clauses of a long sentence.

    A long sentence often asserts a frame in one clause or apposition ("the
    US, the greatest terrorist entity on earth, attacked ..."), which the
    embedding of the whole sentence dilutes. Sentences shorter than
    ``min_sentence_words`` give no windows.

    Examples
    --------
    >>> clause_windows("Unbelievable: the US, the greatest terror entity on our earth, illegally present "
    ...                "on Syrian soil, attacked Syrian troops near Khusham and killed more than 100 fighters.")[:2]
    ['the US, the greatest terror entity on our earth', 'the greatest terror entity on our earth']
    """
    if len(text.split()) < min_sentence_words:
        return []
    parts = [p for p in _CLAUSE_SPLIT.split(text) if p.strip()]
    seps = [m.group(0) for m in _CLAUSE_SPLIT.finditer(text)]
    if len(parts) < 2:
        return []
    windows = []
    for i, part in enumerate(parts):
        for j in (i, i + 1):
            if j >= len(parts) or (j == i + 1 and len(parts) == 2):
                continue
            span = part if j == i else part + (seps[i].strip() or " ") + " " + parts[j]
            span = re.sub(r"\s+", " ", span).strip()
            if len(span.split()) >= min_words and span not in windows:
                windows.append(span)
    return windows


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


class FrameMatcher:
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
    seed : int
        Kept for the estimator contract; matching has no random step.
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
                 seed=42, top_k=2, beta=0.5, clauses=True, calibration="corpus", specificity=0.0, cache=None,
                 exclusive=False, reference_quantile=REFERENCE_QUANTILE, near_miss_floor=False):
        self.catalog = catalog
        self.embedder = embedder
        self.threshold = threshold
        self.negative_weight = negative_weight
        self.seed = seed
        self.top_k = top_k
        self.beta = beta
        self.clauses = clauses
        self.calibration = calibration
        self.specificity = specificity
        self.cache = cache
        self.exclusive = exclusive
        self.reference_quantile = reference_quantile
        self.near_miss_floor = near_miss_floor

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Every text the matcher embeds goes through the embedding cache (when one is given)."""
        from ..embed import embed_texts

        vectors, _ = embed_texts(list(texts), self.embedder, self.cache)
        return vectors

    # -- fitting ---------------------------------------------------------
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

    def _calibrate(self, frames) -> tuple[dict[str, float], pd.DataFrame]:
        fixed = self.threshold if isinstance(self.threshold, dict) else {}
        if not isinstance(self.threshold, (dict, str)):
            value = float(self.threshold)
            rows = [{"frame_id": f.id, "n_anchors": len(f.anchors), "n_negatives": len(f.near_misses),
                     "threshold": value, "f_beta": np.nan, "source": "fixed",
                     **dict(zip(("anchor_level", "anchor_background"), self._levels(i)))} for i, f in enumerate(frames)]
            return {f.id: value for f in frames}, pd.DataFrame(rows)
        if isinstance(self.threshold, str) and self.threshold != "calibrated":
            raise CatalogError(f"The 'threshold' parameter must be 'calibrated', a number or a dict. "
                               f"Got {self.threshold!r} instead.")
        thresholds, rows = {}, []
        for i, frame in enumerate(frames):
            if frame.id in fixed:
                value, fb, source = float(fixed[frame.id]), np.nan, "fixed"
            else:
                value, fb, source = self._calibrate_one(frames, i)
            thresholds[frame.id] = value
            level, background = self._levels(i)
            rows.append({"frame_id": frame.id, "n_anchors": len(frame.anchors), "n_negatives": len(frame.near_misses),
                         "threshold": value, "f_beta": fb, "source": source, "anchor_level": level,
                         "anchor_background": background})
        return thresholds, pd.DataFrame(rows)

    def _levels(self, i: int) -> tuple[float, float]:
        """Typical score of frame i's anchors (each against the others) and of the unrelated frames' anchors."""
        own = self.anchor_owner_ == i
        A = self.anchor_vectors_[own]
        N = self.negative_vectors_[self.negative_owner_ == i]
        neg = A @ N.T if len(N) else None
        if len(A) >= 2:
            sp = A @ A.T
            np.fill_diagonal(sp, -np.inf)
            level = float(np.mean(frame_scores(sp, neg, self.top_k, self.negative_weight)))
        else:
            level = float(np.mean(frame_scores(A @ A.T, neg, self.top_k, self.negative_weight)))
        others = ~np.isin(self.anchor_owner_, np.flatnonzero(self.related_[i]))
        O = self.anchor_vectors_[others]
        if not len(O):
            return level, 0.0
        background = float(np.median(frame_scores(O @ A.T, O @ N.T if len(N) else None, self.top_k, self.negative_weight)))
        return level, background

    def _calibrate_on_corpus(self, sentences: pd.DataFrame | None, embeddings: np.ndarray | None) -> None:
        """Place each frame on the corpus's own scale (label-free).

        The background of a frame is the corpus's median score for it (most
        sentences do not use a given frame); its level is the typical score
        of its anchors. ``strength`` measures a sentence from 0 (the typical
        sentence of the corpus) to 1 (as close as the frame's anchors are to
        each other); the corpus-calibrated threshold is strength 0.5: nearer
        the anchors than the corpus's typical sentence.
        """
        cal = self.calibration_
        level = cal["anchor_level"].to_numpy(dtype=float)
        background = cal["anchor_background"].to_numpy(dtype=float)
        spread = np.full(len(level), np.nan)
        use_corpus = self.calibration == "corpus" and embeddings is not None and sentences is not None
        kept = 0
        if use_corpus:
            raw = self._raw_scores(sentences, embeddings)
            kept = len(raw)
            if kept >= MIN_CORPUS_SENTENCES:
                background = np.median(raw, axis=0)
                spread = 1.4826 * np.median(np.abs(raw - background), axis=0)
            else:
                warnings.warn(f"Only {kept} sentences to calibrate frames on (fewer than {MIN_CORPUS_SENTENCES}); "
                              "thresholds come from the catalog's anchors alone.", FrameWarning, stacklevel=3)
                use_corpus = False
        fixed = self.threshold if isinstance(self.threshold, dict) else {}
        sources = cal["source"].tolist()
        for i, fid in enumerate(self.frame_ids_):
            if not use_corpus or sources[i] == "fixed" or fid in fixed:
                continue
            if level[i] - background[i] < 0.02:
                warnings.warn(f"Frame '{fid}': its anchors are no closer to each other than to this corpus's typical "
                              "sentence; its threshold comes from the anchors alone. Review its examples.",
                              FrameWarning, stacklevel=3)
                continue
            self.thresholds_[fid] = float(background[i] + 0.5 * (level[i] - background[i]))
            sources[i] = "corpus"
        gap = np.maximum(level - background, 1e-6)
        cal = cal.assign(threshold=[self.thresholds_[f] for f in self.frame_ids_], source=sources,
                         background=background, separation=np.where(spread > 0, (level - background) / spread, np.nan))
        self.calibration_ = cal
        self.languages_ = []
        self.anchor_level_, self.background_ = level, np.asarray(background, dtype=float)[None, :]
        self.strength_thresholds_ = ((cal["threshold"].to_numpy() - self.background_[0]) / gap)[None, :]
        self.document_strength_ = self.strength_thresholds_[0].copy()
        self.corpus_sentences_ = kept

    def _calibrate_on_reference(self) -> None:
        """Place each frame against the fixed reference sample, per language (see ``calibration``).

        The reference's texts go through the embedding cache like every text;
        their scores (clause windows included) give, per language and frame,
        the background (median), its spread and the ``reference_quantile``
        score; the last row pools every reference language, for sentences in
        other languages. Fixed thresholds are kept as given.
        """
        from .reference import reference_sentences

        ref = reference_sentences()
        raw = self._raw_scores(ref, self._encode(ref["text"].tolist()))
        langs = sorted(ref["lang"].unique())
        groups = [ref["lang"].to_numpy() == lang for lang in langs] + [np.ones(len(ref), bool)]
        q = float(self.reference_quantile)
        background = np.vstack([np.median(raw[g], axis=0) for g in groups])
        high = np.vstack([np.quantile(raw[g], q, axis=0) for g in groups])
        spread = 1.4826 * np.median(np.abs(raw - background[-1]), axis=0)
        cal = self.calibration_
        level = cal["anchor_level"].to_numpy(dtype=float)
        fixed = self.threshold if isinstance(self.threshold, dict) else {}
        sources = cal["source"].tolist()
        thresholds = np.empty_like(background)
        document = np.empty(len(level))
        for i, fid in enumerate(self.frame_ids_):
            if sources[i] == "fixed" or fid in fixed:
                thresholds[:, i] = self.thresholds_[fid]
                document[i] = self.thresholds_[fid]
                continue
            if level[i] - background[-1, i] < MIN_GAP:
                warnings.warn(f"Frame '{fid}': its anchors are no closer to each other than to ordinary sentences "
                              "(the reference sample); its threshold comes from the anchors alone. Review its examples.",
                              FrameWarning, stacklevel=3)
                mid = np.full(len(background), self.thresholds_[fid])
            else:
                mid = background[:, i] + 0.5 * (level[i] - background[:, i])
                sources[i] = "reference"
            # never below what ordinary sentences of the language score (issue 21: no threshold below the background)
            thresholds[:, i] = np.maximum(mid, high[:, i])
            document[i] = mid[-1]
        gap = np.maximum(level[None, :] - background, MIN_GAP)
        if self.near_miss_floor:
            for i, fid in enumerate(self.frame_ids_):
                near = self._near_miss_level(i)
                if sources[i] != "reference" or not np.isfinite(near):
                    continue
                floor = 0.5 * (1.0 + max((near - background[-1, i]) / gap[-1, i], 0.0))  # strength of the midpoint
                thresholds[:, i] = np.maximum(thresholds[:, i], background[:, i] + floor * gap[:, i])
        self.thresholds_ = {fid: float(thresholds[-1, i]) for i, fid in enumerate(self.frame_ids_)}
        self.calibration_ = cal.assign(
            threshold=thresholds[-1], source=sources, background=background[-1], reference_high=high[-1],
            separation=np.where(spread > 0, (level - background[-1]) / spread, np.nan))
        self.languages_ = langs
        self.anchor_level_, self.background_ = level, background
        self.strength_thresholds_ = (thresholds - background) / gap
        self.document_strength_ = (document - background[-1]) / gap[-1]
        self.corpus_sentences_ = 0
        self.reference_sentences_ = {lang: int(g.sum()) for lang, g in zip(langs, groups)}

    def _near_miss_level(self, i: int) -> float:
        """Typical score of frame i's near misses, each scored as a sentence (the others as its near misses)."""
        A = self.anchor_vectors_[self.anchor_owner_ == i]
        N = self.negative_vectors_[self.negative_owner_ == i]
        if not len(N) or not len(A):
            return float("nan")
        sn = N @ N.T
        np.fill_diagonal(sn, -np.inf)
        return float(np.mean(frame_scores(N @ A.T, sn, self.top_k, self.negative_weight)))

    def _language_rows(self, langs, n: int) -> np.ndarray:
        """Row of ``background_`` for each text: its language's, or the last (pooled) row."""
        last = len(self.background_) - 1
        if langs is None or not self.languages_:
            return np.full(n, last, dtype=int)
        index = {lang: i for i, lang in enumerate(self.languages_)}
        return np.array([index.get(str(lang), last) for lang in langs], dtype=int)


    def _calibrate_one(self, frames, i: int) -> tuple[float, float, str]:
        own = self.anchor_owner_ == i
        A = self.anchor_vectors_[own]
        N = self.negative_vectors_[self.negative_owner_ == i]
        if len(A) < 2:
            warnings.warn(f"Frame '{frames[i].id}' has fewer than 2 anchors; its threshold falls back to "
                          f"{FALLBACK_THRESHOLD}. Add examples to calibrate it.", FrameWarning, stacklevel=3)
            return FALLBACK_THRESHOLD, float("nan"), "fallback"
        # positives: each anchor against the others (leave one out)
        sp = A @ A.T
        np.fill_diagonal(sp, -np.inf)
        pos = frame_scores(sp, A @ N.T if len(N) else None, self.top_k, self.negative_weight)
        # negatives: anchors of unrelated frames, and the frame's own near misses
        others = ~np.isin(self.anchor_owner_, np.flatnonzero(self._related(frames, i)))
        O = self.anchor_vectors_[others]
        neg_o = frame_scores(O @ A.T, O @ N.T if len(N) else None, self.top_k, self.negative_weight)
        if len(N):
            sn = N @ N.T
            np.fill_diagonal(sn, -np.inf)
            neg_n = frame_scores(N @ A.T, sn, self.top_k, self.negative_weight)
        else:
            neg_n = np.empty(0)
        scores = np.concatenate([pos, neg_o, neg_n])
        labels = np.r_[np.ones(len(pos), bool), np.zeros(len(neg_o) + len(neg_n), bool)]
        value, fb = best_threshold(scores, labels, beta=self.beta)
        if fb < 0.5:
            warnings.warn(f"Frame '{frames[i].id}' is hard to separate from the other frames on its own anchors "
                          f"(F={fb:.2f}); review its examples.", FrameWarning, stacklevel=3)
        return value, fb, "calibrated"

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

    def _clause_max(self, texts, scores: np.ndarray) -> np.ndarray:
        windows, owner = [], []
        for i, text in enumerate(texts):
            spans = clause_windows(str(text))
            windows += spans
            owner += [i] * len(spans)
        if not windows:
            return scores
        logger.info("Scoring %d clause windows of %d long sentences", len(windows), len(set(owner)))
        win_scores = self.score(self._encode(windows))
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
        frame's anchors), strength (see :meth:`strength`) and matched
        (strength at or above the frame's threshold). A narrative without
        examples of its own takes the maximum of its sub-narratives and is
        matched when any of them is.
        """
        self._check_fitted()
        keep = self._kept(sentences, embeddings)
        ids = sentences["sentence_id"].to_numpy()[keep]
        scores = self._raw_scores(sentences, embeddings)
        langs = sentences["lang"].to_numpy()[keep] if "lang" in sentences else None
        strength = self.strength(scores, langs)
        frame_ids = list(self.frame_ids_)
        matched = strength >= self.strength_thresholds_[self._language_rows(langs, len(scores))]
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
            frame_ids.append(parent.id)
        n, m = scores.shape
        return pd.DataFrame({
            "sentence_id": np.repeat(ids, m),
            "frame_id": np.tile(np.asarray(frame_ids, dtype=object), n),
            "score": scores.reshape(-1).astype(np.float32),
            "strength": strength.reshape(-1).astype(np.float32),
            "matched": matched.reshape(-1),
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
