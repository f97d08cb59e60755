"""Every figure of issue 21's targets, each beside its target, in one run.

Usage::

    python benchmarks/frames_targets.py [--data ../shared/data] [--seeds-run reports/seeds] [--quick]
    python benchmarks/frames_targets.py --quick --only catalog,cv,stability

What it prints (``[quick]`` marks what ``--quick`` makes cheaper):

==================  =====================================================================  ===========
figure              how                                                                    target
==================  =====================================================================  ===========
catalog only        ``framing evaluate --frames news-frames --labels climate-frames          >= 0.55
                    --level document --score anchors``: the anchors' document decisions,
                    with the model a news-frames run uses (``auto``: the trained model's
                    embedder, USE multilingual); document macro-F1
trained, in-sample  the same without ``--score anchors`` (the shipped model decides; it      (none)
                    was trained on these articles, so the figure is not a test)
trained, 5-fold CV  ``... --level document --cv 5``: macro-F1                                 >= 0.65
100 coded, active   the learning curve (``benchmarks/frames_learning_curve.py``) at 50,       >= 0.60
                    100 and 200 coded articles, active against random; the classifier
                    ``frames train`` fits (pooled); [quick] one seed
leave one language  ``benchmarks/frames_lolo.py``: policy-frames trained on four languages      >= 0.60
out                 of semeval23-frames, micro-F1 on the fifth, averaged; [quick] skipped
stability           the first 150 climate-frames articles alone and inside the 428, share    >= 0.90
                    of agreeing document decisions, per frame (the lowest is printed)         per frame
seeds precision     a ``framing analyze seeds/`` run's sentence matches joined to the          >= 0.65
                    judgments in ``docs/seeds-frame-reading.csv``; unjudged pairs counted
==================  =====================================================================  ===========

The corpora are prepared (split, language id, embedded through the embedding cache) once each and
shared by the figures that use them; nothing is tuned to their labels, which only score decisions.
``--seeds-run`` names an existing seeds run; without it the seeds are analysed into a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))  # the checkout's framing (a worktree's), not the one installed in the environment

TARGETS = {"catalog": 0.55, "cv": 0.65, "active100": 0.60, "lolo": 0.60, "stability": 0.90, "seeds": 0.65}
FIGURES = ("catalog", "cv", "curve", "lolo", "stability", "seeds")


def _shared_data() -> Path:
    """``shared/data`` beside the project, or beside any folder above it (a worktree sits deeper)."""
    for folder in (ROOT, *ROOT.parents):
        if (folder.parent / "shared" / "data").is_dir():
            return folder.parent / "shared" / "data"
    return ROOT.parent / "shared" / "data"


def _climate(data: Path, cfg, say):
    """climate-frames with news-frames, embedded with the model a news-frames run uses."""
    from framing.frames.catalog import load_catalogs, resolve_catalog_path
    from framing.frames.labelled import prepare_labelled, read_labels, resolve_label_ids
    from framing.frames.train import model_for_trained_catalog

    path = resolve_catalog_path("news-frames")
    catalog = load_catalogs([path])
    labels = read_labels(data / "climate-frames" / "articles.jsonl", catalog)
    choice = model_for_trained_catalog(cfg.embedding.model, [path], cfg.embedding)
    corpus = prepare_labelled(labels, "document", cfg, say=say, choice=choice)
    return path, catalog, corpus, resolve_label_ids(labels, catalog)


def catalog_only(catalog, corpus, gold, cfg, cache) -> dict:
    from framing.frames.evaluate import evaluate_labelled

    r = evaluate_labelled(catalog, corpus, gold, cfg.frames, seed=cfg.seed, cache=cache)
    pf = r.per_frame.set_index("frame_id")
    share = np.array([np.mean([fid in g for g in gold]) for fid in pf.index])
    # what the same document score could reach with each frame's threshold chosen on the labels (a ceiling, not
    # a result), and the trivial answer (every frame for every article): the figure sits between the two
    return {"macro": r.macro_f1, "micro": r.micro_f1, "low": r.intervals["macro_f1"][0],
            "high": r.intervals["macro_f1"][1], "per_frame": pf["f1"].round(2).to_dict(),
            "ceiling": float(pf["suggested_f1"].mean()), "trivial": float(np.mean(2 * share / (1 + share)))}


def trained_in_sample(path, catalog, corpus, gold, cfg, cache) -> dict:
    from framing.frames.evaluate import evaluate_trained
    from framing.frames.train import trained_for_catalogs

    trained = trained_for_catalogs([path])
    r = evaluate_trained(catalog, corpus, gold, trained, cfg.frames, seed=cfg.seed, cache=cache)
    return {"macro": r.macro_f1, "micro": r.micro_f1}


def cross_validated(catalog, corpus, gold, cfg) -> dict:
    from framing.frames.evaluate import cross_validate

    from framing.frames.train import DEFAULT_POOLING

    r = cross_validate(catalog, corpus, gold, n_splits=5, seed=cfg.seed, pooling=DEFAULT_POOLING)
    return {"macro": r.macro_f1, "micro": r.micro_f1, "low": r.intervals["macro_f1"][0],
            "high": r.intervals["macro_f1"][1], "per_frame": r.per_frame.set_index("frame_id")["f1"].round(2).to_dict()}


def learning_curve(catalog, corpus, gold, seeds: int, pooling: str) -> pd.DataFrame:
    import frames_learning_curve as lc

    from framing.frames.train import classifier_prior

    prior = classifier_prior(pooling, "document", catalog, corpus.embedder)
    ids = [f.id for f in catalog.matchable()]
    Y = np.array([[f in g for f in ids] for g in gold], dtype=bool)
    X = np.asarray(corpus.vectors, dtype=np.float64)
    owner = corpus.sentences["item"].to_numpy(int)
    n = len(gold)
    rows = []
    for seed in range(seeds):
        order = np.random.default_rng([seed, 1]).permutation(n)
        test, pool = np.sort(order[: n // 3]), np.sort(order[n // 3:])
        clusters = lc.pool_clusters(X, owner, pool, seed)
        for strategy in lc.STRATEGIES:
            for coded, f1 in lc.curve(X, owner, Y, ids, pool, test, strategy, seed, pooling, clusters,
                                        prior).items():
                rows.append({"seed": seed, "strategy": strategy, "coded": coded, "macro_f1": f1})
    return pd.DataFrame(rows).groupby(["coded", "strategy"]).macro_f1.mean().unstack("strategy")


def stability(catalog, corpus, cfg, cache, n: int = 150) -> dict:
    import frames_stability as fs

    whole, _, _ = fs.decide(catalog, corpus, cfg.frames, cfg.seed, cache)
    alone, _, _ = fs.decide(catalog, fs.subset(corpus, n), cfg.frames, cfg.seed, cache)
    inside = whole.reindex(index=alone.index)
    return {fid: float((alone[fid] == inside[fid]).mean()) for fid in alone.columns}


def leave_one_language_out(data: Path, say) -> dict:
    from framing.config import load_config
    from framing.frames.catalog import load_catalog, resolve_catalog_path
    from framing.frames.evaluate import multilabel_metrics
    from framing.frames.labelled import prepare_labelled, read_labels, resolve_label_ids, subset_corpus
    from framing.frames.train import train_frames

    cfg = load_config(None, ["embedding.model=use-multilingual"])
    path = resolve_catalog_path("policy-frames")
    catalog = load_catalog(path)
    table = read_labels(data / "semeval23-frames" / "articles.jsonl", catalog)
    gold = resolve_label_ids(table, catalog)
    corpus = prepare_labelled(table, "document", cfg, say=say)
    coded = sorted({f for g in gold for f in g})
    langs = table["lang"].astype(str).to_numpy()
    out = {}
    for lang in sorted(set(langs)):
        train, test = np.flatnonzero(langs != lang), np.flatnonzero(langs == lang)
        trained = train_frames(catalog, path, subset_corpus(corpus, train), [gold[i] for i in train], seed=cfg.seed)
        held = subset_corpus(corpus, test)
        decided = trained.predict_documents(held.sentences.assign(doc_id=held.sentences["item"]), held.vectors)
        hits = decided[decided["matched"]].groupby("doc_id")["frame_id"].agg(set)
        _, avg = multilabel_metrics([gold[i] for i in test], [hits.get(i, set()) for i in range(len(test))], coded)
        out[lang] = avg["micro_f1"]
        say(f"  semeval {lang}: micro-F1 {avg['micro_f1']:.3f}")
    return out


def seeds_precision(run: Path | None, say) -> dict:
    """Precision of a seeds run's sentence matches by the kept judgments (unjudged pairs reported)."""
    if run is None:
        import framing

        run = Path(tempfile.mkdtemp(prefix="frames-targets-seeds-")) / "run"
        framing.analyze(str(ROOT / "seeds"), out=run)
    reading = (pd.read_csv(ROOT / "docs" / "seeds-frame-reading.csv")[["frame_id", "sentence_id", "promotes"]]
               .drop_duplicates(["frame_id", "sentence_id"]))
    sf = pd.read_parquet(run / "tables" / "sentence_frames.parquet")
    matches = sf[sf.matched.astype(bool)][["frame_id", "sentence_id"]].merge(reading, how="left")
    judged = int(matches.promotes.notna().sum())
    return {"matches": len(matches), "judged": judged, "right": int(matches.promotes.sum()),
            "precision": float(matches.promotes.sum() / judged) if judged else float("nan"), "run": str(run)}


