"""Page templates with a varying part: a passage one source prints in many of its documents.

The boilerplate rule (:func:`framing.topics.rules.repeated_mask`) catches a line a
source repeats word for word. Much of a page's furniture repeats with a part that
changes: "Media playback is unsupported on your device Media caption <the video's
title>", "Photographer: <name>/Bloomberg", "LISTEN TO ARTICLE <minutes> SHARE THIS
ARTICLE", "— <name> (@handle) <date>". Each copy is a different sentence, so the
exact rule misses them, and their vectors cluster into topics of their own.

A sentence is a **template line** when most of it is one passage its source
prints in at least ``min_documents`` of its documents: the longest run of its
words covered by word 4-grams that the source uses in that many documents is at
least half of the sentence's words. One run, not any words: a sentence that
shares two common phrases of the source ("the Bush-era tax cuts", "health care
program") is still the writer's own. Counted as the exact rule counts:

- per source, so a passage that several outlets print (a reprint, a quote
  everyone carries) is never a template: reprints are the reuse signal;
- only documents with text of their own beside the line count: at least two
  sentences, one of which no other document of the source holds. A source's
  copies of one article never make its sentences templates, and documents of
  one sentence (posts, or no document ids: every sentence its own document)
  never do: a template is what a page prints around its own text.

Word 4-grams of lower-cased ``\\w+`` tokens: no word list, any language.

Examples
--------
>>> texts = ["Media playback is unsupported on your device Media caption Pelosi speaks", "Rain fell.",
...          "Media playback is unsupported on your device Media caption The wall at night", "Snow came.",
...          "Media playback is unsupported on your device Media caption Voters in Ohio", "Wind blew."]
>>> template_mask(texts, ["a", "a", "b", "b", "c", "c"], ["bbc"] * 6, 3).tolist()
[True, False, True, False, True, False]
>>> template_mask(texts, ["a", "a", "b", "b", "c", "c"], ["bbc", "x", "cnn", "x", "ap", "x"], 3).tolist()
[False, False, False, False, False, False]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

GRAM = 4
_WORD = re.compile(r"\w+", re.UNICODE)


def _grams(words: list[str]) -> list[str]:
    return [" ".join(words[i:i + GRAM]) for i in range(len(words) - GRAM + 1)]


def _longest_run(covered: np.ndarray) -> int:
    best = run = 0
    for c in covered:
        run = run + 1 if c else 0
        best = max(best, run)
    return best


def documents_with_own_text(keys: Sequence[tuple[str, str]], doc_ids: Sequence[object]) -> set[tuple[str, object]]:
    """The ``(source, document)`` pairs with text of their own: a sentence no other document of the source holds.

    ``keys`` are each sentence's ``(source, normalised text)``; an empty text never counts. Both
    boilerplate rules count repetition only in these documents, so copies of a whole document
    never make their own sentences boilerplate.

    >>> sorted(documents_with_own_text([("s", "a"), ("s", "b"), ("s", "a"), ("s", "")], ["d1", "d1", "d2", "d3"]))
    [('s', 'd1')]
    """
    holders: dict[tuple[str, str], set] = {}
    for key, doc in zip(keys, doc_ids):
        if key[1]:
            holders.setdefault(key, set()).add(doc)
    return {(key[0], doc) for key, doc in zip(keys, doc_ids) if key[1] and len(holders[key]) == 1}


def template_mask(texts: Sequence[str], doc_ids: Sequence[object], sources: Sequence[object] | None,
                  min_documents: int | None) -> np.ndarray:
    """True for each sentence that is mostly one passage its source prints in ``min_documents`` documents.

    Parameters
    ----------
    texts : sequence of str, length n
    doc_ids : sequence, length n
        The document of each sentence.
    sources : sequence, length n, optional
        The source of each sentence; None (or missing values): the corpus is one source.
    min_documents : int or None
        None or below 2 switches the rule off (``topics.boilerplate_min_documents``).

    Returns
    -------
    ndarray of shape (n,), bool
    """
    n = len(texts)
    out = np.zeros(n, dtype=bool)
    if not min_documents or min_documents < 2 or n == 0:
        return out
    sources = [s if isinstance(s, str) and s else "" for s in (sources if sources is not None else [None] * n)]
    doc_ids = list(doc_ids)
    words = [_WORD.findall(str(t).casefold()) for t in texts]
    original = documents_with_own_text([(src, " ".join(w)) for src, w in zip(sources, words)], doc_ids)
    sentences = Counter(zip(sources, doc_ids))
    original = {key for key in original if sentences[key] >= 2}
    documents: dict[tuple[str, str], set] = {}
    for src, w, doc in zip(sources, words, doc_ids):
        if (src, doc) in original:
            for g in _grams(w):
                documents.setdefault((src, g), set()).add(doc)
    for i, (src, w) in enumerate(zip(sources, words)):
        if len(w) < GRAM:
            continue
        covered = np.zeros(len(w), dtype=bool)
        for k, g in enumerate(_grams(w)):
            if len(documents.get((src, g), ())) >= min_documents:
                covered[k:k + GRAM] = True
        out[i] = 2 * _longest_run(covered) >= len(w)
    return out
