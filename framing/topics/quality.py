"""Topic quality measured on the corpus itself: NPMI coherence and diversity.

Coherence is the normalised pointwise mutual information (NPMI, Bouma 2009;
as used by Röder et al. 2015 and in the BERTopic paper) of every pair of a
topic's top keywords, estimated from **document co-occurrence in the
clustered sentences of the run** (each sentence is one reference document,
the same texts c-TF-IDF saw). Keyword phrases are split into their words;
a pair that never co-occurs scores -1. The corpus is its own reference: no
external corpus is needed, and figures are comparable between runs of one
corpus, not across corpora.

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
    out = []
    for words in topics:
        ids = [index[w] for w in words]
        scores = []
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                i, j = ids[a], ids[b]
                p_ij = joint[i, j]
                if p_ij <= 0 or single[i] <= 0 or single[j] <= 0:
                    scores.append(-1.0)
                elif p_ij >= 1.0:
                    scores.append(1.0)
                else:
                    scores.append(float(np.log(p_ij / (single[i] * single[j])) / -np.log(p_ij)))
        out.append(float(np.mean(scores)) if scores else float("nan"))
    return out


def npmi_coherence(topic_keywords: Sequence[Sequence[str]], texts: Sequence[str], top_n: int = 10) -> float:
    """Mean NPMI over the topics (see :func:`npmi_per_topic`); NaN without topics."""
    values = [v for v in npmi_per_topic(topic_keywords, texts, top_n) if not np.isnan(v)]
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
