"""Offsets of documents and sentences into the input they came from.

A unit's text (``documents.text``) is its page's text de-indented, with
blank lines collapsed and marker lines (``Name says:``, archive stamps, date
headers) removed. It keeps every word of the input verbatim, in order, so
each whitespace-delimited token of the unit can be found again in the page
text. This module does that alignment and turns sentence offsets into
offsets into the input: ``input_start`` / ``input_end``.

The input is the decoded file as Python's ``open(file, encoding=...)`` reads
it (newlines as ``\\n``), for ``.txt`` / ``.md`` files; or the record's text
field (list values joined as the reader joins them) for ``.jsonl`` /
``.json`` / ``.csv`` / ``.parquet`` records. For HTML pages it is the decoded
page itself: the unit's words are found in the page's visible text
(:mod:`framing.corpus.htmlmap`) and their span mapped back to the markup, so
the slice holds the sentence's words with the tags and character references
that sat between them.

Examples
--------
>>> page = "Title\\n\\n  1. Ann says:\\n\\n    Oil is\\n    the reason."
>>> unit = "Oil is\\nthe reason."
>>> starts, ends = token_map(unit, page)
>>> to_input(0, len(unit), unit, starts, ends)
(27, 49)
>>> page[27:49]
'Oil is\\n    the reason.'
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_TOKEN = re.compile(r"\S+")
_LINE = re.compile(r"[^\n]+")


def _find_token(source: str, token: str, pos: int) -> int:
    """First occurrence of ``token`` at or after ``pos`` with whitespace (or the end) on both sides,
    else the first occurrence at all; -1 if none."""
    first = i = source.find(token, pos)
    n = len(source)
    while i >= 0:
        before = i == 0 or source[i - 1].isspace()
        after = i + len(token) >= n or source[i + len(token)].isspace()
        if before and after:
            return i
        i = source.find(token, i + 1)
    return first


def token_map(text: str, source: str, start: int = 0) -> tuple[np.ndarray, np.ndarray] | None:
    """Align the tokens of ``text`` to ``source``, in order, from ``start``.

    Each line of ``text`` (stripped) is looked for whole in ``source`` first,
    which pins its words down even where a short word also occurs in a
    removed marker line; a line that is not found whole (record paragraphs
    joined from a list) is aligned word by word.

    Returns
    -------
    (unit_starts, source_starts) : ndarrays of shape (n_tokens,), int64
        Where each token starts in ``text`` and in ``source``; None when a
        token cannot be found (``text`` does not come from ``source``).
    """
    # Token positions are kept in numpy arrays, one chunk per line: a 20 MB line has millions of
    # tokens, and Python lists of ints would take ten times the memory of the text.
    unit_chunks, source_chunks = [], []
    pos = start
    for m in _LINE.finditer(text):
        content = m.group().strip()
        if not content:
            continue
        offset = m.start() + m.group().index(content[0])
        i = _find_token(source, content, pos)
        if i >= 0:
            starts = np.fromiter((t.start() for t in _TOKEN.finditer(content)), dtype=np.int64)
            unit_chunks.append(starts + offset)
            source_chunks.append(starts + i)
            pos = i + len(content)
            continue
        line_unit, line_source = [], []
        for t in _TOKEN.finditer(content):
            i = _find_token(source, t.group(), pos)
            if i < 0:
                return None
            line_unit.append(offset + t.start())
            line_source.append(i)
            pos = i + len(t.group())
        unit_chunks.append(np.asarray(line_unit, dtype=np.int64))
        source_chunks.append(np.asarray(line_source, dtype=np.int64))
    if not unit_chunks:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(unit_chunks), np.concatenate(source_chunks)


def _map_char(p: int, unit_starts: np.ndarray, source_starts: np.ndarray) -> int:
    # Within a token the text is verbatim: same distance from the token's start.
    k = int(np.searchsorted(unit_starts, p, side="right")) - 1
    return int(source_starts[k] + (p - unit_starts[k]))


def to_input(start: int, end: int, text: str, unit_starts: np.ndarray, source_starts: np.ndarray) -> tuple[int, int] | None:
    """The span ``text[start:end]`` as offsets into the source (first to last non-space character)."""
    segment = text[start:end]
    first = len(segment) - len(segment.lstrip())
    last = len(segment.rstrip())
    if last <= first or not len(unit_starts):
        return None
    return (_map_char(start + first, unit_starts, source_starts),
            _map_char(start + last - 1, unit_starts, source_starts) + 1)


def input_offsets(documents: pd.DataFrame, sentences: pd.DataFrame,
                  page_texts: dict[str, str | None]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add ``input_start`` / ``input_end`` (nullable Int64) to documents and sentences.

    Parameters
    ----------
    documents : DataFrame with doc_id, page_id, position, text
    sentences : DataFrame with doc_id, start, end
    page_texts : dict of page_id to the input text of that page, or the
        :class:`~framing.corpus.htmlmap.VisibleText` of an HTML page (None: no offsets)
    """
    n_docs, n_sents = len(documents), len(sentences)
    doc_span = np.full((n_docs, 2), -1, dtype=np.int64)
    sent_span = np.full((n_sents, 2), -1, dtype=np.int64)
    maps: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    visible: dict = {}
    order = documents.reset_index(drop=True).sort_values(["page_id", "position"], kind="stable")
    cursor: dict[str, int] = {}
    texts = documents.text.tolist()
    for i, doc_id, page_id in zip(order.index, order.doc_id, order.page_id):
        source = page_texts.get(page_id)
        if source is None:
            continue
        if not isinstance(source, str):  # an HTML page: align to its visible text, map back to the markup
            visible[doc_id] = source
            source = source.text
        text = texts[i]
        # Units come in page order: look after the previous unit first, then anywhere.
        found = token_map(text, source, cursor.get(page_id, 0)) or token_map(text, source, 0)
        if found is None:
            continue
        maps[doc_id] = found
        span = to_input(0, len(text), text, *found)
        if span is not None:
            cursor[page_id] = span[1]
            doc_span[i] = visible[doc_id].raw_span(*span) if doc_id in visible else span
    text_of = dict(zip(documents.doc_id, texts))
    for j, (doc_id, start, end) in enumerate(zip(sentences.doc_id, sentences.start, sentences.end)):
        found = maps.get(doc_id)
        if found is None:
            continue
        span = to_input(int(start), int(end), text_of[doc_id], *found)
        if span is not None:
            sent_span[j] = visible[doc_id].raw_span(*span) if doc_id in visible else span

    def cols(span: np.ndarray) -> dict[str, pd.Series]:
        return {name: pd.Series(span[:, k], dtype="Int64").mask(span[:, k] < 0).array
                for k, name in enumerate(("input_start", "input_end"))}

    return documents.assign(**cols(doc_span)), sentences.assign(**cols(sent_span))
