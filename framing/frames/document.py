"""Document-level frames: a score and a decision for every document and frame.

A document uses a frame when several of its sentences are near the frame,
not when one sentence somewhere crosses the sentence threshold. The
document's score for a frame is the mean strength of its strongest
sentences, one per ``SENTENCES_PER_TOP`` (10) sentences and at most
``top_k`` (a comment of four sentences: its best one; an article of thirty:
its best three), on the frame's own scale (0 = the
corpus's typical sentence, 1 = the frame's anchors; see
:meth:`framing.frames.FrameMatcher.strength`). One stray sentence therefore
does not make a long article use a frame, while a short comment can.

The document threshold is label-free, from the corpus's own distribution of
document scores (``calibration="mixture"``), fitted separately for documents
scored by a single sentence (at most ten sentences) and documents scored by
pooling several (their scores are distributed differently): a two-component Gaussian
mixture with one shared variance (documents that use the frame and documents
that do not; Fisher's equal-variance two-class model) is fitted to each
frame's document scores, and a document is matched when the posterior of the
higher component is at least 0.5; a document scored by a single sentence (at
most ten sentences) is matched only if that sentence is itself matched
(its decision is a sentence decision); ``confidence`` is that posterior. The
share of documents a frame is found in thus follows the corpus instead of
being fixed by the catalog's anchors. With fewer than
``MIN_MIXTURE_DOCUMENTS`` documents in a group the sentence threshold applies instead.

Examples
--------
>>> import pandas as pd
>>> joined = pd.DataFrame({"doc_id": ["d1"] * 3 + ["d2"] * 3, "sentence_id": list("abcdef"),
...                        "frame_id": ["f"] * 6, "score": [.7, .6, .1, .7, .1, .1],
...                        "strength": [.9, .8, .1, .9, .1, .1], "matched": [1, 1, 0, 1, 0, 0]})
>>> t = document_frame_table(joined, {"f": 0.5}, top_k=2, calibration="sentence")
>>> t[["doc_id", "score", "matched", "matched_sentences"]].round(2).values.tolist()
[['d1', 0.9, True, 2], ['d2', 0.9, True, 1]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DOCUMENT_FRAME_COLUMNS = ["doc_id", "frame_id", "score", "matched", "confidence", "threshold", "matched_sentences",
                          "share", "max_score", "evidence_id", "sentences", "method"]
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


def document_frame_table(joined: pd.DataFrame, thresholds: dict[str, float], top_k: int = 3,
                         calibration: str = "mixture", seed: int = 42) -> pd.DataFrame:
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
    calibration : "mixture" or "sentence"
        ``mixture``: the label-free document threshold of
        :func:`mixture_threshold` (with at least MIN_MIXTURE_DOCUMENTS
        documents); ``sentence``: the sentence threshold.
    seed : int

    Returns
    -------
    DataFrame with DOCUMENT_FRAME_COLUMNS, one row per document and frame:
    score (mean strength of the top_k sentences), matched (score >=
    threshold), matched_sentences (sentence-level matches), share (of the
    document's scored sentences), max_score (best sentence score),
    evidence_id (the strongest sentence), sentences, method ("anchors").
    """
    if joined.empty:
        return pd.DataFrame(columns=DOCUMENT_FRAME_COLUMNS)
    value = "strength" if "strength" in joined else "score"
    data = joined.assign(_v=joined[value].astype(float), matched=joined["matched"].astype(bool))
    grouped = data.groupby(["doc_id", "frame_id"], sort=True)
    agg = grouped.agg(matched_sentences=("matched", "sum"), sentences=("sentence_id", "nunique"),
                      max_score=("score", "max")).reset_index()
    agg["score"] = grouped["_v"].apply(lambda v: _top_k_mean(v, top_k)).to_numpy()
    best = data.sort_values(["_v", "sentence_id"], ascending=[False, True]).drop_duplicates(["doc_id", "frame_id"])
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
            agg.loc[idx, "threshold"] = thr
            agg.loc[idx, "confidence"] = np.where(x >= thr, post, 1 - post)
            agg.loc[idx, "method"] = "anchors+mixture"
    elif calibration != "sentence":
        raise ValueError(f"The 'calibration' parameter must be 'mixture' or 'sentence'. Got {calibration!r} instead.")
    # A document scored by a single sentence is decided as that sentence is: it uses the frame only if the
    # sentence itself is matched (a mixture fitted where the frame is rare, as in a comment section, would
    # otherwise match short documents whose only evidence is below the sentence threshold). A longer
    # document's score pools several sentences, and the mixture decides it.
    agg["matched"] = (agg["score"] >= agg["threshold"]) & ((agg["matched_sentences"] > 0) | ~single)
    agg["matched_sentences"] = agg["matched_sentences"].astype(int)
    agg["share"] = agg["matched_sentences"] / agg["sentences"]
    return agg[DOCUMENT_FRAME_COLUMNS].sort_values(["doc_id", "frame_id"]).reset_index(drop=True)


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
