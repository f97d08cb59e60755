"""Does a small fine-tuned model pay for its cost? MiniLM fine-tuned end to end as the propaganda-or-not gate.

Usage::

    python benchmarks/techniques_finetune.py ../shared/data/ptc-techniques [--epochs 1] [--batch 16]
        [--max-tokens 128] [--lr 2e-5] [--budget 720] [--val-share 0.2] [--seed 42] [--boot 1000] [--bucket]

Issue 23 asks whether fine-tuning pays on 2 CPU cores. The frozen gate of
:mod:`framing.techniques.gate` (frozen all-MiniLM-L6-v2 embeddings + hashed
words + cues + a learned lexicon, logistic regression / MLP) reaches sentence
level "propaganda or not" F1 0.602 [0.58, 0.62] (P 0.52, R 0.71) on the 74
held-out PTC articles of ``benchmarks/techniques_ptc.py`` (seed 42). This
script measures the alternative on exactly the same held-out articles:

1. PTC is read and split into sentences as ``techniques_ptc.py`` does
   (:func:`framing.techniques.train.prepare_coded`; its cached frozen
   embeddings are read, not recomputed) and split by article with the same
   function and seed (:func:`framing.techniques.ptc.split_by_article`), so the
   held-out articles are the same list.
2. The training articles are split again by article (``--val-share``, seeded)
   into a fitting part and a validation part; the held-out articles are never
   seen before scoring.
3. A copy of the bundled all-MiniLM-L6-v2 (the folder framing loads, offline)
   gets a linear head on its sentence embedding and is trained end to end with
   binary cross-entropy (AdamW, lr ``--lr`` for the encoder and 50x for the
   head, linear warm-up over 10% of the steps then linear decay; sentences cut
   at ``--max-tokens``; ``torch.set_num_threads(2)``; seeded). An epoch stops at
   ``--budget`` seconds: the sentences seen are then the first ones of a
   seeded shuffle (a random subsample; the count is printed). ``--bucket``
   forms the batches from sentences of similar length (each chunk of 50
   batches of the shuffle sorted by length, then the batches shuffled): less
   padding, so more sentences fit in the budget.
4. The threshold is the F1-optimal one on the validation articles; F1, P, R on
   the held-out articles with a percentile bootstrap over sentences (the same
   bootstrap and seed as the "any" row of ``techniques_ptc.py``).
5. Beside it, on the same three parts and with the same threshold rule: a
   logistic regression on the frozen embeddings alone (what the fine-tuning
   replaces), so the comparison does not rest on a figure from another run.

Printed cost: wall and CPU seconds per epoch, sentences per second for
training and inference, peak resident memory, the model's parameters and its
size on disk (saved to a temporary folder under /tmp, deleted at the end).
Nothing is written into the repository: the package ships no model trained on
PTC (research-use data). Timings are of the machine at hand (under load when
shared: say so when quoting them).
"""

from __future__ import annotations

import argparse
import math
import resource
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FROZEN_GATE = "frozen gate (notes/tech.md, techniques_ptc.py seed 42): F1 0.602 [0.58, 0.62] (P 0.52, R 0.71)"


