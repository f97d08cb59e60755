"""Cluster sizes that follow the corpus.

``topics.min_cluster_size: auto`` (the default) sets HDBSCAN's smallest topic
from the number ``n`` of sentences that are clustered:

    min_cluster_size = max(AUTO_FLOOR, round(n / AUTO_RESOLUTION))

that is, a topic holds at least one in a thousand of the clustered
sentences, and never fewer than BERTopic's own default of 10. Up to 10,000
sentences (BASIL, a few hundred articles: where the other defaults were
measured) this is 10; beyond, the smallest topic grows in proportion to the
corpus, so the topic map keeps the resolution it has at 10,000 sentences: a
corpus ten times as large with the same mix of stories gets topics of the
same weight, not ten times as many small ones, and a news corpus of
thousands of articles gets topics a reader can go through (with the density
below, tens of them) instead of hundreds of single stories (its stories are
still there, grouped, and the smaller ones can be had with an integer). Topics that are facets of
one story are merged afterwards by their documents
(:func:`framing.topics.documents.cooccurrence_groups`). An integer
``min_cluster_size`` is used as given.

``topics.min_samples: auto`` (the default) sets HDBSCAN's density, the number
of neighbours a sentence needs to be a core point, with the ``auto`` smallest
topic for the corpus (whatever ``min_cluster_size`` is set to):

    min_samples = auto_min_cluster_size(n) - AUTO_FLOOR + 1

It is 1 while the ``auto`` smallest topic is at its floor (up to 10,000 sentences:
BASIL, where 1 was measured to find events of a few articles that a higher
density throws out as noise), and grows one for one with the smallest topic
beyond, towards HDBSCAN's and BERTopic's own default of ``min_samples =
min_cluster_size``: at news scale, where a topic is a subject of a hundred
sentences or more, the density is estimated at about that scale instead of
at single nearest neighbours, which split subjects into many small dense
patches (all of AllSides, smallest topic 113: 123 topics with 1; 83 with ``auto``'s 104).

``topics.min_main_documents: auto`` (the default) sets how many documents a
topic must be the main topic of (the anchoring rule,
:func:`framing.topics.documents.unanchored_topics`) with the same scale:

    min_main_documents = round(2 * auto_min_cluster_size(n) / AUTO_FLOOR)

It is 2 up to 12,500 sentences (BASIL, AllSides' first 300 articles,
climate-frames: where 2 was measured), and grows in proportion to the
smallest topic beyond: when the corpus is ten times
as large and its topics ten times as heavy, a topic that is the bulk of two
documents at the small scale is the bulk of twenty at the large one. A topic
of two or three articles is a story in a corpus of three hundred; in one of
thousands it is a few articles' own subject, kept only as an event (words of
its own, told in ``event_min_documents`` documents: the exception is
unchanged). All of AllSides (smallest topic 113): 23 documents, 83 topics to
69; its first 1,000 articles (smallest topic 31): 6 documents, 109 topics to
tens (docs/tuning-topics.md).

>>> [auto_min_cluster_size(n) for n in (500, 2_000, 8_000, 40_000, 150_000)]
[10, 10, 10, 40, 150]
>>> [auto_min_samples(n) for n in (8_000, 10_600, 40_000, 150_000)]
[1, 2, 31, 141]
>>> [auto_min_main_documents(n) for n in (8_000, 10_600, 13_000, 31_000, 40_000, 113_000)]
[2, 2, 3, 6, 8, 23]
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..config import TopicsConfig

logger = logging.getLogger(__name__)

AUTO_FLOOR = 10
AUTO_RESOLUTION = 1000
AUTO_MAIN_DOCUMENTS = 2
"""``min_main_documents`` at the floor: one document is never evidence that a subject belongs to the corpus."""


@dataclass(frozen=True)
class ResolvedParams:
    """The parameters actually used, after adapting the config to the input."""

    n_neighbors: int
    n_components: int
    min_cluster_size: int
    min_samples: int | None
    min_main_documents: int


def auto_min_cluster_size(n: int) -> int:
    """The ``auto`` smallest topic for ``n`` clustered sentences (see the module docstring)."""
    return max(AUTO_FLOOR, int(round(max(n, 0) / AUTO_RESOLUTION)))


def auto_min_samples(n: int) -> int:
    """The ``auto`` density for ``n`` clustered sentences (see the module docstring)."""
    return auto_min_cluster_size(n) - AUTO_FLOOR + 1


def auto_min_main_documents(n: int) -> int:
    """The ``auto`` number of documents a topic must be the main topic of (see the module docstring)."""
    return int(round(AUTO_MAIN_DOCUMENTS * auto_min_cluster_size(n) / AUTO_FLOOR))


def min_main_documents(config: TopicsConfig, n: int) -> int:
    """``topics.min_main_documents`` for ``n`` clustered (distinct) sentences: ``auto`` resolved, an integer as given.

    >>> min_main_documents(TopicsConfig(), 40_000), min_main_documents(TopicsConfig(min_main_documents=1), 40_000)
    (8, 1)
    """
    value = config.min_main_documents
    return auto_min_main_documents(n) if value == "auto" else int(value)


def resolve_params(config: TopicsConfig, n: int) -> ResolvedParams:
    """The config's parameters for ``n`` sentences: ``auto`` resolved, sizes shrunk to what ``n`` supports.

    >>> resolve_params(TopicsConfig(min_cluster_size=12), 8)
    ResolvedParams(n_neighbors=7, n_components=5, min_cluster_size=4, min_samples=1, min_main_documents=2)
    >>> resolve_params(TopicsConfig(), 40_000)
    ResolvedParams(n_neighbors=10, n_components=5, min_cluster_size=40, min_samples=31, min_main_documents=8)
    >>> resolve_params(TopicsConfig(), 8_000).min_samples
    1
    """
    wanted = auto_min_cluster_size(n) if config.min_cluster_size == "auto" else int(config.min_cluster_size)
    n_neighbors = max(2, min(config.n_neighbors, n - 1))
    n_components = max(1, min(config.n_components, n - 2))
    min_cluster_size = max(2, min(wanted, n // 2))
    wanted_samples = auto_min_samples(n) if config.min_samples == "auto" else config.min_samples
    min_samples = wanted_samples
    if min_samples is not None:
        min_samples = max(1, min(min_samples, min_cluster_size, n - 1))
    resolved = ResolvedParams(n_neighbors, n_components, min_cluster_size, min_samples,
                              min_main_documents(config, n))
    if (n_neighbors, n_components, min_cluster_size, min_samples) != (
        config.n_neighbors, config.n_components, wanted, wanted_samples
    ):
        logger.info("Topic parameters adapted to %d sentences: %s", n, resolved)
    return resolved
