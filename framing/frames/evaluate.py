"""Scoring frame decisions against human labels: the catalog alone, or trained and cross-validated.

A label file (CSV, JSONL or a Label Studio export; see
:func:`framing.frames.labelled.read_labels`) names each item by its
``text`` or by a ``sentence_id`` / ``doc_id`` of a run, with the ids (or
aliases) of the frames it expresses. The items are prepared like ``framing
analyze`` prepares a corpus (language id, sentence splitter, model choice),
and decided like analyze decides: at document level by the document score
and its label-free threshold (:mod:`framing.frames.document`), at sentence
level by the sentence decision. ``cv`` instead trains the per-frame
classifier of :mod:`framing.frames.train` on k-1 folds and decides the k-th.
Intervals are percentile bootstrap intervals over items (seeded).

Examples
--------
>>> result = evaluate_catalog(catalog, read_labels("labels.csv"), embedder)   # doctest: +SKIP
>>> print(format_report(result))                                             # doctest: +SKIP
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..stats import bootstrap_sums
from ..config import FramesConfig
from ..errors import RegistryError
from .calibrate import best_threshold
from .catalog import FrameCatalog
from .document import document_frame_table
from .labelled import LabelledCorpus, prepare_labelled, read_labels, resolve_label_ids
from .match import FrameMatcher

__all__ = ["EvaluationResult", "bootstrap_intervals", "cross_validate", "evaluate_catalog", "evaluate_labelled",
           "evaluate_scorers", "evaluate_trained", "scorer_names",
           "format_report", "multilabel_metrics", "prf", "read_labels"]


@dataclass(frozen=True)
class EvaluationResult:
    """Per-frame and averaged scores of frame decisions on labelled items.

    per_frame : DataFrame with frame_id, support, predicted, tp, fp, fn,
        precision, recall, f1, f1_low, f1_high (bootstrap interval),
        threshold (used), suggested_threshold, suggested_f1 (catalog only).
    micro_f1, macro_f1, micro_precision, micro_recall : float
    intervals : dict of name to (low, high) for micro_precision, micro_recall,
        micro_f1 and macro_f1
    n_items : int
    level : "sentence" or "document"
    method : "catalog" or "trained, k-fold cross-validation"
    model : the embedder spec and why it was chosen
    """

    per_frame: pd.DataFrame
    micro_precision: float
    micro_recall: float
    micro_f1: float
    macro_f1: float
    n_items: int
    level: str
    method: str = "catalog"
    intervals: dict | None = None
    model: str = ""


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (0 where undefined).

    >>> prf(2, 1, 1)
    (0.6666666666666666, 0.6666666666666666, 0.6666666666666666)
    """
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def multilabel_metrics(gold: list[set], pred: list[set], frame_ids: list[str]) -> tuple[pd.DataFrame, dict]:
    """Per-frame counts and P/R/F1, plus micro and macro averages.

    Macro F1 is the mean F1 over frames that occur in the gold labels or in
    the predictions (a frame absent from both has no defined F1).
    """
    rows = []
    for fid in frame_ids:
        tp = sum(fid in g and fid in p for g, p in zip(gold, pred))
        fp = sum(fid not in g and fid in p for g, p in zip(gold, pred))
        fn = sum(fid in g and fid not in p for g, p in zip(gold, pred))
        p, r, f = prf(tp, fp, fn)
        rows.append({"frame_id": fid, "support": tp + fn, "predicted": tp + fp, "tp": tp, "fp": fp, "fn": fn,
                     "precision": p, "recall": r, "f1": f})
    table = pd.DataFrame(rows)
    mp, mr, mf = prf(int(table["tp"].sum()), int(table["fp"].sum()), int(table["fn"].sum()))
    active = table[(table["support"] > 0) | (table["predicted"] > 0)]
    macro = float(active["f1"].mean()) if len(active) else 0.0
    return table, {"micro_precision": mp, "micro_recall": mr, "micro_f1": mf, "macro_f1": macro}


def _f1(tp, fp, fn):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(2 * tp + fp + fn > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1), 0.0)


