"""Blog archives: several posts, each under a day-name date header (seed 002).

Blogger and similar platforms print a header line such as
"donderdag 8 februari 2018", "Thursday, February 8, 2018",
"Donnerstag, 8. Februar 2018" or "jeudi 8 février 2018" above each post.
Each header starts a post; the header line becomes the post's date
(date_source "stated") and the first line after it its title.
"""

from __future__ import annotations

import datetime as dt
import re

from ._common import MONTHS, Draft, is_blank

ARCHIVE_CONFIDENCE = 0.9

DAY_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday "
    "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag "
    "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag "
    "lundi mardi mercredi jeudi vendredi samedi dimanche".split()
)
_DAY_RE = re.compile(r"^(\d{1,2})(?:\.|st|nd|rd|th|er)?$")
_YEAR_RE = re.compile(r"^(1[89]|20)\d\d$")


def parse_date_header(line: str) -> str | None:
    """The ISO date of a day-name date header line, else None.

    >>> parse_date_header("donderdag 8 februari 2018")
    '2018-02-08'
    >>> parse_date_header("Thursday, February 8, 2018"), parse_date_header("On 8 May 2018 we")
    ('2018-02-08', None)
    """
    text = line.strip().lower()
    if not text or len(text) > 60:
        return None
    tokens = [t for t in re.split(r"[\s,]+", text) if t]
    if len(tokens) != 4 or tokens[0] not in DAY_NAMES:
        return None
    day = month = year = None
    for token in tokens[1:]:
        if token in MONTHS:
            month = MONTHS[token]
        elif (m := _DAY_RE.match(token)) and day is None:
            day = int(m[1])
        elif _YEAR_RE.match(token):
            year = int(token)
    if None in (day, month, year):
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def date_headers(lines: list[str]) -> dict[int, str]:
    """Line index -> ISO date for every date header."""
    out = {}
    for i, line in enumerate(lines):
        if not is_blank(line) and (iso := parse_date_header(line)):
            out[i] = iso
    return out


def parse_archive(lines: list[str], headers: dict[int, str]) -> list[Draft]:
    """One post per date header; text before the first header (a blog's
    banner, say) is kept as an article so nothing is lost.

    Returns
    -------
    list of Draft
        Posts (and possibly a leading article), in page order, depth 0, no parents.
    """
    drafts: list[Draft] = []
    starts = sorted(headers)
    if any(not is_blank(line) for line in lines[: starts[0]]):
        drafts.append(Draft("article", lines[: starts[0]], confidence=ARCHIVE_CONFIDENCE / 2))
    bounds = starts[1:] + [len(lines)]
    for start, end in zip(starts, bounds):
        body = lines[start + 1 : end]
        title = next((ln.strip() for ln in body if not is_blank(ln)), None)
        drafts.append(Draft("post", body, date=headers[start], date_source="stated", title=title,
                            confidence=ARCHIVE_CONFIDENCE))
    return drafts
