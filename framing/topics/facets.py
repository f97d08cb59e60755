"""Facets of one story: topics that are each other's closest topic and are told in the same documents.

HDBSCAN often splits one story into several clusters: the Iran deal's
"nuclear program, uranium" and its "sanctions, iranian"; an investigation's
"indictments" and its "witch hunt". Two such clusters are facets of one
story when all of these hold:

- **closest representations**: each topic is the other's nearest topic
  (cosine of the topics' mean sentence embeddings), a mutual nearest
  neighbour. Being nearest is relative to the topics the corpus has, so no
  similarity threshold is needed and the rule works with any embedding model
  and in any language;
- **followed across the same documents**: most of the documents telling either
  topic tell the other (the documents both tell are at least half of each
  topic's documents), and more often than chance. With ``N`` documents, topic A told in
  ``a`` of them and topic B in ``b``, the number told in both is
  hypergeometric under independence; the pair counts as told together when
  the chance of an overlap at least as large is at most ``significance``
  divided by the number of pairs tested in the round (Bonferroni). Two
  different stories that happen to be each other's nearest topic are told in
  different documents and stay apart, however close their words;
- **no document changes story**: merging the two must not make them the main
  topic (most clustered sentences) of a document whose main topic is a third
  topic. Facets of one story are what their own documents are about; two
  clusters of a theme that runs through many stories (reactions, a recurring
  name) can together outweigh a document's own story, and then they are not
  facets of it (the principle of document placement: joining topics never
  changes what a document is about).

Merging is repeated (a merged topic's vector is the size-weighted mean and its
documents the union) until no pair qualifies. Only what a topic is made of
decides, never a wanted number of topics.

Off by default (``topics.facet_significance: null``; 0.05 switches it on). Measured
in December 2026 (seed 42): on AllSides' first 300 articles it merges 2 pairs
(160 -> 157 topics), on the seeds and climate-frames none, and on BASIL it merges
1-4 pairs per seed and lowers the ARI of topics against events by 0.01-0.03 (mean
0.876 against 0.895); without the "half of each one's documents" condition it
merged 19-24 pairs on BASIL, mostly clusters of themes that run through many
events, and the ARI fell to 0.73-0.78, while AllSides only went to 155 topics.

Examples
--------
>>> vectors = np.array([[1.0, 0.0], [0.95, 0.3], [0.0, 1.0], [0.3, 0.95]])
>>> docs = list("abcd") + list("abcd") + list("efgh") + list("ijkl")
>>> labels = np.array([0] * 4 + [1] * 4 + [2] * 4 + [3] * 4)
>>> facet_groups([0, 1, 2, 3], vectors, [4, 4, 4, 4], docs, labels, 0.05)  # 2 and 3: close, never told together
[[0, 1]]
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

logger = logging.getLogger(__name__)


def cooccurrence_p(overlap: int, n_documents: int, a: int, b: int) -> float:
    """Chance that two topics told in ``a`` and ``b`` of ``n_documents`` documents share ``overlap`` or more.

    The hypergeometric upper tail (independent topics).

    >>> f"{cooccurrence_p(3, 300, 3, 3):.1e}"  # three articles on one event, of 300
    '2.2e-07'
    >>> cooccurrence_p(0, 300, 10, 10)
    1.0
    """
    from scipy.stats import hypergeom

    if overlap <= 0:
        return 1.0
    return float(hypergeom.sf(overlap - 1, n_documents, a, b))


def _mutual_pairs(vectors: np.ndarray) -> list[tuple[int, int]]:
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    sim = unit @ unit.T
    np.fill_diagonal(sim, -np.inf)
    nearest = sim.argmax(axis=1)
    return [(i, int(j)) for i, j in enumerate(nearest) if i < j and nearest[j] == i]


def facet_groups(topics: Sequence[int], vectors: np.ndarray, sizes: Sequence[float], doc_ids: Sequence[object],
                 labels: np.ndarray, significance: float) -> list[list[int]]:
    """Groups of topics that are facets of one story (see the module docstring).

    Parameters
    ----------
    topics : sequence of int, length k
        The topic numbers, in the order of ``vectors``' rows.
    vectors : ndarray of shape (k, dim)
        Each topic's representation (its mean sentence embedding).
    sizes : sequence of float, length k
        Each topic's number of sentences (weights of the merged vector).
    doc_ids : sequence, length n_sentences
        The document of each sentence (every copy of a sentence counts).
    labels : ndarray of shape (n_sentences,), int
        The topic of each sentence; -1 is ignored. The documents counted (``N``) are all of ``doc_ids``'s.
    significance : float in (0, 1)
        Family-wise chance of merging two topics that are not told together, per round.

    Returns
    -------
    list of lists of int: groups of two or more topics (sorted), sorted by their first topic.
    """
    topics = [int(t) for t in topics]
    if len(topics) < 2:
        return []
    labels = np.asarray(labels)
    doc_ids = np.asarray(doc_ids, dtype=object)
    n_documents = len(set(doc_ids.tolist()))
    docs = {t: set(doc_ids[labels == t].tolist()) for t in topics}
    counts = _document_counts(doc_ids, labels, topics)
    groups = [[t] for t in topics]
    sums = np.asarray(vectors, dtype=np.float64) * np.asarray(sizes, dtype=np.float64)[:, None]
    weight = np.asarray(sizes, dtype=np.float64).copy()
    members = [docs[t] for t in topics]
    while len(groups) > 1:
        pairs = _mutual_pairs(sums / np.maximum(weight, 1e-12)[:, None])
        if not pairs:
            break
        bar = significance / len(pairs)
        joined = [(i, j) for i, j in pairs
                  if _same_documents(members[i], members[j])
                  and cooccurrence_p(len(members[i] & members[j]), n_documents, len(members[i]), len(members[j])) <= bar
                  and not _takes_other_documents(counts, i, j)]
        if not joined:
            break
        gone = set()
        for i, j in joined:  # mutual pairs are disjoint
            groups[i] = groups[i] + groups[j]
            sums[i] += sums[j]
            weight[i] += weight[j]
            members[i] = members[i] | members[j]
            counts[:, i] += counts[:, j]
            gone.add(j)
        keep = [k for k in range(len(groups)) if k not in gone]
        groups = [groups[k] for k in keep]
        sums, weight, members, counts = sums[keep], weight[keep], [members[k] for k in keep], counts[:, keep]
    out = [sorted(g) for g in groups if len(g) > 1]
    return sorted(out, key=lambda g: g[0])


def _same_documents(a: set, b: set) -> bool:
    """At least half of each topic's documents tell the other topic too."""
    both = len(a & b)
    return 2 * both >= len(a) and 2 * both >= len(b)


