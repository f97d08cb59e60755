"""Topics every layout agrees on: HDBSCAN in each UMAP layout, sentences kept together only where all agree.

With ``topics.layouts`` > 1 (:mod:`framing.topics.layouts`) and
``layout_consensus: unanimous``, :class:`UnanimousHDBSCAN` is BERTopic's
clustering model. It receives the layouts side by side, runs HDBSCAN in each
one, and makes a topic of each group of sentences that **every** layout put in
the same cluster (evidence accumulation, Fred & Jain 2005, with the
co-association threshold at 1: a pair is together when all runs agree). Because
"clustered together in every layout" is an equivalence, the groups are read off
the tuples of labels in one pass, with no n x n co-association matrix, so it
scales to any corpus. A group smaller than ``min_cluster_size``, and a sentence
some layout left as noise, is an outlier (outlier placement may give it a topic
afterwards). What one seed's layout put together by chance is split; what the
stories hold together in every layout stays.

Examples
--------
>>> labels = np.array([[0, 0, 0, 1, 1, -1], [2, 2, 3, 1, 1, 1]])
>>> unanimous_labels(labels, min_size=2).tolist()
[0, 0, -1, 1, 1, -1]
"""

from __future__ import annotations

import numpy as np

from ..runlog import quiet_import


def unanimous_labels(labels: np.ndarray, min_size: int) -> np.ndarray:
    """Groups of rows with the same label in every run; -1 for noise in any run and for groups under ``min_size``.

    Parameters
    ----------
    labels : ndarray of shape (n_runs, n), int
    min_size : int

    Returns
    -------
    ndarray of shape (n,), int
        Groups numbered by size, largest first (ties by first row).
    """
    labels = np.asarray(labels, dtype=np.int64)
    n = labels.shape[1]
    out = np.full(n, -1, dtype=np.int64)
    clustered = (labels >= 0).all(axis=0)
    if not clustered.any():
        return out
    _, group, counts = np.unique(labels[:, clustered].T, axis=0, return_inverse=True, return_counts=True)
    group = group.ravel()
    rows = np.flatnonzero(clustered)
    first = np.full(len(counts), n, dtype=np.int64)
    np.minimum.at(first, group, rows)
    big = np.flatnonzero(counts >= min_size)
    order = big[np.lexsort((first[big], -counts[big]))]
    rank = np.full(len(counts), -1, dtype=np.int64)
    rank[order] = np.arange(len(order))
    out[rows] = rank[group]
    return out


def join_majority(labels: np.ndarray, cores: np.ndarray) -> np.ndarray:
    """Rows outside every core join the core they share a cluster with in a majority of the runs.

    A core is a group of rows every run keeps together (:func:`unanimous_labels`); a row that all runs
    but one put with a core's rows is one of its border sentences, not a new subject. A row matching
    several cores in a majority of runs joins the one it matches in most runs, then the largest
    (cores are numbered by size); a row that no core matches in a majority stays -1.

    >>> runs = np.array([[0, 0, 0, 0, 1, 1], [2, 2, 2, 3, 3, -1], [4, 4, 4, 4, 5, 5]])
    >>> cores = unanimous_labels(runs, min_size=2)
    >>> cores.tolist(), join_majority(runs, cores).tolist()
    ([0, 0, 0, -1, -1, -1], [0, 0, 0, 0, -1, -1])
    """
    from itertools import combinations

    labels = np.asarray(labels, dtype=np.int64)
    n_runs = labels.shape[0]
    need = n_runs // 2 + 1
    out = np.asarray(cores, dtype=np.int64).copy()
    if need >= n_runs or (out < 0).all():
        return out
    core_ids = np.unique(out[out >= 0])
    first = np.array([np.flatnonzero(out == c)[0] for c in core_ids])
    signature = labels[:, first]  # each core's label in every run
    outside = np.flatnonzero(out < 0)
    best = np.full(len(outside), -1, dtype=np.int64)
    score = np.zeros(len(outside), dtype=np.int64)
    for runs in combinations(range(n_runs), need):
        table: dict = {}
        for c, sig in zip(core_ids.tolist(), signature[list(runs)].T.tolist()):
            table.setdefault(tuple(sig), c)  # cores numbered by size: the largest first
        for r, row in enumerate(labels[list(runs)][:, outside].T.tolist()):
            c = table.get(tuple(row))
            if c is None or min(row) < 0:
                continue
            agree = int((signature[:, np.searchsorted(core_ids, c)] == labels[:, outside[r]]).sum())
            if agree > score[r] or (agree == score[r] and c < best[r]):
                best[r], score[r] = c, agree
    out[outside] = best
    return out


