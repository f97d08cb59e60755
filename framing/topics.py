"""Topics: BERTopic over precomputed sentence embeddings.

This is the only module that imports ``bertopic``, ``umap`` and ``hdbscan``.
:class:`TopicModeler` reduces the embeddings (UMAP, or PCA as a cheap
stand-in), clusters them with HDBSCAN, and describes every cluster with
c-TF-IDF keywords from which the stop words of every language present
(stopwordsiso) are removed, a readable label and its most central sentences.

Too little to cluster is not an error: with fewer than
:data:`MIN_SENTENCES` clusterable sentences, or when HDBSCAN finds no
cluster, every sentence gets topic -1 and a :class:`~framing.errors.TopicWarning`
is issued, so the rest of a run (frames, comparison, report) still works.

Examples
--------
>>> import numpy as np
>>> from framing.config import TopicsConfig
>>> rng = np.random.default_rng(0)
>>> centers = np.eye(3, 8) * 10
>>> emb = np.vstack([c + rng.normal(size=(12, 8)) for c in centers])
>>> words = ["rocket attack base", "vaccine dose trial", "election vote ballot"]
>>> texts = [f"the {words[i // 12]} news {i}" for i in range(36)]
>>> cfg = TopicsConfig(reducer="pca", min_cluster_size=5)
>>> tm = TopicModeler(cfg).fit(texts, emb, ["en"] * 36, [f"s{i}" for i in range(36)])
>>> sorted(set(tm.labels_.tolist()))
[0, 1, 2]
"""

from __future__ import annotations

import logging
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .config import TopicsConfig
from .errors import NotFittedError, TopicModelError, TopicWarning
from .segment import count_words  # the same word count as sentences.n_words
from .runlog import quiet_import

logger = logging.getLogger(__name__)

MIN_SENTENCES = 5
"""Fewer clusterable sentences than this give all -1 and a TopicWarning."""

TOKEN_PATTERN = r"(?u)\b[^\W\d_][^\W_]{2,}\b"
"""Keyword tokens: start with a letter, at least 3 characters; drops numbers and 1-2 letter tokens."""

TOPIC_COLUMNS = ["topic", "label", "keywords", "size", "representative_ids", "languages"]
LABEL_WORDS = 3


@dataclass(frozen=True)
class ResolvedParams:
    """The parameters actually used, after adapting the config to a small input."""

    n_neighbors: int
    n_components: int
    min_cluster_size: int
    min_samples: int | None