def _document_counts(doc_ids: np.ndarray, labels: np.ndarray, topics: list[int]) -> np.ndarray:
    """Sentences of each document (rows) in each topic (columns, in the order of ``topics``)."""
    column = {t: k for k, t in enumerate(topics)}
    row = {d: k for k, d in enumerate(dict.fromkeys(doc_ids.tolist()))}
    counts = np.zeros((len(row), len(topics)), dtype=np.int64)
    for d, t in zip(doc_ids.tolist(), labels.tolist()):
        if t in column:
            counts[row[d], column[t]] += 1
    return counts


def _takes_other_documents(counts: np.ndarray, i: int, j: int) -> bool:
    """Would topics ``i`` and ``j`` together outweigh the main topic (a third one) of some document?"""
    told = np.flatnonzero(counts[:, i] + counts[:, j])  # only documents telling one of them can change
    if counts.shape[1] <= 2 or len(told) == 0:
        return False
    sub = counts[told]
    best = np.delete(sub, [i, j], axis=1).max(axis=1)
    about_other = best > np.maximum(sub[:, i], sub[:, j])
    return bool((about_other & (sub[:, i] + sub[:, j] > best)).any())


def topic_vectors(model, topics: Sequence[int]) -> np.ndarray:
    """Each topic's mean sentence embedding as BERTopic keeps it (``topic_embeddings_``; row 0 is -1 when present)."""
    offset = int(getattr(model, "_outliers", 0))
    table = np.asarray(model.topic_embeddings_, dtype=np.float64)
    return table[[int(t) + offset for t in topics]]


def merge_facets(model, significance: float | None, docs: list[str], doc_ids: np.ndarray, topics: np.ndarray,
                 inverse: np.ndarray) -> list[list[int]]:
    """The facet groups of a fitted BERTopic ``model``'s topics (``topics``: one per distinct sentence in ``docs``).

    ``doc_ids`` has one entry per sentence, whose distinct sentence is ``inverse``. None or 0
    ``significance`` switches the rule off (no groups).
    """
    kept = sorted(int(t) for t in set(topics.tolist()) if t >= 0)
    if not significance or len(kept) < 2 or getattr(model, "topic_embeddings_", None) is None:
        return []
    sizes = [int((topics == t).sum()) for t in kept]
    groups = facet_groups(kept, topic_vectors(model, kept), sizes, doc_ids, topics[inverse], significance)
    if groups:
        logger.info("Merging %d topics that are facets of one story into %d", sum(map(len, groups)), len(groups))
    return groups
