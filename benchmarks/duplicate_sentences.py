"""Seconds to find the topics of a corpus that repeats one sentence N times (issue 19: 100k duplicates).

    .venv/bin/python benchmarks/duplicate_sentences.py [--n 100000] [--distinct 300] [--warm] [--analyze]

Default: times ``TopicModeler.fit`` (the topic step: UMAP + HDBSCAN + c-TF-IDF and the 2-D map, default
topic settings) on N copies of one sentence plus ``--distinct`` different sentences, with the hashing
embedder's vectors, and prints the seconds and the topics found (``--warm``: after a first fit on the distinct sentences alone, so that
importing BERTopic and compiling UMAP, about a minute on a busy machine, are not counted). ``--analyze`` instead runs
``framing analyze`` on a folder holding that text as one .txt file (hashing embedder, no cache) and
prints its wall seconds and run.json's seconds per stage.

Before issue 19 every copy was clustered; now distinct texts are clustered and their topics mapped
back to every copy.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

SENTENCE = "The troops left the base after rockets hit the oil fields near the border."
TOPICS = ["rocket attack on the military base", "vaccine trial results for the new dose",
          "election ballots counted in the swing state"]


def distinct_sentences(n: int) -> list[str]:
    """``n`` different sentences around three topics."""
    words = "today officials said reports confirm analysts expect residents describe".split()
    return [f"The {TOPICS[i % 3]} {words[i % len(words)]} number {i} {words[(i * 7) % len(words)]}." for i in range(n)]


def fit_seconds(n: int, distinct: int, warm: bool = False) -> None:
    from framing.config import load_config
    from framing.embed import get_embedder
    from framing.topics import TopicModeler

    cfg = load_config(overrides=["embedding.model=hashing"])
    texts = [SENTENCE] * n + distinct_sentences(distinct)
    embedder = get_embedder("hashing", cfg.embedding)
    unique = sorted(set(texts))
    vectors = embedder.encode(unique)
    index = {t: i for i, t in enumerate(unique)}
    embeddings = vectors[[index[t] for t in texts]]
    docs = [f"d{i // 50}" for i in range(len(texts))]
    if warm:
        TopicModeler(cfg.topics, seed=cfg.seed).fit(texts[n:], embeddings[n:], ["en"] * distinct,
                                                    [f"w{i}" for i in range(distinct)], doc_ids=docs[n:])
    t0 = time.perf_counter()
    model = TopicModeler(cfg.topics, seed=cfg.seed).fit(texts, embeddings, ["en"] * len(texts),
                                                        [f"s{i}" for i in range(len(texts))], doc_ids=docs,
                                                        sources=["one"] * len(texts))
    seconds = time.perf_counter() - t0
    copies = model.labels_[:n]
    print(f"fit: {n} copies + {distinct} distinct sentences: {seconds:.1f} s; "
          f"{len(model.topics_)} topics; copies' topics {sorted(set(copies.tolist()))}")


def analyze_seconds(n: int, distinct: int) -> None:
    from framing.config import load_config
    from framing.jobs.analyze import analyze

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "dupes"
        corpus.mkdir()
        (corpus / "dupes.txt").write_text(" ".join([SENTENCE] * n + distinct_sentences(distinct)), encoding="utf-8")
        t0 = time.perf_counter()
        cfg = load_config(overrides=["embedding.model=hashing", "embedding.cache=false"])
        run = analyze([corpus], cfg, out=Path(tmp) / "run")
        seconds = time.perf_counter() - t0
        stages = json.loads((Path(tmp) / "run" / "run.json").read_text()).get("stage_seconds", {})
        print(f"analyze: {n} copies + {distinct} distinct sentences: {seconds:.1f} s; {len(run.tables['topics'])} topics; "
              f"stages {stages}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=300)
    parser.add_argument("--warm", action="store_true")
    parser.add_argument("--analyze", action="store_true")
    args = parser.parse_args()
    np.random.seed(0)
    if args.analyze:
        analyze_seconds(args.n, args.distinct)
    else:
        fit_seconds(args.n, args.distinct, args.warm)
