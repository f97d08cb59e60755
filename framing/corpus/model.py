"""Plain data that flows out of the corpus stage.

``Page``: one input record as read (a file, or one record of a .jsonl /
.csv / .parquet file), before it is split into units.
``Unit``: one row of the ``documents`` table: an article body, a comment,
or a blog post, with its own author, date, parent and role.
``Skipped``: an input item that could not be used, and why.
``InputFile``: an input file with its sha256, for run.json.

Ids are derived from content and path, never from order, so they are
stable across runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

ROLES = ("article", "comment", "post")
DATE_SOURCES = ("stated", "inferred", "unknown")

# Metadata keys a Page may carry (from a manifest, a field mapping, or HTML).
META_KEYS = ("id", "source", "title", "date", "date_source", "url", "language", "author", "parent", "role", "notes")
EXTRA_KEY = "extra"
"""``Page.meta[EXTRA_KEY]``: the record's other fields / the manifest's other columns (documents.meta)."""


def stable_id(*parts: Any, length: int = 16) -> str:
    """A short hex id from its parts; the same parts give the same id.

    >>> stable_id("seeds/a.txt", "hello") == stable_id("seeds/a.txt", "hello")
    True
    """
    h = hashlib.sha1()
    for part in parts:
        h.update(str(part).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


@dataclass(frozen=True)
class Page:
    """One input record before structure splitting.

    Attributes
    ----------
    page_id : str
        ``stable_id(file, record, text)``.
    file : str
        The input file's path as given (posix).
    record : str or None
        Position inside a multi-record file ("line 12", "row 3") or None.
    text : str
        The decoded text (HTML already reduced to its main text).
    encoding : str
        The encoding used to decode it ("utf-8", "utf-8-sig", "cp1252", ...).
    meta : dict
        Metadata from the manifest or field mapping: keys of ``META_KEYS``.
    text_is_input : bool
        Whether ``text`` is the input as read (the decoded file, or the record's
        text field), so that offsets into it lead back to the input. False for
        HTML, whose text is extracted from markup.
    markup : str or None
        For HTML pages, the decoded page itself: offsets into it are found
        through its visible text (:mod:`framing.corpus.htmlmap`).
    """

    page_id: str
    file: str
    record: str | None
    text: str
    encoding: str
    meta: dict = field(default_factory=dict)
    text_is_input: bool = True
    markup: str | None = None


@dataclass(frozen=True)
class Unit:
    """One row of the documents table (before language identification).

    ``text`` is the unit's own text (comment bodies de-indented); sentence
    offsets refer to it.
    """

    doc_id: str
    page_id: str
    role: str
    text: str
    author: str | None = None
    parent_id: str | None = None
    depth: int = 0
    title: str | None = None
    date: str | None = None
    date_source: str = "unknown"
    split_method: str = "none"
    split_confidence: float = 1.0
    position: int = 0
    """Order of the unit inside its page (for display, not for ids)."""


@dataclass(frozen=True)
class Skipped:
    """An input item that did not make it into the results, and why."""

    item: str
    reason: str
    stage: str = "ingest"


@dataclass(frozen=True)
class InputFile:
    """An input file as recorded in run.json."""

    path: str
    sha256: str
    format: str
    records: int
