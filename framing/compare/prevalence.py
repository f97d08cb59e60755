"""Prevalence of each topic and frame per group, with intervals and tests.

Two levels, each with its own denominator in its column name:

- ``share_of_sentences``: the item's sentences over the group's counted
  sentences (scored sentences for frames, clustered sentences for topics).
  Its 95% interval (``ci_low``, ``ci_high``) comes from a seeded bootstrap
  over the group's documents, so that sentences of one document move
  together (none for a one-document group; at a share of 0 or 1 the open
  end is the Wilson bound with one observation per document); its test against the other side (``versus``) is a Wald test
  with the cluster-robust variance of a ratio around the pooled share.
- ``share_of_documents``: documents using the item over the group's
  documents with a counted sentence; Wilson interval
  (``documents_ci_low``, ``documents_ci_high``) and Fisher's exact test.

p-values are corrected for the many items and groups with
Benjamini-Hochberg (``q_value``, ``documents_q_value``), per kind. Groups
with fewer than ``min_documents`` documents are flagged (``few_documents``),
not hidden; groups without any counted sentence keep a row with NaN shares.

Examples
--------
>>> s = pd.DataFrame({"sentence_id": list("abcd"), "doc_id": ["d1", "d1", "d2", "d3"], "topic": [0, 1, 0, 0]})
>>> g = pd.Series({"d1": "x", "d2": "x", "d3": "y"})
>>> t = prevalence_table(topic_counts(s), g, "source", seed=1, n_boot=50)
>>> t[["group", "item", "sentences", "share_of_sentences", "documents", "share_of_documents"]].values.tolist()
[['x', '0', 2, 0.6666666666666666, 2, 1.0], ['x', '1', 1, 0.3333333333333333, 1, 0.5], ['y', '0', 1, 1.0, 1, 1.0], ['y', '1', 0, 0.0, 0, 0.0]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from .groups import group_order
from .items import ItemCounts, topic_counts  # noqa: F401  (topic_counts: doctest)
from ..stats import (benjamini_hochberg, cluster_bootstrap, cluster_variance, fisher_pvalues,
                    pooled_cluster_variance, seeded_rng, wald_pvalues, wilson_interval)

PREVALENCE_COLUMNS = [
    "by", "group", "kind", "item", "label", "group_documents", "group_documents_all", "group_sentences",
    "sentences", "share_of_sentences", "ci_low", "ci_high",
    "documents", "share_of_documents", "documents_ci_low", "documents_ci_high",
    "versus", "versus_share_of_sentences", "versus_share_of_documents",
    "p_value", "q_value", "documents_p_value", "documents_q_value",
    "few_documents", "sentence_denominator", "document_rule",
]
REST = "rest"


def _side(counts: ItemCounts, mask: np.ndarray) -> dict:
    y, m, used = counts.y[mask], counts.m[mask], counts.used[mask]
    total = m.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = y.sum(axis=0) / total if total > 0 else np.full(len(counts.items), np.nan)
        dshare = used.sum(axis=0) / len(m) if len(m) else np.full(len(counts.items), np.nan)
    return {"y": y, "m": m, "n_docs": len(m), "total": total, "sentences": y.sum(axis=0), "share": share,
            "documents": used.sum(axis=0), "dshare": dshare, "var": cluster_variance(y, m)}


def sentence_interval(side: dict, n_boot: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap interval over documents; NaN for fewer than two documents.

    At a share of 0 or 1 every resample gives the same share, so the open
    end is the Wilson bound counting one observation per document (the
    most conservative design effect) instead of a zero-width interval.
    """
    k = side["y"].shape[1]
    if side["n_docs"] < 2:
        return np.full(k, np.nan), np.full(k, np.nan)
    low, high = cluster_bootstrap(side["y"], side["m"], n_boot, rng)
    wlow, whigh = wilson_interval(np.zeros(k), np.full(k, side["n_docs"]))
    high = np.where(side["share"] == 0, whigh, high)
    low = np.where(side["share"] == 1, 1 - whigh, low)
    return low, high


