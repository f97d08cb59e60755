"""Does fine-tuning the sentence encoder on the coded documents pay off? One seeded split, same classifier.

Usage::

    python benchmarks/frames_finetune.py CATALOG LABELS [--pairs-per-doc 5] [--max-tokens 128] [--seed 42]
    python benchmarks/frames_finetune.py news-frames ../shared/data/climate-frames/articles.jsonl

SetFit (Tunstall et al. 2022) fine-tunes a sentence-transformers body contrastively on pairs of coded
examples, then fits a classification head. This benchmark applies that recipe to coded documents and
compares it with what ``framing frames train`` does (the frozen model) on the same seeded 80/20 split:

1. The labelled documents are read, split and embedded as ``framing evaluate`` does (all-MiniLM-L6-v2).
2. Frozen: ``FrameClassifier`` (sentence-level multiple-instance learning, as ``frames train``) fitted on
   the training documents' sentence embeddings and scored on the held-out documents.
3. Fine-tuned: a copy of the model is trained for one epoch on pairs of training documents (each document
   with ``--pairs-per-doc`` seeded partners; target = Jaccard overlap of the two documents' frame sets;
   mean-squared error on their cosine, the loss of SetFit's CosineSimilarityLoss; AdamW, lr 2e-5, batch 16,
   documents truncated to ``--max-tokens``), every sentence is embedded again with it, and the same
   classifier is fitted and scored.

Printed: micro and macro F1 of both on the held-out documents, per-frame F1, and the time each step took.
On 2 CPU cores the fine-tuning of 342 climate-frames documents takes about half an hour, so 5-fold cross-
validation of it (what ``--cv 5`` would need) is out of reach of an interactive command.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("catalog")
    ap.add_argument("labels")
    ap.add_argument("--pairs-per-doc", type=int, default=5)
    ap.add_argument("--max-tokens", type=int, default=128)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()

    import torch
    from sentence_transformers import SentenceTransformer
    from sklearn.model_selection import StratifiedKFold

    from framing.config import load_config
    from framing.embed.sbert import bundled_model_dir
    from framing.frames.catalog import load_catalog, resolve_catalog_path
    from framing.frames.evaluate import multilabel_metrics
    from framing.frames.labelled import prepare_labelled, read_labels, resolve_label_ids
    from framing.frames.train import FrameClassifier

    torch.manual_seed(args.seed)
    cfg = load_config(None, [f"seed={args.seed}", "embedding.model=sentence-transformers"])
    catalog = load_catalog(resolve_catalog_path(args.catalog))
    table = read_labels(args.labels, catalog)
    gold = resolve_label_ids(table, catalog)
    corpus = prepare_labelled(table, "document", cfg, say=print)
    ids = [f.id for f in catalog.matchable()]
    Y = np.array([[f in g for f in ids] for g in gold], dtype=bool)
    n = len(gold)
    item = corpus.sentences["item"].to_numpy(dtype=int)
    text = corpus.sentences["text"].tolist()
    docs = [" ".join(text[i] for i in np.flatnonzero(item == d)) for d in range(n)]
    strata = np.minimum(Y.sum(1), 2)
    tr, te = next(StratifiedKFold(5, shuffle=True, random_state=args.seed).split(np.zeros(n), strata))
    print(f"{n} documents, {len(text)} sentences; training on {len(tr)}, held out {len(te)}")

    def score(V, name):
        rows_tr, rows_te = np.isin(item, tr), np.isin(item, te)
        model = FrameClassifier(seed=args.seed).fit(V[rows_tr], Y[tr], ids, groups=np.searchsorted(tr, item[rows_tr]))
        P = model.predict(V[rows_te], np.searchsorted(te, item[rows_te]))
        pred = [set(np.array(model.frame_ids_)[P[i]]) for i in range(len(te))]
        table_, avg = multilabel_metrics([gold[i] for i in te], pred, ids)
        print(f"{name:11} micro F1 {avg['micro_f1']:.3f}  macro F1 {avg['macro_f1']:.3f}  | per frame "
              + ", ".join(f"{f} {x:.2f}" for f, x in zip(ids, table_.f1)), flush=True)

    score(np.asarray(corpus.vectors, dtype=np.float64), "frozen")

    model = SentenceTransformer(str(bundled_model_dir()), device="cpu")
    model.max_seq_length = args.max_tokens
    rng = np.random.default_rng(args.seed)
    pairs = []
    for i in tr:
        for j in rng.choice(tr[tr != i], args.pairs_per_doc, replace=False):
            a, b = set(np.flatnonzero(Y[i])), set(np.flatnonzero(Y[j]))
            pairs.append((int(i), int(j), len(a & b) / len(a | b) if a | b else 1.0))
    opt = torch.optim.AdamW(model.parameters(), lr=2e-5)
    model.train()
    t0 = time.time()
    order = rng.permutation(len(pairs))
    for k in range(0, len(order), 16):
        batch = [pairs[x] for x in order[k:k + 16]]
        ea = model(model.tokenize([docs[p[0]] for p in batch]))["sentence_embedding"]
        eb = model(model.tokenize([docs[p[1]] for p in batch]))["sentence_embedding"]
        target = torch.tensor([p[2] for p in batch], dtype=torch.float32)
        loss = torch.nn.functional.mse_loss(torch.cosine_similarity(ea, eb), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    print(f"fine-tuned on {len(pairs)} pairs in {time.time() - t0:.0f} s", flush=True)
    t1 = time.time()
    V2 = model.encode(text, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    print(f"re-embedded {len(text)} sentences in {time.time() - t1:.0f} s", flush=True)
    score(np.asarray(V2, dtype=np.float64), "fine-tuned")


if __name__ == "__main__":
    main()
