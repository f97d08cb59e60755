"""Topics whose words do not recur in their own documents: a story's words are bursty, chatter's are not.

A document that names "utrecht" or "obamacare" once tends to name it again (Church & Gale 1995,
"Poisson mixtures"; Church 2000, "Empirical estimates of adaptation"), while generic words
("talking", "life", "week") come once per document. So a sentence that tells a story shares the
story's words with the rest of its document, even when the story is one paragraph of an article
about something else; a quote or remark that a cluster of chatter holds rarely does: its document
is about another story and does not use the cluster's words again.

:func:`recurrence_share` measures this per topic, counted on the corpus itself (no word list, any
language). :func:`drop_unbursty_topics` leaves unclustered the topics far below the corpus's own
topics on it: below Tukey's lower fence ``Q1 - k * IQR`` over all topics. The fence is relative
to the corpus, so a corpus of short documents (posts, comments), where few words can recur at all,
gets a low fence and loses nothing; it needs at least ``MIN_TOPICS_FOR_FENCE`` topics.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from ..config import TopicsConfig
from ..words import presence_matrix
from .adapter import drop_topics
from .generic import own_words

logger = logging.getLogger(__name__)

MIN_TOPICS_FOR_FENCE = 10
"""Quartiles of fewer topics say nothing about which ones stand apart: the rule then says nothing."""


def recurrence_share(texts: Sequence[str], doc_ids: Sequence[object], topics: np.ndarray,
                     keywords: dict[int, Sequence[str]], stop_words: frozenset[str],
                     top_words: int = 10) -> dict[int, float]:
    """The share of a topic's sentences whose document uses one of the topic's words again, per topic.

    A sentence counts when it holds one of the topic's first ``top_words`` keyword tokens and
    another sentence of the same document holds that token too: the document returns to the
    topic's words outside this sentence. Sentences without any of the topic's words count as not
    recurring. Counted over ``texts``, the clustered sentences, each with its document.

    Parameters
    ----------
    texts : sequence of str, length n
    doc_ids : sequence, length n
        The document of each text.
    topics : ndarray of shape (n,), int
        The topic of each text (-1: none; those still count as the document's other sentences).
    keywords : dict of int to sequence of str
        Each topic's keywords, best first (phrases are split into tokens).
    stop_words : frozenset of str
        Tokens that are never a topic's own word.

    Returns
    -------
    dict of int to float in [0, 1]

    Examples
    --------
    >>> texts = ["utrecht tram attack", "police in utrecht", "what a week", "the budget vote",
    ...          "what a week it was", "vote on the budget"]
    >>> docs = ["a", "a", "a", "b", "b", "b"]
    >>> topics = np.array([0, -1, 1, -1, 1, -1])
    >>> recurrence_share(texts, docs, topics, {0: ["utrecht", "attack"], 1: ["week"]}, frozenset())
    {0: 1.0, 1: 0.0}
    """
    own = own_words(keywords, stop_words, top_words)
    topics = np.asarray(topics)
    vocab = {w: i for i, w in enumerate(sorted({w for ws in own.values() for w in ws}))}
    if not vocab or not len(topics):
        return {t: 0.0 for t in own}
    x = sp.csr_matrix(presence_matrix(texts, vocab), dtype=np.int64)
    _, doc_index = np.unique(np.asarray([str(d) for d in doc_ids], dtype=object), return_inverse=True)
    member = sp.csr_matrix((np.ones(len(doc_index), dtype=np.int64), (doc_index, np.arange(len(doc_index)))))
    in_doc = member.T @ (member @ x)  # per sentence: how many sentences of its document hold each word
    again = x.multiply(in_doc > 1).tocsr()  # the word is in this sentence and in another one of its document
    out: dict[int, float] = {}
    for topic, words in own.items():
        rows = np.flatnonzero(topics == topic)
        if not len(rows) or not words:
            out[topic] = 0.0
            continue
        cols = [vocab[w] for w in words]
        out[topic] = float((np.asarray(again[rows][:, cols].sum(axis=1)).ravel() > 0).mean())
    return out


def drop_unbursty_topics(model, config: TopicsConfig, docs: list[str], doc_ids: np.ndarray, topics: np.ndarray,
                         inverse: np.ndarray, stop_words: frozenset[str]
                         ) -> tuple[np.ndarray, dict[str, str], dict[int, int] | None]:
    """Topics whose words do not recur in their documents, far below the corpus's others, become -1.

    :func:`recurrence_share` of each topic (counted over every copy of the sentences, ``inverse``);
    a topic below ``Q1 - recurrence_fence * IQR`` of all topics' shares is dropped. Returns the new
    assignments, ``{top three c-TF-IDF words: reason}`` of the dropped topics, and the renumbering
    (None: unchanged).
    """
    k = config.recurrence_fence
    kept_topics = sorted(int(t) for t in set(topics.tolist()) if t >= 0)
    if not k or len(kept_topics) < MIN_TOPICS_FOR_FENCE:
        return topics, {}, None
    words = {t: [w for w, _ in (model.get_topic(t) or [])] for t in kept_topics}
    shares = recurrence_share([docs[i] for i in inverse], doc_ids, topics[inverse], words, stop_words,
                              top_words=config.top_n_words)
    values = np.array([shares[t] for t in kept_topics])
    q1, q3 = np.percentile(values, [25, 75])
    fence = q1 - k * (q3 - q1)
    low = {t: s for t, s in shares.items() if s < fence}
    if not low:
        return topics, {}, None
    dropped = {", ".join(words[t][:3]): f"recurrence share {s:.2f} (fence {fence:.2f})" for t, s in low.items()}
    new, mapping = drop_topics(model, docs, topics, set(low), config.top_n_words)
    logger.info("%d topics whose words their documents do not use again left unclustered (%d sentences)",
                len(low), int(((topics >= 0) & (new < 0))[inverse].sum()))
    return new, dropped, mapping
