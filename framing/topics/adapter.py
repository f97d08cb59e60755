"""The BERTopic adapter: the one place framing builds, fits and edits a BERTopic model.

BERTopic gets the run's own embeddings (it never embeds sentences), a
reducer from :mod:`framing.topics.reduction`, HDBSCAN at the sizes of
:mod:`framing.topics.sizing`, a CountVectorizer that counts keywords as
:mod:`framing.words` does, and, with the run's embedder, a readable aspect
(KeyBERTInspired + MaximalMarginalRelevance). What the topic rules do to a
fitted model (update, merge, drop and renumber topics, place outliers) goes
through the functions here, so the model's topics, keywords and topic
embeddings stay consistent with the assignments.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

from ..config import TopicsConfig
from ..errors import TopicModelError
from ..runlog import quiet_import
from ..words import TOKEN_PATTERN, keyword_preprocessor
from .lean_import import import_bertopic
from .reduction import make_reducer
from .sizing import ResolvedParams

logger = logging.getLogger(__name__)

READABLE = "Readable"
"""The BERTopic aspect holding the KeyBERTInspired + MMR keywords (the main one stays c-TF-IDF)."""


def _embedding_backend(encode: Callable[[list[str]], np.ndarray]):
    """BERTopic's embedder interface over the run's own ``encode`` (words for KeyBERTInspired and MMR)."""
    BaseEmbedder = import_bertopic("bertopic.backend").BaseEmbedder

    class _RunEmbedder(BaseEmbedder):
        def embed(self, documents, verbose: bool = False) -> np.ndarray:
            return np.asarray(encode([str(d) for d in documents]), dtype=np.float32)

    return _RunEmbedder()


def _representation(config: TopicsConfig, seed: int, encode) -> dict | None:
    """The readable aspect (KeyBERTInspired, then MaximalMarginalRelevance); None without an encoder."""
    if config.representation != "keybert-mmr" or encode is None:
        return None
    representation = import_bertopic("bertopic.representation")
    KeyBERTInspired, MaximalMarginalRelevance = representation.KeyBERTInspired, representation.MaximalMarginalRelevance

    # 30 c-TF-IDF candidates per topic are re-ranked by similarity to the topic's sentences, then
    # diversified; c-TF-IDF stays BERTopic's main representation (ctfidf_keywords).
    return {READABLE: [
        KeyBERTInspired(top_n_words=config.top_n_words, nr_candidate_words=30, random_state=seed),
        MaximalMarginalRelevance(diversity=config.mmr_diversity, top_n_words=config.top_n_words),
    ]}


def build_bertopic(config: TopicsConfig, params: ResolvedParams, seed: int, stop_words, shape: tuple[int, int],
                   encode=None, cache=None):
    """An unfitted BERTopic for ``shape = (n_sentences, dim)`` embeddings.

    ``encode`` (the run's embedder through its cache) gives the readable keywords; ``cache`` is the
    :class:`~framing.topics.reduction_cache.ReductionCache` the reducer may read and fill.
    """
    # bertopic's import ignores every UserWarning process-wide; keep its filters out of our process.
    BERTopic = import_bertopic().BERTopic
    HDBSCAN = quiet_import("hdbscan").HDBSCAN
    from sklearn.feature_extraction.text import CountVectorizer

    from .layouts import LayoutEnsemble

    reducer = make_reducer(config, params, params.n_components, seed, shape, cache)
    # Consensus needs several layouts: a reducer without them (PCA) is clustered by one HDBSCAN.
    if isinstance(reducer, LayoutEnsemble) and config.layout_consensus in ("unanimous", "majority"):
        from .consensus import UnanimousHDBSCAN

        hdbscan_model = UnanimousHDBSCAN(config.layouts, params.min_cluster_size, params.min_samples,
                                         config.cluster_selection_method,
                                         join="majority" if config.layout_consensus == "majority" else "none")
    else:
        hdbscan_model = HDBSCAN(
            min_cluster_size=params.min_cluster_size, min_samples=params.min_samples,
            cluster_selection_method=config.cluster_selection_method, metric="euclidean",
            prediction_data=True,
        )
    vectorizer = CountVectorizer(
        stop_words=sorted(stop_words) or None, token_pattern=TOKEN_PATTERN,
        ngram_range=(1, config.ngram_max), preprocessor=keyword_preprocessor,
    )
    representation = _representation(config, seed, encode)
    return BERTopic(
        embedding_model=_embedding_backend(encode) if representation else None,
        umap_model=reducer,
        hdbscan_model=hdbscan_model, vectorizer_model=vectorizer, top_n_words=config.top_n_words,
        nr_topics=config.nr_topics, calculate_probabilities=False, verbose=False,
        representation_model=representation,
        # "english" would strip every non-ASCII character (Syrië -> syri) before counting keywords.
        language="multilingual",
    )


def fit_bertopic(model, docs: list[str], embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fit ``model``; returns each sentence's topic (-1 outlier) and HDBSCAN membership strength.

    Returns
    -------
    topics : ndarray of shape (n,), int
    probs : ndarray of shape (n,), float
        Zeros when BERTopic gives no probabilities.
    """
    try:
        with warnings.catch_warnings():
            # KeyBERTInspired's internal numpy divisions on empty candidate rows are harmless.
            warnings.filterwarnings("ignore", category=RuntimeWarning, module="bertopic")
            topics, probs = model.fit_transform(docs, embeddings=embeddings)
    except ValueError as exc:
        if "empty vocabulary" not in str(exc):
            raise
        raise TopicModelError(
            "No keyword is left after removing stop words, numbers and 1-2 letter tokens: the "
            "sentences hold only function words. Set topics.stop_words=none or add text."
        ) from exc
    n = len(docs)
    topics = np.asarray(topics, dtype=np.int64)
    probs = np.zeros(n) if probs is None else np.asarray(probs, dtype=np.float64).reshape(n, -1).max(axis=1)
    return topics, probs


def reindex_topic_embeddings(model, before: np.ndarray, after: np.ndarray, order: list[int]) -> None:
    """Rows of ``model.topic_embeddings_`` for the topics of ``after``: row ``i`` of topic ``i`` is old topic ``order[i]``.

    BERTopic's ``update_topics`` leaves the embeddings of the topics before the update. ``before`` /
    ``after`` are the assignments around it; a ``-1`` row leads when ``after`` has outliers (the old
    outlier row when there was one, zeros otherwise).
    """
    old = getattr(model, "topic_embeddings_", None)
    if old is None:
        return
    old = np.asarray(old)
    offset = 1 if (before < 0).any() else 0
    rows = [old[t + offset] for t in order]
    if (after < 0).any():
        rows.insert(0, old[0] if offset else np.zeros(old.shape[1], dtype=old.dtype))
    model.topic_embeddings_ = np.vstack(rows) if rows else old[:0]


def update_topics(model, docs: list[str], topics: np.ndarray, top_n_words: int) -> None:
    """Give ``model`` the assignments ``topics`` and recompute its keywords (BERTopic's update_topics)."""
    bertopic_logger = logging.getLogger("BERTopic")
    level = bertopic_logger.level
    # update_topics warns that custom assignments must come last; they do here.
    bertopic_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=RuntimeWarning, module="bertopic")
            model.update_topics(
                docs, topics=topics.tolist(), top_n_words=top_n_words,
                vectorizer_model=model.vectorizer_model, ctfidf_model=model.ctfidf_model,
                representation_model=model.representation_model,
            )
    finally:
        bertopic_logger.setLevel(level)


