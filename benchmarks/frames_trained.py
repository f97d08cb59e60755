"""Trained frame models, 5-fold cross-validated on coded documents: the pooled model (the default) against the stacked one.

Usage::

    python benchmarks/frames_trained.py [LABELS] [--frames news-frames] [--model use-multilingual] [--cv 5]
    python benchmarks/frames_trained.py ../shared/data/climate-frames/articles.jsonl

The labelled documents are read, split and embedded once, as ``framing evaluate`` does (the model
``frames train`` used for the shipped news-frames model: USE multilingual), then each pooling is
cross-validated with the same seeded folds: a model is trained afresh on four folds and decides the fifth
(the shipped model never sees a test fold). The same figure from the command line::

    framing evaluate --frames news-frames --labels LABELS --level document --cv 5 [--pooling pooled|stacked|sentences|mean]

Printed: each pooling's report (per-frame P/R/F1 with 95% bootstrap intervals, micro and macro F1),
then one summary line per pooling, with the time it took.
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("labels", nargs="?", default="../shared/data/climate-frames/articles.jsonl")
    ap.add_argument("--frames", default="news-frames")
    ap.add_argument("--model", default="use-multilingual")
    ap.add_argument("--cv", type=int, default=5)
    ap.add_argument("--poolings", default="pooled,stacked")
    ap.add_argument("--seeds", default="", help="Fold seeds, comma-separated (default: the config's seed), e.g. 42,1,2.")
    args = ap.parse_args()

    from framing.config import load_config
    from framing.frames.catalog import load_catalog, resolve_catalog_path
    from framing.frames.evaluate import cross_validate, format_report
    from framing.frames.labelled import prepare_labelled, read_labels, resolve_label_ids

    cfg = load_config(None, [f"embedding.model={args.model}"])
    catalog = load_catalog(resolve_catalog_path(args.frames))
    table = read_labels(args.labels, catalog)
    gold = resolve_label_ids(table, catalog)
    corpus = prepare_labelled(table, "document", cfg, say=print)
    summary = []
    seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else [cfg.seed]
    for pooling in args.poolings.split(","):
        macros = []
        for seed in seeds:
            t0 = time.process_time()
            result = cross_validate(catalog, corpus, gold, n_splits=args.cv, seed=seed, pooling=pooling)
            took = time.process_time() - t0
            macros.append(result.macro_f1)
            print(f"\n== --pooling {pooling}, fold seed {seed} ==\n{format_report(result)}")
            summary.append(f"{pooling:10} seed {seed:>3}  macro F1 {result.macro_f1:.3f} "
                           f"[{result.intervals['macro_f1'][0]:.2f}, {result.intervals['macro_f1'][1]:.2f}]  "
                           f"micro F1 {result.micro_f1:.3f}  ({took:.0f} s CPU)")
        if len(seeds) > 1:
            summary.append(f"{pooling:10} mean of {len(seeds)} fold seeds: macro F1 {sum(macros) / len(macros):.3f}")
    print(f"\n{len(gold)} documents, {args.model}, {args.cv}-fold CV (fold seeds {', '.join(map(str, seeds))}):")
    print("\n".join(summary))
    print(f"command: framing evaluate --frames {args.frames} --labels {args.labels} --level document --cv {args.cv}")


if __name__ == "__main__":
    main()
