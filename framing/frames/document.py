"""Document-level frames: a score, a decision and its evidence for every document and frame.

A document uses a frame only where at least one of its sentences matches the
frame on its own (passes the sentence decision of
:class:`framing.frames.FrameMatcher`): those matched sentences are the
decision's evidence, and no document is matched without one. On top of that
evidence, the document's score for a frame is the mean strength of its
strongest sentences, one per ``SENTENCES_PER_TOP`` (10) sentences and at most
``top_k`` (a comment of four sentences: its best one; an article of thirty:
its best three), on the frame's own scale (0 = a typical sentence, 1 = the
frame's anchors; see :meth:`framing.frames.FrameMatcher.strength`), and it
must reach the document threshold. One stray matched sentence therefore does
not make a long article use a frame, while a short comment can.

The document threshold (``calibration``):

- ``sentence`` (the default): the matcher's document threshold, fixed by
  the catalog and the reference sample (strength 0.5 with reference
  calibration): a document's decision depends on that document alone.
- ``mixture`` (corpus-relative): label-free, from the corpus's own
  distribution of document scores, fitted separately for documents scored
  by a single sentence (at most ten sentences) and documents scored by
  pooling several: a two-component Gaussian mixture with one shared variance
  is fitted to each frame's document scores, and a document is matched when
  the posterior of the higher component is at least 0.5 (``confidence``).
  The threshold never sinks below strength 0 (a typical sentence). With
  fewer than ``MIN_MIXTURE_DOCUMENTS`` documents in a group the sentence
  threshold applies instead. Decisions then move with the rest of the corpus.

The document rule (``rule``):

- ``support`` (the default when the sentence table has a ``margin`` column):
  a document uses a frame when enough of its sentences *lean* toward it
  (contrast margin above 0, :mod:`framing.frames.margin`: nearer the frame's
  anchors than to any ordinary reference sentence, any near miss of the
  catalog and any unrelated frame's anchors): one per ``SENTENCES_PER_TOP``
  (10) sentences, at least one and at most ``top_k``, the same count the
  score pools. An article frames an issue over several sentences, each of
  which may lean toward the frame without stating it outright; a single
  leaning sentence in a long article is not enough. Nothing here depends on
  the other documents, and there is no threshold on a scale: the zero of the
  margin is where a non-use is as near as the frame. A decision resting on a
  single leaning sentence also needs that sentence (or another) to pass the
  sentence decision (``matched``): one passage alone must read as the frame
  on its own. With ``whole_sentence`` (and a ``sentence_margin`` column),
  at least one of the leaning sentences must lean as a whole sentence, not
  only through one of its clause windows: a decision rests on at least one
  passage that reads as the frame on its own. ``support`` counts the
  leaning sentences; the evidence is the leaning sentences, strongest first.
- ``score``: the score and threshold below, and at least one matched sentence.

Evidence columns: ``evidence_ids`` lists the matched sentences that carry a
matched decision, strongest first (at most ``max(top_k, 1)``; empty when the
document does not use the frame), ``evidence_strengths`` their strengths, and
``evidence_id`` the first of them (the strongest sentence when not matched).

Examples
--------
>>> import pandas as pd
>>> joined = pd.DataFrame({"doc_id": ["d1"] * 3 + ["d2"] * 3, "sentence_id": list("abcdef"),
...                        "frame_id": ["f"] * 6, "score": [.7, .6, .1, .7, .1, .1],
...                        "strength": [.9, .8, .1, .9, .1, .1], "matched": [1, 1, 0, 0, 0, 0]})
>>> t = document_frame_table(joined, {"f": 0.5}, top_k=2, calibration="sentence")
>>> t[["doc_id", "score", "matched", "matched_sentences", "evidence_ids"]].round(2).values.tolist()
[['d1', 0.9, True, 2, ['a', 'b']], ['d2', 0.9, False, 0, []]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DOCUMENT_FRAME_COLUMNS = ["doc_id", "frame_id", "score", "matched", "confidence", "threshold", "matched_sentences",
                          "share", "max_score", "evidence_id", "evidence_ids", "evidence_strengths", "sentences",
                          "method", "support"]
RULES = ("support", "score")
MIN_MIXTURE_DOCUMENTS = 30
SENTENCES_PER_TOP = 10


def _top_k_mean(values: pd.Series, k: int) -> float:
    v = np.sort(values.to_numpy(dtype=float))[::-1]
    k = max(1, min(k, -(-len(v) // SENTENCES_PER_TOP)))
    return float(v[:k].mean()) if len(v) else float("nan")


def mixture_threshold(scores: np.ndarray, seed: int = 42) -> tuple[float, np.ndarray, dict]:
    """Split document scores into "uses the frame" and "does not" with a tied two-Gaussian mixture.

    Parameters
    ----------
    scores : ndarray of shape (n_documents,)
    seed : int
        Seeds the mixture's initialisations.

    Returns
    -------
    threshold : float
        The lowest score whose posterior of the higher component is >= 0.5.
    posterior : ndarray of shape (n_documents,)
        Posterior of the higher component for each document.
    info : dict
        weight (estimated share of documents using the frame), separation
        (distance between the means in standard deviations), certainty (mean
        of max(p, 1 - p): 1 = every decision clear-cut, 0.5 = coin flips).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = np.r_[rng.normal(0.2, 0.05, 80), rng.normal(0.6, 0.05, 20)]
    >>> thr, post, info = mixture_threshold(x)
    >>> 0.3 < thr < 0.6, round(info["weight"], 1)
    (True, 0.2)
    """
    import warnings

    from sklearn.mixture import GaussianMixture

    x = np.asarray(scores, dtype=float).reshape(-1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn's convergence notes are not the user's business
        gm = GaussianMixture(2, covariance_type="tied", n_init=5, random_state=seed).fit(x)
    hi = int(np.argmax(gm.means_.ravel()))
    post = gm.predict_proba(x)[:, hi]
    above = x.ravel()[post >= 0.5]
    threshold = float(above.min()) if len(above) else float(x.max() + 1e-6)
    sd = float(np.sqrt(np.ravel(gm.covariances_)[0]))
    means = np.sort(gm.means_.ravel())
    info = {"weight": float(gm.weights_[hi]), "separation": float((means[1] - means[0]) / sd) if sd > 0 else float("inf"),
            "certainty": float(np.maximum(post, 1 - post).mean())}
    return threshold, post, info


def _needed(sentences: np.ndarray, top_k: int) -> np.ndarray:
    """Leaning sentences a document needs: one per SENTENCES_PER_TOP sentences, at least 1, at most top_k."""
    return np.clip(-(-np.asarray(sentences, dtype=int) // SENTENCES_PER_TOP), 1, max(int(top_k), 1))


def document_frame_table(joined: pd.DataFrame, thresholds: dict[str, float], top_k: int = 3,
                         calibration: str = "sentence", seed: int = 42, rule: str = "support",
                         whole_sentence: bool = True) -> pd.DataFrame:
    """Score and decide every (document, frame) from the document's sentences.

    Parameters
    ----------
    joined : DataFrame
        sentence_frames joined with sentences: doc_id, sentence_id, frame_id,
        score, matched, and ``strength`` (``score`` is used when absent).
    thresholds : dict of str to float
        Per frame, the sentence threshold on the strength scale (0.5 when
        missing): the document threshold when the mixture does not apply.
    top_k : int
        How many of the document's strongest sentences are averaged.
    calibration : "sentence" or "mixture"
        ``sentence``: the given thresholds (fixed: a decision depends on its
        document alone); ``mixture`` (corpus-relative): the label-free
        document threshold of :func:`mixture_threshold` (with at least
        MIN_MIXTURE_DOCUMENTS documents), never below strength 0.
    seed : int
    rule : "support" or "score"
        ``support``: a document uses a frame when at least one per ten of
        its sentences (at least 1, at most ``top_k``) lean toward it, and
        either two lean or one matches (needs a ``margin`` column; without
        one the ``score`` rule applies);
        ``score``: its score reaches the threshold and a sentence matches.
    whole_sentence : bool
        Under ``support``, with a ``sentence_margin`` column (the whole
        sentence's margin, without its clause windows): at least one leaning
        sentence must lean as a whole.

    Returns
    -------
    DataFrame with DOCUMENT_FRAME_COLUMNS, one row per document and frame:
    score (mean strength of the top_k sentences), matched (score >=
    threshold and at least one matched sentence), matched_sentences
    (sentence-level matches), share (of the document's scored sentences),
    max_score (best sentence score), evidence_id, evidence_ids and
    evidence_strengths (the matched sentences behind a matched decision,
    strongest first), sentences, method ("anchors", "anchors+support"),
    support (sentences leaning toward the frame; 0 without a margin).
    """
    if rule not in RULES:
        raise ValueError(f"The 'rule' parameter must be one of {', '.join(RULES)}. Got {rule!r} instead.")
    if joined.empty:
        return pd.DataFrame(columns=DOCUMENT_FRAME_COLUMNS)
    value = "strength" if "strength" in joined else "score"
    leans = joined["margin"].astype(float) > 0 if "margin" in joined else pd.Series(False, index=joined.index)
    whole = (joined["sentence_margin"].astype(float) > 0 if whole_sentence and "sentence_margin" in joined
             else leans)
    data = joined.assign(_v=joined[value].astype(float), matched=joined["matched"].astype(bool), _lean=leans,
                         _whole=whole & leans)
    grouped = data.groupby(["doc_id", "frame_id"], sort=True)
    agg = grouped.agg(matched_sentences=("matched", "sum"), sentences=("sentence_id", "nunique"),
                      max_score=("score", "max"), support=("_lean", "sum"), _whole=("_whole", "sum")).reset_index()
    agg["support"] = agg["support"].astype(int)
    agg["score"] = grouped["_v"].apply(lambda v: _top_k_mean(v, top_k)).to_numpy()
    ranked = data.sort_values(["_v", "sentence_id"], ascending=[False, True])
    best = ranked.drop_duplicates(["doc_id", "frame_id"])
    agg = agg.merge(best[["doc_id", "frame_id", "sentence_id"]].rename(columns={"sentence_id": "evidence_id"}),
                    on=["doc_id", "frame_id"])
    agg["threshold"] = agg["frame_id"].map(lambda f: float(thresholds.get(f, 0.5)))
    agg["confidence"] = np.nan
    agg["method"] = "anchors"
    # A document scored by its single best sentence (at most SENTENCES_PER_TOP sentences, or top_k = 1) and
    # one scored by pooling several sentences have different score distributions (the mean of the best three
    # of forty sentences is higher than the best of two, frame or not): they are never split by one mixture.
    single = np.minimum(max(int(top_k), 1), -(-agg["sentences"].to_numpy(dtype=int) // SENTENCES_PER_TOP)) <= 1
    agg["_single"] = single
    if calibration == "mixture":
        for (fid, _), idx in agg.groupby(["frame_id", "_single"]).groups.items():
            x = agg.loc[idx, "score"].to_numpy(dtype=float)
            if len(x) < MIN_MIXTURE_DOCUMENTS or np.ptp(x) <= 1e-9:
                continue
            thr, post, _ = mixture_threshold(x, seed)
            thr = max(thr, 0.0)  # never below a typical sentence, whatever the mixture makes of this corpus
            agg.loc[idx, "threshold"] = thr
            agg.loc[idx, "confidence"] = np.where(x >= thr, post, 1 - post)
            agg.loc[idx, "method"] = "anchors+mixture"
    elif calibration != "sentence":
        raise ValueError(f"The 'calibration' parameter must be 'mixture' or 'sentence'. Got {calibration!r} instead.")
    # A decision rests on evidence: at least one of the document's sentences matches the frame on its own
    # (issue 21: a mixture fitted to a corpus once matched documents without a single matched sentence).
    if rule == "support" and "margin" in joined and calibration == "sentence":
        agg["threshold"] = _needed(agg["sentences"].to_numpy(), top_k).astype(float)
        # one leaning sentence alone is not enough unless it also passes the sentence decision: a short comment
        # that merely sits nearer a frame than the reference does not use it (seeds: 1 in 24 such did)
        agg["matched"] = ((agg["support"] >= agg["threshold"]) & ((agg["matched_sentences"] > 0) | (agg["support"] >= 2))
                          & (agg["_whole"] > 0))
        agg["method"] = "anchors+support"
        evidence = ranked[ranked["_lean"]].assign(matched=True)
    else:
        agg["matched"] = (agg["score"] >= agg["threshold"]) & (agg["matched_sentences"] > 0)
        evidence = ranked
    agg = _with_evidence(agg, evidence, max(int(top_k), 1))
    agg["matched_sentences"] = agg["matched_sentences"].astype(int)
    agg["share"] = agg["matched_sentences"] / agg["sentences"]
    return agg[DOCUMENT_FRAME_COLUMNS].sort_values(["doc_id", "frame_id"]).reset_index(drop=True)


def _with_evidence(agg: pd.DataFrame, ranked: pd.DataFrame, n: int) -> pd.DataFrame:
    """Evidence columns: the strongest matched sentences of each matched (document, frame)."""
    hits = ranked[ranked["matched"]].groupby(["doc_id", "frame_id"], sort=False).head(n)
    lists = hits.groupby(["doc_id", "frame_id"], sort=False).agg(
        _ids=("sentence_id", list), _str=("_v", lambda v: [round(float(x), 4) for x in v]))
    agg = agg.merge(lists.reset_index(), on=["doc_id", "frame_id"], how="left")
    used = agg["matched"].to_numpy(dtype=bool)
    agg["evidence_ids"] = [list(i) if u and isinstance(i, list) else [] for i, u in zip(agg["_ids"], used)]
    agg["evidence_strengths"] = [list(v) if u and isinstance(v, list) else [] for v, u in zip(agg["_str"], used)]
    agg["evidence_id"] = [ids[0] if ids else e for ids, e in zip(agg["evidence_ids"], agg["evidence_id"])]
    return agg.drop(columns=["_ids", "_str"])


def apply_document_decisions(table: pd.DataFrame, decisions: pd.DataFrame | None) -> pd.DataFrame:
    """Replace score, matched and threshold of the frames a trained classifier decides.

    ``decisions`` has doc_id, frame_id, score, matched, threshold, method
    and confidence (e.g. from :meth:`framing.frames.train.TrainedFrames.predict_documents`);
    frames it does not cover keep the anchor-based decision.
    """
    if decisions is None or decisions.empty or table.empty:
        return table
    keyed = table.set_index(["doc_id", "frame_id"])
    dec = decisions.set_index(["doc_id", "frame_id"])
    common = keyed.index.intersection(dec.index)
    keyed["confidence"] = keyed["confidence"].astype(float)
    for col in ("score", "matched", "confidence", "threshold", "method"):
        keyed.loc[common, col] = dec.loc[common, col]
    keyed["matched"] = keyed["matched"].astype(bool)
    return keyed.reset_index()[DOCUMENT_FRAME_COLUMNS]
