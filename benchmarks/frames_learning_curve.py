"""The coding loop's learning curve: macro-F1 after 50, 100 and 200 coded articles, active against random sampling.

The coder is simulated from a labelled corpus's own labels (climate-frames by
default): a held-out third of the articles is the test set; the rest is the
pool the coder draws from. Every strategy starts from the same 20 random
articles; then, in batches of 10, *random* codes articles drawn at random,
*nearest* codes the articles whose probability lies nearest the classifier's
decision for some frame (the smallest margin over frames, in logit units) and
*active* does the same spread over clusters of the pool (ten k-means clusters
of the articles' mean embeddings, fixed before coding starts, standing for a
run's topics): the most uncertain article of every cluster first
(:func:`framing.frames.designs.spread_order`). *per-frame* draws as
``framing sample --strategy uncertain`` does: for every frame on its own
(frames in id order, taking turns), the article nearest that frame's decision,
spread over the clusters, until the batch is full (an article already drawn
for another frame is passed over). After each batch the frame
classifier (``--pooling pooled`` by default: the model ``framing frames
train`` fits) is refitted on the coded articles and scored on the test set.
Repeated over several seeds; the mean and the spread are printed.

Run::

    python benchmarks/frames_learning_curve.py ../shared/data/climate-frames/articles.jsonl --frames news-frames

Nothing here is tuned to the labels: the batch size, the seed set and the
classifier's settings are the defaults of the commands a user runs.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from framing.config import load_config
from framing.frames.catalog import load_catalog
from framing.frames.evaluate import multilabel_metrics
from framing.frames.labelled import prepare_labelled, read_labels, resolve_label_ids
from framing.frames.designs import spread_order
from framing.embed import cache_from_config
from framing.frames.train import DEFAULT_POOLING, classifier_prior, make_classifier

CHECKPOINTS = (50, 100, 200)
START, BATCH = 20, 10
POOLING = DEFAULT_POOLING
"""The classifier ``framing frames train`` fits by default (``--pooling``)."""
STRATEGIES = ("random", "nearest", "active")
"""The strategies ``frames_targets.py`` reports."""
ALL_STRATEGIES = STRATEGIES + ("per-frame",)
N_CLUSTERS = 10


def _proba(clf, X: np.ndarray, owner: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Document probabilities, one column per frame of ``clf``, rows in ``items`` order."""
    rows = np.isin(owner, items)
    remap = np.full(owner.max() + 1, -1)
    remap[items] = np.arange(len(items))
    return clf.predict_proba(X[rows], remap[owner[rows]]).reshape(-1, len(clf.frame_ids_))[: len(items)]


def _fit(X, owner, Y, ids, coded, seed, pooling=POOLING, prior=None):
    """The classifier ``framing frames train`` fits (``--pooling``, with the catalog's anchors as ``prior``)."""
    sel = np.isin(owner, coded)
    remap = {item: k for k, item in enumerate(coded)}
    groups = np.array([remap[o] for o in owner[sel]])
    return make_classifier(pooling, "document", seed=seed, prior=prior).fit(X[sel], Y[coded], ids, groups=groups)


def _score(clf, X, owner, Y, ids, test) -> float:
    pred = np.zeros((len(test), len(ids)), dtype=bool)
    if clf.frame_ids_:
        P = _proba(clf, X, owner, test)
        cols = [ids.index(f) for f in clf.frame_ids_]
        pred[:, cols] = P >= clf.thresholds_
    gold = [{ids[j] for j in np.flatnonzero(Y[i])} for i in test]
    predicted = [{ids[j] for j in np.flatnonzero(pred[k])} for k in range(len(test))]
    return multilabel_metrics(gold, predicted, ids)[1]["macro_f1"]


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def pool_clusters(X, owner, pool, seed: int) -> np.ndarray:
    """A cluster for every article of the pool (k-means of mean embeddings; label-free), -1 elsewhere."""
    from sklearn.cluster import KMeans

    from framing.frames.labelled import mean_vectors

    docs = mean_vectors(X, owner, int(owner.max()) + 1)
    out = np.full(len(docs), -1)
    out[pool] = KMeans(N_CLUSTERS, n_init=3, random_state=seed).fit(docs[pool]).labels_
    return out


def per_frame_order(margins: np.ndarray, frame_ids, clusters, tie: np.ndarray, k: int) -> np.ndarray:
    """``k`` rows drawn as ``framing sample --strategy uncertain`` draws: frames (in id order) take turns,
    each taking its next row nearest its decision, spread over ``clusters``; a row is drawn once.

    Examples
    --------
    >>> per_frame_order(np.array([[0.1, 0.9], [0.2, 0.0], [0.3, 0.5]]), ["b", "a"], None, np.zeros(3), 2).tolist()
    [1, 0]
    """
    orders = [spread_order(margins[:, j], clusters, tie) for j in np.argsort(frame_ids, kind="stable")]
    taken, seen, pos = [], set(), [0] * len(orders)
    while len(taken) < min(k, len(margins)):
        for f, order in enumerate(orders):
            while order[pos[f]] in seen:
                pos[f] += 1
            taken.append(int(order[pos[f]]))
            seen.add(taken[-1])
            if len(taken) >= k:
                break
    return np.asarray(taken, dtype=int)


