"""Technique scorers by name: ``catalog`` (zero-shot, like frame catalogs) and ``trained`` (a fitted model).

Both take the scored sentences (rows aligned with their embeddings) and
return :class:`~framing.techniques.tables.Decisions`: a score and a decision
per sentence and technique, and the located spans.

- ``catalog``: each technique of the catalog is matched like a frame
  (:class:`framing.frames.FrameMatcher` with the frame catalogs' defaults:
  reference calibration, so a decision depends on the sentence alone;
  specificity 0.5; a sentence matched to its strongest technique only);
  ``document`` techniques (repetition) are never decided zero-shot; a ``clause``
  technique is decided only when the sentence also holds one of its cue words
  (two independent signals: read by eye on the seeds, a whole-sentence
  decision on the embedding alone was right 2 times in 22); spans are the
  catalog's cue words (``keywords``) of ``word`` techniques found in the
  text, and the whole sentence for a matched ``clause`` technique.
- ``trained``: :class:`framing.techniques.model.TechniqueModel`: the gate
  decides "propaganda or not" per sentence; only in the sentences it passes
  do the technique classifiers, the token tagger (where) and the span
  classifier (which technique) decide; a passed sentence with neither gets
  the technique nearest its threshold; a matched clause technique without a
  span of its own gets the sentence as its span.

Examples
--------
>>> sorted(technique_scorers.names())
['catalog', 'trained']
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from ..registry import Registry
from .features import sentence_tokens
from .model import document_texts
from .tables import SPAN_DECISION_COLUMNS, Decisions

technique_scorers: Registry = Registry("technique_scorers")

Encode = Callable[[list], np.ndarray]


def _sentence_spans(dec_matched: np.ndarray, sentences: pd.DataFrame, catalog, have: set,
                    scores: np.ndarray) -> list[dict]:
    """The sentence itself as the span of each matched clause technique that has no shorter span in it."""
    out = []
    starts, ends = sentences["start"].to_numpy(dtype=int), sentences["end"].to_numpy(dtype=int)
    for j, tid in enumerate(catalog.ids):
        if catalog.span_of(tid) != "clause":
            continue
        for r in np.flatnonzero(dec_matched[:, j]):
            if (int(r), tid) not in have:
                out.append({"row": int(r), "technique_id": tid, "start": int(starts[r]), "end": int(ends[r]),
                            "score": float(scores[r, j]), "method": "sentence"})
    return out


def _cue_pattern(words) -> re.Pattern | None:
    words = sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)


def _cue_present(catalog, ids: list, texts: list) -> np.ndarray:
    """Per sentence and technique: True for word and document techniques; for a clause technique, whether
    the sentence holds one of its cue words, shape (n_sentences, n_techniques)."""
    out = np.ones((len(texts), len(ids)), bool)
    for j, tid in enumerate(ids):
        if catalog.span_of(tid) == "clause":
            pattern = _cue_pattern(catalog.get(tid).keywords)
            out[:, j] = [bool(pattern.search(t)) for t in texts] if pattern is not None else False
    return out


def catalog_matcher(catalog, embedder, cache=None, seed: int = 42):
    """The catalog's techniques as a fitted :class:`~framing.frames.FrameMatcher` (reference calibration)."""
    import warnings

    from ..errors import FrameWarning
    from ..frames.match import FrameMatcher

    with warnings.catch_warnings():
        # Techniques are devices, not subjects: their anchors are meant to be spread over many subjects, so the
        # frame-catalog advice "anchors too far apart" would fire on every one of them.
        warnings.simplefilter("ignore", FrameWarning)
        # the frame catalogs' defaults (configs/default.yaml frames:): a generic sentence near every technique
        # matches none, and a sentence is matched to its strongest technique only
        return FrameMatcher(catalog.frames, embedder, calibration="reference", cache=cache, specificity=0.5,
                            exclusive=True).fit()


