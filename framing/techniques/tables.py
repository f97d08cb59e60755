"""The technique tables of a run, from a scorer's decisions: sentences, spans, documents, techniques.

Pure functions over plain data. Keys and columns (one home per number):

``sentence_techniques`` (one row per scored sentence and technique)
    sentence_id, technique_id, score (the scorer's score: a probability for
    the trained model, a strength for the catalog), threshold (NaN where the
    threshold differs per language), matched (the sentence uses the
    technique: its score passes, or one of its spans was found), spans
    (spans of the technique in the sentence), method (``trained`` or ``catalog``).
``technique_spans`` (one row per located span)
    span_id, doc_id, sentence_id, technique_id, start, end (character offsets
    into the document's text: ``documents.text[start:end] == text``), text,
    score, method (``tagger``: the trained token tagger; ``keyword``: a cue
    word of the catalog; ``sentence``: the technique was decided for the
    whole sentence and no shorter span was found).
``document_techniques`` (one row per document and technique)
    doc_id, technique_id, score (best sentence score), matched (at least one
    matched sentence: the evidence; for a trained model also a best sentence
    score at the document threshold it learned), matched_sentences, spans, sentences
    (scored), share (matched_sentences / sentences), evidence_ids (the
    strongest matched sentences, at most three), evidence_span_ids.
``techniques`` (one row per catalog technique)
    technique_id, label, catalog, span (word / clause / document),
    description, sentences, spans, documents, sources, source_names,
    evidence_ids, method.

Shares per source, role, bias or month are not computed here: they live in
:mod:`framing.compare` (``compare_prevalence`` rows with ``kind == "technique"``).

Examples
--------
>>> import numpy as np, pandas as pd
>>> s = pd.DataFrame({"sentence_id": ["a", "b"], "doc_id": ["d", "d"], "start": [0, 10], "end": [9, 20],
...                   "text": ["Evil men.", "They left."]})
>>> dec = Decisions(["loaded-language"], np.array([[.9], [.1]]), np.array([[True], [False]]), np.array([.5]),
...                 pd.DataFrame({"row": [0], "technique_id": ["loaded-language"], "start": [0], "end": [4],
...                               "score": [.8], "method": ["tagger"]}), "trained")
>>> t = technique_tables(dec, s)
>>> t.technique_spans[["sentence_id", "text", "start", "end"]].values.tolist()
[['a', 'Evil', 0, 4]]
>>> t.document_techniques[["doc_id", "matched", "matched_sentences", "spans"]].values.tolist()
[['d', True, 1, 1]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..corpus.model import stable_id

SENTENCE_TECHNIQUE_COLUMNS = ["sentence_id", "technique_id", "score", "threshold", "matched", "spans", "method"]
TECHNIQUE_SPAN_COLUMNS = ["span_id", "doc_id", "sentence_id", "technique_id", "start", "end", "text", "score",
                          "method"]
DOCUMENT_TECHNIQUE_COLUMNS = ["doc_id", "technique_id", "score", "matched", "matched_sentences", "spans",
                              "sentences", "share", "evidence_ids", "evidence_span_ids"]
TECHNIQUE_COLUMNS = ["technique_id", "label", "catalog", "span", "description", "sentences", "spans", "documents",
                     "sources", "source_names", "evidence_ids", "method"]
SPAN_DECISION_COLUMNS = ["row", "technique_id", "start", "end", "score", "method"]
N_EVIDENCE = 3


@dataclass(frozen=True)
class Decisions:
    """What a scorer decided for the sentences it was given (rows aligned with them).

    technique_ids : list of str
    scores : ndarray of shape (n_sentences, n_techniques)
    matched : ndarray of bool, shape (n_sentences, n_techniques)
        The sentence-level decision before spans are counted.
    thresholds : ndarray of shape (n_techniques,)
        NaN where a technique's threshold differs per language.
    spans : DataFrame with SPAN_DECISION_COLUMNS
        ``row`` is the sentence's position; start and end are offsets into the document.
    method : str
    document_thresholds : ndarray of shape (n_techniques,), optional
        The best sentence score a document needs to use a technique (besides one matched sentence).
    """

    technique_ids: list
    scores: np.ndarray
    matched: np.ndarray
    thresholds: np.ndarray
    spans: pd.DataFrame
    method: str
    document_thresholds: np.ndarray | None = None


@dataclass(frozen=True)
class TechniqueTables:
    """The four technique tables of a run (see the module docstring)."""

    sentence_techniques: pd.DataFrame
    technique_spans: pd.DataFrame
    document_techniques: pd.DataFrame
    techniques: pd.DataFrame

    def as_dict(self) -> dict[str, pd.DataFrame]:
        return {"sentence_techniques": self.sentence_techniques, "technique_spans": self.technique_spans,
                "document_techniques": self.document_techniques, "techniques": self.techniques}


def _span_table(dec: Decisions, sentences: pd.DataFrame) -> pd.DataFrame:
    sp = dec.spans
    if sp is None or not len(sp):
        return pd.DataFrame(columns=TECHNIQUE_SPAN_COLUMNS)
    rows = sp["row"].to_numpy(dtype=int)
    sid = sentences["sentence_id"].to_numpy()[rows]
    doc = sentences["doc_id"].astype(str).to_numpy()[rows]
    s_start = sentences["start"].to_numpy(dtype=int)[rows]
    texts = [str(t)[a - o:b - o] for t, a, b, o in zip(sentences["text"].to_numpy()[rows], sp["start"], sp["end"],
                                                     s_start)]
    out = pd.DataFrame({
        "span_id": [stable_id(d, t, a, b) for d, t, a, b in zip(doc, sp["technique_id"], sp["start"], sp["end"])],
        "doc_id": doc, "sentence_id": sid, "technique_id": sp["technique_id"].astype(str).to_numpy(),
        "start": sp["start"].to_numpy(dtype=np.int64), "end": sp["end"].to_numpy(dtype=np.int64), "text": texts,
        "score": sp["score"].to_numpy(dtype=np.float32), "method": sp["method"].astype(str).to_numpy(),
    }, columns=TECHNIQUE_SPAN_COLUMNS)
    return out.drop_duplicates("span_id").sort_values(["doc_id", "start", "technique_id"]).reset_index(drop=True)


def _sentence_table(dec: Decisions, sentences: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    n, k = dec.scores.shape
    ids = sentences["sentence_id"].to_numpy()
    counts = np.zeros((n, k), dtype=np.int64)
    if len(spans):
        pos = pd.Index(ids).get_indexer(spans["sentence_id"])
        col = pd.Index(dec.technique_ids).get_indexer(spans["technique_id"])
        ok = (pos >= 0) & (col >= 0)
        np.add.at(counts, (pos[ok], col[ok]), 1)
    matched = np.asarray(dec.matched, bool) | (counts > 0)
    return pd.DataFrame({
        "sentence_id": np.repeat(ids, k), "technique_id": np.tile(np.asarray(dec.technique_ids, dtype=object), n),
        "score": np.asarray(dec.scores, dtype=np.float32).reshape(-1),
        "threshold": np.tile(np.asarray(dec.thresholds, dtype=np.float32), n),
        "matched": matched.reshape(-1), "spans": counts.reshape(-1), "method": dec.method,
    }, columns=SENTENCE_TECHNIQUE_COLUMNS)


def document_technique_table(sentence_techniques: pd.DataFrame, sentences: pd.DataFrame,
                             spans: pd.DataFrame, thresholds: dict | None = None) -> pd.DataFrame:
    """Roll sentence decisions and spans up to documents (see the module docstring).

    ``thresholds`` (technique id -> score): a document also needs its best sentence score to reach it.
    """
    if not len(sentence_techniques):
        return pd.DataFrame(columns=DOCUMENT_TECHNIQUE_COLUMNS)
    doc_of = sentences.set_index("sentence_id")["doc_id"].astype(str)
    st = sentence_techniques.assign(doc_id=sentence_techniques["sentence_id"].map(doc_of),
                                    matched=sentence_techniques["matched"].astype(bool))
    grouped = st.groupby(["doc_id", "technique_id"], sort=True)
    agg = grouped.agg(score=("score", "max"), matched_sentences=("matched", "sum"),
                      sentences=("sentence_id", "nunique"), spans=("spans", "sum")).reset_index()
    hits = st[st["matched"]].sort_values(["score", "sentence_id"], ascending=[False, True])
    ev = hits.groupby(["doc_id", "technique_id"], sort=False)["sentence_id"].agg(lambda v: list(v)[:N_EVIDENCE])
    if len(spans):
        ranked = spans.sort_values(["score", "span_id"], ascending=[False, True])
        sev = ranked.groupby(["doc_id", "technique_id"], sort=False)["span_id"].agg(lambda v: list(v)[:N_EVIDENCE])
    else:
        sev = pd.Series(dtype=object)
    keys = list(zip(agg["doc_id"], agg["technique_id"]))
    agg["evidence_ids"] = [list(ev.get(k, [])) for k in keys]
    agg["evidence_span_ids"] = [list(sev.get(k, [])) for k in keys]
    agg["matched_sentences"] = agg["matched_sentences"].astype(int)
    agg["spans"] = agg["spans"].astype(int)
    agg["matched"] = agg["matched_sentences"] > 0
    if thresholds:
        agg["matched"] &= agg["score"].to_numpy() >= agg["technique_id"].map(thresholds).fillna(-np.inf).to_numpy()
    agg["share"] = agg["matched_sentences"] / agg["sentences"]
    return agg[DOCUMENT_TECHNIQUE_COLUMNS].reset_index(drop=True)


def _techniques_table(catalog, st: pd.DataFrame, spans: pd.DataFrame, docs: pd.DataFrame,
                      sentences: pd.DataFrame, method: str) -> pd.DataFrame:
    doc_source = (sentences.drop_duplicates("doc_id").set_index("doc_id")["source"]
                  if "source" in sentences else None)
    rows = []
    for tid in catalog.ids:
        hit = st[(st["technique_id"] == tid) & st["matched"].astype(bool)]
        d = docs[(docs["technique_id"] == tid) & docs["matched"].astype(bool)] if len(docs) else docs
        names = sorted(doc_source.reindex(d["doc_id"]).dropna().astype(str).unique()) if doc_source is not None else []
        best = d.sort_values("score", ascending=False)["evidence_ids"] if len(d) else []
        evidence = [ids[0] for ids in best if len(ids)][:N_EVIDENCE]
        frame = catalog.get(tid)
        rows.append({"technique_id": tid, "label": frame.label, "catalog": catalog.name, "span": catalog.span_of(tid),
                     "description": frame.description, "sentences": int(hit["sentence_id"].nunique()),
                     "spans": int((spans["technique_id"] == tid).sum()) if len(spans) else 0,
                     "documents": int(len(d)), "sources": len(names), "source_names": names,
                     "evidence_ids": evidence, "method": method})
    return pd.DataFrame(rows, columns=TECHNIQUE_COLUMNS)


def technique_tables(dec: Decisions, sentences: pd.DataFrame, catalog=None) -> TechniqueTables:
    """The technique tables from a scorer's decisions.

    Parameters
    ----------
    dec : Decisions
        Rows aligned with ``sentences``.
    sentences : DataFrame
        sentence_id, doc_id, start, end, text (and source): the scored sentences.
    catalog : TechniqueCatalog, optional
        Gives the ``techniques`` table (empty without it).

    Returns
    -------
    TechniqueTables
    """
    if len(dec.scores) != len(sentences):
        raise ValueError(f"The decisions have {len(dec.scores)} rows but sentences has {len(sentences)}.")
    sentences = sentences.reset_index(drop=True)
    spans = _span_table(dec, sentences)
    st = _sentence_table(dec, sentences, spans)
    doc_thr = (dict(zip(dec.technique_ids, map(float, dec.document_thresholds)))
               if dec.document_thresholds is not None else None)
    docs = document_technique_table(st, sentences, spans, doc_thr)
    techniques = (_techniques_table(catalog, st, spans, docs, sentences, dec.method) if catalog is not None
                  else pd.DataFrame(columns=TECHNIQUE_COLUMNS))
    return TechniqueTables(st, spans, docs, techniques)
