"""The topic model: BERTopic over precomputed sentence embeddings.

:class:`TopicModeler` is the estimator that composes the parts:

- :mod:`~framing.topics.rules`: filler and boilerplate are kept out before fitting,
  and the document rules merge and drop topics after it;
- :mod:`~framing.topics.reduction`: the reducer the config names (UMAP, or PCA as a
  cheap stand-in), from a registry;
- :mod:`~framing.topics.adapter`: BERTopic built, fitted and edited (HDBSCAN at a size
  that follows the corpus, :mod:`framing.topics.sizing`; optional outlier reduction);
- :mod:`~framing.topics.describe`: readable keywords (KeyBERTInspired + MMR on the run's embedder),
  raw c-TF-IDF keywords, a label, central sentences and NPMI; :mod:`~framing.topics.themes` groups them.

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
from collections.abc import Callable, Sequence

import numpy as np

from ..config import TopicsConfig
from ..errors import NotFittedError, TopicModelError, TopicWarning
from ..estimators import Estimator, fit_succeeds_or_leaves_nothing
from ..segment import count_words  # the same word count as sentences.n_words
from ..words import corpus_languages, stop_words_for
from . import adapter, outliers, rules
from .describe import TOPIC_COLUMNS, describe_quality, describe_topics, representative_rows
from .distinct import distinct_rows
from .documents import attribute_to_main, document_texts, lead_weights
from .hierarchy import HIERARCHY_COLUMNS, empty_hierarchy, topic_hierarchy
from .reduction import map_coords
from .saved import load_bertopic, save_bertopic
from .sizing import ResolvedParams, resolve_params
from .themes import themes_quality, with_themes

logger = logging.getLogger(__name__)

MIN_SENTENCES = 5
"""Fewer clusterable sentences than this give all -1 and a TopicWarning."""

__all__ = ["TopicModeler", "MIN_SENTENCES", "TOPIC_COLUMNS", "HIERARCHY_COLUMNS", "topic_hierarchy", "ResolvedParams",
           "resolve_params", "representative_rows", "save_bertopic", "load_bertopic", "distinct_rows"]


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
        documents (see :func:`framing.topics.rules.repeated_mask`).
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
        central first), languages (list of str, most frequent first), coherence (NPMI of keywords),
        theme and theme_label (:mod:`framing.topics.themes`; null without themes). ``themes_``: one dict per theme.
    hierarchy_ : DataFrame
        BERTopic's hierarchy of the final topics (``hierarchy: true``): one row per merge, see
        :func:`topic_hierarchy`; empty with fewer than two topics.
    quality_ : dict
        Coherence (NPMI) and diversity of the keywords, with the reference used (run.json); ``c_npmi``
        is the standard windowed NPMI of the literature over the documents' texts.
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
            doc_ids: Sequence[str] | None = None, sources: Sequence[str] | None = None,
            lead: Sequence[float] | None = None) -> "TopicModeler":
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
        lead : sequence of float, length n_sentences, optional
            Each sentence's weight by its place in its document, toward the document's main topic
            (:func:`~framing.topics.documents.lead_weights`); without it, from the order of ``doc_ids``.

        Returns
        -------
        self
        """
        texts, embeddings, langs, ids = _check_inputs(texts, embeddings, langs, ids)
        n = len(texts)
        doc_ids = np.asarray(ids if doc_ids is None else [str(d) for d in doc_ids], dtype=object)
        self.lead_ = lead_weights(doc_ids) if lead is None else np.asarray(lead, dtype=np.float64)
        for name, seq in (("doc_ids", doc_ids), ("lead", self.lead_)):
            if len(seq) != n:
                raise TopicModelError(f"'{name}' has {len(seq)} items but there are {n} texts; pass one per sentence.")
        cfg = self.config
        # Stop words of the languages that could hold a topic of their own, not of a stray sentence's.
        vocab = corpus_languages(langs, resolve_params(cfg, n).min_cluster_size)
        corpus_stops = stop_words_for(vocab)  # coherence always counts without them
        self.stop_words_ = corpus_stops if cfg.stop_words == "auto" else frozenset()
        self.labels_ = np.full(n, -1, dtype=np.int64)
        self.probs_ = np.zeros(n, dtype=np.float64)
        self.model_ = None
        self.params_ = None
        self.outliers_ = 0
        self.merged_ = []
        self.dropped_ = 0
        self.unanchored_ = {}
        self.generic_ = {}
        self.unbursty_ = {}
        self.moves_ = {}
        self.outlier_floor_ = None
        self._transform_map_ = None
        self.hierarchy_ = empty_hierarchy()
        self.themes_ = []
        long_enough = np.array([count_words(t) >= cfg.min_sentence_words for t in texts], dtype=bool)
        # The filler rule needs stop words even when keywords keep them (stop_words: none).
        found = rules.sentence_rules(texts, cfg, rules.filler_stop_words(cfg, vocab), doc_ids, sources)
        filler = found.filler & long_enough
        boilerplate = found.boilerplate & long_enough
        self.boilerplate_ = boilerplate & ~filler
        self.boilerplate_by_source_ = rules.boilerplate_lines(texts, sources, boilerplate)
        self.boilerplate_forms_ = frozenset(line for lines in self.boilerplate_by_source_.values() for line in lines)
        self.filler_ = filler | boilerplate
        rows = np.flatnonzero(long_enough & ~self.filler_)
        if len(rows) < MIN_SENTENCES:
            warnings.warn(
                f"Only {len(rows)} sentence(s) have at least {cfg.min_sentence_words} words and "
                f"{cfg.min_content_words} content words; at least {MIN_SENTENCES} are needed to find topics. "
                "Every sentence gets topic -1. Add text or lower topics.min_sentence_words / "
                "topics.min_content_words.", TopicWarning, stacklevel=2,
            )
        else:
            self._fit_topics(texts, embeddings, rows, doc_ids[rows], np.asarray(langs, dtype=object)[rows])
            self.moves_["template_lines"] = int((found.template & long_enough & ~filler).sum())
        if cfg.filler_topic == "document" and self.model_ is not None:
            self.labels_ = attribute_to_main(doc_ids, self.labels_, self.filler_, self.probs_, self.lead_)
        self.topics_ = describe_topics(self.model_, self.labels_, texts, embeddings, langs, ids, rows, doc_ids,
                                       self.stop_words_, cfg.n_representative, cfg.top_n_words)
        self.quality_ = describe_quality(self.topics_, [texts[i] for i in rows], cfg.top_n_words,
                                         document_texts(texts, doc_ids), corpus_stops)
        self.topics_, self.themes_ = with_themes(self.topics_, embeddings, self.labels_, cfg.themes)
        if self.themes_:
            self.quality_["themes"] = themes_quality(self.themes_, [texts[i] for i in rows], cfg.top_n_words,
                                                     document_texts(texts, doc_ids), corpus_stops)
        self.coords_ = self._map_coords(embeddings, texts)
        return self

    def _fit_topics(self, texts: list[str], embeddings: np.ndarray, rows: np.ndarray, doc_ids: np.ndarray,
                    langs: np.ndarray | None = None) -> None:
        # Each distinct sentence is clustered once and its topic given to every copy: 100,000 copies of one
        # sentence took minutes as 100,000 points (issue 19). The document rules count every copy's document.
        first, inverse = distinct_rows([texts[i] for i in rows], embeddings[rows])
        if len(first) < len(rows):
            logger.info("Clustering %d distinct sentences of %d (copies get their topic)", len(first), len(rows))
        unique = rows[first]
        docs = [texts[i] for i in unique]
        emb = embeddings[unique]
        cfg = self.config
        self.params_ = resolve_params(cfg, len(unique))
        model = adapter.build_bertopic(cfg, self.params_, self.seed, self.stop_words_, emb.shape, self.encode,
                                       self.reduction_cache)
        topics, probs = adapter.fit_bertopic(model, docs, emb)
        self.outliers_ = int((topics[inverse] < 0).sum())
        self.moves_ = {"hdbscan_outliers": self.outliers_}
        if (topics < 0).all():
            warnings.warn(
                f"HDBSCAN found no topic among {len(rows)} sentences; every sentence gets topic -1. "
                "Lower topics.min_cluster_size or add text.", TopicWarning, stacklevel=3,
            )
        else:
            hdbscan_outliers = topics < 0

            def moved(before: np.ndarray, after: np.ndarray) -> int:
                return int(((before >= 0) & (after < 0))[inverse].sum())

            topics, self.merged_ = rules.merge_by_documents(model, cfg, docs, doc_ids, topics, inverse)
            self._transform_map_ = {int(t): int(t) for t in set(topics.tolist()) if t >= 0}
            clustered = before = topics  # as clustered: the documents whose main topic a rule drops are free
            topics, self.dropped_, mapping = rules.drop_narrow_topics(model, cfg, docs, doc_ids, topics, inverse)
            self.moves_["narrow_topics"] = moved(before, topics)
            side = (before >= 0) & (topics < 0)  # side subjects: their sentences may join their document's story
            self._renumber(mapping)
            before = topics
            events = rules.event_topics(model, cfg, docs, doc_ids, topics, inverse, self.stop_words_)
            topics, self.unanchored_, mapping = rules.drop_unanchored_topics(model, cfg, docs, doc_ids, topics, probs,
                                                                             inverse, events)
            self.moves_["unanchored_topics"] = moved(before, topics)
            side |= (before >= 0) & (topics < 0)
            self._renumber(mapping)
            before = topics
            topics, self.generic_, mapping = rules.drop_generic_topics(model, cfg, docs, topics, inverse,
                                                                       self.stop_words_, langs)
            self.moves_["generic_topics"] = moved(before, topics)
            self._renumber(mapping)
            before = topics
            topics, self.unbursty_, mapping = rules.drop_unbursty_topics(model, cfg, docs, doc_ids, topics,
                                                                         inverse, self.stop_words_)
            self.moves_["unbursty_topics"] = moved(before, topics)
            side |= (before >= 0) & (topics < 0)  # a remark in an article may still be one more sentence of its story
            self._renumber(mapping)
            if cfg.reduce_outliers:
                before = topics
                topics, self.outlier_floor_ = outliers.reduce(model, cfg, docs, emb, topics, probs, inverse, doc_ids,
                                                              hdbscan_outliers, side, self.moves_, clustered)
                placed = (before < 0) & (topics >= 0)
                self.moves_["outliers_placed"] = int(placed[inverse].sum())
                probs = np.where(placed, 0.0, probs)  # a side subject's strength was in its own, dropped cluster
        self.labels_[rows] = topics[inverse]
        self.probs_[rows] = np.where((topics >= 0) & (probs > 0), probs, 0.0)[inverse]
        self.model_ = model
        if cfg.hierarchy:
            self.hierarchy_ = topic_hierarchy(model, docs)

    def _renumber(self, mapping: dict[int, int] | None) -> None:
        """Record a renumbering of the topics after merging, for :meth:`transform` (dropped ones become -1)."""
        if mapping is not None:
            self._transform_map_ = {k: mapping.get(v, -1) for k, v in self._transform_map_.items()}

    def _map_coords(self, embeddings: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        if texts is not None:
            # Copies of a sentence sit at one point of the map: project each distinct sentence once.
            first, inverse = distinct_rows(texts, embeddings)
            if len(first) < len(embeddings):
                return self._map_coords(embeddings[first])[inverse]
        return map_coords(self.config, self.seed, embeddings, self.reduction_cache)

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
        # The boilerplate of the fit, of any source: new sentences may carry no source.
        excluded = rules.sentence_rules(texts, cfg, stops, None, None, learned={"": self.boilerplate_forms_}).unclustered
        rows = [i for i, t in enumerate(texts) if count_words(t) >= cfg.min_sentence_words and not excluded[i]]
        if self.model_ is None or not rows:
            return out
        topics, _ = self.model_.transform([texts[i] for i in rows], embeddings=embeddings[rows])
        # BERTopic answers in its topic numbers after merging; topics dropped afterwards are -1 here.
        mapping = getattr(self, "_transform_map_", None)
        out[rows] = [t if mapping is None else mapping.get(int(t), -1) for t in np.asarray(topics, dtype=np.int64)]
        return out