def classify_spans_catalog(matcher, span_vectors: np.ndarray) -> list[str]:
    """Zero-shot technique of each span: the technique whose anchors it is nearest (relative strength)."""
    if not len(span_vectors):
        return []
    strength = matcher.strength(matcher.score(span_vectors))
    return [matcher.frame_ids_[j] for j in strength.argmax(axis=1)]


def classify_spans_trained(model, spans: pd.DataFrame, span_vectors: np.ndarray, sentences: pd.DataFrame,
                           vectors: np.ndarray, doc_texts: dict) -> list[str]:
    """The trained span classifier's technique for each given span (doc_id, start, end)."""
    if not len(spans):
        return []
    p = model.span_proba(model.span_matrix(spans, span_vectors, sentences, vectors, doc_texts))
    return [model.span_classes_[j] for j in p.argmax(axis=1)]


@technique_scorers.register("catalog")
def score_catalog(catalog, sentences: pd.DataFrame, vectors: np.ndarray, *, embedder, cache=None, seed: int = 42,
                  sentence_spans: bool = True, corroborate: bool = True, **_ignored) -> Decisions:
    """Zero-shot decisions from the catalog's definitions, anchors and cue words (see the module docstring).

    ``corroborate``: a clause technique is decided for a sentence only when the sentence is near its examples
    *and* holds one of its cue words (a technique without cue words is then never decided zero-shot).
    """
    matcher = catalog_matcher(catalog, embedder, cache, seed)
    sf = matcher.transform(sentences.reset_index(drop=True), vectors)
    ids = list(catalog.ids)
    pos = pd.Index(sentences["sentence_id"]).get_indexer(sf["sentence_id"])
    col = pd.Index(ids).get_indexer(sf["frame_id"])
    scores = np.zeros((len(sentences), len(ids)))
    matched = np.zeros((len(sentences), len(ids)), bool)
    ok = (pos >= 0) & (col >= 0)
    scores[pos[ok], col[ok]] = sf["strength"].to_numpy()[ok]
    matched[pos[ok], col[ok]] = sf["matched"].to_numpy()[ok]
    # a device seen only across a text (repetition) is not in one sentence's meaning: zero-shot never decides it
    matched[:, [j for j, t in enumerate(ids) if catalog.span_of(t) == "document"]] = False
    spans, have = [], set()
    texts, starts = sentences["text"].astype(str).tolist(), sentences["start"].to_numpy(dtype=int)
    if corroborate:
        matched &= _cue_present(catalog, ids, texts)
    for j, tid in enumerate(ids):
        if catalog.span_of(tid) != "word":
            continue
        pattern = _cue_pattern(catalog.get(tid).keywords)
        if pattern is None:
            continue
        for r, text in enumerate(texts):
            for m in pattern.finditer(text):
                spans.append({"row": r, "technique_id": tid, "start": int(starts[r] + m.start()),
                              "end": int(starts[r] + m.end()), "score": float(scores[r, j]), "method": "keyword"})
                have.add((r, tid))
    if sentence_spans:
        spans += _sentence_spans(matched, sentences, catalog, have, scores)
    thresholds = np.full(len(ids), np.nan)  # per language (reference calibration)
    return Decisions(ids, scores, matched, thresholds, pd.DataFrame(spans, columns=SPAN_DECISION_COLUMNS), "catalog")


