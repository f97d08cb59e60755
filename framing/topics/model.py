"""The topic model: BERTopic over precomputed sentence embeddings.

:class:`TopicModeler` keeps filler out (see :mod:`framing.topics.text`),
reduces the embeddings (UMAP, or PCA as a cheap stand-in), clusters them
with HDBSCAN at a size that follows the corpus (:mod:`framing.topics.sizing`),
optionally reassigns outliers and merges topics with BERTopic's own methods,
and describes every topic with readable keywords (KeyBERTInspired +
MaximalMarginalRelevance on the run's embedder), the raw c-TF-IDF keywords,
a short label, its most central sentences and its NPMI coherence.

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
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import contextmanager

import numpy as np
import pandas as pd

from ..config import TopicsConfig
from ..errors import NotFittedError, TopicModelError, TopicWarning
from ..estimators import Estimator, fit_succeeds_or_leaves_nothing
from ..runlog import quiet_import
from ..segment import count_words  # the same word count as sentences.n_words
from .documents import attribute_to_main, cooccurrence_groups, unanchored_topics
from .hierarchy import HIERARCHY_COLUMNS, empty_hierarchy, topic_hierarchy
from .lean_import import import_bertopic
from .quality import npmi_per_topic, quality_summary
from .sizing import ResolvedParams, resolve_params
from .text import (TOKEN_PATTERN, filler_mask, keyword_preprocessor, normalize_lang, normalize_sentence, readable_label,
                   shared_keywords,
                   repeated_mask, stop_words_for)

logger = logging.getLogger(__name__)

MIN_SENTENCES = 5
"""Fewer clusterable sentences than this give all -1 and a TopicWarning."""

TOPIC_COLUMNS = ["topic", "label", "keywords", "ctfidf_keywords", "size", "representative_ids", "languages", "coherence"]
READABLE = "Readable"
"""The BERTopic aspect holding the KeyBERTInspired + MMR keywords (the main one stays c-TF-IDF)."""

__all__ = ["TopicModeler", "MIN_SENTENCES", "TOPIC_COLUMNS", "HIERARCHY_COLUMNS", "topic_hierarchy", "ResolvedParams", "resolve_params", "representative_rows",
           "save_bertopic", "load_bertopic"]


def _reindex_topic_embeddings(model, before: np.ndarray, after: np.ndarray, order: list[int]) -> None:
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


def distinct_rows(texts: Sequence[str], embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each distinct (text, embedding) pair, in input order, and each row's pair.

    Returns
    -------
    first : ndarray of shape (n_distinct,), int
        Rows of the first occurrence of each pair, ascending: ``texts[first]`` keep their order.
    inverse : ndarray of shape (n_rows,), int
        For each row, its pair's position in ``first`` (``first[inverse[i]]`` has row ``i``'s text and
        embedding).

    Examples
    --------
    >>> emb = np.array([[1.0], [2.0], [1.0], [3.0]], dtype=np.float32)
    >>> first, inverse = distinct_rows(["a", "b", "a", "a"], emb)
    >>> first.tolist(), inverse.tolist()
    ([0, 1, 3], [0, 1, 0, 2])
    """
    n = len(texts)
    index: dict = {}
    first: list[int] = []
    group = np.empty(n, dtype=np.int64)
    for i, text in enumerate(texts):
        g = index.get(text)
        if g is None:
            g = index[text] = len(first)
            first.append(i)
        group[i] = g
    if len(first) == n:
        return np.arange(n, dtype=np.int64), group
    # The same text with another embedding (a contextual embedder) is a point of its own. Only the
    # copies are compared: no second (n, dim) array at 140k sentences.
    copies = np.flatnonzero(np.asarray(first, dtype=np.int64)[group] != np.arange(n))
    origin = np.asarray(first, dtype=np.int64)[group[copies]]
    differs = copies[~(embeddings[copies] == embeddings[origin]).all(axis=1)]
    if len(differs):
        extra: dict = {}
        for i in differs.tolist():
            key = (int(group[i]), embeddings[i].tobytes())
            if key not in extra:
                extra[key] = len(first)
                first.append(i)
            group[i] = extra[key]
    first_arr = np.asarray(first, dtype=np.int64)
    order = np.argsort(first_arr, kind="stable")  # input order, so a corpus without copies is fitted as before
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return first_arr[order], rank[group]


