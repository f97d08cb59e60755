"""Sentences with character offsets into their unit's text, and their language.

:func:`split_sentences` cuts a text into sentence spans so that
``text[start:end]`` is the sentence, exactly. The rules, in order:

1. A blank line (a line holding only whitespace) always ends a sentence:
   the text is cut into paragraphs first.
2. Inside a paragraph, a single line break ends a sentence when the line
   before it ends with sentence punctuation (``. ! ? … :`` possibly
   followed by closing quotes or brackets), when the next line starts
   with a list marker (``-``, ``*``, ``•``, ``1.``, ``2)`` ...), when the
   line before is short (under half the length of the paragraph's longest
   line: a heading, a name, a date), or when every line of the paragraph
   is short (under 40 characters: a list). Otherwise the break is taken
   for a hard wrap (scraped comments are often wrapped mid-sentence) and
   the lines are joined.
3. Each resulting block goes through pysbd in the text's language
   (languages pysbd lacks use its English rules). pysbd's own offsets are
   not trusted: each segment is located in the text from a moving cursor,
   the spans partition the block, and pieces without any word character
   (a run of dots pysbd split off) are merged into the sentence before.
   So is a piece that starts by continuing the sentence before (a comma,
   semicolon or colon, a closing bracket, a possessive ``'s``): pysbd cuts
   after an abbreviation that ends a name (``Sen. Cory Gardner, R-Colo.,
   head of ...``; ``Trump Jr.'s attorneys``) and no sentence starts so. A
   quotation mark followed by a space at the start of a piece closes the
   sentence before and moves to it (pysbd does not know ``„``).
4. Whitespace is stripped from both ends of every sentence, and a
   sentence longer than ``max_chars`` is cut at whitespace.

So every non-whitespace character of the text is in exactly one sentence
and no sentence starts or ends with whitespace.

(:func:`framing.segment.build_sentences` applies this to the ``documents``
table: :mod:`framing.segment.sentences`.)

Examples
--------
>>> text = "The U.S. Army said so. Maj. Gen. Smith left!\\n\\n?"
>>> [text[s:e] for s, e in split_sentences(text)]
['The U.S. Army said so.', 'Maj. Gen. Smith left!', '?']
"""

from __future__ import annotations

import functools
import logging
import re
import sys

logger = logging.getLogger(__name__)

_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")
_LINE_BREAK = re.compile(r"\n")
_WHITESPACE = re.compile(r"\s")
# Every character ``\s`` matches (str.isspace; the highest is U+3000), mapped to a space: str.translate
# flattens a text in one pass, where re.sub would build a list of two pieces per whitespace character
# (about 14 times the text's memory on a single 20 MB line).
_FLATTEN = {c: " " for c in range(0x3001) if chr(c).isspace() and c != 0x20}
_WORD_CHAR = re.compile(r"\w")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_ENDS_SENTENCE = re.compile(r"[.!?…:。！？؟۔]['\"”’»)\]*]*$")
_LIST_MARKER = re.compile(r"(?:[-*•·–—]|\d{1,3}[.)])\s")
# A piece starting so continues the sentence before: pysbd cut after an abbreviation ("R-Colo., head of").
_CONTINUES = re.compile(r"[,;:)\]}]|['’]s\b")
# A quotation mark followed by a space closes the quotation before (marks hug their text).
_CLOSING_MARK = re.compile(r"[\"“”„«»](?=\s)")
_TERMINATOR = re.compile(r"[.!?…。！？؟۔]")
_TRAILING = " .!?…。！？؟۔'\"”’»)]*"
SHORT_LINE_RATIO = 0.5
"""A line shorter than this share of its paragraph's longest line ends a sentence."""
LIST_LINE_CHARS = 40
"""In a paragraph whose lines are all shorter than this, every line ends a sentence."""

_SEGMENTERS: dict[str, object] = {}


@functools.lru_cache(maxsize=16384)
def _compiled(pattern: str, flags: int) -> re.Pattern:
    return re.compile(pattern, flags)


