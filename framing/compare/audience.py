"""Outlet against audience: an article's frames against its comments' frames.

On every page that has both an outlet voice (its ``article`` or ``post``
units) and comments, each frame (and topic) is compared between the two.
A document *uses* an item by the run's document-level decision
(``document_frames.matched``, ``document_topics``). For an item the outlet uses:

- ``contest``: at least one comment uses a frame that *counters* it (the
  catalog's ``counters``: a frame and its rebuttal, see
  :mod:`framing.frames.catalog`): the audience answers the outlet's frame
  with its opposite;
- ``amplify``: otherwise, at least one comment uses the item itself;
- ``ignore``: no comment uses the item or a counter of it.

And ``introduce``: comments use an item the outlet does not.

Contest is measurable only for an item with at least one counter-frame
(``contest_measurable``); topics have none, nor do frames of a catalog
without ``counters``. For those items a comment that takes the frame up to
reject it in the frame's own terms counts under ``amplify`` (frame matches do
not give stance), and ``contested_pages`` / ``contest_share_of_comments``
are missing (NaN), not zero.

Per group (the page's ``by`` value, its source by default) the table adds
the outlet's and the audience's share of sentences, pooled over pages, with
95% intervals from a seeded bootstrap over pages, and their difference
(audience minus outlet) with a paired bootstrap interval, the pages of each
response, and, where contest is measurable, ``contest_share_of_comments``:
of the comments on the group's pages whose outlet uses the item, the share
that use a counter-frame of it (same bootstrap over pages).

Examples
--------
>>> docs = pd.DataFrame({"doc_id": ["a", "c1", "c2"], "page_id": ["p"] * 3, "role": ["article", "comment", "comment"]})
>>> s = pd.DataFrame({"sentence_id": list("xyz"), "doc_id": ["a", "c1", "c2"], "topic": [0, 0, 1]})
>>> t = audience_table(topic_counts(s), docs, pd.Series({"a": "rt", "c1": "rt", "c2": "rt"}), "source", n_boot=50)
>>> t.query("level == 'page'")[["item", "response", "outlet_share_of_sentences", "audience_share_of_sentences"]].values.tolist()
[['0', 'amplify', 1.0, 0.5], ['1', 'introduce', 0.0, 0.5]]
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .counts import UNKNOWN
from .items import ItemCounts, topic_counts  # noqa: F401  (topic_counts: doctest)
from ..stats import bootstrap_sums, seeded_rng

OUTLET_ROLES = ("article", "post")
AUDIENCE_COLUMNS = [
    "by", "level", "group", "page_id", "kind", "item", "label", "pages", "outlet_sentences",
    "outlet_share_of_sentences", "outlet_ci_low", "outlet_ci_high", "audience_comments", "audience_sentences",
    "audience_share_of_sentences", "audience_ci_low", "audience_ci_high", "audience_share_of_comments",
    "difference", "ci_low", "ci_high", "response", "amplified_pages", "ignored_pages", "introduced_pages",
    "contest_measurable", "audience_countering_comments", "contested_pages", "contest_share_of_comments",
    "contest_ci_low", "contest_ci_high", "few_documents",
]


def empty_audience() -> pd.DataFrame:
    """An audience table without rows, with its columns."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in AUDIENCE_COLUMNS})


def thread_pages(documents: pd.DataFrame) -> pd.Series:
    """The page of each document's thread: the ``page_id`` of the unit at the top of its ``parent_id`` chain.

    A comment given as its own record (JSONL, CSV) with ``parent`` naming the article gets a
    page of its own at ingest; here it joins its article's page, so that outlet and audience
    meet. Units split from one page keep that page (their chain ends on it).

    >>> d = pd.DataFrame({"doc_id": ["a", "c", "r"], "page_id": ["p1", "p2", "p3"], "parent_id": [None, "a", "c"]})
    >>> thread_pages(d).tolist()
    ['p1', 'p1', 'p1']
    """
    ids = documents["doc_id"].astype(str).tolist()
    page = dict(zip(ids, documents["page_id"].astype(str)))
    parent = {}
    if "parent_id" in documents.columns:
        parent = {d: str(p) for d, p in zip(ids, documents["parent_id"]) if isinstance(p, str) and p and str(p) in page}
    root: dict[str, str] = {}
    for d in ids:
        seen, cur = [], d
        while cur in parent and cur not in root and cur not in seen:  # a cycle stops where it closes
            seen.append(cur)
            cur = parent[cur]
        top = root.get(cur, cur)
        for s in [*seen, d]:
            root[s] = top
    return pd.Series([page[root[d]] for d in ids], index=ids, dtype=object)