def representative_rows(members: np.ndarray, embeddings: np.ndarray, k: int) -> list[int]:
    """Row indices of the ``k`` members closest (cosine) to their centroid, closest first."""
    vectors = embeddings[members]
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    centroid = vectors.mean(axis=0)
    similarity = vectors @ (centroid / max(np.linalg.norm(centroid), 1e-12))
    order = np.lexsort((members, -similarity))  # ties broken by input order
    return [int(members[i]) for i in order[:k]]


def _reducer(config: TopicsConfig, params: ResolvedParams, n_components: int, seed: int, n: int, cache=None):
    if config.reducer == "pca":
        from sklearn.decomposition import PCA

        return PCA(n_components=n_components, random_state=seed)
    UMAP = quiet_import("umap").UMAP
    from .compiled import cache_umap_compilation
    from .reduction_cache import CachedReducer

    cache_umap_compilation()  # numba compiles UMAP once per installation, not once per run

    # Spectral initialisation needs more points than dimensions; tiny inputs start at random.
    init = "spectral" if n > n_components + 2 else "random"
    min_dist = config.min_dist if n_components != 2 else max(config.min_dist, 0.1)
    umap = UMAP(
        n_neighbors=params.n_neighbors, n_components=n_components, min_dist=min_dist,
        metric=config.metric, init=init, random_state=seed,
        n_jobs=1,  # a seeded UMAP is single-threaded anyway; saying so avoids its warning
    )
    if config.umap_sample is not None:
        from .sampling import SampledReducer

        umap = SampledReducer(umap, config.umap_sample, seed)  # clustering at scale: fit on a sample
    elif config.metric == "cosine":
        from .neighbors import ExactNeighborsUMAP

        umap = ExactNeighborsUMAP(umap)  # exact neighbours by one matrix product, no per-process compiling
    return umap if cache is None else CachedReducer(umap, cache)


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


