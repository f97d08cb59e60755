"""The visible text of an HTML page, with each character's place in the markup.

The main text of a page comes from trafilatura (:mod:`framing.corpus.html`),
which does not say where its words were in the file. To give sentences of
HTML pages offsets into the input (``input_start`` / ``input_end``, see
:mod:`framing.corpus.inputmap`), the page's markup is read once more with the
standard library's tokenizer: every character of text between tags, with
character references decoded (``&amp;`` -> ``&``), is kept together with
the span of the markup it came from. The extracted text's words are then
found in that visible text, and a sentence's span maps back to the first
and last character of its words in the file: the slice of the decoded file
holds the sentence's words in order, with whatever tags and entities sat
between them.

Text inside ``script``, ``style``, ``template`` and ``noscript`` is not
visible and is left out. Block-level tags separate words (a newline in the
visible text); inline tags (``b``, ``a``, ``span`` ...) do not, so a word
split by inline markup (``<b>Oil</b>field``) is still one word.

Examples
--------
>>> page = "<p>Oil &amp; gas</p><p>The <b>US</b> stays.</p>"
>>> vis = visible_text(page)
>>> vis.text
'Oil & gas\\nThe US stays.\\n'
>>> start, end = vis.raw_span(vis.text.index("The"), vis.text.index("."))
>>> page[start:end]
'The <b>US</b> stays'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

import numpy as np

_HIDDEN = {"script", "style", "template", "noscript"}
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark", "q",
           "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "del", "ins"}
_REF = re.compile(r"&(?:#[xX][0-9A-Fa-f]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);?")


@dataclass(frozen=True)
class VisibleText:
    """Visible text of a page and, per character, the span of markup it came from.

    text : str
    raw_start, raw_end : ndarray of shape (len(text),), int64
        ``page[raw_start[i]:raw_end[i]]`` is where ``text[i]`` came from
        (one character, a whole character reference, or the tag that a
        separating newline stands for).
    """

    text: str
    raw_start: np.ndarray
    raw_end: np.ndarray

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets into the page of ``text[start:end]`` (``end`` exclusive, non-empty span)."""
        return int(self.raw_start[start]), int(self.raw_end[end - 1])


class _Collector(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=False)
        self.page = page
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", page)]
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.hidden = 0

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _break(self) -> None:
        pos = self._pos()
        if self.chars and self.chars[-1] != "\n":
            self.chars.append("\n")
            self.starts.append(pos)
            self.ends.append(pos)

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag not in _INLINE:
            self._break()

    def handle_startendtag(self, tag, attrs):
        if tag not in _INLINE and tag not in _HIDDEN:
            self._break()

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag not in _INLINE:
            self._break()

    def handle_data(self, data):
        if self.hidden:
            return
        pos = self._pos()
        # convert_charrefs=False: data is the page's characters verbatim
        self.chars.extend(data)
        self.starts.extend(range(pos, pos + len(data)))
        self.ends.extend(range(pos + 1, pos + len(data) + 1))

    def _ref(self) -> None:
        if self.hidden:
            return
        pos = self._pos()
        m = _REF.match(self.page, pos)
        end = m.end() if m else pos + 1
        decoded = unescape(self.page[pos:end])
        for ch in decoded:
            self.chars.append(ch)
            self.starts.append(pos)
            self.ends.append(end)

    def handle_entityref(self, name):
        self._ref()

    def handle_charref(self, name):
        self._ref()


def visible_text(page: str) -> VisibleText:
    """Read the page's markup and return its visible text with the map to the page (see the module)."""
    collector = _Collector(page)
    collector.feed(page)
    collector.close()
    return VisibleText("".join(collector.chars), np.asarray(collector.starts, dtype=np.int64),
                       np.asarray(collector.ends, dtype=np.int64))
