"""Embedding speed: sentences per second of each backend, and of the cache.

Takes sentences from the seeds (or any folder of .txt files), cycles them to
``--n`` sentences, and prints for each model: load time, encode throughput
(after one warm-up batch), the throughput of ``embed_texts`` on a cold
cache with one sentence per call (``embedding.batch_independent``, the default)
and in batches, and on a warm cache; and how far a vector moves when half the
sentences come from a cache filled by an earlier run (0 with one sentence per
call). Torch keeps its default thread count, which is printed.

Usage::

    .venv/bin/python benchmarks/embed_speed.py            # seeds, 500 sentences
    .venv/bin/python benchmarks/embed_speed.py --n 2000 --models sentence-transformers
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from framing.config import EmbeddingConfig
from framing.embed import EmbeddingCache, embed_texts, get_embedder

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
_SENT_END = re.compile(r"(?<=[.!?])\s+|\n+")


def seed_sentences(folder: Path, n: int) -> list[str]:
    """``n`` sentences of at least four words from the .txt files in ``folder``, cycled."""
    pool = []
    for path in sorted(folder.glob("*.txt")):
        for sent in _SENT_END.split(path.read_text(encoding="utf-8")):
            if len(sent.split()) >= 4:
                pool.append(sent.strip())
    if not pool:
        raise SystemExit(f"No sentences found in {folder}")
    # Cycle, marking repeats so each sentence is unique for the cache measurement.
    return [pool[i % len(pool)] + ("" if i < len(pool) else f" ({i // len(pool)})") for i in range(n)]


def _halves_then_whole(emb, texts: list[str], batch_size: int) -> float:
    """Largest change of a vector when half the texts were cached by an earlier run (0.0: batch-independent)."""
    with tempfile.TemporaryDirectory() as tmp:
        cold = embed_texts(texts, emb, None, batch_size=batch_size)[0]
        cache = EmbeddingCache(tmp)
        embed_texts(texts[::2], emb, cache, batch_size=batch_size)
        warm = embed_texts(texts, emb, cache, batch_size=batch_size)[0]
        cache.close()
    return float(abs(warm - cold).max())


def bench(spec: str, texts: list[str], batch_size: int) -> dict:
    t0 = time.perf_counter()
    emb = get_embedder(spec, EmbeddingConfig(batch_size=batch_size))
    emb.encode(texts[:8])  # loads the model
    load = time.perf_counter() - t0
    emb.encode(texts[:batch_size])  # warm-up
    t0 = time.perf_counter()
    for start in range(0, len(texts), batch_size):
        emb.encode(texts[start : start + batch_size])
    encode = time.perf_counter() - t0
    batched = get_embedder(spec, EmbeddingConfig(batch_size=batch_size, batch_independent=False))
    batched.encode(texts[:8])
    with tempfile.TemporaryDirectory() as tmp:
        cache = EmbeddingCache(tmp)
        t0 = time.perf_counter()
        embed_texts(texts, emb, cache, batch_size=batch_size)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        _, stats = embed_texts(texts, emb, cache, batch_size=batch_size)
        warm = time.perf_counter() - t0
        cache.close()
    assert stats.hits == stats.unique
    t0 = time.perf_counter()
    embed_texts(texts, batched, None, batch_size=batch_size)
    cold_batched = time.perf_counter() - t0
    n = len(texts)
    return {"name": emb.name, "dim": emb.dim, "load_s": load, "encode": n / encode, "cold": n / cold,
            "cold_batched": n / cold_batched, "warm": n / warm,
            "drift": _halves_then_whole(emb, texts, batch_size),
            "drift_batched": _halves_then_whole(batched, texts, batch_size)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500, help="number of sentences")
    parser.add_argument("--folder", type=Path, default=SEEDS, help="folder of .txt files")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--torch-threads", type=int, default=None, help="torch.set_num_threads (default: leave)")
    parser.add_argument("--models", nargs="+", default=["sentence-transformers", "use-multilingual", "hashing"])
    args = parser.parse_args()
    texts = seed_sentences(args.folder, args.n)
    mean_chars = sum(map(len, texts)) / len(texts)
    try:
        import torch

        if args.torch_threads:
            torch.set_num_threads(args.torch_threads)
        threads = torch.get_num_threads()
    except ImportError:
        threads = "n/a"
    print(f"{len(texts)} sentences (mean {mean_chars:.0f} chars) from {args.folder}; torch threads: {threads}")
    print("cold/s: embed_texts with an empty cache, one sentence per call (embedding.batch_independent, the default);")
    print("batched/s: the same with batch_independent false; drift: the largest change of a vector when half the")
    print("sentences came from a cache filled by an earlier run (0: a cached vector is the fresh one).")
    print(f"{'model':<46} {'dim':>4} {'load s':>7} {'encode/s':>9} {'cold/s':>7} {'batched/s':>9} {'warm/s':>8}"
          f" {'drift':>8} {'drift batched':>13}")
    for spec in args.models:
        r = bench(spec, texts, args.batch_size)
        print(
            f"{r['name']:<46} {r['dim']:>4} {r['load_s']:>7.1f} {r['encode']:>9.0f} {r['cold']:>7.0f}"
            f" {r['cold_batched']:>9.0f} {r['warm']:>8.0f} {r['drift']:>8.1e} {r['drift_batched']:>13.1e}"
        )


if __name__ == "__main__":
    main()