def tagged_spans(toks: pd.DataFrame, proba: np.ndarray, threshold: float) -> pd.DataFrame:
    """Runs of consecutive tokens of one sentence whose probability reaches ``threshold``.

    A single token below it between two tokens above (a comma, "and") does not break a run.

    Returns
    -------
    DataFrame with row, start, end (offsets of the first and last token), score (mean token probability)
    """
    on = proba >= threshold
    row = toks["row"].to_numpy()
    n = len(on)
    bridge = np.zeros(n, bool)
    if n > 2:
        bridge[1:-1] = ~on[1:-1] & on[:-2] & on[2:] & (row[:-2] == row[1:-1]) & (row[1:-1] == row[2:])
    keep = on | bridge
    out = []
    i = 0
    starts, ends = toks["start"].to_numpy(), toks["end"].to_numpy()
    while i < n:
        if not keep[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and keep[j + 1] and row[j + 1] == row[i]:
            j += 1
        out.append({"row": int(row[i]), "start": int(starts[i]), "end": int(ends[j]),
                    "score": float(proba[i:j + 1].mean())})
        i = j + 1
    return pd.DataFrame(out, columns=["row", "start", "end", "score"])


def _name_a_technique(matched: np.ndarray, gate: np.ndarray, scores: np.ndarray, thr: np.ndarray,
                      rows_with_spans: set) -> None:
    """A sentence the gate passes with no technique decided and no span located gets the technique whose
    score is highest relative to its threshold (in place): "propaganda" always names a device."""
    if not matched.shape[1]:
        return
    rel = np.where(np.isfinite(thr) & (thr > 0), scores / np.where(thr > 0, thr, 1.0), 0.0)
    for r in np.flatnonzero(gate & ~matched.any(axis=1)):
        if int(r) not in rows_with_spans and rel[r].max() > 0:
            matched[r, int(np.argmax(rel[r]))] = True


@technique_scorers.register("trained")
def score_trained(catalog, sentences: pd.DataFrame, vectors: np.ndarray, *, model, encode: Encode,
                  doc_texts: dict | None = None, sentence_spans: bool = True, **_ignored) -> Decisions:
    """Decisions of a fitted :class:`~framing.techniques.model.TechniqueModel` (see the module docstring).

    ``encode(texts)`` embeds the located spans with the run's embedder (through its cache).
    """
    sentences = sentences.reset_index(drop=True)
    ids = list(catalog.ids)
    proba = model.sentence_proba(sentences, vectors)
    col = [list(model.technique_ids).index(t) if t in model.technique_ids else None for t in ids]
    scores = np.column_stack([proba[:, c] if c is not None else np.zeros(len(sentences)) for c in col]) \
        if ids else np.zeros((len(sentences), 0))
    thr = np.array([model.sentence_thresholds_[c] if c is not None else np.inf for c in col])
    doc_thr = np.array([model.document_thresholds_[c] if c is not None else np.inf for c in col])
    toks = sentence_tokens(sentences)
    gate_score = model.gate_proba(sentences, vectors, toks)
    gate = gate_score >= model.gate_.threshold_
    # techniques are named only where the gate says "propaganda": an OR of fourteen classifiers and the
    # tagger's fragments would mark nearly every sentence
    matched = gate[:, None] & (scores >= thr[None, :])
    found = tagged_spans(toks, model.token_proba(toks, gate_score), model.tagger_threshold_)
    found = found[gate[found["row"].to_numpy(dtype=int)]].reset_index(drop=True)
    spans = []
    if len(found):
        texts = doc_texts or document_texts(sentences)
        found = found.assign(doc_id=sentences["doc_id"].astype(str).to_numpy()[found["row"].to_numpy()])
        span_texts = [texts[d][a:b] for d, a, b in zip(found["doc_id"], found["start"], found["end"])]
        X = model.span_matrix(found, encode(span_texts), sentences, vectors, texts)
        p = model.span_proba(X)
        best = p.argmax(axis=1)
        for k, (r, a, b, s) in enumerate(zip(found["row"], found["start"], found["end"], found["score"])):
            tid = model.span_classes_[best[k]]
            if tid in ids:
                spans.append({"row": int(r), "technique_id": tid, "start": int(a), "end": int(b),
                              "score": float(p[k, best[k]] * s), "method": "tagger"})
    _name_a_technique(matched, gate, scores, thr, {s["row"] for s in spans})
    if sentence_spans:
        have = {(s["row"], s["technique_id"]) for s in spans}
        spans += _sentence_spans(matched, sentences, catalog, have, scores)
    return Decisions(ids, scores, matched, np.where(np.isfinite(thr), thr, np.nan),
                     pd.DataFrame(spans, columns=SPAN_DECISION_COLUMNS), "trained", doc_thr)
