"""Topics whose words are not their own: the keyword share (used by the event and generic-topic rules) and the
keyword coverage (generic-topic rule), both counted in one pass (:func:`own_word_figures`); and topics of
questions (:func:`question_share`) and of unfinished lines (:func:`unfinished_share`, both generic-topic rule).

Split from :mod:`framing.topics.rules`, which re-exports ``keyword_share`` and ``drop_generic_topics``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import numpy as np

from ..config import TopicsConfig
from ..words import TOKEN_PATTERN, keyword_preprocessor, presence_matrix
from .adapter import drop_topics

logger = logging.getLogger(__name__)


def own_words(keywords: dict[int, Sequence[str]], stop_words: frozenset[str], top_words: int) -> dict[int, list[str]]:
    """Each topic's first ``top_words`` keyword tokens that are not stop words (phrases split into tokens), per topic.

    >>> own_words({0: ["aanslag utrecht", "utrecht", "de tram"]}, frozenset({"de"}), 10)
    {0: ['aanslag', 'utrecht', 'tram']}
    """
    token = re.compile(TOKEN_PATTERN)
    own: dict[int, list[str]] = {}
    for topic, words in keywords.items():
        tokens: list[str] = []
        for phrase in words:
            for word in token.findall(keyword_preprocessor(phrase)):
                if word not in tokens and word not in stop_words:
                    tokens.append(word)
        own[int(topic)] = tokens[:top_words]
    return own


def keyword_share(texts: Sequence[str], topics: np.ndarray, keywords: dict[int, Sequence[str]],
                  stop_words: frozenset[str], top_words: int = 10, top_k: int = 3) -> dict[int, float]:
    """How much of the corpus's use of a topic's own words lies inside the topic, per topic.

    For each of a topic's first ``top_words`` keyword tokens, the share of the sentences holding
    it (among ``texts``, the clustered sentences) that belong to the topic; a topic's value is the
    mean of its ``top_k`` highest shares. A story has words of its own ("utrecht", "aanslag",
    "impeachment"): most of their uses are in its sentences, wherever the sentences stand in their
    documents. A cluster of time words, greetings or rhetorical questions is made of words every
    story uses ("week", "vrijdag", "lot"): only a small share of their uses are in the cluster.
    Counted on the corpus itself, so it needs no word list and works in every language.

    Parameters
    ----------
    texts : sequence of str, length n
    topics : ndarray of shape (n,), int
        The topic of each text (-1: none; those still count as uses of a word).
    keywords : dict of int to sequence of str
        Each topic's keywords, best first (phrases are split into tokens).
    stop_words : frozenset of str
        Tokens that are never a topic's own word.

    Returns
    -------
    dict of int to float in [0, 1]

    Examples
    --------
    >>> texts = ["utrecht tram attack", "attack in utrecht", "utrecht attack suspect", "rain last week",
    ...          "vote last week", "week of trade talks", "a week of rain", "the week ahead"]
    >>> topics = np.array([0, 0, 0, 1, 1, 1, -1, -1])
    >>> shares = keyword_share(texts, topics, {0: ["utrecht", "attack"], 1: ["week", "last"]}, frozenset())
    >>> shares[0], round(shares[1], 2)
    (1.0, 0.8)
    """
    return own_word_figures(texts, topics, keywords, stop_words, top_words, top_k)[0]


def keyword_coverage(texts: Sequence[str], topics: np.ndarray, keywords: dict[int, Sequence[str]],
                     stop_words: frozenset[str], top_words: int = 10) -> dict[int, float]:
    """The share of a topic's sentences that hold at least one of its own words, per topic.

    A story's sentences name it: most of them hold one of its first ``top_words`` keyword tokens (a
    name, a place, what happened). A cluster of remarks with no word in common ("we will see", "I
    doubt it", in any language) gets as keywords the rare words a handful of its sentences share, so
    few of its sentences hold any of them, however large the cluster grows. Counted on the
    corpus itself, in every language.

    >>> texts = ["utrecht tram attack", "attack in utrecht", "we will see", "I doubt it", "who knows"]
    >>> keyword_coverage(texts, np.array([0, 0, 1, 1, 1]), {0: ["utrecht"], 1: ["doubt"]}, frozenset())
    {0: 1.0, 1: 0.3333333333333333}
    """
    return own_word_figures(texts, topics, keywords, stop_words, top_words)[1]


def own_word_figures(texts: Sequence[str], topics: np.ndarray, keywords: dict[int, Sequence[str]],
                     stop_words: frozenset[str], top_words: int = 10,
                     top_k: int = 3) -> tuple[dict[int, float], dict[int, float]]:
    """:func:`keyword_share` and :func:`keyword_coverage` of every topic, from one pass over ``texts``."""
    own = own_words(keywords, stop_words, top_words)
    vocab = {w: i for i, w in enumerate(sorted({w for ws in own.values() for w in ws}))}
    if not vocab:
        return {t: 0.0 for t in own}, {t: 0.0 for t in own}
    x = presence_matrix(texts, vocab).tocsr()
    uses = np.asarray(x.sum(axis=0)).ravel()
    topics = np.asarray(topics)
    shares: dict[int, float] = {}
    covered: dict[int, float] = {}
    for topic, words in own.items():
        members = x[topics == topic]
        if not words or not members.shape[0]:
            shares[topic] = covered[topic] = 0.0
            continue
        cols = [vocab[w] for w in words]
        inside = np.asarray(members[:, cols].sum(axis=0)).ravel()
        ranked = sorted((n / uses[c] if uses[c] else 0.0 for n, c in zip(inside, cols)), reverse=True)
        shares[topic] = float(np.mean(ranked[:top_k]))
        covered[topic] = float((np.asarray(members[:, cols].sum(axis=1)).ravel() > 0).mean())
    return shares, covered


def _topic_means(values: np.ndarray, topics: np.ndarray) -> dict[int, float]:
    """``{topic: mean of values over its rows}`` for the topics (>= 0) of ``topics``."""
    topics = np.asarray(topics)
    kept = topics >= 0
    sums = np.bincount(topics[kept], weights=np.asarray(values, dtype=float)[kept])
    counts = np.bincount(topics[kept])
    return {int(t): float(sums[t] / counts[t]) for t in np.flatnonzero(counts)}


QUESTION_END = re.compile(r"[?？]\s*[\"'»”“’)\]]*\s*$")
"""A sentence that ends with a question mark (before closing quotes or brackets), in any script."""


def question_share(texts: Sequence[str], topics: np.ndarray) -> dict[int, float]:
    """The share of each topic's sentences that are questions (they end with ``?``).

    A story is told in statements; a cluster of rhetorical questions ("Who will pay for this?", "Wie
    betaalt dat eigenlijk?", "Cosa aspetta Conte?") is held together by its form, in every language,
    and shares no subject. On the SemEval-2023 articles (five languages) one topic is 97% questions;
    no topic of BASIL, AllSides, climate-frames or the seeds has more than 22%.

    >>> question_share(["Who pays?", "Wie betaalt dat dan?»", "The budget passed.", "Why?"], np.array([0, 0, 1, 1]))
    {0: 1.0, 1: 0.5}
    """
    return _topic_means(np.array([bool(QUESTION_END.search(str(t))) for t in texts], dtype=float), topics)


SENTENCE_END = re.compile(r"[.!?…。！？؟।።۔]\s*[\"'»”“’)\]]*\s*$")
"""A finished sentence ends with a full stop, a question or exclamation mark or an ellipsis (before closing
quotes or brackets), in any script that marks the end of a sentence."""


def unfinished_share(texts: Sequence[str], topics: np.ndarray,
                     langs: Sequence[str] | None = None) -> dict[int, tuple[float, float]]:
    """Each topic's share of unfinished lines, and the share its languages would give it: ``{topic: (share,
    expected)}``.

    A line that does not end like a sentence (:data:`SENTENCE_END`) is a headline, a caption or a photo
    credit, a verse, a video player's notice, the byline of an embedded tweet ("— Donald J. Trump
    (@realDonaldTrump) October 5, 2019"). A cluster of them is held together by its form, in every
    language, and shares no subject. ``expected`` is what the topic's share would be if each of its lines
    were as often unfinished as the lines of its language in the whole of ``texts`` (all languages
    together without ``langs``): a language written without sentence marks (Thai), or a corpus of
    headlines or chat, expects most of its lines unfinished.

    >>> texts = ["The vote passed.", "Photo: Reuters", "Budget cut!", "Andrew Harrer/Bloomberg", "Why?", "It rose."]
    >>> unfinished_share(texts, np.array([0, 1, 0, 1, 0, -1]))
    {0: (0.0, 0.3333), 1: (1.0, 0.3333)}
    """
    open_line = np.array([not SENTENCE_END.search(str(t).strip()) for t in texts], dtype=float)
    groups = np.zeros(len(texts), dtype=object) if langs is None else np.asarray(langs, dtype=object)
    _, group = np.unique(groups.astype(str), return_inverse=True)
    rate = _topic_means(open_line, group)  # each language's share over the corpus
    shares = _topic_means(open_line, topics)
    expected = _topic_means(np.array([rate[g] for g in group]), topics)
    return {t: (shares[t], round(expected[t], 4)) for t in shares}


def drop_generic_topics(model, config: TopicsConfig, docs: list[str], topics: np.ndarray, inverse: np.ndarray,
                        stop_words: frozenset[str], langs: Sequence[str] | None = None,
                        ) -> tuple[np.ndarray, dict[str, str], dict[int, int] | None]:
    """Topics without words of their own, and topics of questions or of unfinished lines, become -1.

    A topic is generic when its words are mostly used outside it (:func:`keyword_share` below
    ``min_keyword_share``), when few of its sentences hold any of them (:func:`keyword_coverage`
    below ``min_keyword_coverage``), when more than ``max_question_share`` of its sentences are
    questions (:func:`question_share`), or when more than ``max_unfinished_share`` of its lines do not end
    like a sentence, and at least twice as many as its languages' lines do in the corpus
    (:func:`unfinished_share`; ``langs``, one per copy, gives the languages). Counted over every copy of the
    sentences (``inverse``). Returns the new assignments, ``{top three c-TF-IDF words: reason}`` of the
    dropped topics, and the renumbering (None: unchanged).
    """
    floor, cover, asked = config.min_keyword_share, config.min_keyword_coverage, config.max_question_share
    unfinished = config.max_unfinished_share
    kept_topics = sorted(int(t) for t in set(topics.tolist()) if t >= 0)
    if not (floor or cover or asked < 1 or unfinished < 1) or not kept_topics:
        return topics, {}, None
    texts = [docs[i] for i in inverse]
    words = {t: [w for w, _ in (model.get_topic(t) or [])] for t in kept_topics}
    shares, covered = own_word_figures(texts, topics[inverse], words, stop_words, top_words=config.top_n_words)
    generic = {t: f"keyword share {s:.2f}" for t, s in shares.items() if s < floor}
    generic.update({t: f"keyword coverage {c:.2f}" for t, c in covered.items() if c < cover and t not in generic})
    generic.update({t: f"questions {q:.2f}" for t, q in question_share(texts, topics[inverse]).items()
                    if q > asked and t not in generic})
    generic.update({t: f"unfinished {u:.2f}" for t, (u, e) in unfinished_share(texts, topics[inverse], langs).items()
                    if u > unfinished and u >= 2 * e and t not in generic})
    if not generic or len(generic) == len(kept_topics):
        return topics, {}, None  # never leave a corpus without topics: then the rule says nothing
    dropped = {", ".join(words[t][:3]): reason for t, reason in generic.items()}
    new, mapping = drop_topics(model, docs, topics, set(generic), config.top_n_words)
    logger.info("%d topics without words of their own, or of questions or unfinished lines, left unclustered "
                "(%d sentences)",
                len(generic), int(((topics >= 0) & (new < 0))[inverse].sum()))
    return new, dropped, mapping
