"""The topics stage: cluster the embedded sentences, add topic columns, the topics table and run.json info.

Takes plain data (sentences, vectors, the rows they belong to, the config) and returns plain data.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from ..config import Config

Say = Callable[[str], None]


def topic_step(sentences: pd.DataFrame, vectors: np.ndarray, rows: np.ndarray, cfg: Config,
               say: Say, fitted: dict | None = None, embedder=None,
               cache: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Cluster the embedded sentences that have enough words; add topic columns.

    Returns the sentences with ``topic``, ``topic_prob``, ``map_x``, ``map_y``,
    the topics table (with the sources of each topic) and run.json info.
    ``fitted``, when given, receives the fitted ``model``, the clustered ``embeddings``
    (to save the topic model with the run) and the ``hierarchy`` table.
    ``embedder`` gives the readable keywords (KeyBERTInspired + MMR); without it they are c-TF-IDF's.
    ``cache`` reads the results of the same fit from the topic cache (:mod:`framing.topics.step_cache`);
    ``fitted`` then receives the cached ``model_dir`` instead of the model, and on a miss a ``store``
    callback that keeps the results once the run has saved its topic model.
    """
    from .step_cache import OUTPUT_COLUMNS, read_entry, topic_cache_dir, topic_step_key, write_entry

    n_words = sentences.n_words.to_numpy()[rows]
    keep = n_words >= cfg.topics.min_sentence_words
    sel = rows[keep]
    # One array for the model and for saving it with the run: at 140k sentences each copy is ~200 MB.
    clustered = vectors if keep.all() else vectors[keep]
    folder = None
    directory = topic_cache_dir(cfg.embedding) if cache else None
    if directory is not None:
        name = getattr(embedder, "name", None) if embedder is not None else None
        folder = directory / topic_step_key(sentences.iloc[sel], clustered, name, cfg)
        found = read_entry(folder)
        if found is not None:
            say(f"Topics of these {len(sel)} sentences read from the topic cache (same sentences, embeddings, "
                "settings and code)")
            cached = found["assign"]
            if fitted is not None:
                fitted.update(hierarchy=found["hierarchy"], model_dir=found["model_dir"])
            return (_with_topic_columns(sentences, sel, cached.topic, cached.topic_prob, cached.map_x, cached.map_y),
                    found["topics"], found["info"])
    out, topics, info, model = _fit_topic_step(sentences, clustered, sel, cfg, say, embedder)
    if fitted is not None:
        fitted.update(model=model, embeddings=clustered, hierarchy=model.hierarchy_)
        if folder is not None:
            assign = out.iloc[sel][list(OUTPUT_COLUMNS)].reset_index(drop=True)
            fitted["store"] = lambda model_dir: write_entry(folder, assign, topics, model.hierarchy_, info, model_dir)
    return out, topics, info


def _with_topic_columns(sentences: pd.DataFrame, sel: np.ndarray, topic, prob, map_x, map_y) -> pd.DataFrame:
    """``sentences`` with ``topic``, ``topic_prob``, ``map_x``, ``map_y``: the values at rows ``sel``, -1/0/NaN elsewhere."""
    n = len(sentences)
    columns = {"topic": np.full(n, -1, dtype=np.int64), "topic_prob": np.zeros(n, dtype=np.float64),
               "map_x": np.full(n, np.nan), "map_y": np.full(n, np.nan)}
    for name, values in zip(columns, (topic, prob, map_x, map_y)):
        columns[name][sel] = np.asarray(values)
    return sentences.assign(**columns)


def _fit_topic_step(sentences: pd.DataFrame, clustered: np.ndarray, sel: np.ndarray, cfg: Config, say: Say,
                    embedder) -> tuple[pd.DataFrame, pd.DataFrame, dict, object]:
    from . import TopicModeler
    from ..embed.step import cached_encoder
    from .reduction_cache import reduction_cache_from_config

    say(f"Clustering {len(sel)} sentences into topics (UMAP + HDBSCAN + c-TF-IDF)")
    encode = cached_encoder(embedder, cfg) if embedder is not None else None
    model = TopicModeler(cfg.topics, seed=cfg.seed, encode=encode,
                         reduction_cache=reduction_cache_from_config(cfg.embedding)).fit(
        sentences.text.iloc[sel].tolist(), clustered, sentences.lang.iloc[sel].tolist(),
        sentences.sentence_id.iloc[sel].tolist(), doc_ids=sentences.doc_id.iloc[sel].tolist(),
        sources=sentences.source.iloc[sel].tolist() if "source" in sentences else None,
    )
    sentences = _with_topic_columns(sentences, sel, model.labels_, model.probs_, model.coords_[:, 0], model.coords_[:, 1])
    topic = sentences.topic.to_numpy()
    topics = model.topics_.copy()
    by_topic = sentences[sentences.topic >= 0].groupby("topic").source.agg(lambda s: sorted(s.dropna().unique()))
    topics["sources"] = [list(by_topic.get(t, [])) for t in topics.topic]
    n_topics = int((topics.topic >= 0).sum())
    outliers = float((topic[sel] < 0).mean()) if len(sel) else 0.0
    filler = int(model.filler_.sum())
    say(f"Found {n_topics} topics; {outliers:.0%} of clustered sentences are outliers or filler "
        f"({filler} filler, {model.outliers_} HDBSCAN outliers, {len(model.unanchored_)} topics no document "
        "is about left out: docs/tuning-topics.md)")
    info = {"clustered": int(len(sel)), "topics": n_topics, "outlier_share": round(outliers, 4),
            "filler": filler, "boilerplate": int(model.boilerplate_.sum()), "hdbscan_outliers": int(model.outliers_),
            "merged_by_documents": [list(map(int, g)) for g in model.merged_], "narrow_topics_dropped": model.dropped_,
            "unanchored_topics_dropped": model.unanchored_,
            "min_cluster_size": model.params_.min_cluster_size if model.params_ else None,
            "quality": model.quality_}
    return sentences, topics, info, model


