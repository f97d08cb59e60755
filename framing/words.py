"""Words: tokens, stop words, sentence normal forms: the ground every stage counts words with.

Nothing here imports a stage, so the config, topics, comparisons and
reports count a word the same way:

- :data:`TOKEN_PATTERN` and :func:`keyword_preprocessor`: what a keyword
  token is (starts with a letter, at least 3 characters) and how a text is
  lower-cased and NFKC-normalised before tokens are counted;
- :func:`stop_words_for`: the stop words of the languages present
  (``stopwordsiso``), :func:`normalize_lang` for their codes;
- :func:`content_words`: the tokens that are not stop words;
- :func:`normalize_sentence`: the form under which repeated sentences are compared;
- :data:`DEFAULT_FILLER_PATTERNS` and :func:`check_patterns`: the formulaic
  lines of the filler rule (:mod:`framing.topics.rules`), here because the
  config holds them as its default.

Examples
--------
>>> stops = stop_words_for(["en"])
>>> content_words("So we'll find out.", stops), content_words("It's a start.", stops)  # 'find' is an English stop word
([], ['start'])
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
    """``'en-US'`` -> ``'en'``; None, NaN and empty give None.

    >>> normalize_lang("nl-NL"), normalize_lang(float("nan"))
    ('nl', None)
    """
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


def corpus_languages(langs: Sequence[object], min_sentences: int) -> list[str]:
    """The languages of a corpus: those of at least ``min_sentences`` of ``langs`` (the most frequent always).

    A language seen in a few sentences only, often a short sentence identified wrongly ("Mr.
    Calderón told CNBC." as Spanish), must not put its stop words in every sentence's vocabulary:
    the Spanish list holds "embargo" (however) and the digits, which then left the keywords and
    the clusterable sentences of an English corpus.

    >>> corpus_languages(["en"] * 20 + ["es", None], 10)
    ['en']
    >>> corpus_languages(["en"] * 20 + ["nl-NL"] * 12, 10), corpus_languages(["nl", "en", "en"], 10)
    (['en', 'nl'], ['en'])
    """
    counts: dict[str, int] = {}
    for code in map(normalize_lang, langs):
        if code:
            counts[code] = counts.get(code, 0) + 1
    if not counts:
        return []
    floor = min(max(1, int(min_sentences)), max(counts.values()))
    return sorted(code for code, k in counts.items() if k >= floor)


def keyword_preprocessor(text: str) -> str:
    """Lower-case and NFKC-normalise a text before keywords are counted.

    >>> keyword_preprocessor("Syrië ＡＢＣ")
    'syrië abc'
    """
    return unicodedata.normalize("NFKC", text).lower()


_TOKEN_RE = re.compile(TOKEN_PATTERN)


def presence_matrix(texts: Sequence[str], index: dict[str, int]):
    """Which texts use which words: a sparse 0/1 matrix of shape (len(texts), len(index)), CSR.

    Tokens are those of the topic keywords (:func:`keyword_preprocessor`, :data:`TOKEN_PATTERN`);
    ``index`` maps each counted word to its column. Coherence (NPMI) and the keyword-share rule
    count documents with it.

    >>> presence_matrix(["Oil fields", "oil prices and oil"], {"oil": 0, "prices": 1}).toarray().tolist()
    [[1.0, 0.0], [1.0, 1.0]]
    """
    from scipy.sparse import csr_matrix

    token = re.compile(TOKEN_PATTERN)
    rows, cols = [], []
    for r, text in enumerate(texts):
        for word in set(token.findall(keyword_preprocessor(text))):
            j = index.get(word)
            if j is not None:
                rows.append(r)
                cols.append(j)
    return csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(len(texts), len(index)))


def content_words(text: str, stop_words: frozenset[str]) -> list[str]:
    """The keyword tokens of ``text`` that are not stop words, in order."""
    return [w for w in _TOKEN_RE.findall(keyword_preprocessor(text)) if w not in stop_words]


def check_patterns(patterns: Sequence[str]) -> None:
    """Raise ``ValueError`` naming the first pattern that is not a valid regular expression.

    >>> check_patterns([r"^by\\s", "(unclosed"])
    Traceback (most recent call last):
    ...
    ValueError: topics.filler_patterns[1] = '(unclosed' is not a valid regular expression: missing ), unterminated subpattern at position 0
    """
    for i, pattern in enumerate(patterns):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"topics.filler_patterns[{i}] = {pattern!r} is not a valid regular expression: {exc}") from exc


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
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
