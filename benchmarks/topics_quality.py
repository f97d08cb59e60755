"""Topic quality of a `framing analyze` run next to plain BERTopic on the same sentences.

Usage::

    framing analyze ../shared/data/basil/articles.jsonl --text-field paragraphs --id-field file_id
    python benchmarks/topics_quality.py reports/basil-articles [--seed 42] [--skip-baseline]

Reads the run's tables and run.json; re-embeds the sentences the run
considered for clustering (every non-fragment sentence with at least
``topics.min_sentence_words`` words, filler included) through the embedding
cache (all hits after the run), fits ``BERTopic()`` with its defaults (UMAP
seeded with the run's seed) on them, and prints for both: topics, share of
those sentences left unclustered, NPMI coherence of the top keywords (the
run's own reference: document co-occurrence in the clustered sentences),
topic diversity, and the ten largest topics with their labels.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from framing.config import Config  # noqa: E402
from framing.store import read_run_json, read_tables  # noqa: E402
from framing.topics.quality import quality_summary  # noqa: E402


def largest(topics, n: int = 10) -> list[str]:
    top = topics.sort_values("size", ascending=False).head(n)
    return [f"{int(s):>5}  {label}" for s, label in zip(top["size"], top["label"])]


def plain_bertopic(texts: list[str], vectors: np.ndarray, seed: int):
    """BERTopic's defaults; only UMAP gets the seed. Returns labels and each topic's top 10 words."""
    from bertopic import BERTopic
    from umap import UMAP

    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    model = BERTopic(umap_model=umap_model)
    labels, _ = model.fit_transform(texts, embeddings=vectors)
    labels = np.asarray(labels)
    info = model.get_topic_info()
    info = info[info.Topic >= 0]
    keywords = [[w for w, _ in model.get_topic(t)][:10] for t in info.Topic]
    return labels, keywords, info


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--seed", type=int, default=None, help="plain BERTopic's UMAP seed (default: the run's)")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore", message="n_jobs value")

    meta = read_run_json(args.run_dir)
    cfg = Config.model_validate(meta["config"])
    tables = read_tables(args.run_dir, ["sentences", "topics"])
    sents, topics = tables["sentences"], tables["topics"]
    considered = sents[~sents.is_fragment.astype(bool) & (sents.n_words >= cfg.topics.min_sentence_words)]
    clustered = considered[considered.topic >= 0]
    q = meta["topics"].get("quality") or quality_summary(
        topics.keywords.tolist(), clustered.text.tolist(), cfg.topics.top_n_words)
    print(f"run {args.run_dir}: {len(considered)} sentences considered, seed {meta['seed']}")
    print(f"{'method':<16} {'topics':>6} {'unclustered':>11} {'NPMI':>7} {'NPMI c-TF-IDF':>13} {'diversity':>9}")
    print(f"{'framing':<16} {len(topics):>6} {1 - len(clustered) / max(len(considered), 1):>11.1%} "
          f"{q['coherence_npmi']:>7.3f} {q.get('ctfidf_coherence_npmi') or float('nan'):>13.3f} {q['diversity']:>9.3f}")
    print(f"  reference: {q['reference']}")
    if not args.skip_baseline:
        from framing.embed import cache_from_config, embed_texts, get_embedder

        embedder = get_embedder(meta["embedding"]["model"], cfg.embedding)
        texts = considered.text.tolist()
        vectors, stats = embed_texts(texts, embedder, cache_from_config(cfg.embedding))
        start = time.perf_counter()
        labels, keywords, info = plain_bertopic(texts, vectors, meta["seed"] if args.seed is None else args.seed)
        # The same measure on plain BERTopic's own clustered sentences.
        pq = quality_summary(keywords, [t for t, lab in zip(texts, labels) if lab >= 0], 10)
        print(f"{'plain BERTopic':<16} {len(keywords):>6} {np.mean(labels < 0):>11.1%} {pq['coherence_npmi']:>7.3f} "
              f"{pq['coherence_npmi']:>13.3f} {pq['diversity']:>9.3f}   ({time.perf_counter() - start:.0f} s, "
              f"cache hits {stats.hits}/{stats.total})")
    print("framing: ten largest topics (size, label)")
    for line in largest(topics):
        print("  " + line)
    if not args.skip_baseline:
        print("plain BERTopic: ten largest topics (size, name)")
        for size, name in zip(info.Count.head(10), info.Name.head(10)):
            print(f"  {int(size):>5}  {name}")


if __name__ == "__main__":
    main()
