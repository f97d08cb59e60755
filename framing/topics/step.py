"""The topics stage: cluster the embedded sentences, add topic columns, the topics table and run.json info.

Takes plain data (sentences, vectors, the rows they belong to, the config) and returns a
:class:`TopicResult`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from ..config import Config
from .table import topics_table

Say = Callable[[str], None]


@dataclass(frozen=True)
class TopicCacheEntry:
    """The results of a fit, to keep in the topic cache (:mod:`framing.topics.step_cache`) beside its saved model."""

    folder: Path
    assign: pd.DataFrame
    topics: pd.DataFrame
    hierarchy: pd.DataFrame
    info: dict

    def store(self, model_dir: Path | None) -> None:
        """Write the entry, with a copy of the model saved in ``model_dir`` (None: the fit kept no model)."""
        from .step_cache import write_entry

        write_entry(self.folder, self.assign, self.topics, self.hierarchy, self.info, model_dir)


@dataclass(frozen=True)
class TopicResult:
    """What the topics stage returns.

    Attributes
    ----------
    sentences : DataFrame
        The sentences with ``topic``, ``topic_prob``, ``map_x``, ``map_y`` (-1, 0, NaN for those not clustered).
    topics : DataFrame
        The topics table (:mod:`framing.topics.table`).
    info : dict
        run.json's ``topics``.
    hierarchy : DataFrame or None
        The ``topic_hierarchy`` table; None unless the model was kept (``keep_model``).
    model : TopicModeler or None
        The fit, kept to be saved with the run (``keep_model``; None when read from the topic cache).
    embeddings : ndarray of shape (n_clustered, dim) or None
        The clustered embeddings the saved model needs (its topic centroids); with ``model`` only.
    model_dir : Path or None
        The model saved with the cached results (a topic-cache hit).
    cache : TopicCacheEntry or None
        On a topic-cache miss: the results to keep once the run has saved its model.
    record : dict or None
        The saved model's ``framing.json``, prepared by the job from ``embeddings`` (which it then drops).
    """

    sentences: pd.DataFrame
    topics: pd.DataFrame
    info: dict
    hierarchy: pd.DataFrame | None = None
    model: object | None = None
    embeddings: np.ndarray | None = None
    model_dir: Path | None = None
    cache: TopicCacheEntry | None = None
    record: dict | None = None


def topic_step(sentences: pd.DataFrame, vectors: np.ndarray, rows: np.ndarray, cfg: Config,
               say: Say, keep_model: bool = False, embedder=None, cache: bool = False) -> TopicResult:
    """Cluster the embedded sentences that have enough words; add topic columns.

    Parameters
    ----------
    sentences : DataFrame
    vectors : ndarray of shape (len(rows), dim)
        The embeddings of ``sentences.iloc[rows]``.
    rows : ndarray of int
    cfg : Config
    keep_model : bool
        Keep the fitted model, its clustered embeddings and hierarchy in the result, to save them with the run.
    embedder : Embedder, optional
        Gives the readable keywords (KeyBERTInspired + MMR); without it they are c-TF-IDF's.
    cache : bool
        Read the results of the same fit from the topic cache (:mod:`framing.topics.step_cache`): the
        result then names the cached ``model_dir`` instead of holding a model, and on a miss holds the
        ``cache`` entry to keep once the run has saved its topic model.
    """
    from .step_cache import OUTPUT_COLUMNS, read_entry, topic_cache_dir, topic_step_key

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
            out = _with_topic_columns(sentences, sel, cached.topic, cached.topic_prob, cached.map_x, cached.map_y)
            if not keep_model:
                return TopicResult(out, found["topics"], found["info"])
            return TopicResult(out, found["topics"], found["info"], hierarchy=found["hierarchy"],
                               model_dir=found["model_dir"])
    out, topics, info, model = _fit_topic_step(sentences, clustered, sel, cfg, say, embedder)
    if not keep_model:
        return TopicResult(out, topics, info)
    entry = None
    if folder is not None:
        assign = out.iloc[sel][list(OUTPUT_COLUMNS)].reset_index(drop=True)
        entry = TopicCacheEntry(folder, assign, topics, model.hierarchy_, info)
    return TopicResult(out, topics, info, hierarchy=model.hierarchy_, model=model, embeddings=clustered, cache=entry)


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
    from .documents import lead_weights
    from .reduction_cache import reduction_cache_from_config

    say(f"Clustering {len(sel)} sentences into topics (UMAP + HDBSCAN + c-TF-IDF)")
    encode = cached_encoder(embedder, cfg) if embedder is not None else None
    model = TopicModeler(cfg.topics, seed=cfg.seed, encode=encode,
                         reduction_cache=reduction_cache_from_config(cfg.embedding)).fit(
        sentences.text.iloc[sel].tolist(), clustered, sentences.lang.iloc[sel].tolist(),
        sentences.sentence_id.iloc[sel].tolist(), doc_ids=sentences.doc_id.iloc[sel].tolist(),
        sources=sentences.source.iloc[sel].tolist() if "source" in sentences else None,
        lead=lead_weights(sentences.doc_id)[sel],  # places among all of a document's sentences, as the tables count
    )
    sentences = _with_topic_columns(sentences, sel, model.labels_, model.probs_, model.coords_[:, 0], model.coords_[:, 1])
    topic = sentences.topic.to_numpy()
    topics = topics_table(model.topics_, sentences)
    n_topics = int((topics.topic >= 0).sum())
    outliers = float((topic[sel] < 0).mean()) if len(sel) else 0.0
    filler = int(model.filler_.sum())
    say(f"Found {n_topics} topics; {outliers:.0%} of clustered sentences are outliers or filler "
        f"({filler} filler, {model.outliers_} HDBSCAN outliers, {len(model.unanchored_)} topics no document "
        "is about left out: docs/tuning-topics.md)")
    if getattr(model, "themes_", None):
        say(f"Grouped the topics into {len(model.themes_)} themes for an overview (topics.theme)")
    info = {"clustered": int(len(sel)), "topics": n_topics, "outlier_share": round(outliers, 4),
            "filler": filler, "boilerplate": int(model.boilerplate_.sum()), "hdbscan_outliers": int(model.outliers_),
            "merged_by_documents": [list(map(int, g)) for g in model.merged_], "narrow_topics_dropped": model.dropped_,
            "unanchored_topics_dropped": model.unanchored_, "generic_topics_dropped": model.generic_,
            "unbursty_topics_dropped": getattr(model, "unbursty_", {}),
            "moved_out_by_rule": model.moves_, "outlier_floor": None if model.outlier_floor_ is None
            or np.isnan(model.outlier_floor_) else round(float(model.outlier_floor_), 4),
            "min_cluster_size": model.params_.min_cluster_size if model.params_ else None,
            "min_samples": model.params_.min_samples if model.params_ else None,
            "min_main_documents": model.params_.min_main_documents if model.params_ else None,
            "quality": model.quality_, "themes": getattr(model, "themes_", [])}
    return sentences, topics, info, model


