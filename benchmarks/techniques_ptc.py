"""Propaganda techniques on a held-out part of the PTC training split: span, sentence and document figures.

Splits the articles of a copy of the Propaganda Techniques Corpus (PTC v2,
SemEval-2020 Task 11 training split) BY ARTICLE into a training part and a
held-out part (seeded), trains the technique model on the first (sentence
classifiers, span tagger, span classifier on frozen embeddings and hashed
words: :mod:`framing.techniques.model`), and prints on the held-out part,
for the trained model and for the zero-shot catalog beside it:

- sentence level, propaganda or not (NLP4IF-2019 SLC; best published F1 0.63);
- technique classification of the gold spans, micro-F1 (SemEval-2020 TC; best 0.63);
- span identification F1 (SemEval-2020 SI; best 0.52);
- document level, per technique;

each per technique with bootstrap intervals. Nothing is saved: the package
ships no model trained on PTC (research-use data).

Usage::

    python benchmarks/techniques_ptc.py ../shared/data/ptc-techniques [--model sentence-transformers]
        [--test-share 0.2] [--seed 42] [--ablation]

``--ablation`` also fits the sentence classifiers on the embeddings alone and
on the hashed words alone (what each half of the features brings).
Timings are wall-clock on the machine at hand (under load when shared).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv=None) -> int:
    from framing.config import load_config
    from framing.embed import cache_from_config, embed_texts
    from framing.techniques.catalog import load_technique_catalog
    from framing.techniques.evaluate import evaluate_decisions, format_evaluation
    from framing.techniques.ptc import read_coded_spans, split_by_article
    from framing.techniques.scorers import catalog_matcher, classify_spans_catalog, score_catalog
    from framing.techniques.train import prepare_coded

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("ptc", help="folder with articles.jsonl + spans.tsv (or the PTC release layout)")
    ap.add_argument("--model", default="sentence-transformers", help="embedder (the run's; cached)")
    ap.add_argument("--catalog", default="propaganda")
    ap.add_argument("--test-share", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--ablation", action="store_true")
    ap.add_argument("--zero-shot-only", action="store_true", help="only the catalog's figures (no training)")
    args = ap.parse_args(argv)

    cfg = load_config(overrides=[f"embedding.model={args.model}"])
    catalog = load_technique_catalog(args.catalog)
    t0 = time.perf_counter()
    documents, spans = read_coded_spans(args.ptc)
    coded = prepare_coded(catalog, documents.assign(language="en"), spans, cfg, model=args.model)
    t_prep = time.perf_counter() - t0
    train_ids, test_ids = split_by_article(coded.documents["doc_id"], args.test_share, args.seed)
    train, test = coded.subset(train_ids), coded.subset(test_ids)
    print(f"PTC: {len(coded.documents)} articles, {len(coded.spans)} spans ({sum(coded.unknown.values())} with "
          f"unknown names), {len(coded.sentences)} sentences; embedder {coded.model}; prepared in {t_prep:.0f} s "
          "(cached embeddings are read, not recomputed)")
    print(f"Split by article (seed {args.seed}): train {len(train_ids)} articles / {len(train.spans)} spans, "
          f"held out {len(test_ids)} articles / {len(test.spans)} spans / {len(test.sentences)} sentences")

    cache = cache_from_config(cfg.embedding)
    if not args.zero_shot_only:
        _trained(catalog, train, test, cfg, cache, args)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        zdec = score_catalog(catalog, test.sentences, test.vectors, embedder=test.embedder, cache=cache,
                             seed=args.seed)
        ztc = classify_spans_catalog(catalog_matcher(catalog, test.embedder, cache, args.seed), test.span_vectors)
    zero = evaluate_decisions(test, zdec, ztc, catalog, n_boot=args.boot, seed=args.seed)
    print()
    print(format_evaluation(zero, "zero-shot catalog (anchors + cue words, reference calibration)"))

    majority = train.spans["technique_id"].value_counts().index[0]
    acc = float((test.spans["technique_id"] == majority).mean())
    print(f"\nBaseline: every gold span labelled '{majority}' (the most frequent): micro-F1 {acc:.3f}")
    if args.ablation:
        _ablation(train, test, catalog, args.seed)
    return 0


def _trained(catalog, train, test, cfg, cache, args) -> None:
    from framing.embed import embed_texts
    from framing.techniques.evaluate import evaluate_decisions, format_evaluation
    from framing.techniques.scorers import classify_spans_trained, score_trained
    from framing.techniques.train import fit_model

    t0 = time.perf_counter()
    model = fit_model(catalog, train, seed=args.seed)
    t_fit = time.perf_counter() - t0
    print(f"Trained in {t_fit:.0f} s on CPU: {model.info()}")

    def encode(texts):
        return embed_texts(texts, test.embedder, cache, batch_size=cfg.embedding.batch_size)[0]

    t0 = time.perf_counter()
    dec = score_trained(catalog, test.sentences, test.vectors, model=model, encode=encode, doc_texts=test.doc_texts())
    tc = classify_spans_trained(model, test.spans, test.span_vectors, test.sentences, test.vectors, test.doc_texts())
    t_pred = time.perf_counter() - t0
    trained = evaluate_decisions(test, dec, tc, catalog, n_boot=args.boot, seed=args.seed)
    print(f"Scored the held-out articles in {t_pred:.1f} s\n")
    print(format_evaluation(trained, "trained (frozen embeddings + hashed words: sentence gate, logistic regressions)"))


def _ablation(train, test, catalog, seed: int) -> None:
    """Propaganda-or-not F1 of the sentence classifier on embeddings alone, words alone, both."""
    from scipy import sparse

    from framing.techniques.features import sentence_labels, text_features
    from framing.techniques.model import _folds, _logistic, best_f1_threshold

    ids = list(catalog.ids)
    ytr = sentence_labels(train.sentences, train.spans, ids).any(axis=1)
    yte = sentence_labels(test.sentences, test.spans, ids).any(axis=1)
    parts = {"embeddings": (sparse.csr_matrix(train.vectors), sparse.csr_matrix(test.vectors)),
             "hashed words": (text_features(train.sentences["text"]), text_features(test.sentences["text"]))}
    parts["both"] = tuple(sparse.hstack([parts["embeddings"][i], parts["hashed words"][i]], format="csr")
                          for i in range(2))
    fold = _folds(train.sentences["doc_id"].astype(str).to_numpy(), 3, seed)
    print("\nAblation, sentence level propaganda or not (threshold from out-of-fold training scores):")
    for name, (Xtr, Xte) in parts.items():
        oof = np.zeros(len(ytr))
        for k in range(3):
            oof[fold == k] = _logistic(1.0, seed).fit(Xtr[fold != k], ytr[fold != k]).predict_proba(Xtr[fold == k])[:, 1]
        thr, _ = best_f1_threshold(oof, ytr)
        p = _logistic(1.0, seed).fit(Xtr, ytr).predict_proba(Xte)[:, 1] >= thr
        tp, fp, fn = int((p & yte).sum()), int((p & ~yte).sum()), int((~p & yte).sum())
        print(f"  {name:<14} F1 {2 * tp / max(2 * tp + fp + fn, 1):.3f}")


if __name__ == "__main__":
    raise SystemExit(main())