def _sentence_test(mine: dict, other: dict) -> np.ndarray:
    """Two-sided p-values of the difference of two shares of sentences (clusters: documents).

    The variances are cluster-robust and taken around the pooled share (the null
    hypothesis), so that a small group with a share of 0 or 1 does not get a zero variance.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = (mine["sentences"] + other["sentences"]) / (mine["total"] + other["total"])
    v1 = pooled_cluster_variance(mine["y"], mine["m"], pooled)
    v2 = pooled_cluster_variance(other["y"], other["m"], pooled)
    return wald_pvalues(mine["share"], v1, other["share"], v2)


def check_pair(groups: list[str], a: str | None, b: str | None, by: str) -> None:
    """Both or neither of ``a`` and ``b``, each an existing group, and different."""
    if (a is None) != (b is None):
        raise InputError("Give both --a and --b to compare two groups, or neither to compare each group with the rest.")
    for name in (a, b):
        if name is not None and name not in groups:
            raise InputError(f"'{name}' is not a value of '{by}'. Groups: {', '.join(groups)}.")
    if a is not None and a == b:
        raise InputError(f"--a and --b are both '{a}'; name two different groups of '{by}'.")


def prevalence_table(counts: ItemCounts, groups: pd.Series, by: str, a: str | None = None, b: str | None = None,
                     seed: int = 42, n_boot: int = 1000, min_documents: int = 5) -> pd.DataFrame:
    """The prevalence rows of one kind (topics or frames) for one grouping.

    Parameters
    ----------
    counts : ItemCounts
        From :func:`~framing.compare.items.topic_counts` or :func:`~framing.compare.items.frame_counts`.
    groups : Series of str indexed by doc_id
        The group of every document (:func:`~framing.compare.groups.document_groups`);
        groups whose documents have no counted sentence still get rows (NaN shares).
    by : str
        The grouping column's name (the ``by`` column).
    a, b : str, optional
        Compare these two groups only (rows for both); default each group against all others.
    seed, n_boot, min_documents : int
        Bootstrap seed and resamples; groups with fewer documents are flagged.

    Returns
    -------
    DataFrame with :data:`PREVALENCE_COLUMNS`, one row per group x item.
    """
    order = group_order(groups)
    check_pair(order, a, b, by)
    names = [a, b] if a is not None else order
    doc_group = groups.reindex(counts.doc_ids).fillna("unknown").to_numpy(object)
    all_docs = groups.value_counts()
    k = len(counts.items)
    parts = []
    for g in names:
        mask = doc_group == g
        mine = _side(counts, mask)
        other_mask = (doc_group == (b if g == a else a)) if a is not None else ~mask
        other = _side(counts, other_mask)
        low, high = sentence_interval(mine, n_boot, seeded_rng(seed, by, g, counts.kind))
        dlow, dhigh = wilson_interval(mine["documents"], np.full(k, mine["n_docs"]))
        tested = mine["n_docs"] > 0 and other["n_docs"] > 0
        p = _sentence_test(mine, other) if tested else np.full(k, np.nan)
        dp = (fisher_pvalues(mine["documents"], np.full(k, mine["n_docs"]), other["documents"],
                             np.full(k, other["n_docs"])) if tested else np.full(k, np.nan))
        parts.append(pd.DataFrame({
            "by": by, "group": g, "kind": counts.kind, "item": counts.items, "label": counts.labels,
            "group_documents": mine["n_docs"], "group_documents_all": int(all_docs.get(g, 0)),
            "group_sentences": int(mine["total"]),
            "sentences": mine["sentences"].astype("int64"), "share_of_sentences": mine["share"], "ci_low": low, "ci_high": high,
            "documents": mine["documents"].astype("int64"), "share_of_documents": mine["dshare"],
            "documents_ci_low": dlow, "documents_ci_high": dhigh,
            "versus": b if g == a else a if a is not None else REST,
            "versus_share_of_sentences": other["share"], "versus_share_of_documents": other["dshare"],
            "p_value": p, "documents_p_value": dp,
            "few_documents": mine["n_docs"] < min_documents,
            "sentence_denominator": counts.sentence_denominator, "document_rule": counts.document_rule,
        }))
    if not parts or not k:
        return empty_prevalence()
    out = pd.concat(parts, ignore_index=True)
    out["q_value"] = benjamini_hochberg(out["p_value"].to_numpy())
    out["documents_q_value"] = benjamini_hochberg(out["documents_p_value"].to_numpy())
    return out[PREVALENCE_COLUMNS]


def empty_prevalence() -> pd.DataFrame:
    """A prevalence table without rows, with its columns."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in PREVALENCE_COLUMNS})
