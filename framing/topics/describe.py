"""Describing topics: keywords, labels, representative sentences, languages and coherence.

Each topic of a fitted model gets readable keywords (the KeyBERTInspired +
MMR aspect, :data:`~framing.topics.adapter.READABLE`, falling back to
c-TF-IDF), the raw c-TF-IDF keywords, a short label of keywords its
documents share (:func:`shared_keywords`, :func:`readable_label`), its most
central sentences (:func:`representative_rows`), its languages and the NPMI
coherence of its keywords (:mod:`framing.topics.quality`).

Examples
--------
>>> readable_label(3, shared_keywords(["vaccine", "vaccine dose", "trial"], ["Vaccine trial.", "A vaccine trial."], ["a", "b"]))
'3: vaccine, trial'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..words import normalize_lang
from .adapter import READABLE, topic_words
from .quality import WINDOW_REFERENCE, npmi_per_topic, quality_summary, window_npmi

TOPIC_COLUMNS = ["topic", "label", "keywords", "ctfidf_keywords", "size", "representative_ids", "languages", "coherence"]
LABEL_WORDS = 3

_WORDS = re.compile(r"\w+", re.UNICODE)


def representative_rows(members: np.ndarray, embeddings: np.ndarray, k: int) -> list[int]:
    """Row indices of the ``k`` members closest (cosine) to their centroid, closest first.

    >>> representative_rows(np.array([0, 1, 2]), np.array([[1.0, 0], [1, 0.1], [0, 1]]), 2)
    [1, 0]
    """
    vectors = embeddings[members]
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    centroid = vectors.mean(axis=0)
    similarity = vectors @ (centroid / max(np.linalg.norm(centroid), 1e-12))
    order = np.lexsort((members, -similarity))  # ties broken by input order
    return [int(members[i]) for i in order[:k]]


def shared_keywords(keywords: Sequence[str], texts: Sequence[str], doc_ids: Sequence[str] | None,
                    min_documents: int = 2) -> list[str]:
    """The keywords a topic's documents share first, then the others (order kept within each group).

    A keyword counts for a document when all its words occur in one of the
    document's sentences of the topic. In a topic spread over several
    documents, a keyword used in a single document is one author's idiom (a
    slur, a nickname, a quirk of spelling) rather than what the topic is
    about: it goes after the shared ones, so the label names what the
    documents have in common. Nothing changes for a topic inside one document.

    >>> shared_keywords(["cowardly yanks", "bases", "rockets"],
    ...                 ["Cowardly yanks!", "Rockets hit the bases.", "The bases were hit by rockets."],
    ...                 ["d1", "d2", "d3"])
    ['bases', 'rockets', 'cowardly yanks']
    """
    if doc_ids is None or len(set(doc_ids)) < min_documents:
        return list(keywords)
    token_sets = [set(_WORDS.findall(str(t).lower())) for t in texts]
    shared, own = [], []
    for keyword in keywords:
        words = set(_WORDS.findall(keyword.lower()))
        docs = {d for d, tokens in zip(doc_ids, token_sets) if words and words <= tokens}
        (shared if len(docs) >= min_documents else own).append(keyword)
    return shared + own


def readable_label(topic: int, keywords: Sequence[str], n_words: int = LABEL_WORDS) -> str:
    """``"12: withdrawal, qaim, bases"``: top keywords that share no word with an earlier one.

    >>> readable_label(3, ["vaccine", "vaccine dose", "trial", "dose"])
    '3: vaccine, trial, dose'
    """
    chosen: list[str] = []
    seen: set[str] = set()
    for keyword in keywords:
        tokens = set(keyword.split())
        if not tokens or tokens & seen:
            continue
        chosen.append(keyword)
        seen |= tokens
        if len(chosen) == n_words:
            break
    return f"{topic}: {', '.join(chosen)}" if chosen else f"{topic}: (no keywords)"


def clean_keywords(words, stop_words: frozenset[str]) -> list[str]:
    """Distinct keywords of ``(word, score)`` pairs, in order, without any holding a stop word."""
    out: list[str] = []
    for word, _score in words or []:
        if word and word not in out and not (set(word.split()) & stop_words):
            out.append(word)
    return out


def topic_keywords(model, topic: int, stop_words: frozenset[str]) -> tuple[list[str], list[str]]:
    """(readable, raw c-TF-IDF) keywords of a topic; readable falls back to raw."""
    raw = clean_keywords(topic_words(model, topic), stop_words)
    readable = clean_keywords(topic_words(model, topic, READABLE), stop_words)
    return (readable or raw), raw


def describe_topics(model, labels: np.ndarray, texts: Sequence[str], embeddings: np.ndarray, langs: Sequence,
                    ids: Sequence[str], rows: np.ndarray, doc_ids: np.ndarray | None, stop_words: frozenset[str],
                    n_representative: int, top_n_words: int) -> pd.DataFrame:
    """The topics table: one row per topic of ``labels`` (columns :data:`TOPIC_COLUMNS`).

    Parameters
    ----------
    model : BERTopic
        The fitted model the keywords come from.
    labels : ndarray of shape (n_sentences,), int
        The final topic of every sentence (-1: none).
    texts, langs, ids : sequences of length n_sentences
    embeddings : ndarray of shape (n_sentences, dim)
    rows : ndarray of int
        The clustered sentences: representatives come from them (never from attributed filler),
        and they are the reference corpus of the coherence.
    doc_ids : ndarray of shape (n_sentences,), optional
        For the label's shared keywords.
    """
    records = []
    topics = sorted(t for t in set(labels.tolist()) if t >= 0)
    for topic in topics:
        members = np.flatnonzero(labels == topic)
        keywords, raw = topic_keywords(model, topic, stop_words)
        core = np.intersect1d(members, rows) if len(np.intersect1d(members, rows)) else members
        reps = representative_rows(core, embeddings, n_representative)
        counts = Counter(c for c in (normalize_lang(langs[i]) for i in members) if c)
        records.append({
            "topic": topic, "keywords": keywords,
            "label": readable_label(topic, shared_keywords(keywords, [texts[i] for i in members],
                                                           None if doc_ids is None else doc_ids[members])),
            "ctfidf_keywords": raw, "size": int(len(members)), "representative_ids": [ids[i] for i in reps],
            "languages": [lang for lang, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))],
        })
    table = pd.DataFrame.from_records(records, columns=TOPIC_COLUMNS)
    reference = [texts[i] for i in rows]
    table["coherence"] = [round(v, 4) for v in npmi_per_topic(table.keywords.tolist(), reference,
                                                              top_n_words)] if len(table) else []
    return table.astype({"topic": "int64", "size": "int64", "coherence": "float64"})


def describe_quality(topics: pd.DataFrame, reference: Sequence[str], top_n_words: int,
                     documents: Sequence[str] | None = None, stop_words: frozenset[str] = frozenset()) -> dict:
    """Coherence (NPMI) and diversity of the readable keywords, and the NPMI of the c-TF-IDF ones (run.json).

    ``reference`` are the clustered sentences (the corpus-relative NPMI, ``coherence_npmi``). With
    ``documents`` (each document's full text) the standard measure of the literature is added too:
    ``c_npmi`` and ``ctfidf_c_npmi``, gensim's sliding windows of 10 tokens with ``stop_words`` removed
    (:func:`framing.topics.quality.window_npmi`), described by ``c_npmi_reference``.
    """
    quality = quality_summary(topics.keywords.tolist(), reference, top_n=top_n_words)
    quality["ctfidf_coherence_npmi"] = quality_summary(topics.ctfidf_keywords.tolist(), reference,
                                                       top_n=top_n_words)["coherence_npmi"]
    if documents is not None:
        for key, column in (("c_npmi", "keywords"), ("ctfidf_c_npmi", "ctfidf_keywords")):
            value = window_npmi(topics[column].tolist(), documents, stop_words, top_n=top_n_words)
            quality[key] = None if np.isnan(value) else round(value, 4)
        quality["c_npmi_reference"] = WINDOW_REFERENCE
    return quality
