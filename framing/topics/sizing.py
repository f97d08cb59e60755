"""Cluster sizes that follow the corpus.

``topics.min_cluster_size: auto`` (the default) sets HDBSCAN's smallest topic
from the number of sentences that are clustered:

    min_cluster_size = max(AUTO_FLOOR, round(sqrt(n) / AUTO_DIVISOR))

Up to 10,000 sentences this is BERTopic's own default of 10; beyond, it
grows with the square root of the corpus, so the number of topics still
grows with the corpus but more slowly than the corpus: a topic of a large
corpus needs more sentences before it counts as a subject of its own
(40,000 sentences give 20, 150,000 give 39). Topics that are facets of one
story are merged afterwards by their documents
(:func:`framing.topics.documents.cooccurrence_groups`), so the floor can
stay small. An integer ``min_cluster_size`` is used as given.

>>> [auto_min_cluster_size(n) for n in (500, 2_000, 8_000, 40_000, 150_000)]
[10, 10, 10, 20, 39]
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from ..config import TopicsConfig

logger = logging.getLogger(__name__)

AUTO_FLOOR = 10
AUTO_DIVISOR = 10.0


@dataclass(frozen=True)
class ResolvedParams:
    """The parameters actually used, after adapting the config to the input."""

    n_neighbors: int
    n_components: int
    min_cluster_size: int
    min_samples: int | None


def auto_min_cluster_size(n: int) -> int:
    """The ``auto`` smallest topic for ``n`` clustered sentences (see the module docstring)."""
    return max(AUTO_FLOOR, int(round(math.sqrt(max(n, 0)) / AUTO_DIVISOR)))


def resolve_params(config: TopicsConfig, n: int) -> ResolvedParams:
    """The config's parameters for ``n`` sentences: ``auto`` resolved, sizes shrunk to what ``n`` supports.

    >>> resolve_params(TopicsConfig(min_cluster_size=12), 8)
    ResolvedParams(n_neighbors=7, n_components=5, min_cluster_size=4, min_samples=1)
    >>> resolve_params(TopicsConfig(), 40_000).min_cluster_size
    20
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
