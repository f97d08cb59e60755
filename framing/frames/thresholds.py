"""Thresholds of a :class:`~framing.frames.match.FrameMatcher`: each frame placed on a scale of its own.

:class:`MatcherCalibration` holds the matcher's calibration steps (a mixin of
``FrameMatcher``; it reads the fitted anchor vectors and writes the
``thresholds_``, ``calibration_``, ``background_`` and
``strength_thresholds_`` attributes): thresholds learned on the catalog's
anchors (:meth:`_calibrate`), placed against the corpus
(``calibration="corpus"``) or against the fixed reference sample
(``calibration="reference"``, the default).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..errors import CatalogError, FrameWarning
from .calibrate import best_threshold, frame_scores

# The least distance (cosine) between a frame's anchors and the typical sentence that can be told apart: below it,
# in a language where the anchors stand no higher than ordinary text, a strength would divide by almost nothing.
MIN_GAP = 0.02
FALLBACK_THRESHOLD = 0.5
MIN_CORPUS_SENTENCES = 20
REFERENCE_QUANTILE = 0.99
"""A frame's sentence threshold never sits below this quantile of the reference sentences' scores for it:
at most about one ordinary sentence in a hundred passes it (chosen, not fitted to any labels)."""


class MatcherCalibration:
    """The calibration steps of :class:`~framing.frames.match.FrameMatcher` (see its ``calibration`` parameter)."""

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
