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
thousands of articles gets about a hundred topics a reader can go through
instead of hundreds of single stories (its stories are still there, grouped,
and the smaller ones can be had with an integer). Topics that are facets of
one story are merged afterwards by their documents
(:func:`framing.topics.documents.cooccurrence_groups`). An integer
``min_cluster_size`` is used as given.

>>> [auto_min_cluster_size(n) for n in (500, 2_000, 8_000, 40_000, 150_000)]
[10, 10, 10, 40, 150]
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..config import TopicsConfig

logger = logging.getLogger(__name__)

AUTO_FLOOR = 10
AUTO_RESOLUTION = 1000


@dataclass(frozen=True)
class ResolvedParams:
    """The parameters actually used, after adapting the config to the input."""

    n_neighbors: int
    n_components: int
    min_cluster_size: int
    min_samples: int | None


def auto_min_cluster_size(n: int) -> int:
    """The ``auto`` smallest topic for ``n`` clustered sentences (see the module docstring)."""
    return max(AUTO_FLOOR, int(round(max(n, 0) / AUTO_RESOLUTION)))


def resolve_params(config: TopicsConfig, n: int) -> ResolvedParams:
    """The config's parameters for ``n`` sentences: ``auto`` resolved, sizes shrunk to what ``n`` supports.

    >>> resolve_params(TopicsConfig(min_cluster_size=12), 8)
    ResolvedParams(n_neighbors=7, n_components=5, min_cluster_size=4, min_samples=1)
    >>> resolve_params(TopicsConfig(), 40_000).min_cluster_size
    40
    """
    wanted = auto_min_cluster_size(n) if config.min_cluster_size == "auto" else int(config.min_cluster_size)
    n_neighbors = max(2, min(config.n_neighbors, n - 1))
    n_components = max(1, min(config.n_components, n - 2))
    min_cluster_size = max(2, min(wanted, n // 2))
    min_samples = config.min_samples
    if min_samples is not None:
        min_samples = max(1, min(min_samples, min_cluster_size, n - 1))
    resolved = ResolvedParams(n_neighbors, n_components, min_cluster_size, min_samples)
    if (n_neighbors, n_components, min_cluster_size, min_samples) != (
        config.n_neighbors, config.n_components, wanted, config.min_samples
    ):
        logger.info("Topic parameters adapted to %d sentences: %s", n, resolved)
    return resolved
