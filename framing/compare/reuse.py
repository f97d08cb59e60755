"""Reprints and copied passages: exact and near-duplicate documents and sentences across a corpus.

Newsrooms reprint each other (a group's regional papers run the same
piece), and propaganda networks copy and paste. Counting a reprinted
passage once per outlet that printed it inflates a frame's prevalence, shows
the same sentence twice as evidence, and hides who wrote it first. This
module finds them:

- **passages**: sentences of at least ``reuse_min_words`` words, normalised
  (Unicode NFKC, lower case, punctuation and spacing folded), grouped when
  their word 3-gram sets have a Jaccard similarity of at least
  ``reuse_threshold`` (MinHash signatures with locality-sensitive hashing,
  Broder 1997 and Leskovec, Rajaraman and Ullman, *Mining of Massive
  Datasets*, ch. 3, through the ``datasketch`` library; an identical
  normalised text is always a match);
- **documents**: the same on word 5-grams of the whole text.

Only groups spanning two documents or more are kept. In each group the
*first* is the earliest dated document (undated ones after dated ones, then
the corpus order); the others are its *reprints*. The ``reuse`` table has one
row per member; ``reuse_sources`` counts, per pair of sources, what the
second reprinted of the first (a copy-paste network's edges).

By default (``compare.reprints: once``) the comparisons count a reprinted
passage once, in the document where it first appeared: a reprint's
sentences are left out of every prevalence, trend and first-use count, and
of the report's evidence. ``compare.reprints: raw`` counts every copy.

Examples
--------
>>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "source": ["x", "y", "z"],
...                      "date": ["2020-01-01", "2020-01-03", None], "text": ["", "", ""]})
>>> s = "The convoy left the base before dawn and crossed into Iraq at noon."
>>> sents = pd.DataFrame({"sentence_id": ["a1", "b1", "c1"], "doc_id": ["a", "b", "c"],
...                       "text": [s, s.replace("noon", "noon!"), "Nothing alike in this one sentence here at all."]})
>>> reuse = find_reuse(docs, sents)
>>> reuse[["kind", "doc_id", "is_first", "first_source"]].values.tolist()
[['passage', 'a', True, 'x'], ['passage', 'b', False, 'x']]
"""

from __future__ import annotations

import re
import unicodedata
import zlib

import numpy as np
import pandas as pd

REUSE_COLUMNS = ["reuse_id", "kind", "doc_id", "sentence_id", "source", "date", "is_first", "first_doc_id",
                 "first_source", "first_date", "similarity", "n_documents", "n_sources", "text"]
SOURCES_COLUMNS = ["first_source", "source", "passages", "documents"]
NUM_PERM = 128
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> list[str]:
    """The words of a text as compared: NFKC, lower case, punctuation dropped.

    >>> normalise("The U.S. base—at al-Tanf!")
    ['the', 'u', 's', 'base', 'at', 'al', 'tanf']
    """
    return _WORD.findall(unicodedata.normalize("NFKC", str(text)).casefold())


def _shingles(words: list[str], k: int) -> set[bytes]:
    if len(words) < k:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i:i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


def _groups(keys: list, words: list[list[str]], k: int, threshold: float, owners: list) -> list[list[int]]:
    """Groups (indices into ``keys``) of texts whose k-shingles reach ``threshold`` Jaccard, across owners."""
    from datasketch import MinHash, MinHashLSH

    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    exact: dict[str, int] = {}
    for i, w in enumerate(words):
        first = exact.setdefault(" ".join(w), i)
        if first != i:
            union(first, i)
    if threshold < 1.0:
        shingles = [_shingles(w, k) for w in words]
        # seeded and hashed with CRC-32 (not Python's salted hash): the same signatures in every process
        mhs = MinHash.bulk(shingles, num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32)
        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        for i, mh in enumerate(mhs):
            if exact[" ".join(words[i])] != i:
                continue  # an identical text is already joined to its first copy
            for j in lsh.query(mh):
                if owners[j] != owners[i] and mh.jaccard(mhs[j]) >= threshold:
                    union(i, j)
            lsh.insert(i, mh)
    members: dict[int, list[int]] = {}
    for i in range(len(keys)):
        members.setdefault(find(i), []).append(i)
    return [g for g in members.values() if len({owners[i] for i in g}) > 1]


def _order(docs: pd.DataFrame) -> pd.Series:
    """Rank of each document in time: dated first by date, then undated, ties in corpus order."""
    date = pd.to_datetime(docs["date"], errors="coerce", utc=True) if "date" in docs else pd.Series(pd.NaT, index=docs.index)
    frame = pd.DataFrame({"doc_id": docs["doc_id"].to_numpy(), "undated": date.isna().to_numpy(),
                          "date": date.to_numpy(), "pos": np.arange(len(docs))})
    frame = frame.sort_values(["undated", "date", "pos"], kind="stable")
    return pd.Series(np.arange(len(frame)), index=frame["doc_id"].to_numpy())