def _prf(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    tp, fp, fn = int((pred & gold).sum()), int((pred & ~gold).sum()), int((~pred & gold).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def _report(name: str, val_s, val_y, test_s, test_y, n_boot: int, seed: int) -> dict:
    """Threshold from the validation articles, then held-out F1/P/R with the package's bootstrap."""
    from framing.frames.evaluate import bootstrap_intervals
    from framing.techniques.model import best_f1_threshold

    thr, val_f1 = best_f1_threshold(np.asarray(val_s, float), val_y)
    pred = np.asarray(test_s) >= thr
    p, r, f = _prf(pred, test_y)
    per, _ = bootstrap_intervals(test_y[:, None], pred[:, None], n_boot=n_boot, seed=seed)
    auc = _auc(np.asarray(test_s, float), test_y)
    print(f"{name}: held-out F1 {f:.3f} [{per[0, 0]:.2f}, {per[0, 1]:.2f}] (P {p:.2f}, R {r:.2f}; "
          f"{int(pred.sum())} predicted, {int(test_y.sum())} gold); AUC {auc:.3f}; threshold {thr:.3f} "
          f"(validation F1 {val_f1:.3f})", flush=True)
    return {"f1": f, "low": per[0, 0], "high": per[0, 1], "p": p, "r": r, "thr": thr}


def _auc(s: np.ndarray, y: np.ndarray) -> float:
    from scipy.stats import rankdata

    n1, n0 = int(y.sum()), int((~y).sum())
    return float((rankdata(s)[y].sum() - n1 * (n1 + 1) / 2) / max(n1 * n0, 1))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("ptc", help="folder with articles.jsonl + spans.tsv (or the PTC release layout)")
    ap.add_argument("--test-share", type=float, default=0.2, help="held-out share (as techniques_ptc.py)")
    ap.add_argument("--val-share", type=float, default=0.2, help="validation share of the training articles")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--max-tokens", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-5)
    ap.add_argument("--budget", type=float, default=720.0, help="seconds per epoch at most (then subsample)")
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--bucket", action="store_true",
                    help="batches of sentences of similar length (seeded; less padding, more sentences per second)")
    args = ap.parse_args(argv)

    import torch
    from sentence_transformers import SentenceTransformer
    from sklearn.linear_model import LogisticRegression

    from framing.config import load_config
    from framing.embed.sbert import bundled_model_dir
    from framing.techniques.catalog import load_technique_catalog
    from framing.techniques.features import sentence_labels
    from framing.techniques.ptc import read_coded_spans, split_by_article
    from framing.techniques.train import prepare_coded

    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    # 1. the same sentences and the same article split as techniques_ptc.py
    cfg = load_config(overrides=["embedding.model=sentence-transformers"])
    catalog = load_technique_catalog("propaganda")
    documents, spans = read_coded_spans(args.ptc)
    coded = prepare_coded(catalog, documents.assign(language="en"), spans, cfg, model="sentence-transformers")
    train_ids, test_ids = split_by_article(coded.documents["doc_id"], args.test_share, args.seed)
    fit_ids, val_ids = split_by_article(train_ids, args.val_share, args.seed)
    sents = coded.sentences
    doc = sents["doc_id"].astype(str).to_numpy()
    y = sentence_labels(sents, coded.spans, list(catalog.ids)).any(axis=1)
    text = sents["text"].astype(str).tolist()
    part = {name: np.flatnonzero(np.isin(doc, ids)) for name, ids in
            (("fit", fit_ids), ("val", val_ids), ("test", test_ids))}
    print(f"PTC: {len(coded.documents)} articles, {len(sents)} sentences ({y.mean():.1%} propaganda). Split by "
          f"article (seed {args.seed}) as techniques_ptc.py: held out {len(test_ids)} articles / "
          f"{len(part['test'])} sentences (first ids {test_ids[:3]}); training articles {len(train_ids)} = "
          f"fit {len(fit_ids)} ({len(part['fit'])} sentences) + validation {len(val_ids)} "
          f"({len(part['val'])} sentences)", flush=True)

    # 5 (first: it is quick). The frozen embeddings alone, same parts, same threshold rule.
    V = np.asarray(coded.vectors, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lr = LogisticRegression(C=1.0, max_iter=2000, random_state=args.seed).fit(V[part["fit"]], y[part["fit"]])
    frozen = _report("frozen MiniLM embeddings + logistic regression", lr.predict_proba(V[part["val"]])[:, 1],
                     y[part["val"]], lr.predict_proba(V[part["test"]])[:, 1], y[part["test"]], args.boot, args.seed)

    # 3. fine-tune end to end
    rss0 = _rss_mb()
    body = SentenceTransformer(str(bundled_model_dir()), device="cpu")
    body.max_seq_length = args.max_tokens
    dim = int(np.asarray(body.encode(["x"], convert_to_numpy=True)).shape[1])
    prep = getattr(body, "preprocess", None) or body.tokenize  # tokenize is deprecated in sentence-transformers 5
    head = torch.nn.Linear(dim, 1)
    with torch.no_grad():
        head.weight.normal_(0.0, 0.02, generator=torch.Generator().manual_seed(args.seed))
        head.bias.fill_(float(np.log(y[part["fit"]].mean() / (1 - y[part["fit"]].mean()))))
    n_params = sum(p.numel() for p in body.parameters()) + sum(p.numel() for p in head.parameters())
    opt = torch.optim.AdamW([{"params": body.parameters(), "lr": args.lr},
                             {"params": head.parameters(), "lr": args.lr * 50}], weight_decay=0.01)
    steps_per_epoch = math.ceil(len(part["fit"]) / args.batch)
    total = steps_per_epoch * args.epochs
    warm = max(1, total // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (total - s) / max(1, total - warm)))

    def scores(rows: np.ndarray) -> tuple[np.ndarray, float]:
        body.eval()
        order = sorted(rows, key=lambda i: len(text[i]))  # similar lengths in one batch: less padding
        out = np.zeros(len(sents), dtype=np.float64)
        t0 = time.perf_counter()
        with torch.inference_mode():
            for k in range(0, len(order), 64):
                idx = order[k:k + 64]
                feats = prep([text[i] for i in idx])
                out[idx] = head(body(feats)["sentence_embedding"]).squeeze(-1).double().numpy()
        return out[rows], time.perf_counter() - t0

    loss_fn = torch.nn.BCEWithLogitsLoss()
    target = torch.tensor(y, dtype=torch.float32)
    for epoch in range(args.epochs):
        body.train()
        head.train()
        order = part["fit"][rng.permutation(len(part["fit"]))]
        batches = [order[k:k + args.batch] for k in range(0, len(order), args.batch)]
        if args.bucket:  # sort each chunk of 50 batches by length, then shuffle the batches: less padding
            chunk = 50 * args.batch
            batches = [b for k in range(0, len(order), chunk)
                       for b in np.array_split(np.array(sorted(order[k:k + chunk], key=lambda i: len(text[i]))),
                                               math.ceil(len(order[k:k + chunk]) / args.batch))]
            batches = [batches[j] for j in rng.permutation(len(batches))]
        w0, c0 = time.perf_counter(), time.process_time()
        seen, losses = 0, []
        for step, idx in enumerate(batches):
            logits = head(body(prep([text[i] for i in idx]))["sentence_embedding"]).squeeze(-1)
            loss = loss_fn(logits, target[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            seen += len(idx)
            losses.append(loss.item())
            if step % 100 == 0:
                print(f"  epoch {epoch + 1} step {step}/{steps_per_epoch}: loss "
                      f"{np.mean(losses[-100:]):.3f}, {seen / (time.perf_counter() - w0):.1f} sentences/s",
                      flush=True)
            if time.perf_counter() - w0 > args.budget:
                break
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        note = "" if seen == len(order) else (f" STOPPED at the {args.budget:.0f} s budget: trained on a seeded "
                                              f"random {seen} of {len(order)} sentences")
        print(f"epoch {epoch + 1}: {seen} sentences in {wall:.0f} s wall, {cpu:.0f} s CPU "
              f"({seen / wall:.1f} sentences/s training; mean loss {np.mean(losses):.3f}){note}", flush=True)

    val_s, t_val = scores(part["val"])
    test_s, t_test = scores(part["test"])
    n_inf = len(part["val"]) + len(part["test"])
    print(f"inference: {n_inf} sentences in {t_val + t_test:.1f} s ({n_inf / (t_val + t_test):.1f} sentences/s)")
    tuned = _report(f"fine-tuned MiniLM ({args.epochs} epoch(s), batch {args.batch}, max {args.max_tokens} tokens)",
                    val_s, y[part["val"]], test_s, y[part["test"]], args.boot, args.seed)
    print(FROZEN_GATE)

    tmp = Path(tempfile.mkdtemp(prefix="ptc-finetune-", dir="/tmp"))
    try:
        body.save(str(tmp / "body"))
        torch.save(head.state_dict(), tmp / "head.pt")
        size = sum(f.stat().st_size for f in tmp.rglob("*") if f.is_file())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"model: {n_params / 1e6:.1f} M parameters, {size / 1e6:.0f} MB on disk (saved to /tmp, deleted); "
          f"peak resident memory {_rss_mb():.0f} MB (before loading the model for training {rss0:.0f} MB)")
    print(f"difference, fine-tuned - frozen embeddings LR (same parts): F1 {tuned['f1'] - frozen['f1']:+.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