def _pattern(pattern, flags=0) -> re.Pattern:
    return pattern if isinstance(pattern, re.Pattern) else _compiled(pattern, flags)


class _CachingRe:
    """``re`` for pysbd with a large compiled-pattern cache.

    pysbd builds a regex per abbreviation and call; they overflow ``re``'s
    512-entry cache, and recompiling them took half of segmentation time.
    Results are identical: only compilation is cached.
    """

    def __getattr__(self, name):
        return getattr(re, name)

    def compile(self, pattern, flags=0):
        return _pattern(pattern, flags)

    def sub(self, pattern, repl, string, count=0, flags=0):
        return _pattern(pattern, flags).sub(repl, string, count)

    def findall(self, pattern, string, flags=0):
        return _pattern(pattern, flags).findall(string)

    def finditer(self, pattern, string, flags=0):
        return _pattern(pattern, flags).finditer(string)

    def search(self, pattern, string, flags=0):
        return _pattern(pattern, flags).search(string)

    def match(self, pattern, string, flags=0):
        return _pattern(pattern, flags).match(string)

    def split(self, pattern, string, maxsplit=0, flags=0):
        return _pattern(pattern, flags).split(string, maxsplit)


def _use_caching_re() -> None:
    """Point pysbd's modules at :class:`_CachingRe` (once, on first use)."""
    shim = _CachingRe()
    for name, module in list(sys.modules.items()):
        if (name == "pysbd" or name.startswith("pysbd.")) and getattr(module, "re", None) is re:
            module.re = shim


def _segmenter(lang: str):
    """The pysbd segmenter for a language, built once per process."""
    seg = _SEGMENTERS.get(lang)
    if seg is None:
        import pysbd
        from pysbd.languages import LANGUAGE_CODES

        if not _SEGMENTERS:
            _use_caching_re()

        code = lang if lang in LANGUAGE_CODES else "en"
        seg = _SEGMENTERS.get(code) or pysbd.Segmenter(language=code, clean=False, char_span=False)
        _SEGMENTERS[lang] = _SEGMENTERS[code] = seg
    return seg


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans between blank lines (not stripped)."""
    spans, start = [], 0
    for m in _BLANK_LINES.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _line_breaks_end(lines: list[str]) -> list[bool]:
    """For each break between consecutive lines: does it end a sentence (rule 2)?"""
    stripped = [line.strip() for line in lines]
    longest = max(len(s) for s in stripped)
    if longest < LIST_LINE_CHARS:
        return [True] * (len(lines) - 1)
    ends = []
    for before, after in zip(stripped[:-1], stripped[1:]):
        ends.append(
            not before
            or not after
            or bool(_ENDS_SENTENCE.search(before))
            or bool(_LIST_MARKER.match(after))
            or len(before) < SHORT_LINE_RATIO * longest
        )
    return ends


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of a paragraph between line breaks that end a sentence."""
    chunk = text[start:end]
    if "\n" not in chunk:
        return [(start, end)]
    lines = chunk.split("\n")
    blocks, block_start, pos = [], start, start
    for line, ends in zip(lines[:-1], _line_breaks_end(lines)):
        pos += len(line)
        if ends:
            blocks.append((block_start, pos))
            block_start = pos + 1
        pos += 1
    blocks.append((block_start, end))
    return blocks


def _segments(block: str, lang: str) -> list[str] | None:
    try:
        # pysbd's own offset search compiles one regex per sentence and drops
        # sentences it cannot find; its processor alone gives the segments.
        return _segmenter(lang).processor(block).process()
    except Exception:  # pysbd's regexes can fail on odd input; keep the block whole
        logger.debug("pysbd failed on a block of %d characters; kept as one sentence", len(block), exc_info=True)
        return None


def _located(segments, text: str, start: int, end: int) -> list[int]:
    """The end offset in ``text`` of each segment, found from a moving cursor (pysbd's offsets are not trusted)."""
    cuts, cursor = [], start
    for segment in segments or ():
        needle = segment.strip() if isinstance(segment, str) else str(segment).strip()
        if not needle:
            continue
        found = text.find(needle, cursor, end)
        if found < 0:
            continue
        cursor = found + len(needle)
        cuts.append(cursor)
    return cuts


