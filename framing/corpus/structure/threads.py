"""Comment threads with explicit markers: "Name says:" lines and "• Name" bullets.

Both styles nest replies by indentation: a marker indented deeper than
the previous one replies to it; depth 1 is a top-level comment (its parent
is the article). Everything before the first marker is the article.

"Name says:" threads (WordPress) are usually numbered per level
("  1. Al Balog says:", "    1. BMWA1 says:"). A numbered line without
"says:" is taken as a comment without author only when its number
continues the numbering of an earlier sibling at the same indentation
(in seed 003 "  5. Now that the Tiger Force..." follows "  4. turcopolier
says:"); a numbered list inside a comment body does not continue a
sibling's number, so it stays body text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._common import Draft, indent_of, is_blank, words

SAYS_CONFIDENCE = 0.95
BULLET_CONFIDENCE = 0.9
AUTHORLESS_CONFIDENCE = 0.8
"""A numbered item without "says:" is a comment by its number only."""

_SAYS_RE = re.compile(r"^(?P<ind>[ \t]*)(?:(?P<num>\d{1,4})[.)][ \t]+)?(?P<name>\S.{0,79}?)[ \t]+says:[ \t]*$")
_BULLET_RE = re.compile(r"^(?P<ind>[ \t]*)[•●◦▪‣][ \t]+(?P<name>\S.{0,59}?)[ \t]*$")
_NUMBERED_RE = re.compile(r"^(?P<ind>[ \t]*)(?P<num>\d{1,4})[.)][ \t]+(?P<rest>\S.*)$")
MAX_NAME_WORDS = 8


@dataclass(frozen=True)
class Marker:
    """A comment's first line: its indentation, list number and author."""

    indent: int
    number: int | None
    author: str | None


def says_markers(lines: list[str]) -> dict[int, Marker]:
    """Line index -> marker for every "Name says:" line."""
    out = {}
    for i, line in enumerate(lines):
        m = _SAYS_RE.match(line)
        if m and len(words(m["name"])) <= MAX_NAME_WORDS:
            num = int(m["num"]) if m["num"] else None
            out[i] = Marker(indent_of(line), num, m["name"].strip())
    return out


def bullet_markers(lines: list[str]) -> tuple[dict[int, Marker], int]:
    """Line index -> marker for "• Name" lines, and how many have a body.

    A bullet counts only when what follows it (after blank lines) is
    indented deeper (its body), another bullet, or the end of the page, and
    the thread starts at the first bullet with a body, so a bulleted list
    inside an article is not a thread.
    """
    found = {}
    for i, line in enumerate(lines):
        m = _BULLET_RE.match(line)
        if m and len(words(m["name"])) <= MAX_NAME_WORDS:
            found[i] = Marker(indent_of(line), None, m["name"].strip())
    out, with_body, first = {}, 0, None
    for i, marker in found.items():
        j = i + 1
        while j < len(lines) and is_blank(lines[j]):
            j += 1
        if indent_of(lines[j] if j < len(lines) else "") > marker.indent and j not in found:
            out[i] = marker
            with_body += 1
            first = i if first is None else first
        elif j == len(lines) or j in found:
            out[i] = marker
    # The thread starts at the first bullet with a body; bullets before it are a list in the article.
    return ({i: m for i, m in out.items() if i >= first} if first is not None else {}), with_body


def parse_thread(lines: list[str], markers: dict[int, Marker], numbered: bool, confidence: float) -> list[Draft]:
    """Split lines into the article (draft 0) and one draft per comment.

    Parameters
    ----------
    lines : list of str
        The page lines (archive stamps already blanked).
    markers : dict of int to Marker
        The comment marker lines; marker lines become the author field.
    numbered : bool
        Take numbered lines that continue a sibling's number as comments
        without author.
    confidence : float
        split_confidence of comments with a marker.

    Returns
    -------
    list of Draft
        ``[article, comment, ...]`` in page order.
    """
    first = min(markers)
    drafts = [Draft("article", lines[:first], confidence=confidence)]
    stack: list[tuple[int, int]] = []  # (indent, draft index) of the open ancestors
    last_number: dict[tuple[int, int], int] = {}  # (parent, indent) -> last sibling number
    for i in range(first, len(lines)):
        line = lines[i]
        marker, body = markers.get(i), None
        if marker is None and numbered:
            marker, body = _authorless(line, stack, last_number)
        if marker is None:
            drafts[-1].lines.append(line)
            continue
        while stack and stack[-1][0] >= marker.indent:
            stack.pop()
        parent = stack[-1][1] if stack else 0
        conf = confidence if body is None else AUTHORLESS_CONFIDENCE
        drafts.append(Draft("comment", [body] if body else [], marker.author, parent, len(stack) + 1,
                            confidence=conf))
        stack.append((marker.indent, len(drafts) - 1))
        if marker.number is not None:
            last_number[(parent, marker.indent)] = marker.number
    return drafts


def _authorless(line: str, stack: list[tuple[int, int]], last_number: dict) -> tuple[Marker | None, str | None]:
    m = _NUMBERED_RE.match(line)
    if not m:
        return None, None
    indent, number = indent_of(line), int(m["num"])
    ancestors = [entry for entry in stack if entry[0] < indent]
    parent = ancestors[-1][1] if ancestors else 0
    if last_number.get((parent, indent)) != number - 1:
        return None, None
    # Keep the text's column so that its continuation lines de-indent with it.
    body = " " * m.start("rest") + m["rest"]
    return Marker(indent, number, None), body