def _row(name: str, value: str, target: str, met: bool | None) -> str:
    mark = "" if met is None else ("met" if met else "NOT met")
    return f"| {name} | {value} | {target} | {mark} |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=_shared_data(), help="The folder of the shared corpora.")
    ap.add_argument("--seeds-run", type=Path, default=None, help="An existing `framing analyze seeds/` run folder.")
    ap.add_argument("--quick", action="store_true", help="One learning-curve seed, no leave-one-language-out.")
    ap.add_argument("--only", default=",".join(FIGURES), help=f"Comma-separated subset of {', '.join(FIGURES)}.")
    ap.add_argument("--set", dest="overrides", action="append", default=[], help="Config overrides (key=value).")
    args = ap.parse_args()
    only = set(args.only.split(","))
    if args.quick:
        only.discard("lolo")

    from framing.config import load_config
    from framing.embed import cache_from_config

    cfg = load_config(overrides=args.overrides)
    cache = cache_from_config(cfg.embedding)
    say = print
    rows = []
    t0 = time.perf_counter()
    if only & {"catalog", "cv", "curve", "stability"}:
        path, catalog, corpus, gold = _climate(args.data, cfg, say)
        print(f"climate-frames: {len(gold)} articles, {len(corpus.sentences)} sentences, {corpus.model} "
              f"({time.perf_counter() - t0:.0f} s)", flush=True)
    if "catalog" in only:
        c = catalog_only(catalog, corpus, gold, cfg, cache)
        print(f"catalog only, per frame F1: {c['per_frame']}; with thresholds chosen on the labels (a ceiling) "
              f"{c['ceiling']:.3f}; every frame for every article {c['trivial']:.3f}", flush=True)
        rows.append(_row("climate-frames, catalog only (`--score anchors`), document macro-F1",
                         f"{c['macro']:.3f} [{c['low']:.2f}, {c['high']:.2f}] (micro {c['micro']:.3f}; {corpus.model})",
                         ">= 0.55", c["macro"] >= TARGETS["catalog"]))
        t = trained_in_sample(path, catalog, corpus, gold, cfg, cache)
        rows.append(_row("climate-frames, trained model shipped, without `--cv` (in-sample: trained on these)",
                         f"{t['macro']:.3f} (micro {t['micro']:.3f})", "not a test", None))
    if "cv" in only:
        c = cross_validated(catalog, corpus, gold, cfg)
        print(f"5-fold CV, per frame F1: {c['per_frame']}", flush=True)
        rows.append(_row("climate-frames, trained, `--cv 5`, document macro-F1",
                         f"{c['macro']:.3f} [{c['low']:.2f}, {c['high']:.2f}] (micro {c['micro']:.3f})", ">= 0.65",
                         c["macro"] >= TARGETS["cv"]))
    if "curve" in only:
        from framing.frames.train import DEFAULT_POOLING

        seeds, pooling = (1, DEFAULT_POOLING) if args.quick else (3, DEFAULT_POOLING)
        curve = learning_curve(catalog, corpus, gold, seeds, pooling)
        for n in curve.index:
            active, rand = curve.loc[n, "active"], curve.loc[n, "random"]
            target = ">= 0.60 (active)" if n == 100 else ""
            rows.append(_row(f"learning curve, {n} coded articles ({seeds} seed{'s' * (seeds > 1)}, --pooling {pooling}), macro-F1",
                             f"active {active:.3f}, nearest {curve.loc[n, 'nearest']:.3f}, random {rand:.3f}", target,
                             bool(active >= TARGETS["active100"]) if n == 100 else None))
    if "lolo" in only:
        lolo = leave_one_language_out(args.data, say)
        mean = float(np.mean(list(lolo.values())))
        rows.append(_row("semeval23-frames, leave one language out, micro-F1 (mean of 5)",
                         f"{mean:.3f} ({', '.join(f'{k} {v:.3f}' for k, v in lolo.items())})", ">= 0.60",
                         mean >= TARGETS["lolo"]))
    if "stability" in only:
        agree = stability(catalog, corpus, cfg, cache)
        low = min(agree.values())
        rows.append(_row("stability: first 150 articles alone vs inside 428, lowest agreement per frame",
                         f"{low:.3f} ({', '.join(f'{k} {v:.3f}' for k, v in agree.items())})", ">= 0.90 per frame",
                         low >= TARGETS["stability"]))
    if "seeds" in only:
        s = seeds_precision(args.seeds_run, say)
        rows.append(_row("seeds, precision of all sentence matches (judgments in docs/)",
                         f"{s['precision']:.3f} ({s['right']} of {s['judged']} judged right; "
                         f"{s['matches'] - s['judged']} of {s['matches']} not read)", ">= 0.65",
                         s["precision"] >= TARGETS["seeds"] if s["judged"] else None))
    print(f"\nIssue 21 targets ({time.perf_counter() - t0:.0f} s; settings: defaults"
          f"{' + ' + ', '.join(args.overrides) if args.overrides else ''})\n")
    print("| figure | measured | target | |\n|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