def bootstrap_intervals(Y: np.ndarray, P: np.ndarray, n_boot: int = 1000, seed: int = 42,
                        level: float = 0.95) -> tuple[np.ndarray, dict]:
    """Percentile bootstrap intervals over items for per-frame F1 and the averages.

    Parameters
    ----------
    Y, P : ndarray of shape (n_items, n_frames) of bool
        Gold labels and decisions.
    n_boot : int
    seed : int
    level : float

    Returns
    -------
    per_frame : ndarray of shape (n_frames, 2)
        (low, high) of each frame's F1.
    averages : dict of name to (low, high)
        micro_precision, micro_recall, micro_f1, macro_f1 (over frames present in the resample).

    Examples
    --------
    >>> Y = np.array([[1, 0], [1, 1], [0, 1], [0, 0]], bool)
    >>> low_high, avg = bootstrap_intervals(Y, Y.copy(), n_boot=50)
    >>> low_high.tolist(), avg["micro_f1"]
    ([[1.0, 1.0], [1.0, 1.0]], (1.0, 1.0))
    """
    Y, P = np.asarray(Y, bool), np.asarray(P, bool)
    tp_i, fp_i, fn_i = (Y & P).astype(int), (~Y & P).astype(int), (Y & ~P).astype(int)
    # counts are whole numbers: the float replicate sums are exact
    tp, fp, fn = bootstrap_sums(tp_i, fp_i, fn_i, n_boot=n_boot, rng=np.random.default_rng(seed))
    f = _f1(tp, fp, fn)
    active = (tp + fn + fp) > 0
    f1s = np.where(active, f, np.nan)  # a frame absent from a resample has no F1 there
    macro, micro_p, micro_r, micro_f = [], [], [], []
    for b in range(n_boot):
        macro.append(f[b, active[b]].mean() if active[b].any() else 0.0)
        p, r, mf = prf(int(tp[b].sum()), int(fp[b].sum()), int(fn[b].sum()))
        micro_p.append(p)
        micro_r.append(r)
        micro_f.append(mf)
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    per_frame = np.full((f1s.shape[1], 2), np.nan)
    seen = ~np.isnan(f1s).all(axis=0)
    per_frame[seen] = np.nanpercentile(f1s[:, seen], q, axis=0).T
    averages = {name: tuple(float(x) for x in np.percentile(values, q))
                for name, values in (("micro_precision", micro_p), ("micro_recall", micro_r),
                                     ("micro_f1", micro_f), ("macro_f1", macro))}
    return per_frame, averages


def _result(gold: list[set], P: np.ndarray, ids: list[str], level: str, method: str, model: str,
            seed: int, extra: dict | None = None) -> EvaluationResult:
    pred = [{ids[j] for j in np.flatnonzero(row)} for row in P]
    table, avg = multilabel_metrics(gold, pred, ids)
    Y = np.array([[f in g for f in ids] for g in gold], bool).reshape(len(gold), len(ids))
    per_frame, averages = bootstrap_intervals(Y, P, seed=seed)
    table["f1_low"], table["f1_high"] = per_frame[:, 0], per_frame[:, 1]
    for name, values in (extra or {}).items():
        table[name] = values
    return EvaluationResult(per_frame=table, n_items=len(gold), level=level, method=method, intervals=averages,
                            model=model, **avg)


def evaluate_labelled(catalog: FrameCatalog, corpus: LabelledCorpus, gold: list[set], cfg: FramesConfig | None = None,
                      seed: int = 42, threshold="calibrated", matcher: FrameMatcher | None = None,
                      cache=None) -> EvaluationResult:
    """Decide the labelled items with the catalog alone, exactly as ``analyze`` would, and score the decisions.

    The matcher is calibrated on the labelled items' own sentences, without
    their labels (label-free, like on any corpus).
    """
    P, ids, extra = _anchor_decisions(catalog, corpus, gold, cfg, seed, threshold, matcher, cache)
    return _result(gold, P, ids, corpus.level, "catalog", f"{corpus.model}: {corpus.reason}", seed, extra)