def majority_groups(labels: np.ndarray, assigned: np.ndarray, min_size: int) -> np.ndarray:
    """Rows still outside every group form new groups where a majority of the runs keeps them together.

    For each set of a majority of runs (in order), the rows that are not yet in a group and that those
    runs all keep together become a new group when at least ``min_size`` of them do: a topic found by
    most layouts is a topic, as a border sentence most layouts place is a member (:func:`join_majority`).

    >>> runs = np.array([[0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1, 1], [0, 0, 0, -1, -1, -1]])
    >>> majority_groups(runs, np.array([0, 0, 0, -1, -1, -1]), 3).tolist()
    [0, 0, 0, 1, 1, 1]
    """
    from itertools import combinations

    labels = np.asarray(labels, dtype=np.int64)
    n_runs = labels.shape[0]
    need = n_runs // 2 + 1
    out = np.asarray(assigned, dtype=np.int64).copy()
    if need >= n_runs:
        return out
    for runs in combinations(range(n_runs), need):
        free = np.flatnonzero(out < 0)
        if len(free) < min_size:
            break
        found = unanimous_labels(labels[list(runs)][:, free], min_size)
        new = found >= 0
        out[free[new]] = found[new] + int(out.max()) + 1
    return out


class UnanimousHDBSCAN:
    """HDBSCAN in each of ``n_layouts`` column blocks; a cluster is a group all of them keep together.

    Parameters
    ----------
    n_layouts : int
        The input's columns are this many layouts of equal width, side by side.
    min_cluster_size, min_samples, cluster_selection_method
        HDBSCAN's, for every layout; ``min_cluster_size`` is also the smallest group kept.
    join : {"none", "majority"}
        ``majority``: a sentence outside every unanimous group joins the group it shares a cluster
        with in a majority of the layouts (:func:`join_majority`), and the sentences left that a majority
        of the layouts keep together form groups of their own (:func:`majority_groups`).

    Attributes
    ----------
    labels_ : ndarray of shape (n,), int
    layout_labels_ : ndarray of shape (n_layouts, n), int
        Each layout's own HDBSCAN labels (outlier placement reads them: :func:`framing.topics.outliers.join_by_layouts`).
    probabilities_ : ndarray of shape (n,), float
        The mean HDBSCAN membership strength over the layouts; 0 for outliers.
    centroids_ : ndarray of shape (n_clusters, n_features)
        Each cluster's mean point, for :meth:`predict`.
    """

    def __init__(self, n_layouts: int, min_cluster_size: int, min_samples: int | None = None,
                 cluster_selection_method: str = "eom", join: str = "none"):
        self.n_layouts = n_layouts
        self.join = join
        self.min_cluster_size = min_cluster_size
        self.min_samples = min_samples
        self.cluster_selection_method = cluster_selection_method

    def fit(self, X, y=None) -> UnanimousHDBSCAN:
        HDBSCAN = quiet_import("hdbscan").HDBSCAN
        x = np.asarray(X, dtype=np.float64)
        runs = [HDBSCAN(min_cluster_size=self.min_cluster_size, min_samples=self.min_samples,
                        cluster_selection_method=self.cluster_selection_method, metric="euclidean").fit(block)
                for block in np.split(x, self.n_layouts, axis=1)]
        found = np.stack([r.labels_ for r in runs])
        self.layout_labels_ = found
        self.labels_ = unanimous_labels(found, self.min_cluster_size)
        if self.join == "majority":
            self.labels_ = majority_groups(found, join_majority(found, self.labels_), self.min_cluster_size)
        strength = np.mean([r.probabilities_ for r in runs], axis=0)
        self.probabilities_ = np.where(self.labels_ >= 0, strength, 0.0)
        k = int(self.labels_.max()) + 1
        self.centroids_ = np.stack([x[self.labels_ == t].mean(axis=0) for t in range(k)]) if k else x[:0]
        return self

    def fit_predict(self, X, y=None) -> np.ndarray:
        return self.fit(X).labels_

    def predict(self, X) -> np.ndarray:
        """The cluster with the nearest mean point, for new rows (-1 when nothing was clustered)."""
        if not hasattr(self, "labels_"):
            from ..errors import NotFittedError

            raise NotFittedError("This UnanimousHDBSCAN is not fitted yet; call fit(X) first.")
        x = np.asarray(X, dtype=np.float64)
        if not len(self.centroids_):
            return np.full(len(x), -1, dtype=np.int64)
        c = self.centroids_
        d = (c ** 2).sum(axis=1)[None, :] - 2.0 * (x @ c.T)  # squared distance up to each row's own norm
        return d.argmin(axis=1).astype(np.int64)