def _page_sums(counts: ItemCounts, documents: pd.DataFrame):
    """Per page: outlet and audience sentence counts, item counts and comments using each item."""
    documents = documents.assign(page_id=thread_pages(documents).to_numpy())
    docs = documents.set_index(documents["doc_id"].astype(str))
    page = docs["page_id"].reindex(counts.doc_ids).to_numpy(object)
    role = docs["role"].reindex(counts.doc_ids).astype(str).to_numpy(object)
    outlet, audience = np.isin(role, OUTLET_ROLES), role == "comment"
    pages = sorted(set(page[outlet]) & set(page[audience]))
    index = pd.Index(pages)
    pos = index.get_indexer(page)

    def sums(mask, values):
        out = np.zeros((len(pages),) + values.shape[1:])
        ok = mask & (pos >= 0)
        np.add.at(out, pos[ok], values[ok])
        return out

    return pages, {
        "om": sums(outlet, counts.m), "oy": sums(outlet, counts.y), "ou": sums(outlet, counts.used.astype(float)) > 0,
        "am": sums(audience, counts.m), "ay": sums(audience, counts.y), "au": sums(audience, counts.used.astype(float)),
        "ac": sums(audience, np.ones(len(counts.m))), "ak": sums(audience, countering(counts).astype(float)),
    }


def counter_matrix(counts: ItemCounts) -> np.ndarray:
    """(items x items) bool: ``[i, j]`` when item j counters item i (none without a declared relation)."""
    k = len(counts.items)
    out = np.zeros((k, k), dtype=bool)
    for i, others in enumerate(counts.counters or ()):
        out[i, list(others)] = True
    return out


def contest_measurable(counts: ItemCounts) -> np.ndarray:
    """Per item: whether it has at least one counter-frame (so ``contest`` can be told from ``amplify``)."""
    return counter_matrix(counts).any(axis=1)


def countering(counts: ItemCounts) -> np.ndarray:
    """(documents x items) bool: the document uses a frame that counters the item."""
    return (counts.used.astype(float) @ counter_matrix(counts).T.astype(float)) > 0


def _page_rows(counts, pages, s, page_group, by, min_documents) -> pd.DataFrame:
    k = len(counts.items)
    n = len(pages)
    measurable = contest_measurable(counts)
    resp = page_responses(s["ou"], s["au"], s["ak"])
    pi, ii = np.nonzero(resp != None)  # noqa: E711  (element-wise)
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.DataFrame({
            "by": by, "level": "page", "group": [page_group[pages[i]] for i in pi], "page_id": [pages[i] for i in pi],
            "kind": counts.kind, "item": [counts.items[j] for j in ii], "label": [counts.labels[j] for j in ii],
            "pages": 1, "outlet_sentences": s["om"][pi].astype("int64"),
            "outlet_share_of_sentences": s["oy"][pi, ii] / s["om"][pi],
            "audience_comments": s["ac"][pi].astype("int64"), "audience_sentences": s["am"][pi].astype("int64"),
            "audience_share_of_sentences": s["ay"][pi, ii] / s["am"][pi],
            "audience_share_of_comments": s["au"][pi, ii] / s["ac"][pi],
            "response": resp[pi, ii], "contest_measurable": measurable[ii],
            "audience_countering_comments": np.where(measurable[ii], s["ak"][pi, ii], np.nan),
            "few_documents": 1 < min_documents,
        })


def page_responses(outlet_uses: np.ndarray, audience_using: np.ndarray, audience_countering: np.ndarray) -> np.ndarray:
    """(pages x items) ``contest`` / ``amplify`` / ``ignore`` / ``introduce`` / None, from per-page uses.

    ``outlet_uses``: bool; ``audience_using`` and ``audience_countering``: comments that use
    the item, and that use a counter-frame of it.

    >>> page_responses(np.array([[True, True, True, False]]), np.array([[1, 1, 0, 2]]), np.array([[1, 0, 0, 0]]))
    array([['contest', 'amplify', 'ignore', 'introduce']], dtype=object)
    """
    resp = np.full(outlet_uses.shape, None, dtype=object)
    resp[outlet_uses & (audience_using > 0)] = "amplify"
    resp[outlet_uses & (audience_using == 0)] = "ignore"
    resp[outlet_uses & (audience_countering > 0)] = "contest"
    resp[~outlet_uses & (audience_using > 0)] = "introduce"
    return resp


