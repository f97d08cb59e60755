"""Topic quality measured on the corpus itself: NPMI coherence and diversity.

Coherence is the normalised pointwise mutual information (NPMI, Bouma 2009;
as used by Röder et al. 2015 and in the BERTopic paper) of every pair of a
topic's top keywords, estimated from **document co-occurrence in the
clustered sentences of the run** (each sentence is one reference document,
the same texts c-TF-IDF saw). Keyword phrases are split into their words;
a pair that never co-occurs scores -1. The corpus is its own reference: no
external corpus is needed, and figures are comparable between runs of one
corpus, not across corpora.

The **standard** coherence of the literature (gensim's ``c_npmi``; the
figure of the BERTopic paper, 0.17 on BBC News) is computed too, by
:func:`window_npmi_per_topic`: the reference documents are boolean sliding
windows of 10 tokens over each document's text with stop words removed, and
a pair's NPMI is ``log((p_ij + eps) / (p_i p_j)) / -log(p_ij + eps)``
(``eps = 1e-12``), averaged over the pairs of a topic and then over topics,
counted exactly as gensim 4 counts (checked against gensim on AllSides).
Windows of a document are far more numerous and shorter than sentences'
co-occurrence allows, so the two figures differ; only the windowed one can be
compared with published figures.

Diversity is the share of distinct words among all topics' top keywords
(Dieng et al. 2020): 1 means no two topics share a keyword.

>>> texts = ["rocket hit the base", "rocket base attack", "vote count fraud", "fraud in the vote"]
>>> round(npmi_coherence([["rocket", "base"], ["vote", "fraud"]], texts), 3)
1.0
>>> topic_diversity([["rocket", "base"], ["base", "vote"]])
0.75
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..words import TOKEN_PATTERN, keyword_preprocessor, presence_matrix

REFERENCE = "document co-occurrence in the run's clustered sentences (each sentence a document)"
WINDOW = 10
"""Tokens per sliding window of the standard measure (gensim's ``c_npmi`` default)."""
WINDOW_REFERENCE = ("gensim c_npmi: boolean sliding windows of 10 tokens over each document's text, stop words "
                    "removed (the measure of the BERTopic paper)")
_EPS = 1e-12  # gensim's epsilon in log_ratio_measure
_TOKEN_RE = re.compile(TOKEN_PATTERN)


def _topic_words(keywords: Sequence[str], top_n: int) -> list[str]:
    words: list[str] = []
    for phrase in list(keywords)[:top_n]:
        for word in _TOKEN_RE.findall(keyword_preprocessor(phrase)):
            if word not in words:
                words.append(word)
    return words


def npmi_per_topic(topic_keywords: Sequence[Sequence[str]], texts: Sequence[str], top_n: int = 10) -> list[float]:
    """NPMI of each topic's top ``top_n`` keywords (NaN for topics with fewer than two words).

    Parameters
    ----------
    topic_keywords : sequence of sequences of str, one per topic
    texts : sequence of str
        The reference documents.
    """
    topics = [_topic_words(k, top_n) for k in topic_keywords]
    vocab = sorted({w for words in topics for w in words})
    if not vocab or not len(texts):
        return [float("nan")] * len(topics)
    index = {w: i for i, w in enumerate(vocab)}
    x = presence_matrix(texts, index)
    n = float(len(texts))
    joint = (x.T @ x).toarray() / n
    single = np.diag(joint).copy()

    def pair(i: int, j: int) -> float:
        p_ij = joint[i, j]
        if p_ij <= 0 or single[i] <= 0 or single[j] <= 0:
            return -1.0
        if p_ij >= 1.0:
            return 1.0
        return float(np.log(p_ij / (single[i] * single[j])) / -np.log(p_ij))

    return _mean_over_pairs(topics, index, pair)


def _mean_over_pairs(topics: list[list[str]], index: dict[str, int], pair) -> list[float]:
    """Per topic, the mean of ``pair(i, j)`` over every pair of its words' indices (NaN under two words)."""
    out = []
    for words in topics:
        ids = [index[w] for w in words]
        scores = [pair(ids[a], ids[b]) for a in range(len(ids)) for b in range(a + 1, len(ids))]
        out.append(float(np.mean(scores)) if scores else float("nan"))
    return out


def npmi_coherence(topic_keywords: Sequence[Sequence[str]], texts: Sequence[str], top_n: int = 10) -> float:
    """Mean NPMI over the topics (see :func:`npmi_per_topic`); NaN without topics."""
    values = [v for v in npmi_per_topic(topic_keywords, texts, top_n) if not np.isnan(v)]
    return float(np.mean(values)) if values else float("nan")


def _window_counts(documents: Sequence[str], index: dict[str, int], stop_words: frozenset[str], window: int):
    """Windows holding each word (diagonal) and each pair, and the number of windows, over all documents.

    Counted as gensim 4 counts them (``WordOccurrenceAccumulator``), so the figure is the published one:
    a window slides one token at a time, and the token that leaves it is marked absent even when it
    occurs again inside the window. So an occurrence at ``p`` is present from window ``p - window + 1``
    to the first occurrence of the same word at or after that window's start, not to ``p``.
    """
    from scipy.sparse import csr_matrix

    rows, cols = [], []
    n_windows = 0
    for text in documents:
        tokens = [w for w in _TOKEN_RE.findall(keyword_preprocessor(text)) if w not in stop_words]
        count = max(1, len(tokens) - window + 1)  # a document shorter than a window is one window (gensim too)
        positions: dict[int, list[int]] = {}
        for position, word in enumerate(tokens):
            j = index.get(word)
            if j is not None:
                positions.setdefault(j, []).append(position)
        for j, found in positions.items():
            at = np.asarray(found)
            starts = np.maximum(0, at - window + 1)
            ends = np.minimum(at[np.searchsorted(at, starts)], count - 1)  # gensim: absent once a copy leaves
            for first, last in zip(starts.tolist(), ends.tolist()):
                rows.extend(range(n_windows + first, n_windows + last + 1))
                cols.extend([j] * (last - first + 1))
        n_windows += count
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_windows, len(index)))
    x.sum_duplicates()
    x.data = np.minimum(x.data, 1.0)  # boolean windows
    return (x.T @ x).toarray(), n_windows


