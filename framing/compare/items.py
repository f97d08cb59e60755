"""Per-document counts of topics and frames: the input of every comparison.

For frames, a sentence is *counted* when it was scored (it is in
``sentence_frames``), and it *has* a frame when ``matched`` is true. A
document uses a frame when ``document_frames.matched`` says so (the frames
stage's document-level decision) or, in runs without that column, when any
of its sentences matched.

For topics, a sentence is counted when it was clustered into a topic
(``topic >= 0``; outliers and sentences too short to cluster are not), and a
document uses a topic when ``document_topics`` lists it with at least one
sentence or, without that table, when any of its sentences is in it.

Examples
--------
>>> s = pd.DataFrame({"sentence_id": ["s1", "s2", "s3"], "doc_id": ["d1", "d1", "d2"], "topic": [0, 1, -1]})
>>> c = topic_counts(s)
>>> c.doc_ids.tolist(), c.m.tolist(), c.y.tolist()
(['d1'], [2.0], [[1.0, 1.0]])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError

SCORED = "scored sentences (every sentence the frames stage scored)"
CLUSTERED = "clustered sentences (topic >= 0)"


@dataclass(frozen=True)
class ItemCounts:
    """Counts of one kind of item (topics or frames) per document.

    Attributes
    ----------
    kind : str
        ``"topic"`` or ``"frame"``.
    items : list of str
        Frame ids, or topic numbers as text.
    labels : list of str
        A readable label per item.
    doc_ids : ndarray of shape (n_documents,)
        Documents with at least one counted sentence.
    m : ndarray of shape (n_documents,)
        Counted sentences per document (the sentence-level denominator).
    y : ndarray of shape (n_documents, n_items)
        Sentences of the document with the item.
    used : ndarray of bool, shape (n_documents, n_items)
        The document-level decision: the document uses the item.
    document_rule : str
        How ``used`` was decided (which table or rule).
    sentence_denominator : str
        What ``m`` counts.
    counters : tuple of tuple of int, optional
        Per item, the indices of the items that counter it (the catalog's
        ``counters``, symmetric); None when the run does not say (topics, or
        a frames table without a ``counters`` column).
    """

    kind: str
    items: list
    labels: list
    doc_ids: np.ndarray
    m: np.ndarray
    y: np.ndarray
    used: np.ndarray
    document_rule: str
    sentence_denominator: str
    counters: tuple | None = None

    def subset(self, mask: np.ndarray) -> "ItemCounts":
        """The same counts for the documents where ``mask`` is true."""
        return ItemCounts(self.kind, self.items, self.labels, self.doc_ids[mask], self.m[mask], self.y[mask],
                          self.used[mask], self.document_rule, self.sentence_denominator, self.counters)


def _need(df: pd.DataFrame | None, name: str, cols: list[str]) -> None:
    if df is None:
        return
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError(f"The {name} table lacks the column(s) {', '.join(missing)} the comparison needs "
                         f"(it has: {', '.join(map(str, df.columns))}). Give the table `framing analyze` wrote.")


def _matrix(pairs: pd.DataFrame, doc_ids: np.ndarray, items: list, value: str | None = None) -> np.ndarray:
    """Dense (documents x items) counts from rows of (doc_id, item)."""
    out = np.zeros((len(doc_ids), len(items)), dtype=float)
    if pairs.empty or not len(items):
        return out
    row = pd.Index(doc_ids).get_indexer(pairs["doc_id"])
    col = pd.Index(items).get_indexer(pairs["item"])
    ok = (row >= 0) & (col >= 0)
    vals = np.ones(len(pairs)) if value is None else pairs[value].to_numpy(float)
    np.add.at(out, (row[ok], col[ok]), vals[ok])
    return out


def frame_counts(sentences: pd.DataFrame, sentence_frames: pd.DataFrame, frames: pd.DataFrame | None = None,
                 document_frames: pd.DataFrame | None = None) -> ItemCounts:
    """Frame counts per document from the run's frame tables.

    Parameters
    ----------
    sentences : DataFrame
        sentence_id, doc_id.
    sentence_frames : DataFrame
        sentence_id, frame_id, matched.
    frames : DataFrame, optional
        frame_id, label: every catalog frame becomes an item, also one no document uses;
        ``counters`` (list of frame ids per frame) gives :attr:`ItemCounts.counters`.
    document_frames : DataFrame, optional
        doc_id, frame_id and, from the frames stage, ``matched``.
    """
    _need(sentences, "sentences", ["sentence_id", "doc_id"])
    _need(sentence_frames, "sentence_frames", ["sentence_id", "frame_id", "matched"])
    doc_of = sentences.set_index("sentence_id")["doc_id"]
    sf = sentence_frames.assign(doc_id=sentence_frames["sentence_id"].map(doc_of)).dropna(subset=["doc_id"])
    if frames is not None and len(frames):
        items = [str(f) for f in frames["frame_id"]]
        labels = [str(x) for x in (frames["label"] if "label" in frames.columns else frames["frame_id"])]
    else:
        items = sorted(sf["frame_id"].astype(str).unique())
        labels = list(items)
    scored = sf.drop_duplicates("sentence_id")
    m_series = scored.groupby("doc_id").size()
    doc_ids = np.array(sorted(m_series.index), dtype=object)
    m = m_series.reindex(doc_ids).to_numpy(float)
    hits = sf[sf["matched"].astype(bool)].drop_duplicates(["sentence_id", "frame_id"])
    y = _matrix(hits.assign(item=hits["frame_id"].astype(str)), doc_ids, items)
    if document_frames is not None and "matched" in document_frames.columns:
        _need(document_frames, "document_frames", ["doc_id", "frame_id"])
        dm = document_frames[document_frames["matched"].astype(bool)]
        used = _matrix(dm.assign(item=dm["frame_id"].astype(str)), doc_ids, items) > 0
        rule = "document_frames.matched (the frames stage's document-level decision)"
    else:
        used = y > 0
        rule = "derived: at least one matched sentence (this run has no document_frames.matched)"
    return ItemCounts("frame", items, labels, doc_ids, m, y, used, rule, SCORED, _counters(frames, items))


TECHNIQUE_SCORED = "scored sentences (every sentence the techniques stage scored)"


def technique_counts(sentences: pd.DataFrame, sentence_techniques: pd.DataFrame,
                     techniques: pd.DataFrame | None = None,
                     document_techniques: pd.DataFrame | None = None) -> ItemCounts:
    """Technique counts per document from the run's technique tables (:mod:`framing.techniques.tables`).

    Counted like frames: a sentence is counted when the techniques stage scored it and has a technique when
    ``sentence_techniques.matched``; a document uses it when ``document_techniques.matched`` says so.

    >>> s = pd.DataFrame({"sentence_id": ["a", "b"], "doc_id": ["d1", "d1"]})
    >>> st = pd.DataFrame({"sentence_id": ["a", "b"], "technique_id": ["doubt", "doubt"], "matched": [True, False]})
    >>> c = technique_counts(s, st)
    >>> c.kind, c.items, c.y.tolist(), c.m.tolist()
    ('technique', ['doubt'], [[1.0]], [2.0])
    """
    _need(sentence_techniques, "sentence_techniques", ["sentence_id", "technique_id", "matched"])
    as_frames = {"technique_id": "frame_id"}
    t = techniques[["technique_id", "label"]].rename(columns=as_frames) if techniques is not None and len(
        techniques) else None
    d = document_techniques.rename(columns=as_frames) if document_techniques is not None else None
    c = frame_counts(sentences, sentence_techniques.rename(columns=as_frames), t, d)
    rule = ("document_techniques.matched (the techniques stage's document-level decision)" if d is not None
            and "matched" in d.columns else "derived: at least one matched sentence")
    return ItemCounts("technique", c.items, c.labels, c.doc_ids, c.m, c.y, c.used, rule, TECHNIQUE_SCORED)


def _counters(frames: pd.DataFrame | None, items: list) -> tuple | None:
    """Per item, the indices of its counter-frames (symmetric) from ``frames.counters``; None without that column."""
    if frames is None or "counters" not in frames.columns:
        return None
    pos = {item: j for j, item in enumerate(items)}
    pairs = set()
    for fid, values in zip(frames["frame_id"].astype(str), frames["counters"]):
        if values is None or (isinstance(values, float) and np.isnan(values)):
            continue
        for other in ([values] if isinstance(values, str) else list(values)):
            if fid in pos and str(other) in pos and str(other) != fid:
                pairs |= {(pos[fid], pos[str(other)]), (pos[str(other)], pos[fid])}
    return tuple(tuple(sorted(k for j, k in pairs if j == i)) for i in range(len(items)))


def topic_counts(sentences: pd.DataFrame, topics: pd.DataFrame | None = None,
                 document_topics: pd.DataFrame | None = None) -> ItemCounts:
    """Topic counts per document from the sentences' ``topic`` column.

    Parameters
    ----------
    sentences : DataFrame
        sentence_id, doc_id, topic (-1 = outlier or not clustered).
    topics : DataFrame, optional
        topic, label: every topic (>= 0) becomes an item.
    document_topics : DataFrame, optional
        doc_id, topic, sentences (from the topics stage).
    """
    _need(sentences, "sentences", ["doc_id", "topic"])
    topic = pd.to_numeric(sentences["topic"], errors="coerce").fillna(-1).astype(int)
    clustered = sentences.assign(topic=topic).loc[topic >= 0]
    if topics is not None and len(topics):
        t = topics.assign(topic=topics["topic"].astype(int))
        t = t[t["topic"] >= 0].sort_values("topic")
        ids = t["topic"].tolist()
        labels = [str(x) for x in (t["label"] if "label" in t.columns else t["topic"])]
    else:
        ids = sorted(clustered["topic"].unique().tolist())
        labels = [str(i) for i in ids]
    items = [str(i) for i in ids]
    m_series = clustered.groupby("doc_id").size()
    doc_ids = np.array(sorted(m_series.index), dtype=object)
    m = m_series.reindex(doc_ids).to_numpy(float)
    y = _matrix(clustered.assign(item=clustered["topic"].astype(str)), doc_ids, items)
    if document_topics is not None and len(document_topics):
        _need(document_topics, "document_topics", ["doc_id", "topic"])
        dt = document_topics
        if "sentences" in dt.columns:
            dt = dt[dt["sentences"].fillna(0) > 0]
        used = _matrix(dt.assign(item=dt["topic"].astype(int).astype(str)), doc_ids, items) > 0
        rule = "document_topics (the document has at least one sentence in the topic)"
    else:
        used = y > 0
        rule = "derived: at least one sentence of the document is in the topic"
    return ItemCounts("topic", items, labels, doc_ids, m, y, used, rule, CLUSTERED)
