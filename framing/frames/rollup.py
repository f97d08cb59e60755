"""Rolling sentence matches up to frames, documents and topics (shares per source: framing.compare).

Examples
--------
>>> tables = frame_rollups(sentence_frames, sentences, topics, catalog, cfg.frames)  # doctest: +SKIP
>>> tables.frames[["frame_id", "sentences", "documents", "sources"]]                 # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..config import FramesConfig
from .catalog import FrameCatalog
from .document import DOCUMENT_FRAME_COLUMNS, apply_document_decisions, document_frame_table
from .suggest import CANDIDATE_COLUMNS, find_candidates

FRAME_COLUMNS = ["frame_id", "label", "catalog", "parent", "description", "sentences", "documents", "sources",
                 "source_names", "evidence_ids", "counters"]
TOPIC_FRAME_COLUMNS = ["topic", "frame_id", "share", "matched_sentences", "mean_score", "expresses"]


@dataclass(frozen=True)
class FrameTables:
    """The frame results of a run (all pandas DataFrames).

    frames : one row per catalog frame: counts of matched sentences,
        matched documents (the document-level decision of ``document_frames``)
        and their sources, and ``evidence_ids`` (the passages behind the
        document decisions first, one per document first, strongest first;
        then other matched sentences).
    topic_frames : topic, frame_id, share of the topic's sentences matched,
        matched_sentences, mean_score, expresses (bool).
    document_frames : every document and frame: doc_id, frame_id, score,
        matched (the document-level decision), threshold, matched_sentences,
        share, max_score, evidence_id, evidence_ids and evidence_strengths
        (the passages behind a matched decision), sentences, method (see
        :mod:`framing.frames.document`).
    candidates : topics spread over several sources or languages that
        express no catalog frame (see :func:`framing.frames.suggest.find_candidates`).
    """

    frames: pd.DataFrame
    topic_frames: pd.DataFrame
    document_frames: pd.DataFrame
    candidates: pd.DataFrame


def _evidence(matched: pd.DataFrame, n: int) -> list[str]:
    """Best matched sentences, preferring distinct documents."""
    ranked = matched.sort_values(["score", "sentence_id"], ascending=[False, True])
    first = ranked.drop_duplicates("doc_id")
    rest = ranked[~ranked.index.isin(first.index)]
    return pd.concat([first, rest])["sentence_id"].head(n).tolist()


def _decision_evidence(d: pd.DataFrame | None) -> list[str]:
    """Passages behind the frame's document decisions: each document's strongest first, by strength."""
    if d is None or "evidence_ids" not in d or d.empty:
        return []
    rows = [(rank, -float(st), sid) for ids, strengths in zip(d["evidence_ids"], d["evidence_strengths"])
            for rank, (sid, st) in enumerate(zip(list(ids), list(strengths)))]
    return [sid for _, _, sid in sorted(rows)]


def _frames_table(joined: pd.DataFrame, docs: pd.DataFrame, catalog: FrameCatalog, n_evidence: int) -> pd.DataFrame:
    rows = []
    matched = joined[joined["matched"]]
    groups = dict(tuple(matched.groupby("frame_id", sort=False)))
    doc_hits = docs[docs["matched"].astype(bool)] if len(docs) else docs
    doc_groups = dict(tuple(doc_hits.groupby("frame_id", sort=False))) if len(doc_hits) else {}
    for frame in catalog.frames:
        g = groups.get(frame.id, matched.iloc[0:0])
        d = doc_groups.get(frame.id)
        in_docs = set(d["doc_id"]) if d is not None else set()
        in_frame_docs = g["doc_id"].isin(in_docs)
        # evidence of the document decisions first (the passages that made a document use the frame),
        # then other matched sentences of those documents, then stray ones: a stray sentence is weaker evidence
        # (a frame's quotes are sentences that match it: a document decided by several merely leaning
        # sentences lists them in document_frames, not here)
        own = set(g["sentence_id"])
        evidence = [e for e in _decision_evidence(d) if e in own][:n_evidence]
        evidence += [e for e in _evidence(g[in_frame_docs], n_evidence) if e not in evidence]
        evidence += [e for e in _evidence(g[~in_frame_docs], n_evidence) if e not in evidence]
        sources = joined.loc[joined["doc_id"].isin(in_docs), "source"].dropna().astype(str).unique().tolist()
        rows.append({
            "frame_id": frame.id, "label": frame.label, "catalog": frame.catalog, "parent": frame.parent,
            "description": frame.description, "sentences": int(g["sentence_id"].nunique()),
            "documents": len(in_docs), "sources": len(sources), "source_names": sorted(sources),
            "evidence_ids": evidence[:n_evidence], "counters": catalog.counters_of(frame.id),
        })
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def _topic_frames(joined: pd.DataFrame, cfg: FramesConfig) -> pd.DataFrame:
    if "topic" not in joined:
        return pd.DataFrame(columns=TOPIC_FRAME_COLUMNS)
    clustered = joined[joined["topic"].notna() & (joined["topic"] >= 0)]
    if clustered.empty:
        return pd.DataFrame(columns=TOPIC_FRAME_COLUMNS)
    agg = clustered.groupby(["topic", "frame_id"], sort=True).agg(
        n=("sentence_id", "size"), matched_sentences=("matched", "sum"), mean_score=("score", "mean")).reset_index()
    agg["share"] = agg["matched_sentences"] / agg["n"]
    agg["matched_sentences"] = agg["matched_sentences"].astype(int)
    agg["topic"] = agg["topic"].astype(int)
    agg["expresses"] = (agg["share"] >= cfg.topic_min_share) & (agg["matched_sentences"] >= cfg.topic_min_sentences)
    return agg[TOPIC_FRAME_COLUMNS].reset_index(drop=True)


def frame_rollups(sentence_frames: pd.DataFrame, sentences: pd.DataFrame, topics: pd.DataFrame | None,
                  catalog: FrameCatalog, cfg: FramesConfig, document_thresholds: dict[str, float] | None = None,
                  document_decisions: pd.DataFrame | None = None, seed: int = 42) -> FrameTables:
    """Frames per corpus, document and topic from the sentence matches.

    Shares per source (or any other group) are not computed here: they live
    in :mod:`framing.compare` (``compare_prevalence``), their one home.

    Parameters
    ----------
    sentence_frames : DataFrame
        sentence_id, frame_id, score, matched (from :meth:`FrameMatcher.transform`).
    sentences : DataFrame
        sentence_id, doc_id, source (and topic, lang, text when available).
    topics : DataFrame or None
        The topics table (topic, label, keywords, size, representative_ids,
        languages, sources); None or empty when topics were not modelled.
    catalog : FrameCatalog
    cfg : FramesConfig
        ``topic_min_share``, ``topic_min_sentences``, ``n_evidence``,
        ``suggest_min_sources``, ``document_top_k``.
    document_thresholds : dict of str to float, optional
        Per frame, the document score at which a document uses the frame
        (:meth:`FrameMatcher.document_thresholds`); 0.5 when not given.
    document_decisions : DataFrame, optional
        Decisions of a trained classifier (doc_id, frame_id, score, matched,
        threshold, method) that replace the anchor-based ones.
    seed : int
        Seeds the document mixture (``cfg.document_calibration``).

    Returns
    -------
    FrameTables
    """
    cols = [c for c in ("sentence_id", "doc_id", "source", "topic", "lang") if c in sentences]
    joined = sentence_frames.merge(sentences[cols], on="sentence_id", how="inner")
    joined["matched"] = joined["matched"].astype(bool)
    topic_frames = _topic_frames(joined, cfg)
    if topics is not None and len(topics) and "topic" in sentences:
        candidates = find_candidates(topics, sentences, topic_frames, cfg.suggest_min_sources)
    else:
        candidates = pd.DataFrame(columns=CANDIDATE_COLUMNS)
    docs = document_frame_table(joined, document_thresholds or {}, top_k=cfg.document_top_k,
                                calibration=cfg.document_calibration, seed=seed, rule=cfg.document_rule,
                                whole_sentence=cfg.whole_sentence_lean)
    docs = apply_document_decisions(docs, document_decisions)
    return FrameTables(frames=_frames_table(joined, docs, catalog, cfg.n_evidence), topic_frames=topic_frames,
                       document_frames=docs, candidates=candidates)


def topic_frame_labels(topic_frames: pd.DataFrame, catalog: FrameCatalog) -> dict[int, list[str]]:
    """Labels of the frames each topic expresses, by share (highest first).

    Examples
    --------
    >>> tf = pd.DataFrame({"topic": [0, 0, 1], "frame_id": ["economic", "morality", "economic"],
    ...                    "share": [0.2, 0.5, 0.05], "matched_sentences": [2, 5, 1], "expresses": [True, True, False]})
    >>> topic_frame_labels(tf, load_catalog("policy-frames"))   # doctest: +SKIP
    {0: ['Morality', 'Economic']}
    """
    out: dict[int, list[str]] = {}
    if topic_frames is None or topic_frames.empty:
        return out
    labels = {f.id: f.label for f in catalog.frames}
    rows = topic_frames[topic_frames["expresses"].astype(bool)].sort_values(["topic", "share"], ascending=[True, False])
    for topic, group in rows.groupby("topic", sort=True):
        out[int(topic)] = [labels.get(fid, fid) for fid in group["frame_id"]]
    return out