def evaluate_trained(catalog: FrameCatalog, corpus: LabelledCorpus, gold: list[set], trained,
                     cfg: FramesConfig | None = None, seed: int = 42, cache=None) -> EvaluationResult:
    """Decide the labelled items with a saved trained model, as ``analyze`` would, and score the decisions.

    The frames the model covers are decided by it (:meth:`TrainedFrames.predict_documents`,
    each labelled item as one document); the catalog's other frames by the
    anchors, as in a run. The items should be new to the model: items it was
    trained on score too high (use ``cross_validate`` for the training data).

    Parameters
    ----------
    catalog : FrameCatalog
    corpus : LabelledCorpus
        Embedded with the model's embedder (checked).
    gold : list of set of frame ids, one per item
    trained : TrainedFrames
    cfg : FramesConfig, optional
    seed : int

    Raises
    ------
    CatalogError
        When the items were embedded with another embedder than the model's.
    """
    from .train import check_trained_embedder

    check_trained_embedder(trained, corpus.embedder.name, corpus.model, int(corpus.embedder.dim))
    P, ids, _ = _anchor_decisions(catalog, corpus, gold, cfg, seed, "calibrated", None, cache)
    P = P.copy()
    sents = corpus.sentences.assign(doc_id=corpus.sentences["item"].to_numpy(dtype=int))
    decided = trained.predict_documents(sents, corpus.vectors)
    table = decided.pivot(index="doc_id", columns="frame_id", values="matched").reindex(index=range(len(gold)))
    covered = [f for f in trained.classifier.frame_ids_ if f in ids]
    for fid in covered:
        P[:, ids.index(fid)] = table[fid].fillna(False).to_numpy(dtype=bool)
    thresholds = dict(zip(trained.classifier.frame_ids_, trained.classifier.thresholds_))
    extra = {"method": ["trained" if f in covered else "anchors" for f in ids],
             "threshold": [float(thresholds[f]) if f in covered else np.nan for f in ids]}
    how = f"trained model {trained.path.name} ({len(covered)} frames; other frames by the anchors)"
    return _result(gold, P, ids, corpus.level, how, f"{corpus.model}: {corpus.reason}", seed, extra)


def _anchor_decisions(catalog, corpus, gold, cfg, seed, threshold, matcher, cache) -> tuple[np.ndarray, list, dict]:
    """The catalog's own decisions on the items, shape (n_items, n_frames), the frame ids and per-frame extras."""
    cfg = cfg or FramesConfig()
    sents = corpus.sentences
    matcher = matcher or FrameMatcher(catalog, corpus.embedder, threshold=threshold,
                                      negative_weight=cfg.negative_weight, calibration=cfg.calibration,
                                      specificity=cfg.specificity, cache=cache, exclusive=cfg.exclusive,
                                      reference_quantile=cfg.reference_quantile,
                                      near_miss_floor=cfg.near_miss_floor, contrast=cfg.contrast,
                                      whole_sentence_lean=cfg.whole_sentence_lean).fit(sents, corpus.vectors)
    sf = matcher.transform(sents, corpus.vectors)
    ids = list(dict.fromkeys(sf["frame_id"]))
    joined = sf.merge(sents[["sentence_id", "item"]], on="sentence_id").rename(columns={"item": "doc_id"})
    n = len(corpus.items)
    if corpus.level == "document":
        docs = document_frame_table(joined, matcher.document_thresholds(), top_k=cfg.document_top_k,
                                    calibration=cfg.document_calibration, seed=seed,
                                    rule=cfg.document_rule, whole_sentence=cfg.whole_sentence_lean)
        score = docs.pivot(index="doc_id", columns="frame_id", values="score").reindex(index=range(n), columns=ids)
        decided = docs.pivot(index="doc_id", columns="frame_id", values="matched").reindex(index=range(n), columns=ids)
        used = docs.groupby("frame_id")["threshold"].median().reindex(ids)
    else:
        score = joined.pivot_table(index="doc_id", columns="frame_id", values="strength", aggfunc="max").reindex(
            index=range(n), columns=ids)
        decided = joined.pivot_table(index="doc_id", columns="frame_id", values="matched", aggfunc="max").reindex(
            index=range(n), columns=ids)
        used = pd.Series(matcher.document_thresholds()).reindex(ids)
    P = decided.fillna(False).to_numpy(dtype=bool)
    S = score.fillna(-np.inf).to_numpy(dtype=float)
    suggested = [best_threshold(S[:, j], np.array([ids[j] in g for g in gold]), beta=1.0)
                 if any(ids[j] in g for g in gold) else (np.nan, np.nan) for j in range(len(ids))]
    extra = {"threshold": used.to_numpy(dtype=float), "suggested_threshold": [s[0] for s in suggested],
             "suggested_f1": [s[1] for s in suggested]}
    return P, ids, extra


