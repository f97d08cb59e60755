"""Resident memory through the topic step of a finished run: where the peak of a large run is.

Usage::

    python benchmarks/topic_memory.py RUN_DIR [--set section.key=value ...]

Reads the run's sentences (``tables/sentences.parquet``), embeds them again
through the embedding cache (the run's model; give the run's cache settings
with ``--set``, e.g. ``embedding.cache_dir=...``), then runs the topic step of
``framing analyze`` with the given settings, printing the resident set
(VmRSS) and its high-water mark (VmHWM) on entering and leaving each phase:
BERTopic's fit (reduction, HDBSCAN, c-TF-IDF, representative documents), the
topic rules' updates, the readable keywords (``_describe``) and the 2-d map.
With the run's reductions in the cache (same sentences, model and settings)
UMAP is read, not run, so the figures are those of everything but UMAP.

Example (the 136k-sentence AllSides run of the README, Performance)::

    python benchmarks/topic_memory.py RUN --set embedding.model=hashing \\
        --set embedding.cache_dir=/tmp/bench13-cache --set topics.umap_sample=20000
"""

from __future__ import annotations

import functools
import sys
import time
import warnings

T0 = time.time()


def rss() -> tuple[float, float]:
    with open("/proc/self/status") as fh:
        status = dict(line.split(":", 1) for line in fh)
    return int(status["VmRSS"].split()[0]) / 1048576, int(status["VmHWM"].split()[0]) / 1048576


def mark(what: str) -> None:
    now, high = rss()
    print(f"{time.time() - T0:7.1f} s  rss {now:.2f} GB  high-water {high:.2f} GB  {what}", flush=True)


def wrap(owner, name: str, label: str) -> None:
    func = getattr(owner, name, None)
    if func is None:
        return

    @functools.wraps(func)
    def traced(*args, **kwargs):
        mark(f"enter {label}")
        out = func(*args, **kwargs)
        mark(f"leave {label}")
        return out

    setattr(owner, name, traced)


def main(argv: list[str]) -> None:
    if not argv or argv[0].startswith("-"):
        sys.exit(__doc__)
    run, rest = argv[0], argv[1:]
    overrides = [rest[i + 1] for i in range(len(rest) - 1) if rest[i] in ("--set", "-s")]
    warnings.filterwarnings("ignore")
    import bertopic
    import hdbscan
    import pandas as pd

    from framing.config import load_config
    from framing.embed.step import embed_step
    from framing.topics.step import topic_step
    from framing.topics import model as topic_model

    cfg = load_config(overrides=overrides)
    columns = ["topic", "topic_prob", "map_x", "map_y"]
    sentences = pd.read_parquet(f"{run}/tables/sentences.parquet")
    sentences = sentences.drop(columns=[c for c in columns if c in sentences])
    mark(f"{len(sentences)} sentences read")
    vectors, rows, info, embedder = embed_step(sentences, cfg, lambda _m: None, False)
    mark(f"embedded: cache hits {info['cache']['hits']}, misses {info['cache']['misses']}")
    for name in ["fit_transform", "_reduce_dimensionality", "_cluster_embeddings", "_extract_topics", "_c_tf_idf",
                 "_extract_representative_docs", "update_topics", "hierarchical_topics"]:
        wrap(bertopic.BERTopic, name, f"BERTopic.{name}")
    wrap(hdbscan.HDBSCAN, "fit", "HDBSCAN.fit")
    for name in ["_fit_topics", "_merge_by_documents", "_drop_narrow_topics", "_drop_unanchored_topics", "_update",
                 "_describe", "_map_coords"]:
        wrap(topic_model.TopicModeler, name, f"TopicModeler.{name}")
    topic_step(sentences, vectors, rows, cfg, mark, fitted={}, embedder=embedder)
    mark("topic step done")


if __name__ == "__main__":
    main(sys.argv[1:])