def merge_topics(model, docs: list[str], groups: list[list[int]]) -> np.ndarray:
    """Merge each group of topics into one (BERTopic's merge_topics); returns the new assignments."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=RuntimeWarning, module="bertopic")
        model.merge_topics(docs, groups)
    return np.asarray(model.topics_, dtype=np.int64)


def drop_topics(model, docs: list[str], topics: np.ndarray, drop: set[int],
                top_n_words: int) -> tuple[np.ndarray, dict[int, int]]:
    """Topics in ``drop`` become -1; the rest are renumbered by size (as BERTopic numbers them).

    Returns the new assignments and the renumbering (old topic -> new topic; dropped ones absent).
    """
    kept = pd.Series(topics[(topics >= 0) & ~np.isin(topics, list(drop))]).value_counts()
    order = sorted(kept.index, key=lambda t: (-kept[t], t))
    mapping = {int(t): i for i, t in enumerate(order)}
    new = np.array([mapping.get(int(t), -1) for t in topics], dtype=np.int64)
    update_topics(model, docs, new, top_n_words)
    # update_topics keeps the old topic embeddings (reduce_outliers and transform read them): re-index
    # the kept topics' rows (their members are unchanged).
    reindex_topic_embeddings(model, topics, new, [int(t) for t in order])
    return new, mapping


def reduce_outliers(model, docs: list[str], embeddings: np.ndarray, topics: np.ndarray, strategy: str,
                    threshold: float, top_n_words: int) -> np.ndarray:
    """Place outliers in a topic with BERTopic's ``reduce_outliers``; returns the new assignments."""
    kwargs = {"embeddings": embeddings} if strategy == "embeddings" else {}
    new = model.reduce_outliers(docs, topics.tolist(), strategy=strategy, threshold=threshold, **kwargs)
    new = np.asarray(new, dtype=np.int64)
    logger.info("Outlier reduction (%s) placed %d of %d outliers", strategy,
                int(((topics < 0) & (new >= 0)).sum()), int((topics < 0).sum()))
    update_topics(model, docs, new, top_n_words)
    kept = sorted(t for t in set(new.tolist()) if t >= 0)
    reindex_topic_embeddings(model, topics, new, kept)
    return new


def topic_words(model, topic: int, aspect: str | None = None) -> list[tuple[str, float]]:
    """The (word, score) pairs of ``topic``: c-TF-IDF's, or those of the named aspect (empty when absent)."""
    if aspect is None:
        return list(model.get_topic(topic) or [])
    return list((getattr(model, "topic_aspects_", {}).get(aspect, {}) or {}).get(topic) or [])