def _cuts(flat: str, start: int, end: int, lang: str) -> list[int]:
    """Sentence boundaries inside ``flat[start:end]`` (whitespace already flattened to spaces)."""
    block = flat[start:end]
    if not _TERMINATOR.search(block.rstrip(_TRAILING)):
        return []
    segments = _segments(block, lang)
    if segments is None:
        return []
    return [c for c in _located(segments, flat, start, end) if start < c < end]


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _cut_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut a span longer than ``max_chars`` at the last whitespace that keeps each piece short enough."""
    spans = []
    while end - start > max_chars:
        limit = start + max_chars
        cut = limit
        for i in range(limit, start, -1):
            if text[i].isspace():
                cut = i
                break
        piece = _strip(text, start, cut)
        if piece:
            spans.append(piece)
        rest = _strip(text, cut, end)
        if rest is None:
            return spans
        start = rest[0]
    spans.append((start, end))
    return spans


def _block_sentences(text: str, flat: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    """Stripped sentence spans of one block; word-less pieces and continuations join the sentence before."""
    bounds = [start, *_cuts(flat, start, end, lang), end]
    spans: list[tuple[int, int]] = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        piece = _strip(text, a, b)
        if piece is not None and spans and _CLOSING_MARK.match(text, piece[0]):
            spans[-1] = (spans[-1][0], piece[0] + 1)
            piece = _strip(text, piece[0] + 1, piece[1])
        if piece is None:
            continue
        if spans and (not _WORD_CHAR.search(text, piece[0], piece[1]) or _CONTINUES.match(text, piece[0])):
            spans[-1] = (spans[-1][0], piece[1])
        elif len(spans) == 1 and not _WORD_CHAR.search(text, spans[0][0], spans[0][1]):
            spans[0] = (spans[0][0], piece[1])
        else:
            spans.append(piece)
    return spans


def split_sentences(text: str, lang: str = "en", max_chars: int = 2000) -> list[tuple[int, int]]:
    """Sentence spans of a text, with exact character offsets.

    Parameters
    ----------
    text : str
        A unit's text.
    lang : str
        ISO 639-1 code choosing pysbd's rules; unknown codes use English.
    max_chars : int
        Longer sentences are cut at whitespace.

    Returns
    -------
    list of (int, int)
        ``(start, end)`` in text order: ``text[start:end]`` is a sentence,
        never empty and never starting or ending with whitespace. Every
        non-whitespace character is in exactly one span. Empty for a text
        holding only whitespace.

    Examples
    --------
    >>> text = "De VS valt o.a. Syrië aan...... Alweer een misdaad.\\nNB dit is nieuw."
    >>> [text[s:e] for s, e in split_sentences(text, lang="nl")]
    ['De VS valt o.a. Syrië aan......', 'Alweer een misdaad.', 'NB dit is nieuw.']
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be an int >= 1. Got {max_chars!r} instead.")
    flat = text.translate(_FLATTEN)
    spans: list[tuple[int, int]] = []
    for p_start, p_end in _paragraphs(text):
        if _strip(text, p_start, p_end) is None:
            continue
        for b_start, b_end in _blocks(text, p_start, p_end):
            for s, e in _block_sentences(text, flat, b_start, b_end, lang):
                if e - s > max_chars:
                    spans.extend(_cut_long(text, s, e, max_chars))
                else:
                    spans.append((s, e))
    return spans


def count_words(text: str) -> int:
    """Word tokens (letters/digits, with inner apostrophes or hyphens).

    >>> count_words("Don't stop-loss now, 2018!")
    4
    """
    return len(_WORD.findall(text))


def count_word_chars(text: str) -> int:
    """Word characters (letters, digits, underscore): ``"?"`` has 0, ``"ok!"`` has 2."""
    return len(_WORD_CHAR.findall(text))
