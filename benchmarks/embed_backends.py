"""The int8 embedding backend against the full model: speed, cosine, and the frame matches it changes.

Usage::

    python benchmarks/embed_backends.py CORPUS [ingest options ...] [--bench-n N] [--bench-frames]
    python benchmarks/embed_backends.py seeds/ --bench-frames
    python benchmarks/embed_backends.py ../shared/data/basil/articles.jsonl --text-field paragraphs --id-field file_id

1. The sentences ``framing ingest CORPUS`` embeds (non-fragments), a seeded
   sample of ``--bench-n`` of them (default 1000; all when fewer), are embedded
   in this process with all-MiniLM-L6-v2 on the torch backend and on the int8
   backend (``embedding.backend: int8``), no cache, in alternating chunks of 128
   so that the machine's other load falls on both alike, after one warm-up
   batch each. Printed: sentences per second of each, the speed-up, and the
   cosine between the two vectors of each sentence (mean, 5th percentile, min).
2. With ``--bench-frames``: ``framing analyze CORPUS --set embedding.model=
   sentence-transformers`` twice, backend torch and int8 (the corpus's own
   framing.yaml picks the catalog; the user's embedding cache is used, int8
   vectors have their own key), and the frame decisions compared: matched
   (sentence, frame) pairs of ``sentence_frames`` and matched (document,
   frame) pairs of ``document_frames``, as Jaccard overlap and counts.

Torch keeps its default thread count (printed).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

FRAMING = [sys.executable, "-c", "import sys; sys.argv[0] = 'framing'; from framing.cli import main; main()"]


def list_sentences(corpus: str, extra: list[str], work: Path) -> list[str]:
    import pandas as pd

    run = work / "ingest"
    subprocess.run([*FRAMING, "ingest", corpus, "--out", str(run), *extra], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sentences = pd.read_parquet(run / "tables" / "sentences.parquet")
    return list(dict.fromkeys(sentences[~sentences.is_fragment.astype(bool)].text.tolist()))


def speed_and_cosine(texts: list[str]) -> dict:
    import torch

    from framing.config import EmbeddingConfig
    from framing.embed import get_embedder

    models = {b: get_embedder("sentence-transformers", EmbeddingConfig(backend=b)) for b in ("torch", "int8")}
    for emb in models.values():
        emb.encode(texts[:32])  # load and warm up
    seconds = dict.fromkeys(models, 0.0)
    parts: dict[str, list[np.ndarray]] = {b: [] for b in models}
    for i, start in enumerate(range(0, len(texts), 128)):
        chunk = texts[start:start + 128]
        order = list(models) if i % 2 == 0 else list(models)[::-1]
        for b in order:
            t = time.perf_counter()
            parts[b].append(models[b].encode(chunk))
            seconds[b] += time.perf_counter() - t
    full, int8 = (np.vstack(parts[b]) for b in ("torch", "int8"))
    cos = (full * int8).sum(axis=1)
    return {"n": len(texts), "threads": torch.get_num_threads(),
            "per_s": {b: len(texts) / s for b, s in seconds.items()},
            "cos_mean": float(cos.mean()), "cos_p5": float(np.percentile(cos, 5)), "cos_min": float(cos.min())}


def matched_pairs(run: Path) -> tuple[set, set]:
    import pandas as pd

    sf = pd.read_parquet(run / "tables" / "sentence_frames.parquet")
    df = pd.read_parquet(run / "tables" / "document_frames.parquet")
    sf, df = sf[sf.matched.astype(bool)], df[df.matched.astype(bool)]
    return set(zip(sf.sentence_id, sf.frame_id)), set(zip(df.doc_id, df.frame_id))


def frame_agreement(corpus: str, extra: list[str], work: Path) -> dict:
    out = {}
    for backend in ("torch", "int8"):
        run = work / f"run-{backend}"
        t = time.perf_counter()
        subprocess.run([*FRAMING, "analyze", corpus, "--out", str(run), "-q", *extra,
                        "--set", "embedding.model=sentence-transformers", "--set", f"embedding.backend={backend}"],
                       check=True)
        out[backend] = {"wall": time.perf_counter() - t, "pairs": matched_pairs(run)}
    result = {"wall": {b: out[b]["wall"] for b in out}}
    for i, level in enumerate(("sentence", "document")):
        a, b = out["torch"]["pairs"][i], out["int8"]["pairs"][i]
        result[level] = {"torch": len(a), "int8": len(b), "both": len(a & b),
                         "jaccard": len(a & b) / max(1, len(a | b))}
    return result


def main(argv: list[str]) -> None:
    if not argv or argv[0].startswith("-"):
        sys.exit(__doc__)
    corpus, rest = argv[0], argv[1:]
    n, frames, extra = 1000, False, []
    i = 0
    while i < len(rest):
        if rest[i] == "--bench-n":
            n, i = int(rest[i + 1]), i + 2
        elif rest[i] == "--bench-frames":
            frames, i = True, i + 1
        else:
            extra.append(rest[i])
            i += 1
    with tempfile.TemporaryDirectory(prefix="embed-backends-") as tmp:
        work = Path(tmp)
        texts = list_sentences(corpus, extra, work)
        rng = np.random.default_rng(0)
        sample = [texts[j] for j in sorted(rng.choice(len(texts), size=min(n, len(texts)), replace=False))]
        sc = speed_and_cosine(sample)
        print(f"corpus {corpus}: {len(texts)} distinct sentences, {sc['n']} embedded by each backend "
              f"(torch threads {sc['threads']})")
        print(f"  torch {sc['per_s']['torch']:.1f} sentences/s, int8 {sc['per_s']['int8']:.1f} sentences/s, "
              f"speed-up {sc['per_s']['int8'] / sc['per_s']['torch']:.2f}x")
        print(f"  cosine int8 vs full: mean {sc['cos_mean']:.4f}, 5th percentile {sc['cos_p5']:.4f}, "
              f"min {sc['cos_min']:.4f}")
        result = {"speed_cosine": sc}
        if frames:
            fa = frame_agreement(corpus, extra, work)
            result["frames"] = fa
            for level in ("sentence", "document"):
                r = fa[level]
                print(f"  matched ({level}, frame) pairs: torch {r['torch']}, int8 {r['int8']}, both {r['both']}, "
                      f"Jaccard {r['jaccard']:.3f}")
            print(f"  framing analyze wall s: torch {fa['wall']['torch']:.1f}, int8 {fa['wall']['int8']:.1f} "
                  "(the user's embedding cache: compare only on the same cache state)")
        print(json.dumps(result, default=float))


if __name__ == "__main__":
    main(sys.argv[1:])