def cross_validate(catalog: FrameCatalog, corpus: LabelledCorpus, gold: list[set], n_splits: int = 5,
                   seed: int = 42, C: float | None = None, pooling: str | None = None,
                   cache=None) -> EvaluationResult:
    """k-fold cross-validated decisions of the trained per-frame classifier (:mod:`framing.frames.train`).

    Folds split items (documents are never split between training and test):
    coded documents are learned as ``frames train`` learns them (``pooling``:
    ``"pooled"``, the default of ``frames train``, ``"stacked"``, ``"sentences"`` or
    ``"mean"``; see :func:`framing.frames.train.make_classifier`).

    A frame with too few coded examples in a training fold (fewer than 3
    positives or negatives) is not decided in that fold: its items count as
    not matched. Folds are seeded and stratified by the number of frames of
    an item (0, 1, 2 or more). ``cache`` (an embedding cache) is used to embed
    the catalog's anchors for the pooled model's prior.
    """
    from sklearn.model_selection import StratifiedKFold

    from .train import DEFAULT_POOLING, classifier_prior, make_classifier, training_matrix

    pooling = pooling or DEFAULT_POOLING
    prior = classifier_prior(pooling, corpus.level, catalog, corpus.embedder, cache)
    ids = [f.id for f in catalog.matchable()]
    X, groups = training_matrix(corpus, pooling)
    Y = np.array([[f in g for f in ids] for g in gold], bool).reshape(len(gold), len(ids))
    strata = np.minimum(Y.sum(axis=1), 2)
    k = int(min(n_splits, np.bincount(strata).max()))
    if k < 2:
        raise ValueError("Too few labelled items for cross-validation: need at least 2 per fold.")
    P = np.zeros_like(Y)
    folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    for train, test in folds.split(np.zeros(len(Y)), strata if np.bincount(strata).min() >= k else np.zeros(len(Y))):
        if groups is None:
            model = make_classifier(pooling, corpus.level, seed=seed, C=C).fit(X[train], Y[train], ids)
            decide = (lambda m: m.predict(X[test]))
        else:  # the training documents' sentences, renumbered 0..len(train)-1
            remap = np.full(len(Y), -1)
            remap[train] = np.arange(len(train))
            rows = remap[groups] >= 0
            model = make_classifier(pooling, corpus.level, seed=seed, C=C, prior=prior).fit(
                X[rows], Y[train], ids, groups=remap[groups][rows])
            remap_te = np.full(len(Y), -1)
            remap_te[test] = np.arange(len(test))
            rows_te = remap_te[groups] >= 0
            decide = (lambda m: m.predict(X[rows_te], remap_te[groups][rows_te])[:len(test)])
        if model.frame_ids_:
            cols = [ids.index(f) for f in model.frame_ids_]
            P[np.ix_(test, cols)] = decide(model)
    how = ("item embeddings" if groups is None else {
        "sentences": "document sentences, top-k pooled",
        "pooled": "the mean and element-wise maximum of the document's sentence embeddings and their "
                  "nearness to the catalog's anchors",
    }.get(pooling, "document sentences and mean embeddings, stacked"))
    return _result(gold, P, ids, corpus.level, f"trained (logistic regression on {how}), {k}-fold cross-validation",
                   f"{corpus.model}: {corpus.reason}", seed)


