"""Do document decisions stay put when unrelated documents join the run? And how good are they?

Usage::

    python benchmarks/frames_stability.py [CATALOG] [LABELS] [--subset 150] [--model auto]
    python benchmarks/frames_stability.py news-frames ../shared/data/climate-frames/articles.jsonl

The labelled articles are read, split and embedded once, as ``framing evaluate`` does (the embedding
cache is used). Then, for each calibration mode:

- ``corpus``: the corpus-relative settings of before issue 21 (``frames.calibration: corpus``,
  ``frames.document_calibration: mixture``);
- ``reference, score rule``: the defaults of before the contrast margin (thresholds from the shipped
  reference sample and the catalog's anchors, the fixed document threshold, a matched sentence required);
- ``defaults``: the contrast margin and the support rule (``frames.contrast: true``,
  ``frames.document_rule: support``);
- ``reference+near-misses``: the score rule with ``frames.near_miss_floor: true``,

it prints the catalog-only document macro-F1 on all articles (as ``framing evaluate --level document``),
and the agreement, per frame, between the decisions on the first ``--subset`` articles analysed alone and
the same articles' decisions inside the whole corpus (target: >= 0.90 for every frame), with the number
of documents matched alone / inside. Nothing is tuned on the labels: the labels only score the decisions.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout's framing, not an installed one

MODES = {"corpus": {"calibration": "corpus", "document_calibration": "mixture", "document_rule": "score",
                    "contrast": False},
         "reference, score rule": {"calibration": "reference", "document_calibration": "sentence",
                                   "document_rule": "score", "contrast": False},
         "defaults (contrast, support rule)": {},
         "reference+near-misses": {"calibration": "reference", "document_calibration": "sentence",
                                   "document_rule": "score", "contrast": False, "near_miss_floor": True}}


def subset(corpus, n: int):
    """The first n labelled items as a corpus of their own (the same sentences and vectors)."""
    keep = corpus.sentences["item"].astype(int).to_numpy() < n
    return dataclasses.replace(corpus, items=corpus.items[corpus.items["item"] < n].reset_index(drop=True),
                               sentences=corpus.sentences[keep].reset_index(drop=True), vectors=corpus.vectors[keep])


def decide(catalog, corpus, fcfg, seed: int, cache):
    """Document decisions (item x frame, bool DataFrame) exactly as evaluate/analyze make them, and the matcher."""
    from framing.frames.document import document_frame_table
    from framing.frames.match import FrameMatcher

    m = FrameMatcher(catalog, corpus.embedder, negative_weight=fcfg.negative_weight,
                     calibration=fcfg.calibration, specificity=fcfg.specificity, cache=cache,
                     exclusive=fcfg.exclusive, reference_quantile=fcfg.reference_quantile,
                     near_miss_floor=fcfg.near_miss_floor, contrast=fcfg.contrast,
                     whole_sentence_lean=fcfg.whole_sentence_lean)
    m.fit(corpus.sentences, corpus.vectors)
    sf = m.transform(corpus.sentences, corpus.vectors)
    joined = sf.merge(corpus.sentences[["sentence_id", "item"]], on="sentence_id").rename(columns={"item": "doc_id"})
    docs = document_frame_table(joined, m.document_thresholds(), top_k=fcfg.document_top_k,
                                calibration=fcfg.document_calibration, seed=seed,
                                rule=fcfg.document_rule, whole_sentence=fcfg.whole_sentence_lean)
    return docs.pivot(index="doc_id", columns="frame_id", values="matched").astype(bool), m, docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("catalog", nargs="?", default="news-frames")
    ap.add_argument("labels", nargs="?", default="../shared/data/climate-frames/articles.jsonl")
    ap.add_argument("--subset", type=int, default=150)
    ap.add_argument("--model", default="auto")
    args = ap.parse_args()

    from framing.config import load_config
    from framing.embed import cache_from_config
    from framing.frames import load_catalogs
    from framing.frames.catalog import resolve_catalog_path
    from framing.frames.evaluate import evaluate_labelled
    from framing.frames.labelled import prepare_labelled, read_labels, resolve_label_ids

    cfg = load_config()
    catalog = load_catalogs([resolve_catalog_path(args.catalog)])
    labels = read_labels(args.labels, catalog)
    gold = resolve_label_ids(labels, catalog)
    t0 = time.perf_counter()
    corpus = prepare_labelled(labels, "document", cfg, model=args.model, say=print)
    cache = cache_from_config(cfg.embedding)
    print(f"{len(labels)} articles, {len(corpus.sentences)} sentences embedded in {time.perf_counter() - t0:.0f} s")
    small = subset(corpus, args.subset)
    for name, overrides in MODES.items():
        fcfg = cfg.frames.model_copy(update=overrides)
        t0 = time.perf_counter()
        whole, matcher, docs = decide(catalog, corpus, fcfg, cfg.seed, cache)
        alone, _, _ = decide(catalog, small, fcfg, cfg.seed, cache)
        result = evaluate_labelled(catalog, corpus, gold, fcfg, seed=cfg.seed, matcher=matcher)
        print(f"\n== {name}: calibration={fcfg.calibration}, document_calibration={fcfg.document_calibration} "
              f"({time.perf_counter() - t0:.0f} s)")
        lo, hi = result.intervals["macro_f1"]
        print(f"document macro-F1 {result.macro_f1:.3f} [{lo:.3f}, {hi:.3f}], micro-F1 {result.micro_f1:.3f} "
              f"(P {result.micro_precision:.3f}, R {result.micro_recall:.3f}) on {result.n_items} articles")
        pf = result.per_frame.set_index("frame_id")
        inside = whole.reindex(index=alone.index)
        print(f"{'frame':24s} {'P':>6s} {'R':>6s} {'F1':>6s}  agree({args.subset})  alone  inside")
        for fid in alone.columns:
            agree = float((alone[fid] == inside[fid]).mean())
            row = pf.loc[fid] if fid in pf.index else None
            prf = " ".join(f"{row[c]:6.3f}" for c in ("precision", "recall", "f1")) if row is not None else ""
            print(f"{fid:24s} {prf}  {agree:10.3f}  {int(alone[fid].sum()):5d}  {int(inside[fid].sum()):6d}")
        no_evidence = int((docs["matched"].astype(bool) & (docs["matched_sentences"] == 0)).sum())
        print(f"documents matched without a matched sentence: {no_evidence}; "
              f"lowest document threshold: {docs['threshold'].astype(float).min():.4f}")


if __name__ == "__main__":
    main()
