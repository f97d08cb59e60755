"""How far apart the groups' topic and frame distributions are: Jensen-Shannon divergence.

Lin, J. (1991). Divergence measures based on the Shannon entropy. *IEEE
Transactions on Information Theory*, 37(1), 145-151.

A group's topic distribution is its clustered sentences over the topics; its
frame distribution is its matched sentence-frame pairs over the frames (a
sentence matching two frames counts for both). The divergence is in bits
(base 2): 0 for identical distributions, 1 for disjoint ones. The table is
the whole matrix in long form: every ordered pair, the diagonal included.

Examples
--------
>>> s = pd.DataFrame({"sentence_id": list("abcd"), "doc_id": ["d1", "d1", "d2", "d3"], "topic": [0, 1, 0, 1]})
>>> g = pd.Series({"d1": "x", "d2": "y", "d3": "z"})
>>> t = divergence_table(topic_counts(s), g, "source")
>>> t.query("group_a == 'y' and group_b == 'z'").jsd.item(), t.query("group_a == 'x' and group_b == 'y'").jsd.round(4).item()
(1.0, 0.3113)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .groups import group_order
from .items import ItemCounts, topic_counts  # noqa: F401  (topic_counts: doctest)
from ..stats import jensen_shannon  # noqa: F401  (the definition _jsd_row vectorises)

DIVERGENCE_COLUMNS = ["by", "kind", "group_a", "group_b", "jsd", "count_a", "count_b", "documents_a", "documents_b",
                      "few_documents"]


def divergence_table(counts: ItemCounts, groups: pd.Series, by: str, min_documents: int = 5) -> pd.DataFrame:
    """Jensen-Shannon divergence between every pair of groups, for one kind of item.

    Parameters
    ----------
    counts : ItemCounts
    groups : Series of str indexed by doc_id
    by : str
    min_documents : int
        ``few_documents`` is true when either group has fewer documents.

    Returns
    -------
    DataFrame with :data:`DIVERGENCE_COLUMNS`; ``jsd`` is NaN when a group
    has no topic or frame at all (nothing to compare). ``count_*`` are the
    sentences (topics) or sentence-frame matches (frames) of each group.
    """
    order = group_order(groups)
    doc_group = groups.reindex(counts.doc_ids).fillna("unknown").to_numpy(object)
    dist = np.array([counts.y[doc_group == g].sum(axis=0) for g in order]).reshape(len(order), len(counts.items))
    ndocs = np.array([int((doc_group == g).sum()) for g in order])
    n = len(order)
    jsd = np.array([_jsd_row(dist[i], dist) for i in range(n)]) if len(counts.items) else np.full((n, n), np.nan)
    ia, ib = np.divmod(np.arange(n * n), n)
    totals = dist.sum(axis=1)
    return pd.DataFrame({
        "by": by, "kind": counts.kind, "group_a": np.asarray(order, dtype=object)[ia],
        "group_b": np.asarray(order, dtype=object)[ib], "jsd": jsd.ravel() if n else [],
        "count_a": totals[ia].astype("int64"), "count_b": totals[ib].astype("int64"),
        "documents_a": ndocs[ia], "documents_b": ndocs[ib],
        "few_documents": np.minimum(ndocs[ia], ndocs[ib]) < min_documents,
    }, columns=DIVERGENCE_COLUMNS)


def _jsd_row(p: np.ndarray, others: np.ndarray) -> np.ndarray:
    """:func:`~framing.stats.jensen_shannon` of ``p`` against every row of ``others``, at once."""
    out = np.full(len(others), np.nan)
    ok = others.sum(axis=1) > 0
    if p.sum() <= 0 or not ok.any():
        return out
    p = p / p.sum()
    q = others[ok] / others[ok].sum(axis=1, keepdims=True)
    m = (p + q) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        kp = np.where(p > 0, p * np.log2(p / m), 0.0).sum(axis=1)
        kq = np.where(q > 0, q * np.log2(q / m), 0.0).sum(axis=1)
    out[ok] = np.maximum(0.0, 0.5 * kp + 0.5 * kq)
    return out