def resolve_params(config: TopicsConfig, n: int) -> ResolvedParams:
    """Shrink neighbourhood, dimensions and cluster sizes that ``n`` points cannot support.

    >>> resolve_params(TopicsConfig(), 8)
    ResolvedParams(n_neighbors=7, n_components=5, min_cluster_size=4, min_samples=1)
    """
    n_neighbors = max(2, min(config.n_neighbors, n - 1))
    n_components = max(1, min(config.n_components, n - 2))
    min_cluster_size = max(2, min(config.min_cluster_size, n // 2))
    min_samples = config.min_samples
    if min_samples is not None:
        min_samples = max(1, min(min_samples, min_cluster_size, n - 1))
    resolved = ResolvedParams(n_neighbors, n_components, min_cluster_size, min_samples)
    if (n_neighbors, n_components, min_cluster_size, min_samples) != (
        config.n_neighbors, config.n_components, config.min_cluster_size, config.min_samples
    ):
        logger.info("Topic parameters adapted to %d sentences: %s", n, resolved)
    return resolved


def normalize_lang(lang: object) -> str | None:
    """``'en-US'`` -> ``'en'``; None, NaN and empty give None."""
    if not isinstance(lang, str) or not lang.strip():
        return None
    return re.split(r"[-_]", lang.strip().lower())[0]


def stop_words_for(langs: Sequence[object]) -> frozenset[str]:
    """The union of the stopwordsiso lists of every language in ``langs``.

    Each stop word is also split with :data:`TOKEN_PATTERN` so that the
    vectorizer's consistency check holds (``"don't"`` adds ``"don"``).

    >>> {"the", "het", "de"} <= stop_words_for(["en", "nl-NL"])
    True
    """
    import stopwordsiso

    codes = sorted({c for c in map(normalize_lang, langs) if c})
    known = [c for c in codes if stopwordsiso.has_lang(c)]
    missing = sorted(set(codes) - set(known))
    if missing:
        logger.info("No stop-word list for languages %s; their function words may appear as keywords.", missing)
    words = {w.lower() for w in stopwordsiso.stopwords(known)} if known else set()
    pattern = re.compile(TOKEN_PATTERN)
    for word in list(words):
        words.update(pattern.findall(word))
    return frozenset(words)


def keyword_preprocessor(text: str) -> str:
    """Lower-case and NFKC-normalise a text before keywords are counted."""
    return unicodedata.normalize("NFKC", text).lower()


def readable_label(topic: int, keywords: Sequence[str], n_words: int = LABEL_WORDS) -> str:
    """``"12: withdrawal, qaim, bases"``: top keywords that share no word with an earlier one.

    >>> readable_label(3, ["vaccine", "vaccine dose", "trial", "dose"])
    '3: vaccine, trial, dose'
    """
    chosen: list[str] = []
    seen: set[str] = set()
    for keyword in keywords:
        tokens = set(keyword.split())
        if not tokens or tokens & seen:
            continue
        chosen.append(keyword)
        seen |= tokens
        if len(chosen) == n_words:
            break
    return f"{topic}: {', '.join(chosen)}" if chosen else f"{topic}: (no keywords)"


def representative_rows(members: np.ndarray, embeddings: np.ndarray, k: int) -> list[int]:
    """Row indices of the ``k`` members closest (cosine) to their centroid, closest first."""
    vectors = embeddings[members]
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    centroid = vectors.mean(axis=0)
    similarity = vectors @ (centroid / max(np.linalg.norm(centroid), 1e-12))
    order = np.lexsort((members, -similarity))  # ties broken by input order
    return [int(members[i]) for i in order[:k]]


def _reducer(config: TopicsConfig, params: ResolvedParams, n_components: int, seed: int, n: int):
    if config.reducer == "pca":
        from sklearn.decomposition import PCA

        return PCA(n_components=n_components, random_state=seed)
    UMAP = quiet_import("umap").UMAP

    # Spectral initialisation needs more points than dimensions; tiny inputs start at random.
    init = "spectral" if n > n_components + 2 else "random"
    min_dist = config.min_dist if n_components != 2 else max(config.min_dist, 0.1)
    return UMAP(
        n_neighbors=params.n_neighbors, n_components=n_components, min_dist=min_dist,
        metric=config.metric, init=init, random_state=seed,
        n_jobs=1,  # a seeded UMAP is single-threaded anyway; saying so avoids its warning
    )


def _build_bertopic(config: TopicsConfig, params: ResolvedParams, seed: int, stop_words, shape: tuple[int, int]):
    # bertopic's import ignores every UserWarning process-wide; keep its filters out of our process.
    BERTopic = quiet_import("bertopic").BERTopic
    HDBSCAN = quiet_import("hdbscan").HDBSCAN
    from sklearn.feature_extraction.text import CountVectorizer

    n, dim = shape
    n_components = params.n_components
    if config.reducer == "pca":
        n_components = max(1, min(n_components, n - 1, dim))
    hdbscan_model = HDBSCAN(
        min_cluster_size=params.min_cluster_size, min_samples=params.min_samples,
        cluster_selection_method=config.cluster_selection_method, metric="euclidean",
        prediction_data=True,
    )
    vectorizer = CountVectorizer(
        stop_words=sorted(stop_words) or None, token_pattern=TOKEN_PATTERN,
        ngram_range=(1, config.ngram_max), preprocessor=keyword_preprocessor,
    )
    return BERTopic(
        embedding_model=None, umap_model=_reducer(config, params, n_components, seed, n),
        hdbscan_model=hdbscan_model, vectorizer_model=vectorizer, top_n_words=config.top_n_words,
        nr_topics=config.nr_topics, calculate_probabilities=False, verbose=False,
        # "english" would strip every non-ASCII character (Syrië -> syri) before counting keywords.
        language="multilingual",
    )


def _check_inputs(texts, embeddings, langs, ids) -> tuple[list[str], np.ndarray, list, list[str]]:
    texts = [str(t) for t in texts]
    embeddings = np.asarray(embeddings, dtype=np.float32)
    n = len(texts)
    if embeddings.ndim != 2 or embeddings.shape[0] != n:
        raise TopicModelError(
            f"The embeddings must have shape (n_sentences, dim) = ({n}, dim); got {embeddings.shape}. "
            "Pass one embedding row per sentence, in the same order as the texts."
        )
    for name, seq in (("langs", langs), ("ids", ids)):
        if len(seq) != n:
            raise TopicModelError(f"'{name}' has {len(seq)} items but there are {n} texts; pass one per sentence.")
    if n and not np.isfinite(embeddings).all():
        raise TopicModelError("The embeddings hold NaN or infinite values; re-embed the sentences.")
    return texts, embeddings, list(langs), [str(i) for i in ids]


class TopicModeler:
    """Topics of sentences with BERTopic, from precomputed embeddings.

    Parameters
    ----------
    config : TopicsConfig
        Reducer, HDBSCAN, keyword and outlier settings (see ``docs/tuning-topics.md``).
    seed : int
        Seed of UMAP / PCA; the same seed and input give the same topics.

    Attributes
    ----------
    labels_ : ndarray of shape (n_sentences,), int
        Topic of each sentence; -1 for outliers and for sentences shorter
        than ``min_sentence_words`` (not clustered).
    probs_ : ndarray of shape (n_sentences,), float
        HDBSCAN membership strength in [0, 1]; 0 for -1 sentences and for
        sentences placed in a topic by outlier reduction.
    topics_ : DataFrame
        One row per topic (no row for -1): topic, label, keywords (list of
        str), size, representative_ids (list of str, most central first),
        languages (list of str, most frequent first).
    coords_ : ndarray of shape (n_sentences, 2), float32
        A 2-D map of all sentences (UMAP with the seed, or PCA).
    model_ : BERTopic or None
        The fitted BERTopic model; None with fewer than :data:`MIN_SENTENCES`
        clusterable sentences.
    stop_words_ : frozenset of str
        The stop words removed from keywords.
    params_ : ResolvedParams or None
        The parameters used after adapting to the input size.

    Examples
    --------
    See the module docstring.
    """

    def __init__(self, config: TopicsConfig, seed: int = 42):
        self.config = config
        self.seed = seed

    def fit(self, texts: Sequence[str], embeddings: np.ndarray, langs: Sequence[str], ids: Sequence[str]) -> "TopicModeler":
        """Cluster the sentences and describe the topics.

        Parameters
        ----------
        texts : sequence of str, length n_sentences
        embeddings : ndarray of shape (n_sentences, dim)
        langs : sequence of str, length n_sentences
            ISO 639-1 codes (``en``, ``nl`` ...); None for unknown.
        ids : sequence of str, length n_sentences
            Sentence ids, used in ``topics_.representative_ids``.

        Returns
        -------
        self
        """
        texts, embeddings, langs, ids = _check_inputs(texts, embeddings, langs, ids)
        n = len(texts)
        cfg = self.config
        self.stop_words_ = stop_words_for(langs) if cfg.stop_words == "auto" else frozenset()
        self.labels_ = np.full(n, -1, dtype=np.int64)
        self.probs_ = np.zeros(n, dtype=np.float64)
        self.model_ = None
        self.params_ = None
        rows = np.array([i for i, t in enumerate(texts) if count_words(t) >= cfg.min_sentence_words], dtype=np.int64)
        if len(rows) < MIN_SENTENCES:
            warnings.warn(
                f"Only {len(rows)} sentence(s) have at least {cfg.min_sentence_words} words; at least "
                f"{MIN_SENTENCES} are needed to find topics. Every sentence gets topic -1. Add text or "
                "lower topics.min_sentence_words.", TopicWarning, stacklevel=2,
            )
        else:
            self._fit_topics(texts, embeddings, rows)
        self.topics_ = self._describe(texts, embeddings, langs, ids)
        self.coords_ = self._map_coords(embeddings)
        return self

    def _fit_topics(self, texts: list[str], embeddings: np.ndarray, rows: np.ndarray) -> None:
        docs = [texts[i] for i in rows]
        emb = embeddings[rows]
        self.params_ = resolve_params(self.config, len(rows))
        model = _build_bertopic(self.config, self.params_, self.seed, self.stop_words_, emb.shape)
        try:
            topics, probs = model.fit_transform(docs, embeddings=emb)
        except ValueError as exc:
            if "empty vocabulary" not in str(exc):
                raise
            raise TopicModelError(
                "No keyword is left after removing stop words, numbers and 1-2 letter tokens: the "
                "sentences hold only function words. Set topics.stop_words=none or add text."
            ) from exc
        topics = np.asarray(topics, dtype=np.int64)
        probs = np.zeros(len(rows)) if probs is None else np.asarray(probs, dtype=np.float64).reshape(len(rows), -1).max(axis=1)
        if (topics < 0).all():
            warnings.warn(
                f"HDBSCAN found no topic among {len(rows)} sentences; every sentence gets topic -1. "
                "Lower topics.min_cluster_size or add text.", TopicWarning, stacklevel=3,
            )
        elif self.config.reduce_outliers and (topics < 0).any():
            topics = self._reduce_outliers(model, docs, emb, topics)
        self.labels_[rows] = topics
        self.probs_[rows] = np.where(topics >= 0, probs, 0.0)
        self.model_ = model

    def _reduce_outliers(self, model, docs: list[str], emb: np.ndarray, topics: np.ndarray) -> np.ndarray:
        new = model.reduce_outliers(
            docs, topics.tolist(), strategy="embeddings", embeddings=emb,
            threshold=self.config.outlier_threshold,
        )
        new = np.asarray(new, dtype=np.int64)
        logger.info("Outlier reduction placed %d of %d outliers", int(((topics < 0) & (new >= 0)).sum()), int((topics < 0).sum()))
        bertopic_logger = logging.getLogger("BERTopic")
        level = bertopic_logger.level
        # update_topics warns that custom assignments must come last; they do here.
        bertopic_logger.setLevel(logging.ERROR)
        try:
            model.update_topics(
                docs, topics=new.tolist(), top_n_words=self.config.top_n_words,
                vectorizer_model=model.vectorizer_model, ctfidf_model=model.ctfidf_model,
            )
        finally:
            bertopic_logger.setLevel(level)
        return new

    def _keywords(self, topic: int) -> list[str]:
        words = self.model_.get_topic(topic) or []
        out: list[str] = []
        for word, _score in words:
            if word and word not in out and not (set(word.split()) & self.stop_words_):
                out.append(word)
        return out

    def _describe(self, texts, embeddings: np.ndarray, langs: list, ids: list[str]) -> pd.DataFrame:
        records = []
        for topic in sorted(t for t in set(self.labels_.tolist()) if t >= 0):
            members = np.flatnonzero(self.labels_ == topic)
            keywords = self._keywords(topic)
            reps = representative_rows(members, embeddings, self.config.n_representative)
            counts = Counter(c for c in (normalize_lang(langs[i]) for i in members) if c)
            records.append({
                "topic": topic, "label": readable_label(topic, keywords), "keywords": keywords,
                "size": int(len(members)), "representative_ids": [ids[i] for i in reps],
                "languages": [lang for lang, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))],
            })
        table = pd.DataFrame.from_records(records, columns=TOPIC_COLUMNS)
        return table.astype({"topic": "int64", "size": "int64"})

    def _map_coords(self, embeddings: np.ndarray) -> np.ndarray:
        n = len(embeddings)
        if n < 4:
            # Too few points for a projection: spread them on a line, deterministic.
            return np.column_stack([np.arange(n), np.zeros(n)]).astype(np.float32)
        if self.config.reducer == "pca" and embeddings.shape[1] < 2:
            return np.column_stack([embeddings[:, 0], np.zeros(n)]).astype(np.float32)
        params = resolve_params(self.config, n)
        coords = _reducer(self.config, params, 2, self.seed, n).fit_transform(embeddings)
        return np.asarray(coords, dtype=np.float32)

    def _check_fitted(self) -> None:
        if not hasattr(self, "labels_"):
            raise NotFittedError("This TopicModeler is not fitted yet; call fit(texts, embeddings, langs, ids) first.")

    def transform(self, texts: Sequence[str], embeddings: np.ndarray) -> np.ndarray:
        """Assign new sentences to the fitted topics.

        Parameters
        ----------
        texts : sequence of str, length m
        embeddings : ndarray of shape (m, dim)

        Returns
        -------
        ndarray of shape (m,), int
            Topic of each sentence, -1 for outliers and short sentences.
        """
        self._check_fitted()
        texts, embeddings, _, _ = _check_inputs(texts, embeddings, [None] * len(texts), [""] * len(texts))
        out = np.full(len(texts), -1, dtype=np.int64)
        rows = [i for i, t in enumerate(texts) if count_words(t) >= self.config.min_sentence_words]
        if self.model_ is None or not rows:
            return out
        topics, _ = self.model_.transform([texts[i] for i in rows], embeddings=embeddings[rows])
        out[rows] = np.asarray(topics, dtype=np.int64)
        return out


def save_bertopic(model, folder) -> None:
    """Save a fitted BERTopic model with safetensors (never pickle): topics, topic embeddings, c-TF-IDF, config.

    The embedding model is not saved: framing records the embedder's identity beside it.
    """
    with _bertopic_quiet():  # it warns that no embedding model is saved; framing records its identity
        model.save(str(folder), serialization="safetensors", save_ctfidf=True, save_embedding_model=False)


def load_bertopic(folder):
    """Load a BERTopic model saved by :func:`save_bertopic`; it assigns topics by cosine similarity."""
    with _bertopic_quiet():  # it warns that no embedding model is given: framing passes embeddings
        from bertopic import BERTopic

        return BERTopic.load(str(folder))


class _ErrorsOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR


@contextmanager
def _bertopic_quiet():
    """BERTopic resets its logger's level when a model is built, so a filter (removed afterwards) quiets it."""
    bertopic_logger = logging.getLogger("BERTopic")
    quiet = _ErrorsOnly()
    bertopic_logger.addFilter(quiet)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        bertopic_logger.removeFilter(quiet)