def _rows(kind: str, groups: list[list[int]], items: pd.DataFrame, rank: pd.Series, docs: pd.DataFrame,
          start: int) -> list[dict]:
    info = docs.set_index("doc_id")
    rows = []
    for n, group in enumerate(sorted(groups, key=lambda g: min(rank[items.doc_id.iloc[i]] for i in g))):
        part = items.iloc[group].assign(rank=[rank[d] for d in items.doc_id.iloc[group]])
        part = part.sort_values(["rank", "pos"], kind="stable")
        first = part.iloc[0]
        first_words = set(_shingles(first.words, 3))
        n_docs, n_sources = part.doc_id.nunique(), info.loc[part.doc_id.unique(), "source"].astype(str).nunique()
        for r in part.itertuples():
            other = set(_shingles(r.words, 3))
            sim = len(first_words & other) / max(1, len(first_words | other))
            rows.append({"reuse_id": f"{kind[0]}{start + n}", "kind": kind, "doc_id": r.doc_id,
                         "sentence_id": getattr(r, "sentence_id", None), "source": info.at[r.doc_id, "source"],
                         "date": info.at[r.doc_id, "date"] if "date" in info else None,
                         "is_first": r.doc_id == first.doc_id,  # a repeat inside the first document copies nothing
                         "first_doc_id": first.doc_id, "first_source": info.at[first.doc_id, "source"],
                         "first_date": info.at[first.doc_id, "date"] if "date" in info else None,
                         "similarity": round(sim, 4), "n_documents": n_docs, "n_sources": n_sources,
                         "text": str(r.text)[:500]})
    return rows


def find_reuse(documents: pd.DataFrame, sentences: pd.DataFrame, min_words: int = 8, threshold: float = 0.8,
               document_min_words: int = 50) -> pd.DataFrame:
    """The ``reuse`` table: every member of a group of copied passages or documents.

    Parameters
    ----------
    documents : DataFrame with doc_id, source, date, text
    sentences : DataFrame with sentence_id, doc_id, text (and is_fragment, skipped when true)
    min_words : int
        Sentences with fewer words are never counted as reuse (short sentences repeat by chance).
    threshold : float
        Jaccard similarity of word shingles from which two texts are copies (1.0: identical only).
    document_min_words : int
        Documents with fewer words are compared only through their sentences.

    Returns
    -------
    DataFrame with the columns of ``REUSE_COLUMNS``, one row per member, groups in order of first appearance.
    """
    rank = _order(documents)
    keep = sentences
    if "is_fragment" in keep.columns:
        keep = keep[~keep.is_fragment.fillna(False).astype(bool)]
    words = [normalise(t) for t in keep.text.astype(str)]
    mask = np.array([len(w) >= min_words for w in words], dtype=bool)
    passages = keep[mask].assign(words=[w for w, m in zip(words, mask) if m]).reset_index(drop=True)
    passages["pos"] = np.arange(len(passages))
    groups = _groups(list(passages.sentence_id), list(passages.words), 3, threshold, list(passages.doc_id))
    rows = _rows("passage", groups, passages, rank, documents, 1)
    dwords = [normalise(t) for t in documents.text.astype(str)] if "text" in documents else []
    if dwords:
        dmask = np.array([len(w) >= document_min_words for w in dwords], dtype=bool)
        whole = documents[dmask].assign(words=[w for w, m in zip(dwords, dmask) if m]).reset_index(drop=True)
        whole["pos"] = np.arange(len(whole))
        whole["text"] = whole["title"].fillna("").astype(str) if "title" in whole else whole["text"]
        dgroups = _groups(list(whole.doc_id), list(whole.words), 5, threshold, list(whole.doc_id))
        rows += _rows("document", dgroups, whole, rank, documents, 1)
    out = pd.DataFrame(rows, columns=REUSE_COLUMNS)
    return out.astype({"is_first": bool, "n_documents": int, "n_sources": int})


def reuse_sources(reuse: pd.DataFrame) -> pd.DataFrame:
    """Per (first source, reprinting source): passages and documents the second copied from the first.

    >>> r = pd.DataFrame({"kind": ["passage", "passage", "document", "document"], "reuse_id": ["p1", "p1", "d1", "d1"],
    ...                   "is_first": [True, False, True, False], "first_source": ["x"] * 4, "source": ["x", "y", "x", "y"]})
    >>> reuse_sources(r).values.tolist()
    [['x', 'y', 1, 1]]
    """
    copies = reuse[~reuse.is_first.astype(bool)]
    if not len(copies):
        return pd.DataFrame(columns=SOURCES_COLUMNS)
    counts = (copies.groupby(["first_source", "source", "kind"]).reuse_id.nunique().unstack("kind", fill_value=0)
              .reindex(columns=["passage", "document"], fill_value=0).reset_index())
    counts = counts.rename(columns={"passage": "passages", "document": "documents"})
    counts.columns.name = None
    return counts.sort_values(["passages", "documents", "first_source", "source"],
                              ascending=[False, False, True, True])[SOURCES_COLUMNS].reset_index(drop=True)


def reprint_sentences(reuse: pd.DataFrame | None, sentences: pd.DataFrame) -> pd.Series:
    """Boolean per sentence (index aligned with ``sentences``): a copy of a passage first seen elsewhere.

    A sentence of a reprinted *document* counts as a copy too, unless it is the document's own
    (it does not stand in the first document).
    """
    if reuse is None or not len(reuse):
        return pd.Series(False, index=sentences.index)
    copies = reuse[~reuse.is_first.astype(bool)]
    ids = set(copies[copies.kind == "passage"].sentence_id.dropna())
    flagged = sentences.sentence_id.isin(ids)
    docs = copies[copies.kind == "document"]
    if len(docs):
        first_of = dict(zip(docs.doc_id, docs.first_doc_id))
        originals = {}
        for first in set(first_of.values()):
            originals[first] = {" ".join(normalise(t)) for t in sentences.text[sentences.doc_id == first]}
        in_original = np.array([bool(d in first_of and " ".join(normalise(t)) in originals[first_of[d]])
                                for d, t in zip(sentences.doc_id, sentences.text)], dtype=bool)
        flagged = flagged | pd.Series(in_original, index=sentences.index)
    return flagged
