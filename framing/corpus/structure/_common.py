"""Shared pieces of the page splitters: drafts, line handling, name tests.

A splitter turns the lines of a page into ``Draft`` objects (a unit before
it has an id). ``split.py`` turns drafts into ``Unit`` rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "oktober": 10,
    # German (Juni, Juli, August, September, Oktober, November are above)
    "januar": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "dezember": 12,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}

_STAMP_RE = re.compile(r"^\s*(?P<month>[^\W\d_]+)\s+(?P<year>(19|20)\d\d)\s*$")
_FINAL_PUNCT = ".!?:;,…\"”’')]"


@dataclass
class Draft:
    """A unit before ids are known.

    ``parent`` is the index of the parent draft in the splitter's list, or
    None for a top-level unit (a top-level comment's parent is the article).
    """

    role: str
    lines: list[str] = field(default_factory=list)
    author: str | None = None
    parent: int | None = None
    depth: int = 0
    date: str | None = None
    date_source: str | None = None
    title: str | None = None
    confidence: float = 1.0

    def text(self) -> str:
        return join_lines(self.lines)


def is_blank(line: str) -> bool:
    return not line.strip()


def indent_of(line: str) -> int:
    """Leading spaces and tabs (a tab counts as 4); non-breaking spaces are text."""
    n = 0
    for ch in line:
        if ch == " ":
            n += 1
        elif ch == "\t":
            n += 4
        else:
            break
    return n


def join_lines(lines: list[str]) -> str:
    """De-indent by the common indentation, strip line ends, keep one blank
    line between paragraphs, drop leading and trailing blank lines.

    >>> join_lines(["    a", "    b", "", "", "      c"])
    'a\\nb\\n\\n  c'
    """
    body = [ln.rstrip() for ln in lines]
    while body and not body[0]:
        body.pop(0)
    while body and not body[-1]:
        body.pop()
    if not body:
        return ""
    cut = min(indent_of(ln) for ln in body if ln)
    out: list[str] = []
    for ln in body:
        if not ln:
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(_remove_indent(ln, cut))
    return "\n".join(out)


def _remove_indent(line: str, n: int) -> str:
    i = 0
    while i < len(line) and n > 0 and line[i] in " \t":
        n -= 4 if line[i] == "\t" else 1
        i += 1
    return line[i:]


def strip_stamps(lines: list[str]) -> tuple[list[str], list[str]]:
    """Remove archive stamps ("MAY 2021") from the top of a page.

    Only lines before the first other non-blank line are stamps: a month
    and year on a line of their own there is where a scraped archive puts
    its listing date, not part of the article.

    Returns
    -------
    lines : list of str
        The page lines with the stamps blanked (line numbers are kept).
    stamps : list of str
        The removed stamp lines.
    """
    out, stamps = list(lines), []
    for i, line in enumerate(lines):
        if is_blank(line):
            continue
        m = _STAMP_RE.match(line)
        if not m or m["month"].lower() not in MONTHS:
            break
        stamps.append(line.strip())
        out[i] = ""
    return out, stamps


def words(text: str) -> list[str]:
    return text.split()


def is_name_line(line: str, max_words: int, max_chars: int = 40) -> bool:
    """A short line that can be a commenter's name and is not a sentence.

    1 to ``max_words`` words, at most ``max_chars`` characters, no comma,
    no final punctuation, starts with a letter or "<". A link title quoted
    in a comment ("U.S. Sees a Vital Iraqi Toll Road, but Iran Sees a
    Threat") fails on length and comma, so it stays comment text.

    >>> is_name_line("Pave Way IV", 5), is_name_line("Ok. Now stop whining.", 5)
    (True, False)
    """
    s = line.strip()
    w = words(s)
    if not (1 <= len(w) <= max_words) or len(s) > max_chars:
        return False
    if "," in s or s[-1] in _FINAL_PUNCT or ". " in s:
        return False
    if not (s[0].isalpha() or s[0] == "<"):
        return False
    return all(len(t) <= 24 for t in w)


def paragraphs(lines: list[str], start: int = 0) -> list[tuple[int, int, int]]:
    """Paragraphs of ``lines[start:]`` as (first line, end line, blanks before).

    ``blanks before`` counts the blank lines between the paragraph and the
    previous one (for the first paragraph: since ``start``).
    """
    out, blanks, i, n = [], 0, start, len(lines)
    while i < n:
        if is_blank(lines[i]):
            blanks += 1
            i += 1
            continue
        j = i
        while j < n and not is_blank(lines[j]):
            j += 1
        out.append((i, j, blanks))
        blanks, i = 0, j
    return out


def title_line(lines: list[str]) -> str | None:
    """The first line when it looks like a title: a one-line paragraph of at
    most 200 characters with no final sentence punctuation."""
    paras = paragraphs(lines)
    if not paras:
        return None
    first, end, _ = paras[0]
    line = lines[first].strip()
    if end - first != 1 or len(line) > 200 or line[-1] in ".!?:;,…":
        return None
    return line


# Month names of every language above, and their three-letter abbreviations (Mar, Okt, ...).
_MONTHS = {**{name[:3]: num for name, num in MONTHS.items()}, **MONTHS}
_TIME = r"(?:\s*(?:at|om|um|à|,|-|@)?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?)?"
_STAMPS = (
    # March 20, 2020 at 10:01 am / Mar 20 2020
    (re.compile(r"^(?P<mon>[^\W\d_]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME + r"$", re.I)),
    # 20 March 2020 at 10:01
    (re.compile(r"^(?P<day>\d{1,2})\.?\s+(?P<mon>[^\W\d_]{3,9})\.?,?\s+(?P<year>\d{4})" + _TIME + r"$", re.I)),
    # 2020-03-20 10:01
    (re.compile(r"^(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")),
)


def comment_timestamp(line: str) -> str | None:
    """The ISO date of a line that is only a comment's time stamp, else None.

    WordPress and Disqus put "March 20, 2020 at 10:01 am" under the author;
    it is the comment's own date, not text to embed.

    >>> comment_timestamp("March 20, 2020 at 10:01 am"), comment_timestamp("20 Mar 2020, 10:01")
    ('2020-03-20', '2020-03-20')
    >>> comment_timestamp("March 20, 2020 was a bad day.") is None
    True
    """
    text = line.strip()
    if len(text) > 40:
        return None
    for pattern in _STAMPS:
        m = pattern.match(text)
        if not m:
            continue
        mon = m["mon"]
        month = int(mon) if mon.isdigit() else _MONTHS.get(mon.lower()) or _MONTHS.get(mon.lower()[:3])
        try:
            return date(int(m["year"]), month, int(m["day"])).isoformat() if month else None
        except ValueError:
            return None
    return None
