"""Words of topics: stop words, keyword tokens, the filler rule, labels.

No third-party topic library is imported here, so the rules can be used
(and tested) without fitting a model.

Filler
------
A sentence is *filler* when it carries too little of its own content to
define a topic: fewer than ``min_content_words`` content words (letter tokens
of at least 3 characters that are not stop words of any language present),
or a match of one of the formulaic ``filler_patterns`` (bylines, "Read
more", photo credits ...). Reactions ("It's a start.", "So we'll find
out.") and datelines ("WASHINGTON (AP) -") have one or two content words.
Filler is never clustered; it keeps topic -1 or, with
``filler_topic: document``, takes its document's main topic afterwards.

>>> stops = stop_words_for(["en"])
>>> content_words("So we'll find out.", stops), content_words("It's a start.", stops)  # 'find' is an English stop word
([], ['start'])
>>> filler_mask(["It's a start.", "The Senate passed the budget bill on Tuesday.", "Read more: the full story"],
...             stops, min_content_words=3, patterns=DEFAULT_FILLER_PATTERNS).tolist()
[True, False, True]
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

logger = logging.getLogger(__name__)

TOKEN_PATTERN = r"(?u)\b[^\W\d_][^\W_]{2,}\b"
"""Keyword tokens: start with a letter, at least 3 characters; drops numbers and 1-2 letter tokens."""

LABEL_WORDS = 3

DEFAULT_FILLER_PATTERNS: tuple[str, ...] = (
    r"^\W*(read|see|watch|listen)\s+(more|also|next|the full|here)\b",
    r"^\W*(click|tap)\s+here\b",
    r"^\W*(sign up|subscribe|follow us|share this|like us)\b",
    r"^\W*(related|recommended|advertisement|sponsored)\b\W*(:|$)",
    r"^\W*(photo|image|video|picture|file photo)\s*(:|credit|courtesy)",
    r"\b(getty images|associated press photo|ap photo)\b|\breuters/",
    r"^\W*by\s+(?-i:[A-Z][\w.'-]+)(\s+((?-i:[A-Z][\w.'-]+)|and|&)){1,4}\W*$",
    r"\b(contributed (reporting|to this (report|story))|reporting by|editing by|writing by)\b",
    r"\b(all rights reserved|copyright ©?|this (story|article) (has been|was) updated)\b",
)
"""Formulaic lines that are filler whatever their length (case-insensitive ``re.search``)."""


def normalize_lang(lang: object) -> str | None:
    """``'en-US'`` -> ``'en'``; None, NaN and empty give None."""
    if not isinstance(lang, str) or not lang.strip():
        return None
    return re.split(r"[-_]", lang.strip().lower())[0]


def stop_words_for(langs: Sequence[object]) -> frozenset[str]:
    """The union of the stopwordsiso lists of every language in ``langs``.

    Each stop word is also split with :data:`TOKEN_PATTERN` so that the
    vectorizer's consistency check holds (``"don't"`` adds ``"don"``).

    >>> {"the", "het", "de"} <= stop_words_for(["en", "nl-NL"])
    True
    """
    import stopwordsiso

    codes = sorted({c for c in map(normalize_lang, langs) if c})
    known = [c for c in codes if stopwordsiso.has_lang(c)]
    missing = sorted(set(codes) - set(known))
    if missing:
        logger.info("No stop-word list for languages %s; their function words may appear as keywords.", missing)
    words = {w.lower() for w in stopwordsiso.stopwords(known)} if known else set()
    pattern = re.compile(TOKEN_PATTERN)
    for word in list(words):
        words.update(pattern.findall(word))
    return frozenset(words)


def keyword_preprocessor(text: str) -> str:
    """Lower-case and NFKC-normalise a text before keywords are counted."""
    return unicodedata.normalize("NFKC", text).lower()


_TOKEN_RE = re.compile(TOKEN_PATTERN)


def content_words(text: str, stop_words: frozenset[str]) -> list[str]:
    """The keyword tokens of ``text`` that are not stop words, in order."""
    return [w for w in _TOKEN_RE.findall(keyword_preprocessor(text)) if w not in stop_words]


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


def check_patterns(patterns: Sequence[str]) -> None:
    """Raise ``ValueError`` naming the first pattern that is not a valid regular expression."""
    for i, pattern in enumerate(patterns):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"topics.filler_patterns[{i}] = {pattern!r} is not a valid regular expression: {exc}") from exc


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


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_WORDS = re.compile(r"\w+", re.UNICODE)
_DIGITS = re.compile(r"\d+")


def normalize_sentence(text: str) -> str:
    """The form under which repeated sentences are compared: NFKC, lower case, digits as ``0``, words only.

    >>> normalize_sentence("Advertisement: Continue reading the main story")
    'advertisement continue reading the main story'
    >>> normalize_sentence("Updated 3:15 p.m.") == normalize_sentence("Updated 10:42 p.m.")
    True
    """
    text = _DIGITS.sub("0", keyword_preprocessor(text))
    return " ".join(_NON_WORD.sub(" ", text).split())


def repeated_mask(texts: Sequence[str], doc_ids: Sequence[object], sources: Sequence[object] | None,
                  min_documents: int | None) -> np.ndarray:
    """True for each sentence that is boilerplate: repeated in ``min_documents`` documents of its source.

    A sentence (in its :func:`normalize_sentence` form) that one source prints in
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
    # Documents with text of their own: a sentence no other document of the source holds.
    original = {(key[0], doc) for key, doc in zip(keys, doc_ids) if key[1] and len(documents[key]) == 1}
    repeated = {key for key, docs in documents.items()
                if len(docs) >= min_documents and sum((key[0], d) in original for d in docs) >= min_documents}
    for i, key in enumerate(keys):
        out[i] = key in repeated
    return out