def window_npmi_per_topic(topic_keywords: Sequence[Sequence[str]], documents: Sequence[str],
                          stop_words: frozenset[str] = frozenset(), top_n: int = 10,
                          window: int = WINDOW) -> list[float]:
    """The standard NPMI (gensim's ``c_npmi``) of each topic's top ``top_n`` keywords.

    Parameters
    ----------
    topic_keywords : sequence of sequences of str, one per topic
        Keyword phrases are split into their words.
    documents : sequence of str
        The full text of each document (not its sentences): windows run across sentence ends.
    stop_words : frozenset of str
        Removed from the documents before windowing.
    top_n : int
    window : int
        Tokens per window; a document shorter than that is one window.

    Returns
    -------
    list of float
        NaN for a topic with fewer than two words; a pair with a word in no window scores -1.

    Examples
    --------
    Windows of 3 over "rocket base vote fraud" are [rocket base vote] and [base vote fraud]; "rocket
    tank" is one window. So p(rocket) = p(base) = 2/3, p(rocket, base) = 1/3 and NPMI = log(0.75) / log(3):

    >>> docs = ["rocket base vote fraud", "rocket tank"]
    >>> round(window_npmi_per_topic([["rocket", "base"]], docs, window=3)[0], 4)
    -0.2619
    """
    topics = [[w for w in _topic_words(k, top_n) if w not in stop_words] for k in topic_keywords]
    vocab = sorted({w for words in topics for w in words})
    if not vocab:
        return [float("nan")] * len(topics)
    index = {w: i for i, w in enumerate(vocab)}
    joint, n = _window_counts(documents, index, frozenset(stop_words), window)

    def pair(i: int, j: int) -> float:
        if not n or joint[i, i] <= 0 or joint[j, j] <= 0:
            return -1.0
        p_ij, p_i, p_j = joint[i, j] / n, joint[i, i] / n, joint[j, j] / n
        return float(np.log((p_ij + _EPS) / (p_i * p_j)) / -np.log(p_ij + _EPS))

    return _mean_over_pairs(topics, index, pair)


def window_npmi(topic_keywords: Sequence[Sequence[str]], documents: Sequence[str],
                stop_words: frozenset[str] = frozenset(), top_n: int = 10, window: int = WINDOW) -> float:
    """Mean standard NPMI over the topics (see :func:`window_npmi_per_topic`); NaN without topics."""
    values = [v for v in window_npmi_per_topic(topic_keywords, documents, stop_words, top_n, window)
              if not np.isnan(v)]
    return float(np.mean(values)) if values else float("nan")


def topic_diversity(topic_keywords: Sequence[Sequence[str]], top_n: int = 10) -> float:
    """Share of distinct words among the top ``top_n`` keywords of all topics; NaN without topics."""
    words = [w for k in topic_keywords for w in _topic_words(k, top_n)[:top_n]]
    return float(len(set(words)) / len(words)) if words else float("nan")


def quality_summary(topic_keywords: Sequence[Sequence[str]], texts: Sequence[str], top_n: int = 10) -> dict:
    """The run.json entry: coherence, diversity, and how they were measured."""
    coherence = npmi_coherence(topic_keywords, texts, top_n)
    diversity = topic_diversity(topic_keywords, top_n)
    return {
        "coherence_npmi": None if np.isnan(coherence) else round(coherence, 4),
        "diversity": None if np.isnan(diversity) else round(diversity, 4),
        "top_n": top_n,
        "reference": REFERENCE,
        "topics": len(topic_keywords),
    }