def curve(X, owner, Y, ids, pool, test, strategy: str, seed: int, pooling: str = POOLING,
          clusters: np.ndarray | None = None, prior=None) -> dict[int, float]:
    rng = np.random.default_rng([seed, 7])
    coded = list(rng.choice(pool, size=START, replace=False))
    out = {}
    while len(coded) <= max(CHECKPOINTS):
        # random draws do not depend on the model: it is fitted only where it is scored
        fit = strategy != "random" or len(coded) in CHECKPOINTS
        clf = _fit(X, owner, Y, ids, np.array(coded), seed, pooling, prior) if fit else None
        if len(coded) in CHECKPOINTS:
            out[len(coded)] = _score(clf, X, owner, Y, ids, test)
        rest = np.array([i for i in pool if i not in set(coded)])
        tie = rng.random(len(rest))
        if strategy == "per-frame" and clf.frame_ids_:
            margins = np.abs(_logit(_proba(clf, X, owner, rest)) - _logit(clf.thresholds_))
            spread = clusters[rest] if clusters is not None else None
            take = rest[per_frame_order(margins, list(clf.frame_ids_), spread, tie, BATCH)]
        elif strategy != "random" and clf.frame_ids_:
            margin = np.abs(_logit(_proba(clf, X, owner, rest)) - _logit(clf.thresholds_)).min(axis=1)
            spread = clusters[rest] if strategy == "active" and clusters is not None else None
            take = rest[spread_order(margin, spread, tie)[:BATCH]]
        else:
            take = rng.choice(rest, size=BATCH, replace=False)
        coded += list(take)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("labels", help="A labelled corpus (JSONL with text and frames), e.g. climate-frames.")
    ap.add_argument("--frames", default="news-frames", help="The catalog whose frames the labels name.")
    ap.add_argument("--seeds", type=int, default=3, help="Repetitions (seeds 0, 1, ...).")
    ap.add_argument("--pooling", default=POOLING, help="pooled (the default of frames train), stacked, sentences or mean.")
    ap.add_argument("--no-prior", action="store_true",
                    help="Without the catalog's anchors as prior (the pooled model before December 2026).")
    ap.add_argument("--strategies", default=",".join(ALL_STRATEGIES),
                    help=f"Comma-separated, from {', '.join(ALL_STRATEGIES)}.")
    ap.add_argument("--set", dest="overrides", action="append", default=[], help="Config overrides (key=value).")
    args = ap.parse_args()
    strategies = [s.strip() for s in args.strategies.split(",") if s.strip()]
    unknown = sorted(set(strategies) - set(ALL_STRATEGIES))
    if unknown:
        ap.error(f"--strategies must name some of {', '.join(ALL_STRATEGIES)}. Got {', '.join(unknown)}.")
    cfg = load_config(overrides=args.overrides)
    catalog = load_catalog(args.frames)
    labels = read_labels(args.labels, catalog)
    t0 = time.perf_counter()
    from framing.frames.catalog import resolve_catalog_path
    from framing.frames.train import model_for_trained_catalog

    # the model a run with this catalog embeds with (a trained catalog carries its own: news-frames, USE)
    choice = model_for_trained_catalog(cfg.embedding.model, [resolve_catalog_path(args.frames)], cfg.embedding)
    corpus = prepare_labelled(labels, "document", cfg, say=print, choice=choice)
    print(f"Embedded {len(corpus.sentences)} sentences of {len(labels)} articles in {time.perf_counter() - t0:.0f} s")
    ids = [f.id for f in catalog.matchable()]
    gold = resolve_label_ids(labels, catalog)
    Y = np.array([[f in g for f in ids] for g in gold], dtype=bool)
    X = np.asarray(corpus.vectors, dtype=np.float64)
    owner = corpus.sentences["item"].to_numpy(int)
    prior = None if args.no_prior else classifier_prior(args.pooling, "document", catalog, corpus.embedder,
                                                         cache_from_config(cfg.embedding))
    rows = []
    for seed in range(args.seeds):
        order = np.random.default_rng([seed, 1]).permutation(len(labels))
        test, pool = np.sort(order[: len(labels) // 3]), np.sort(order[len(labels) // 3:])
        clusters = pool_clusters(X, owner, pool, seed)
        for strategy in strategies:
            t1 = time.process_time()
            for n, f1 in curve(X, owner, Y, ids, pool, test, strategy, seed, args.pooling, clusters, prior).items():
                rows.append({"seed": seed, "strategy": strategy, "coded": n, "macro_f1": f1})
            print(f"seed {seed} {strategy}: {time.process_time() - t1:.0f} s CPU", flush=True)
    df = pd.DataFrame(rows)
    table = df.groupby(["coded", "strategy"]).macro_f1.agg(["mean", "min", "max"]).round(3).unstack("strategy")
    print(f"\nMacro-F1 on the held-out third ({len(labels) // 3} articles), {args.seeds} seeds: mean [min, max]")
    for n in CHECKPOINTS:
        cells = [f"{s}: {table.loc[n, ('mean', s)]:.3f} [{table.loc[n, ('min', s)]:.3f}, {table.loc[n, ('max', s)]:.3f}]"
                 for s in strategies]
        print(f"  {n:>3} coded articles   " + "   ".join(cells))


if __name__ == "__main__":
    main()
