"""The ``topics`` section of the configuration (BERTopic: UMAP, HDBSCAN, c-TF-IDF, and framing's topic rules).

Split from :mod:`framing.config.sections`, which re-exports :class:`TopicsConfig`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from ..words import DEFAULT_FILLER_PATTERNS, check_patterns
from .base import Section


class TopicsConfig(Section):
    """BERTopic: UMAP, HDBSCAN, c-TF-IDF. Tuning: ``docs/tuning-topics.md``.

    The defaults were measured on BASIL (8k sentences, 100 events) and the seeds (500 sentences, English
    and Dutch): smaller neighbourhoods and ``min_samples=1`` (``auto`` up to 10,000 sentences) split fewer
    sentences off as noise than BERTopic's defaults and recover the events better."""

    reducer: str = Field("umap", min_length=1)
    """A name in the ``reducers`` registry (``framing.topics.reduction``): ``umap``, or ``pca``, a cheap deterministic stand-in for tests and quick looks."""
    n_neighbors: int = Field(10, ge=2)
    n_components: int = Field(5, ge=2)
    min_dist: float = Field(0.0, ge=0.0)
    metric: str = "cosine"
    umap_sample: int | None = Field(None, ge=100)
    """Fit UMAP on this many sentences (seeded sample) and place the rest with its transform; None: fit on all."""
    n_epochs: int | None = Field(None, ge=10)
    """UMAP's optimisation epochs; None: UMAP's own choice (500 up to 10,000 sentences, 200 above)."""
    layouts: int = Field(3, ge=1, le=10)
    """UMAP layouts with seeds drawn from the run's seed, clustered side by side: topics that depend less on one seed (one UMAP each)."""
    layout_consensus: Literal["concatenate", "unanimous", "majority"] = "majority"
    """With several layouts: ``unanimous``, HDBSCAN in each and a topic where all agree; ``majority``, the same, a sentence
    joins the group it shares a cluster with in most layouts and a group most layouts keep together is a topic too;
    ``concatenate``, one HDBSCAN on the layouts side by side."""
    min_cluster_size: int | Literal["auto"] = "auto"
    """The smallest topic, in sentences; ``auto`` scales it with the corpus (docs/tuning-topics.md)."""
    min_samples: Annotated[int, Field(ge=1)] | Literal["auto"] | None = "auto"
    """HDBSCAN's density; ``auto``: 1 up to 10,000 sentences, then grows (docs/tuning-topics.md); None: min_cluster_size."""
    cluster_selection_method: Literal["eom", "leaf"] = "eom"
    reduce_outliers: bool = True
    """Place HDBSCAN outliers in a topic with ``outlier_strategy`` (the floor is in run.json: topics.outlier_floor)."""
    outlier_strategy: Literal["keep-main", "document", "centroid", "embeddings", "c-tf-idf",
                              "distributions"] = "keep-main"
    """``centroid``: HDBSCAN's outliers join their nearest topic when as close to it as 95% of its members are;
    ``keep-main``: the same (side subjects' sentences too), but never so that a document's main topic changes;
    ``document``: the same, but only into the main topic of their own document;
    or BERTopic's reduce_outliers strategy: cosine to the topic's centre, keyword overlap, or topic distributions."""
    outlier_threshold: float = Field(0.0, ge=-1.0, le=1.0)
    """Outlier reduction places a sentence only when its similarity is at least this."""
    nr_topics: int | Literal["auto"] | None = None
    """Merge similar topics afterwards: a target number, ``auto`` (HDBSCAN on topic vectors), or None."""
    merge_similarity: float | None = Field(0.5, ge=0.0, le=1.0)
    """Merge topics told together: cosine of their document profiles at least this (None: never)."""
    merge_min_documents: int = Field(2, ge=1)
    """... and sharing at least this many documents."""
    min_topic_documents: int = Field(2, ge=1)
    """A topic told by fewer documents is not a topic of the corpus: its sentences get -1."""
    hierarchy: bool = True
    """Keep BERTopic's hierarchy of the topics (c-TF-IDF, Ward) as the ``topic_hierarchy`` table."""
    themes: Annotated[int, Field(ge=1)] | Literal["auto"] | None = "auto"
    """Group the topics into this many themes (``topics.theme``: Ward linkage of their mean embeddings); ``auto``:
    the square root of the number of topics, rounded up; None: no themes."""
    min_main_documents: Annotated[int, Field(ge=0)] | Literal["auto"] = "auto"
    """A topic must be the main topic (most sentences) of this many documents or its sentences get -1; ``auto``: 2, then
    from 12,500 sentences in proportion to the smallest topic (docs/tuning-topics.md)."""
    min_anchored_share: float = Field(0.1, ge=0.0, le=1.0)
    """... and at least this share of its sentences must lie in those documents (generic quotes fail it)."""
    event_keyword_share: float = Field(0.5, ge=0.0, le=1.0)
    """... except events: topics told in ``event_min_documents`` documents whose own words (top keywords) have at
    least this share of their uses in the topic (a story told as a paragraph in many articles). 0: no exception."""
    event_min_documents: int | Literal["auto"] = 3
    """How many documents must tell an event; ``auto``: as many as tell a typical topic the corpus is about (the
    median over topics that are the main topic of ``min_main_documents`` documents), at least 3."""
    event_min_sentences: int = Field(2, ge=1)
    """... counting only the documents that hold at least this many of its sentences: a paragraph, not a mention
    (1: any mention counts)."""
    min_keyword_share: float = Field(0.2, ge=0.0, le=1.0)
    """A topic's own words (its top keywords) must have at least this share of their uses in it, or its sentences get -1
    (time words, greetings, rhetorical questions: words every story uses). 0: off."""
    min_keyword_coverage: float = Field(0.1, ge=0.0, le=1.0)
    """... and at least this share of its sentences must hold one of them, or its sentences get -1 (remarks with no
    word in common, whose few keywords are rare words of a handful of them). 0: off."""
    max_question_share: float = Field(0.5, ge=0.0, le=1.0)
    """A topic more than this share of whose sentences end with ``?`` is rhetorical questions: -1. 1: off."""
    max_unfinished_share: float = Field(0.5, ge=0.0, le=1.0)
    """A topic more than this share of whose lines do not end like a sentence (and twice as many as its languages'
    lines in the corpus) is headlines, captions, credits or embeds: -1. 1: off."""
    recurrence_fence: float = Field(0.0, ge=0.0)
    """A topic whose sentences' documents rarely use its words again (chatter, quotes with nothing in common) gets -1
    when its share is below Tukey's fence ``Q1 - recurrence_fence * IQR`` over the corpus's topics. 0: off."""
    min_content_words: int = Field(3, ge=0)
    """Filler rule: sentences with fewer words that are not stop words are not clustered."""
    filler_patterns: list[str] = Field(default_factory=lambda: list(DEFAULT_FILLER_PATTERNS))
    """Filler rule: regular expressions (case-insensitive search) of formulaic lines: bylines, "Read more"."""
    boilerplate_min_documents: int | None = Field(3, ge=2)
    """Boilerplate rule: a sentence one source repeats in this many documents is not clustered (None: off)."""
    boilerplate_templates: bool = False
    """... and a sentence that is mostly one passage the source prints so, with a varying part (a caption,
    a name, a date): the longest run of its words in word 4-grams the source uses that often is half of it.
    Off by default: on BASIL it takes name-and-title fragments (docs/tuning-topics.md)."""
    filler_topic: Literal["none", "document"] = "none"
    """Filler keeps topic -1 (``none``) or takes its document's main topic (``document``)."""
    representation: Literal["keybert-mmr", "ctfidf"] = "keybert-mmr"
    """Readable keywords: KeyBERTInspired then MaximalMarginalRelevance on the run's embedder, or raw c-TF-IDF."""
    mmr_diversity: float = Field(0.3, ge=0.0, le=1.0)
    """MaximalMarginalRelevance: 0 keeps the most relevant keywords, 1 the most varied."""

    @field_validator("min_cluster_size")
    @classmethod
    def _valid_size(cls, value: int | str) -> int | str:
        if value != "auto" and int(value) < 2:
            raise ValueError("Input should be greater than or equal to 2, or 'auto'")
        return value

    @field_validator("filler_patterns")
    @classmethod
    def _valid_patterns(cls, value: list[str]) -> list[str]:
        check_patterns(value)
        return value
    top_n_words: int = Field(10, ge=1)
    ngram_max: int = Field(2, ge=1, le=3)
    """Keywords are 1- to ``ngram_max``-word phrases."""
    n_representative: int = Field(3, ge=1)
    stop_words: Literal["auto", "none"] = "auto"
    """``auto`` removes stop words of every language present (stopwordsiso)."""
    min_sentence_words: int = Field(3, ge=1)
    """Sentences with fewer words are kept but not clustered (topic -1)."""
