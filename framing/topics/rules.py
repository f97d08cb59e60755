"""The topic rules: which sentences are not clustered, and which fitted topics are not topics.

One implementation, used by ``analyze`` (:class:`~framing.topics.model.TopicModeler`),
by :meth:`TopicModeler.transform <framing.topics.model.TopicModeler.transform>` and by
``framing apply`` on new batches.

Before fitting, per sentence (:func:`sentence_rules`):

- **filler** (:func:`filler_mask`): fewer than ``min_content_words`` content
  words (letter tokens of at least 3 characters that are not stop words of any
  language present, :func:`framing.words.content_words`), or a match of one of
  the formulaic ``filler_patterns`` (bylines, "Read more", photo credits ...).
  Reactions ("It's a start.", "So we'll find out.") and datelines
  ("WASHINGTON (AP) -") have one or two content words. Filler keeps topic -1 or,
  with ``filler_topic: document``, takes its document's main topic afterwards.
- **boilerplate** (:func:`repeated_mask`): a line one source prints in
  ``boilerplate_min_documents`` of its documents, a line that is mostly one passage
  it prints so with a varying part (``boilerplate_templates``,
  :func:`~framing.topics.templates.template_mask`), and the lines learned so
  (:func:`learned_mask`) from the run a model was fitted on.

After fitting, per topic, on the BERTopic model (each returns the new assignments):

- :func:`merge_by_documents`: topics told together in the same documents are merged;
- :func:`drop_narrow_topics`: topics told by fewer than ``min_topic_documents`` documents become -1;
- :func:`drop_unanchored_topics`: topics no document is about become -1
  (:func:`~framing.topics.documents.unanchored_topics`).
- :func:`drop_unbursty_topics` (``recurrence_fence``, off by default): topics whose sentences' documents
  rarely use the topic's words again, far below the corpus's other topics, become -1
  (:func:`~framing.topics.burst.recurrence_share`).

Examples
--------
>>> from framing.words import DEFAULT_FILLER_PATTERNS, stop_words_for
>>> stops = stop_words_for(["en"])
>>> filler_mask(["It's a start.", "The Senate passed the budget bill on Tuesday.", "Read more: the full story"],
...             stops, min_content_words=3, patterns=DEFAULT_FILLER_PATTERNS).tolist()
[True, False, True]
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import TopicsConfig
from ..words import content_words, normalize_sentence, stop_words_for
from .adapter import drop_topics, merge_topics
from .burst import drop_unbursty_topics, recurrence_share  # noqa: F401  (re-exported: rules is the one door)
from .documents import cooccurrence_groups, event_min_documents, unanchored_topics
from .generic import drop_generic_topics, keyword_share  # noqa: F401  (re-exported: rules is the one door)
from .sizing import min_main_documents
from .templates import documents_with_own_text, template_mask

logger = logging.getLogger(__name__)


def filler_mask(texts: Sequence[str], stop_words: frozenset[str], min_content_words: int,
                patterns: Sequence[str]) -> np.ndarray:
    """True for each text that is filler (see the module docstring).

    Returns
    -------
    ndarray of shape (len(texts),), bool
    """
    compiled = [re.compile(p, re.IGNORECASE) for p in patterns]
    out = np.zeros(len(texts), dtype=bool)
    for i, text in enumerate(texts):
        if len(content_words(text, stop_words)) < min_content_words:
            out[i] = True
        elif any(p.search(text) for p in compiled):
            out[i] = True
    return out


def repeated_mask(texts: Sequence[str], doc_ids: Sequence[object], sources: Sequence[object] | None,
                  min_documents: int | None) -> np.ndarray:
    """True for each sentence that is boilerplate: repeated in ``min_documents`` documents of its source.

    A sentence (in its :func:`~framing.words.normalize_sentence` form) that one source prints in
    at least ``min_documents`` different documents *beside text of their own*
    is part of the source's template ("Advertisement Continue reading the main
    story", a newsletter box, a standing disclaimer), not of any story.

    - Repetition is counted per source, so a quote several outlets print is
      kept; without sources (None, or missing values) the corpus counts as one source.
    - Only documents with text of their own count: at least one sentence found
      in no other document of the source. A copy of a whole document (a
      retweet, a syndicated copy, a copy-paste campaign) has none, so copies
      never make their own sentences boilerplate; without document ids
      (every sentence its own document) nothing is boilerplate.

    ``min_documents`` None or below 2 switches the rule off.

    Returns
    -------
    ndarray of shape (len(texts),), bool

    Examples
    --------
    >>> texts = ["Continue reading the main story.", "The vote was 52 to 48.", "Continue reading the main story!",
    ...          "Rain fell all day.", "Continue reading the main story", "Snow is due.", "Continue reading the main story"]
    >>> docs = ["a", "a", "b", "b", "c", "c", "d"]
    >>> repeated_mask(texts, docs, ["nyt"] * 7, 3).tolist()
    [True, False, True, False, True, False, True]
    >>> repeated_mask(texts[:3] + texts[4:5], ["a", "a", "b", "c"], ["nyt"] * 4, 3).tolist()  # b, c: nothing of their own
    [False, False, False, False]
    """
    n = len(texts)
    out = np.zeros(n, dtype=bool)
    if not min_documents or min_documents < 2 or n == 0:
        return out
    if sources is None:
        sources = [None] * n
    keys = [(s if isinstance(s, str) and s else "", normalize_sentence(t)) for s, t in zip(sources, texts)]
    doc_ids = list(doc_ids)
    documents: dict[tuple[str, str], set] = {}
    for key, doc in zip(keys, doc_ids):
        if key[1]:
            documents.setdefault(key, set()).add(doc)
    original = documents_with_own_text(keys, doc_ids)
    repeated = {key for key, docs in documents.items()
                if len(docs) >= min_documents and sum((key[0], d) in original for d in docs) >= min_documents}
    for i, key in enumerate(keys):
        out[i] = key in repeated
    return out


def learned_mask(texts: Sequence[str], sources: Sequence[object] | None, lines: dict[str, frozenset]) -> np.ndarray:
    """True for each sentence whose source's learned boilerplate holds its normalised form.

    ``lines`` maps a source (``""``: none) to normalised lines (:func:`boilerplate_lines` of an earlier fit).

    >>> learned_mask(["Subscribe now!", "Subscribe now", "Troops left."], ["sf", "other", "sf"],
    ...              {"sf": frozenset({"subscribe now"})}).tolist()
    [True, False, False]
    """
    if not lines:
        return np.zeros(len(texts), dtype=bool)
    sources = sources if sources is not None else [None] * len(texts)
    return np.array([normalize_sentence(t) in lines.get(s if isinstance(s, str) and s else "", ())
                     for t, s in zip(texts, sources)], dtype=bool)


def boilerplate_lines(texts: Sequence[str], sources: Sequence[object] | None, mask: np.ndarray) -> dict[str, list[str]]:
    """The normalised lines of the sentences in ``mask``, per source (``""``: none), sorted.

    >>> boilerplate_lines(["Subscribe now!", "Troops left.", "Subscribe NOW"], ["sf", "sf", None], np.array([1, 0, 1], bool))
    {'': ['subscribe now'], 'sf': ['subscribe now']}
    """
    out: dict[str, set] = {}
    for i in np.flatnonzero(mask):
        source = sources[i] if sources is not None and isinstance(sources[i], str) and sources[i] else ""
        out.setdefault(source, set()).add(normalize_sentence(texts[i]))
    return {k: sorted(v) for k, v in sorted(out.items())}


def filler_stop_words(config: TopicsConfig, langs: Sequence[object]) -> frozenset[str]:
    """The stop words the filler rule counts content words against: those of ``langs`` (none when it is off)."""
    return stop_words_for(langs) if (config.stop_words == "auto" or config.min_content_words) else frozenset()


@dataclass(frozen=True)
class SentenceRules:
    """What the sentence rules decided, one bool per sentence.

    Attributes
    ----------
    filler : ndarray of shape (n,), bool
        The filler rule (:func:`filler_mask`).
    repeated : ndarray of shape (n,), bool
        The boilerplate rule counted in these sentences (:func:`repeated_mask`).
    learned : ndarray of shape (n,), bool
        Lines found boilerplate in the fit a model comes from (:func:`learned_mask`).
    template : ndarray of shape (n,), bool or None
        Of ``repeated``, the lines found by the template rule only
        (:func:`~framing.topics.templates.template_mask`); None: the same as nothing found.
    """

    filler: np.ndarray
    repeated: np.ndarray
    learned: np.ndarray
    template: np.ndarray | None = None

    @property
    def boilerplate(self) -> np.ndarray:
        """Repeated here or learned before."""
        return self.repeated | self.learned

    @property
    def unclustered(self) -> np.ndarray:
        """Kept out of the topics by any rule."""
        return self.filler | self.repeated | self.learned


def sentence_rules(texts: Sequence[str], config: TopicsConfig, stop_words: frozenset[str],
                   doc_ids: Sequence[object] | None, sources: Sequence[object] | None,
                   learned: dict[str, frozenset] | None = None) -> SentenceRules:
    """The filler and boilerplate rules on ``texts`` with ``config``'s settings.

    Parameters
    ----------
    texts : sequence of str, length n
    config : TopicsConfig
        ``min_content_words``, ``filler_patterns``, ``boilerplate_min_documents``.
    stop_words : frozenset of str
        What does not count as a content word (:func:`filler_stop_words`).
    doc_ids, sources : sequence, length n, optional
        Document and source of each sentence; without ``doc_ids`` repetition is not counted.
    learned : dict of str to frozenset of str, optional
        Boilerplate lines per source from an earlier fit.
    """
    filler = filler_mask(texts, stop_words, config.min_content_words, config.filler_patterns)
    repeated = (repeated_mask(texts, doc_ids, sources, config.boilerplate_min_documents) if doc_ids is not None
                else np.zeros(len(texts), dtype=bool))
    template = np.zeros(len(texts), dtype=bool)
    if config.boilerplate_templates and doc_ids is not None:
        template = template_mask(texts, doc_ids, sources, config.boilerplate_min_documents) & ~repeated
    return SentenceRules(filler, repeated | template, learned_mask(texts, sources, learned or {}), template)


def merge_by_documents(model, config: TopicsConfig, docs: list[str], doc_ids: np.ndarray, topics: np.ndarray,
                       inverse: np.ndarray) -> tuple[np.ndarray, list[list[int]]]:
    """Merge topics told together in the same documents (BERTopic's merge_topics keeps the mapping).

    ``docs`` and ``topics`` are the distinct sentences BERTopic fitted; ``doc_ids`` has one entry per
    sentence, whose distinct sentence is ``inverse`` (so every copy's document counts). Returns the
    new assignments and the merged groups (topic numbers before merging).
    """
    if config.merge_similarity is None:
        return topics, []
    groups = cooccurrence_groups(doc_ids, topics[inverse], config.merge_similarity, config.merge_min_documents)
    if not groups:
        return topics, groups
    logger.info("Merging %d topics told together in the same documents into %d", sum(map(len, groups)), len(groups))
    return merge_topics(model, docs, groups), groups


def drop_narrow_topics(model, config: TopicsConfig, docs: list[str], doc_ids: np.ndarray, topics: np.ndarray,
                       inverse: np.ndarray) -> tuple[np.ndarray, int, dict[int, int] | None]:
    """Topics told by fewer than ``min_topic_documents`` documents become -1.

    Returns the new assignments, the number of topics dropped and the renumbering (None: unchanged).
    """
    need = config.min_topic_documents
    if need <= 1 or len(set(doc_ids.tolist())) < need:
        return topics, 0, None
    frame = pd.DataFrame({"doc": doc_ids, "topic": topics[inverse]})
    spread = frame[frame.topic >= 0].groupby("topic").doc.nunique()
    narrow = spread.index[spread < need]
    if len(narrow) == 0 or len(narrow) == len(spread):
        return topics, 0, None
    new, mapping = drop_topics(model, docs, topics, {int(t) for t in narrow}, config.top_n_words)
    logger.info("%d topics told by fewer than %d documents left unclustered (%d sentences)",
                len(narrow), need, int(((topics >= 0) & (new < 0))[inverse].sum()))
    return new, int(len(narrow)), mapping


def event_topics(model, config: TopicsConfig, docs: list[str], doc_ids: np.ndarray, topics: np.ndarray,
                 inverse: np.ndarray, stop_words: frozenset[str]) -> set[int]:
    """Events: topics told in at least ``event_min_documents`` documents whose own words
    (:func:`keyword_share`) have at least ``event_keyword_share`` of their uses in the topic.

    An event covered as a paragraph in many articles is the main topic of none of them, yet its
    words (a place, a name, what happened) are its own; the anchoring rule keeps it. A document tells
    the event when it holds at least ``event_min_sentences`` of its sentences (2: a paragraph); a story
    one article is about and two others name in passing is not an event.
    """
    if not config.event_keyword_share:
        return set()
    labels = topics[inverse]
    told_by = pd.DataFrame({"doc": doc_ids, "topic": labels})[labels >= 0].groupby(["topic", "doc"]).size()
    least = event_min_documents(config, doc_ids, labels, told_by.groupby(level="topic").size(),
                                min_main_documents(config, len(docs)))
    spread = (told_by >= config.event_min_sentences).groupby(level="topic").sum()  # documents telling it enough
    if config.event_min_documents == "auto":
        logger.info("Events must be told in at least %d documents (the median of the corpus's stories)", least)
    told = [int(t) for t, n in spread.items() if n >= least]
    if not told:
        return set()
    words = {t: [w for w, _ in (model.get_topic(t) or [])] for t in told}
    shares = keyword_share([docs[i] for i in inverse], labels, words, stop_words, top_words=config.top_n_words)
    return {t for t, s in shares.items() if s >= config.event_keyword_share}


def drop_unanchored_topics(model, config: TopicsConfig, docs: list[str], doc_ids: np.ndarray, topics: np.ndarray,
                           probs: np.ndarray, inverse: np.ndarray,
                           events: set[int] = frozenset()) -> tuple[np.ndarray, dict[str, str], dict[int, int] | None]:
    """Topics no document is about become -1 (:func:`~framing.topics.documents.unanchored_topics`), events excepted.

    Returns the new assignments, ``{top three c-TF-IDF words: reason}`` of the dropped topics, and
    the renumbering (None: unchanged).
    """
    least = min_main_documents(config, len(docs))  # ``auto``: grows with the corpus (framing.topics.sizing)
    if least <= 1 and config.min_anchored_share <= 0:
        return topics, {}, None
    if least > 1 and len(set(doc_ids.tolist())) < least:
        return topics, {}, None
    reasons = unanchored_topics(doc_ids, topics[inverse], probs[inverse], least, config.min_anchored_share)
    reasons = {t: r for t, r in reasons.items() if t not in events}
    if not reasons or len(reasons) == len(set(topics[topics >= 0].tolist())):
        return topics, {}, None  # never leave a corpus without topics: then the rule says nothing
    # Keyed by the topic's keywords before it is dropped: the numbers change when topics are renumbered.
    dropped = {", ".join(w for w, _ in (model.get_topic(t) or [])[:3]): r for t, r in reasons.items()}
    new, mapping = drop_topics(model, docs, topics, set(reasons), config.top_n_words)
    logger.info("%d topics that no document is about left unclustered (%d sentences)",
                len(reasons), int(((topics >= 0) & (new < 0))[inverse].sum()))
    return new, dropped, mapping