def _build_bertopic(config: TopicsConfig, params: ResolvedParams, seed: int, stop_words, shape: tuple[int, int],
                    encode=None, cache=None):
    # bertopic's import ignores every UserWarning process-wide; keep its filters out of our process.
    BERTopic = import_bertopic().BERTopic
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
    representation = _representation(config, seed, encode)
    return BERTopic(
        embedding_model=_embedding_backend(encode) if representation else None,
        umap_model=_reducer(config, params, n_components, seed, n, cache),
        hdbscan_model=hdbscan_model, vectorizer_model=vectorizer, top_n_words=config.top_n_words,
        nr_topics=config.nr_topics, calculate_probabilities=False, verbose=False,
        representation_model=representation,
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


class TopicModeler(Estimator):
    """Topics of sentences with BERTopic, from precomputed embeddings.

    Parameters
    ----------
    config : TopicsConfig
        Reducer, HDBSCAN, filler, keyword and outlier settings (see ``docs/tuning-topics.md``).
    seed : int
        Seed of UMAP / PCA and of KeyBERTInspired's sampling; the same seed and input give the same topics.
    encode : callable, optional
        ``encode(list of str) -> ndarray (n, dim)`` in the space of the embeddings (the run's embedder,
        through its cache). Needed for the readable keywords (KeyBERTInspired + MMR); without it the
        keywords are the c-TF-IDF ones.
    reduction_cache : ReductionCache, optional
        Where UMAP's results are kept (:mod:`framing.topics.reduction_cache`); an unchanged re-run reads
        them instead of running UMAP. None computes them every time.

    Attributes
    ----------
    labels_ : ndarray of shape (n_sentences,), int
        Topic of each sentence; -1 for outliers, for sentences shorter than ``min_sentence_words``
        and for filler (unless ``filler_topic: document``).
    probs_ : ndarray of shape (n_sentences,), float
        HDBSCAN membership strength in [0, 1]; 0 for -1 sentences, for outliers placed by outlier
        reduction and for filler placed in its document's topic.
    filler_ : ndarray of shape (n_sentences,), bool
        Sentences with enough words that the filler rule or the boilerplate rule kept out of clustering.
    boilerplate_ : ndarray of shape (n_sentences,), bool
        Sentences kept out only because their source repeats them in ``boilerplate_min_documents``
        documents (see :func:`framing.topics.text.repeated_mask`).
    boilerplate_forms_ : frozenset of str
        The normalised boilerplate sentences; :meth:`transform` leaves them unclustered too.
    boilerplate_by_source_ : dict of str to list of str
        The same per source (``""``: no source), sorted; saved with the run's topic model so that
        ``framing apply`` drops them in new batches too.
    outliers_ : int
        Clustered sentences HDBSCAN left as outliers (before any reduction).
    merged_ : list of lists of int
        The HDBSCAN topics merged because they are told together in the same documents
        (numbers before merging); empty when nothing was merged.
    dropped_ : int
        Topics left unclustered because fewer than ``min_topic_documents`` documents told them.
    unanchored_ : dict of str to str
        Topics left unclustered because no document is about them (``min_main_documents``,
        ``min_anchored_share``): their top three c-TF-IDF words and the reason.
    topics_ : DataFrame
        One row per topic (no row for -1): topic, label, keywords (readable, list of str),
        ctfidf_keywords (raw c-TF-IDF, list of str), size, representative_ids (list of str, most
        central first), languages (list of str, most frequent first), coherence (NPMI of keywords).
    hierarchy_ : DataFrame
        BERTopic's hierarchy of the final topics (``hierarchy: true``): one row per merge, see
        :func:`topic_hierarchy`; empty with fewer than two topics.
    quality_ : dict
        Coherence (NPMI) and diversity of the keywords, with the reference used (run.json).
    coords_ : ndarray of shape (n_sentences, 2), float32
        A 2-D map of all sentences (UMAP with the seed, or PCA).
    model_ : BERTopic or None
        The fitted BERTopic model; None with fewer than :data:`MIN_SENTENCES` clusterable sentences.
    stop_words_ : frozenset of str
        The stop words removed from keywords.
    params_ : ResolvedParams or None
        The parameters used after adapting to the input size.

    Examples
    --------
    See the module docstring.
    """

    def __init__(self, config: TopicsConfig, seed: int = 42, encode: Callable[[list[str]], np.ndarray] | None = None,
                 reduction_cache=None):
        self.config = config
        self.seed = seed
        self.encode = encode
        self.reduction_cache = reduction_cache

    @fit_succeeds_or_leaves_nothing
    def fit(self, texts: Sequence[str], embeddings: np.ndarray, langs: Sequence[str], ids: Sequence[str],
            doc_ids: Sequence[str] | None = None, sources: Sequence[str] | None = None) -> "TopicModeler":
        """Cluster the sentences and describe the topics.

        Parameters
        ----------
        texts : sequence of str, length n_sentences
        embeddings : ndarray of shape (n_sentences, dim)
        langs : sequence of str, length n_sentences
            ISO 639-1 codes (``en``, ``nl`` ...); None for unknown.
        ids : sequence of str, length n_sentences
            Sentence ids, used in ``topics_.representative_ids``.
        doc_ids : sequence of str, length n_sentences, optional
            The document of each sentence; needed for ``filler_topic: document``
            (without it every sentence is its own document).
        sources : sequence of str, length n_sentences, optional
            The source of each sentence, for the boilerplate rule (repetition is counted per
            source); without it the corpus counts as one source.

        Returns
        -------
        self
        """
        texts, embeddings, langs, ids = _check_inputs(texts, embeddings, langs, ids)
        n = len(texts)
        doc_ids = np.asarray(ids if doc_ids is None else [str(d) for d in doc_ids], dtype=object)
        if len(doc_ids) != n:
            raise TopicModelError(f"'doc_ids' has {len(doc_ids)} items but there are {n} texts; pass one per sentence.")
        cfg = self.config
        self.stop_words_ = stop_words_for(langs) if cfg.stop_words == "auto" else frozenset()
        self.labels_ = np.full(n, -1, dtype=np.int64)
        self.probs_ = np.zeros(n, dtype=np.float64)
        self.model_ = None
        self.params_ = None
        self.outliers_ = 0
        self.merged_ = []
        self.dropped_ = 0
        self.unanchored_ = {}
        self._transform_map_ = None
        self.hierarchy_ = empty_hierarchy()
        long_enough = np.array([count_words(t) >= cfg.min_sentence_words for t in texts], dtype=bool)
        # The filler rule needs stop words even when keywords keep them (stop_words: none).
        stops = self.stop_words_ or (stop_words_for(langs) if cfg.min_content_words else frozenset())
        filler = filler_mask(texts, stops, cfg.min_content_words, cfg.filler_patterns) & long_enough
        boilerplate = repeated_mask(texts, doc_ids, sources, cfg.boilerplate_min_documents) & long_enough
        self.boilerplate_ = boilerplate & ~filler
        self.boilerplate_forms_ = frozenset(normalize_sentence(texts[i]) for i in np.flatnonzero(boilerplate))
        by_source: dict[str, set] = {}
        for i in np.flatnonzero(boilerplate):
            src = sources[i] if sources is not None and isinstance(sources[i], str) else ""
            by_source.setdefault(src, set()).add(normalize_sentence(texts[i]))
        self.boilerplate_by_source_ = {k: sorted(v) for k, v in sorted(by_source.items())}
        filler = filler | boilerplate
        self.filler_ = filler
        rows = np.flatnonzero(long_enough & ~filler)
        if len(rows) < MIN_SENTENCES:
            warnings.warn(
                f"Only {len(rows)} sentence(s) have at least {cfg.min_sentence_words} words and "
                f"{cfg.min_content_words} content words; at least {MIN_SENTENCES} are needed to find topics. "
                "Every sentence gets topic -1. Add text or lower topics.min_sentence_words / "
                "topics.min_content_words.", TopicWarning, stacklevel=2,
            )
        else:
            self._fit_topics(texts, embeddings, rows, doc_ids[rows])
        if cfg.filler_topic == "document" and self.model_ is not None:
            self.labels_ = attribute_to_main(doc_ids, self.labels_, filler, self.probs_)
        self.topics_ = self._describe(texts, embeddings, langs, ids, rows, doc_ids)
        self.quality_ = quality_summary(self.topics_.keywords.tolist(), [texts[i] for i in rows], top_n=cfg.top_n_words)
        self.quality_["ctfidf_coherence_npmi"] = quality_summary(
            self.topics_.ctfidf_keywords.tolist(), [texts[i] for i in rows], top_n=cfg.top_n_words)["coherence_npmi"]
        self.coords_ = self._map_coords(embeddings, texts)
        return self

    def _fit_topics(self, texts: list[str], embeddings: np.ndarray, rows: np.ndarray, doc_ids: np.ndarray) -> None:
        # Each distinct sentence is clustered once and its topic given to every copy: 100,000 copies of one
        # sentence took minutes as 100,000 points (issue 19). The document rules count every copy's document.
        first, inverse = distinct_rows([texts[i] for i in rows], embeddings[rows])
        if len(first) < len(rows):
            logger.info("Clustering %d distinct sentences of %d (copies get their topic)", len(first), len(rows))
        unique = rows[first]
        docs = [texts[i] for i in unique]
        emb = embeddings[unique]
        self.params_ = resolve_params(self.config, len(unique))
        model = _build_bertopic(self.config, self.params_, self.seed, self.stop_words_, emb.shape, self.encode,
                                self.reduction_cache)
        try:
            with warnings.catch_warnings():
                # KeyBERTInspired's internal numpy divisions on empty candidate rows are harmless.
                warnings.filterwarnings("ignore", category=RuntimeWarning, module="bertopic")
                topics, probs = model.fit_transform(docs, embeddings=emb)
        except ValueError as exc:
            if "empty vocabulary" not in str(exc):
                raise
            raise TopicModelError(
                "No keyword is left after removing stop words, numbers and 1-2 letter tokens: the "
                "sentences hold only function words. Set topics.stop_words=none or add text."
            ) from exc
        topics = np.asarray(topics, dtype=np.int64)
        probs = np.zeros(len(unique)) if probs is None else np.asarray(probs, dtype=np.float64).reshape(len(unique), -1).max(axis=1)
        self.outliers_ = int((topics[inverse] < 0).sum())
        if (topics < 0).all():
            warnings.warn(
                f"HDBSCAN found no topic among {len(rows)} sentences; every sentence gets topic -1. "
                "Lower topics.min_cluster_size or add text.", TopicWarning, stacklevel=3,
            )
        else:
            topics = self._merge_by_documents(model, docs, doc_ids, topics, inverse)
            self._transform_map_ = {int(t): int(t) for t in set(topics.tolist()) if t >= 0}
            topics = self._drop_narrow_topics(model, docs, doc_ids, topics, inverse)
            topics = self._drop_unanchored_topics(model, docs, doc_ids, topics, probs, inverse)
            if self.config.reduce_outliers and (topics < 0).any():
                topics = self._reduce_outliers(model, docs, emb, topics)
        self.labels_[rows] = topics[inverse]
        self.probs_[rows] = np.where((topics >= 0) & (probs > 0), probs, 0.0)[inverse]
        self.model_ = model
        if self.config.hierarchy:
            self.hierarchy_ = topic_hierarchy(model, docs)

    def _merge_by_documents(self, model, docs: list[str], doc_ids: np.ndarray, topics: np.ndarray,
                            inverse: np.ndarray) -> np.ndarray:
        """Merge topics told together in the same documents (BERTopic's merge_topics keeps the mapping).

        ``docs`` and ``topics`` are the distinct sentences BERTopic fitted; ``doc_ids`` has one entry per
        sentence, whose distinct sentence is ``inverse`` (so every copy's document counts).
        """
        if self.config.merge_similarity is None:
            self.merged_ = []
            return topics
        groups = cooccurrence_groups(doc_ids, topics[inverse], self.config.merge_similarity,
                                     self.config.merge_min_documents)
        self.merged_ = groups
        if not groups:
            return topics
        logger.info("Merging %d topics told together in the same documents into %d", sum(map(len, groups)), len(groups))
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=RuntimeWarning, module="bertopic")
            model.merge_topics(docs, groups)
        return np.asarray(model.topics_, dtype=np.int64)

    def _drop_narrow_topics(self, model, docs: list[str], doc_ids: np.ndarray, topics: np.ndarray,
                            inverse: np.ndarray) -> np.ndarray:
        """Topics told by fewer than ``min_topic_documents`` documents become -1 (BERTopic's update_topics)."""
        self.dropped_ = 0
        need = self.config.min_topic_documents
        if need <= 1 or len(set(doc_ids.tolist())) < need:
            return topics
        frame = pd.DataFrame({"doc": doc_ids, "topic": topics[inverse]})
        spread = frame[frame.topic >= 0].groupby("topic").doc.nunique()
        narrow = spread.index[spread < need]
        if len(narrow) == 0 or len(narrow) == len(spread):
            return topics
        new = self._drop_topics(model, docs, topics, {int(t) for t in narrow})
        self.dropped_ = int(len(narrow))
        logger.info("%d topics told by fewer than %d documents left unclustered (%d sentences)",
                    len(narrow), need, int(((topics >= 0) & (new < 0))[inverse].sum()))
        return new

    def _drop_unanchored_topics(self, model, docs: list[str], doc_ids: np.ndarray, topics: np.ndarray,
                                probs: np.ndarray, inverse: np.ndarray) -> np.ndarray:
        """Topics no document is about become -1 (:func:`~framing.topics.documents.unanchored_topics`)."""
        cfg = self.config
        if cfg.min_main_documents <= 1 and cfg.min_anchored_share <= 0:
            return topics
        if cfg.min_main_documents > 1 and len(set(doc_ids.tolist())) < cfg.min_main_documents:
            return topics
        reasons = unanchored_topics(doc_ids, topics[inverse], probs[inverse], cfg.min_main_documents,
                                    cfg.min_anchored_share)
        if not reasons or len(reasons) == len(set(topics[topics >= 0].tolist())):
            return topics  # never leave a corpus without topics: then the rule says nothing
        # Keyed by the topic's keywords before it is dropped: the numbers change when topics are renumbered.
        self.unanchored_ = {", ".join(w for w, _ in (model.get_topic(t) or [])[:3]): r for t, r in reasons.items()}
        new = self._drop_topics(model, docs, topics, set(reasons))
        logger.info("%d topics that no document is about left unclustered (%d sentences)",
                    len(reasons), int(((topics >= 0) & (new < 0))[inverse].sum()))
        return new

    def _drop_topics(self, model, docs: list[str], topics: np.ndarray, drop: set[int]) -> np.ndarray:
        """Topics in ``drop`` become -1; the rest are renumbered by size (as BERTopic numbers them)."""
        kept = pd.Series(topics[(topics >= 0) & ~np.isin(topics, list(drop))]).value_counts()
        order = sorted(kept.index, key=lambda t: (-kept[t], t))
        mapping = {int(t): i for i, t in enumerate(order)}
        new = np.array([mapping.get(int(t), -1) for t in topics], dtype=np.int64)
        self._update(model, docs, new)
        # update_topics keeps the old topic embeddings (reduce_outliers and transform read them): re-index
        # the kept topics' rows (their members are unchanged), and record the renumbering for transform.
        _reindex_topic_embeddings(model, topics, new, [int(t) for t in order])
        self._transform_map_ = {k: mapping.get(v, -1) for k, v in self._transform_map_.items()}
        return new

    def _update(self, model, docs: list[str], topics: np.ndarray) -> None:
        bertopic_logger = logging.getLogger("BERTopic")
        level = bertopic_logger.level
        # update_topics warns that custom assignments must come last; they do here.
        bertopic_logger.setLevel(logging.ERROR)
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", category=RuntimeWarning, module="bertopic")
                model.update_topics(
                    docs, topics=topics.tolist(), top_n_words=self.config.top_n_words,
                    vectorizer_model=model.vectorizer_model, ctfidf_model=model.ctfidf_model,
                    representation_model=model.representation_model,
                )
        finally:
            bertopic_logger.setLevel(level)

    def _reduce_outliers(self, model, docs: list[str], emb: np.ndarray, topics: np.ndarray) -> np.ndarray:
        strategy = self.config.outlier_strategy
        kwargs = {"embeddings": emb} if strategy == "embeddings" else {}
        new = model.reduce_outliers(docs, topics.tolist(), strategy=strategy,
                                    threshold=self.config.outlier_threshold, **kwargs)
        new = np.asarray(new, dtype=np.int64)
        logger.info("Outlier reduction (%s) placed %d of %d outliers", strategy,
                    int(((topics < 0) & (new >= 0)).sum()), int((topics < 0).sum()))
        self._update(model, docs, new)
        kept = sorted(t for t in set(new.tolist()) if t >= 0)
        _reindex_topic_embeddings(model, topics, new, kept)
        return new

    def _clean(self, words) -> list[str]:
        out: list[str] = []
        for word, _score in words or []:
            if word and word not in out and not (set(word.split()) & self.stop_words_):
                out.append(word)
        return out

    def _keywords(self, topic: int) -> tuple[list[str], list[str]]:
        """(readable, raw c-TF-IDF) keywords of a topic; readable falls back to raw."""
        raw = self._clean(self.model_.get_topic(topic))
        aspect = getattr(self.model_, "topic_aspects_", {}).get(READABLE, {})
        readable = self._clean(aspect.get(topic)) if aspect else []
        return (readable or raw), raw

    def _describe(self, texts, embeddings: np.ndarray, langs: list, ids: list[str], rows: np.ndarray,
                  doc_ids: np.ndarray | None = None) -> pd.DataFrame:
        records = []
        topics = sorted(t for t in set(self.labels_.tolist()) if t >= 0)
        for topic in topics:
            members = np.flatnonzero(self.labels_ == topic)
            keywords, raw = self._keywords(topic)
            # Representatives come from the clustered sentences, never from attributed filler.
            core = np.intersect1d(members, rows) if len(np.intersect1d(members, rows)) else members
            reps = representative_rows(core, embeddings, self.config.n_representative)
            counts = Counter(c for c in (normalize_lang(langs[i]) for i in members) if c)
            records.append({
                "topic": topic, "keywords": keywords,
                "label": readable_label(topic, shared_keywords(keywords, [texts[i] for i in members],
                                                               None if doc_ids is None else doc_ids[members])),
                "ctfidf_keywords": raw, "size": int(len(members)), "representative_ids": [ids[i] for i in reps],
                "languages": [lang for lang, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))],
            })
        table = pd.DataFrame.from_records(records, columns=TOPIC_COLUMNS)
        reference = [texts[i] for i in rows]
        table["coherence"] = [round(v, 4) for v in npmi_per_topic(table.keywords.tolist(), reference,
                                                                  self.config.top_n_words)] if len(table) else []
        return table.astype({"topic": "int64", "size": "int64", "coherence": "float64"})

    def _map_coords(self, embeddings: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        if texts is not None:
            # Copies of a sentence sit at one point of the map: project each distinct sentence once.
            first, inverse = distinct_rows(texts, embeddings)
            if len(first) < len(embeddings):
                return self._map_coords(embeddings[first])[inverse]
        n = len(embeddings)
        if n < 4:
            # Too few points for a projection: spread them on a line, deterministic.
            return np.column_stack([np.arange(n), np.zeros(n)]).astype(np.float32)
        if self.config.reducer == "pca" and embeddings.shape[1] < 2:
            return np.column_stack([embeddings[:, 0], np.zeros(n)]).astype(np.float32)
        params = resolve_params(self.config, n)
        coords = _reducer(self.config, params, 2, self.seed, n, self.reduction_cache).fit_transform(embeddings)
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
            Topic of each sentence, -1 for outliers, short sentences and filler.
        """
        self._check_fitted()
        texts, embeddings, _, _ = _check_inputs(texts, embeddings, [None] * len(texts), [""] * len(texts))
        out = np.full(len(texts), -1, dtype=np.int64)
        cfg = self.config
        stops = self.stop_words_ or (stop_words_for(["en"]) if cfg.min_content_words else frozenset())
        filler = filler_mask(texts, stops, cfg.min_content_words, cfg.filler_patterns)
        filler |= np.array([normalize_sentence(t) in self.boilerplate_forms_ for t in texts], dtype=bool)
        rows = [i for i, t in enumerate(texts) if count_words(t) >= cfg.min_sentence_words and not filler[i]]
        if self.model_ is None or not rows:
            return out
        topics, _ = self.model_.transform([texts[i] for i in rows], embeddings=embeddings[rows])
        # BERTopic answers in its topic numbers after merging; topics dropped afterwards are -1 here.
        mapping = getattr(self, "_transform_map_", None)
        out[rows] = [t if mapping is None else mapping.get(int(t), -1) for t in np.asarray(topics, dtype=np.int64)]
        return out


def save_bertopic(model, folder) -> None:
    """Save a fitted BERTopic model with safetensors (never pickle): topics, topic embeddings, c-TF-IDF, config.

    The embedding model is not saved: framing records the embedder's identity beside it.
    """
    with _bertopic_quiet():  # it warns that no embedding model is saved; framing records its identity
        model.save(str(folder), serialization="safetensors", save_ctfidf=True, save_embedding_model=False)


def load_bertopic(folder):
    """Load a BERTopic model saved by :func:`save_bertopic`; it assigns topics by cosine similarity.

    The folder may come from someone else, so it is read as :mod:`framing.received` reads a run:
    a link, a device or a pickle/torch file (``topic_embeddings.bin``) in it is refused, and only
    the files of BERTopic's safetensors serialization are handed to ``BERTopic.load``, from a
    private copy whose ``config.json`` names no embedding model (BERTopic would build, and
    download, the model it names). The model gets no embedding model: pass embeddings.

    Raises
    ------
    RunStoreError
        Naming the file that was refused, missing or damaged.
    """
    import json
    import tempfile
    from pathlib import Path

    from .. import received
    from ..errors import RunStoreError

    folder = Path(folder)
    names = received.topic_model_files(folder.parent, folder.name)
    for needed in ("config.json", "topics.json", received.EMBEDDINGS_FILE):
        if needed not in names:
            raise RunStoreError(f"{folder} has no {needed}: it is not a BERTopic model saved with safetensors.")
    config = received.read_json(folder.parent, f"{folder.name}/config.json")
    if not isinstance(config, dict):
        raise RunStoreError(f"{folder / 'config.json'} holds no JSON object; the model is damaged.")
    config.pop("embedding_model", None)
    for name in names:
        if name.endswith(".json"):
            received.read_json(folder.parent, f"{folder.name}/{name}")
    received.read_topic_embeddings(folder.parent, folder.name)
    with tempfile.TemporaryDirectory(prefix="framing-bertopic-") as tmp:
        copy = Path(tmp) / "model"
        received.copy_topic_model(folder.parent, copy, names, folder=folder.name,
                                  replace={"config.json": json.dumps(config).encode("utf-8")})
        with _bertopic_quiet():  # it warns that no embedding model is given: framing passes embeddings
            try:
                return import_bertopic().BERTopic.load(str(copy))
            except (KeyError, TypeError, ValueError) as exc:
                raise RunStoreError(f"{folder} is not a BERTopic model framing can read ({type(exc).__name__}: "
                                    f"{exc}); the model is damaged.") from None


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