def _group_rows(counts, s, sel, g, by, seed, n_boot, min_documents) -> pd.DataFrame:
    om, oy, am, ay = s["om"][sel], s["oy"][sel], s["am"][sel], s["ay"][sel]
    n = len(om)
    ou, au, ak = s["ou"][sel], s["au"][sel] > 0, s["ak"][sel] > 0
    # contest rate: comments countering the item / comments, on the pages whose outlet uses it
    kc, kn = s["ak"][sel] * ou, s["ac"][sel][:, None] * ou
    rng = seeded_rng(seed, "audience", by, g, counts.kind)
    # the same pages on both sides: paired
    oy_b, om_b, ay_b, am_b, kc_b, kn_b = bootstrap_sums(oy, om, ay, am, kc, kn, n_boot=n_boot, rng=rng)
    with np.errstate(invalid="ignore", divide="ignore"):
        o_b = oy_b / om_b[:, None]
        a_b = ay_b / am_b[:, None]
        o, a = oy.sum(0) / om.sum(), ay.sum(0) / am.sum()
    def q(arr, x):  # one page gives no interval (nothing to resample); an item never resampled is NaN
        if n < 2:
            return np.full(arr.shape[1], np.nan)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanquantile(arr, x, axis=0)

    measurable = contest_measurable(counts)
    with np.errstate(invalid="ignore", divide="ignore"):
        k_b = kc_b / kn_b
        k = kc.sum(0) / kn.sum(0)
    nan = np.full(len(counts.items), np.nan)
    contested = (ou & ak).sum(0)
    return pd.DataFrame({
        "by": by, "level": "group", "group": g, "page_id": None, "kind": counts.kind, "item": counts.items,
        "label": counts.labels, "pages": n, "outlet_sentences": int(om.sum()), "outlet_share_of_sentences": o,
        "outlet_ci_low": q(o_b, 0.025), "outlet_ci_high": q(o_b, 0.975),
        "audience_comments": int(s["ac"][sel].sum()), "audience_sentences": int(am.sum()),
        "audience_share_of_sentences": a, "audience_ci_low": q(a_b, 0.025), "audience_ci_high": q(a_b, 0.975),
        "audience_share_of_comments": s["au"][sel].sum(0) / s["ac"][sel].sum(),
        "difference": a - o, "ci_low": q(a_b - o_b, 0.025), "ci_high": q(a_b - o_b, 0.975),
        "amplified_pages": (ou & au & ~ak).sum(0), "ignored_pages": (ou & ~au & ~ak).sum(0),
        "introduced_pages": (~ou & au).sum(0), "contest_measurable": measurable,
        "contested_pages": np.where(measurable, contested, np.nan),
        "contest_share_of_comments": np.where(measurable, k, np.nan),
        "contest_ci_low": np.where(measurable, q(k_b, 0.025), nan),
        "contest_ci_high": np.where(measurable, q(k_b, 0.975), nan),
        "few_documents": n < min_documents,
    })


def audience_table(counts: ItemCounts, documents: pd.DataFrame, groups: pd.Series, by: str, seed: int = 42,
                   n_boot: int = 1000, min_documents: int = 5) -> pd.DataFrame:
    """Outlet against audience per page and per group, for one kind of item.

    Parameters
    ----------
    counts : ItemCounts
    documents : DataFrame
        doc_id, page_id, role (and parent_id: a comment joins the page of its thread's top unit,
        see :func:`thread_pages`).
    groups : Series of str indexed by doc_id
        A page's group is the group of its outlet unit(s).
    by : str
    seed, n_boot, min_documents : int
        Bootstrap over pages; groups with fewer pages are flagged.

    Returns
    -------
    DataFrame with :data:`AUDIENCE_COLUMNS`: ``level`` ``page`` rows (one per page x item that
    the outlet or its comments use, with ``response``) and ``level`` ``group`` rows (every item).
    Empty when no page has both an outlet unit and comments.
    """
    if not {"page_id", "role"} <= set(documents.columns) or not counts.items:
        return empty_audience()
    pages, s = _page_sums(counts, documents)
    if not pages:
        return empty_audience()
    documents = documents.assign(page_id=thread_pages(documents).to_numpy())
    docs = documents[documents["role"].isin(OUTLET_ROLES)]
    page_group = dict(zip(docs["page_id"], docs["doc_id"].astype(str).map(groups).fillna(UNKNOWN)))
    parts = [_page_rows(counts, pages, s, page_group, by, min_documents)]
    groups_of_pages = np.array([page_group[p] for p in pages], dtype=object)
    for g in sorted(set(groups_of_pages)):
        parts.append(_group_rows(counts, s, groups_of_pages == g, g, by, seed, n_boot, min_documents))
    out = pd.concat([p for p in parts if len(p)], ignore_index=True).reindex(columns=AUDIENCE_COLUMNS)
    out["few_documents"] = out["few_documents"].astype(bool)
    out["contest_measurable"] = out["contest_measurable"].astype(bool)
    return out