def evaluate_catalog(catalog: FrameCatalog, labels: pd.DataFrame, embedder, level: str = "auto",
                     sentences: pd.DataFrame | None = None, threshold="calibrated",
                     matcher: FrameMatcher | None = None, cfg=None, run=None) -> EvaluationResult:
    """Prepare labelled items like analyze (with this embedder) and score the catalog's decisions.

    Parameters
    ----------
    catalog : FrameCatalog
    labels : DataFrame from :func:`read_labels`
    embedder : Embedder
    level : "auto", "sentence" or "document"
    sentences : DataFrame, optional
        A run's sentences table, to resolve ``sentence_id`` / ``doc_id``.
    threshold : "calibrated", float or dict
    matcher : FrameMatcher, optional
        An already fitted matcher.
    cfg : Config, optional
    """
    from ..config import Config

    cfg = cfg or Config()
    gold = resolve_label_ids(labels, catalog)
    corpus = prepare_labelled(labels, level, cfg, run=run, embedder=embedder, sentences=sentences)
    return evaluate_labelled(catalog, corpus, gold, cfg.frames, seed=cfg.seed, threshold=threshold, matcher=matcher)


def scorer_names(score: str, has_model: bool, cv: int) -> list[str]:
    """The registered frame scorers ``--score`` asks for, in order (:data:`framing.frames.scorers.FRAME_SCORERS`).

    ``auto``: ``trained`` when the catalog has a saved model or ``cv`` is given, else ``anchors``;
    ``both``: ``anchors`` then ``trained``; otherwise one name or several joined by commas. An
    unknown name raises :class:`~framing.errors.RegistryError` with the registered names.

    >>> scorer_names("both", has_model=False, cv=0), scorer_names("auto", has_model=False, cv=5)
    (['anchors', 'trained'], ['trained'])
    """
    from .scorers import FRAME_SCORERS

    if score == "auto":
        names = ["trained" if (has_model or cv) else "anchors"]
    elif score == "both":
        names = ["anchors", "trained"]
    else:
        names = [n.strip() for n in score.split(",") if n.strip()]
    unknown = [name for name in names if name not in FRAME_SCORERS]
    if unknown or not names:
        close = difflib.get_close_matches(unknown[0], FRAME_SCORERS.names(), n=1) if unknown else []
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise RegistryError(f"The '--score' option must be auto, both or registered frame scorers "
                            f"({', '.join(FRAME_SCORERS.names())}), joined by commas. Got {score!r} instead.{hint}")
    return names


def evaluate_scorers(names: list[str], inp) -> list[EvaluationResult]:
    """Score the decisions of each named frame scorer against the labels of ``inp`` (an ``EvaluationInput``)."""
    from .scorers import FRAME_SCORERS

    return [FRAME_SCORERS.get(name)().evaluate(inp) for name in names]


def format_report(result: EvaluationResult) -> str:
    """A plain-text table of the evaluation, with 95% bootstrap intervals."""
    t = result.per_frame
    has_sug = "suggested_threshold" in t
    lines = [f"{result.n_items} labelled items, {result.level} level, {result.method}",
             f"model: {result.model}" if result.model else "",
             f"{'frame':28} {'sup':>4} {'pred':>4} {'P':>6} {'R':>6} {'F1':>6} {'F1 95% CI':>13}"
             + (f" {'thr':>6} {'sug.thr':>7} {'sug.F1':>6}" if has_sug else "")
             + ("  by" if "method" in t else "")]
    for _, r in t.iterrows():
        line = (f"{r.frame_id[:28]:28} {r.support:>4} {r.predicted:>4} {r.precision:6.3f} {r.recall:6.3f} "
                f"{r.f1:6.3f}  [{r.f1_low:.2f}, {r.f1_high:.2f}]")
        if has_sug:
            line += f" {r.threshold:6.3f} {r.suggested_threshold:7.3f} {r.suggested_f1:6.3f}"
        if "method" in t:
            line += f"  {r.method}"
        lines.append(line)
    ci = result.intervals or {}

    def _ci(name):
        return f" [{ci[name][0]:.2f}, {ci[name][1]:.2f}]" if name in ci else ""
    lines.append(f"micro F1 {result.micro_f1:.3f}{_ci('micro_f1')}  (P {result.micro_precision:.3f}"
                 f"{_ci('micro_precision')}, R {result.micro_recall:.3f}{_ci('micro_recall')})")
    lines.append(f"macro F1 {result.macro_f1:.3f}{_ci('macro_f1')}")
    return "\n".join(line for line in lines if line)
