"""Choosing a page's style and turning its drafts into ``Unit`` rows."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from ...config import StructureConfig
from ...errors import StructureError
from ..model import ROLES, Page, Unit, stable_id
from ._common import Draft, comment_timestamp, strip_stamps, title_line
from .archive import ARCHIVE_CONFIDENCE, date_headers, parse_archive
from .names import name_style_confidence, parse_names
from .threads import BULLET_CONFIDENCE, SAYS_CONFIDENCE, bullet_markers, parse_thread, says_markers

log = logging.getLogger(__name__)

SPLIT_METHODS = ("date-archive", "says-thread", "bullet-thread", "name-lines", "none")


@dataclass(frozen=True)
class _Style:
    method: str
    confidence: float
    found: object = None  # the markers or headers the style was recognised by


def _detect(lines: list[str], cfg: StructureConfig) -> _Style:
    headers = date_headers(lines)
    if len(headers) >= cfg.min_archive_posts:
        return _Style("date-archive", ARCHIVE_CONFIDENCE, headers)
    says = says_markers(lines)
    if len(says) >= cfg.min_comment_markers:
        return _Style("says-thread", SAYS_CONFIDENCE, says)
    bullets, with_body = bullet_markers(lines)
    if len(bullets) >= cfg.min_comment_markers and with_body:
        return _Style("bullet-thread", BULLET_CONFIDENCE, bullets)
    conf = name_style_confidence(lines, cfg.max_name_words, cfg.min_name_lines)
    if conf:
        return _Style("name-lines", conf)
    return _Style("none", 1.0)


def detect_style(text: str, cfg: StructureConfig) -> tuple[str, float]:
    """How a page is structured, and how sure that is.

    Styles are tried in this order: a blog archive of day-name date
    headers, a "Name says:" thread, a "• Name" bullet thread, bare
    author-name lines. The first one with enough markers wins.

    Parameters
    ----------
    text : str
        The page text.
    cfg : StructureConfig

    Returns
    -------
    split_method : str
        One of ``SPLIT_METHODS``; "none" when no structure is recognised.
    confidence : float
        In [0, 1]; 1.0 for "none" (one unit is certainly one unit).

    Examples
    --------
    >>> from framing.config import StructureConfig
    >>> detect_style("Title\\n\\n  1. Ann says:\\n\\n    Hi\\n\\n  2. Bob says:\\n\\n    Yo", StructureConfig())
    ('says-thread', 0.95)
    """
    if cfg.split == "none":
        return "none", 1.0
    style = _detect(strip_stamps(text.splitlines())[0], cfg)
    return style.method, style.confidence


def split_page(page: Page, cfg: StructureConfig) -> list[Unit]:
    """Split a page into its article, comments or blog posts.

    A page whose metadata names a ``role`` (one record of a .jsonl file
    holding a comment, say), or any page when ``cfg.split == "none"``,
    stays one unit. Otherwise archive stamps ("MAY 2021") at the top are
    dropped and the style found by ``detect_style`` decides the split.
    Every other non-blank line ends up in exactly one unit; marker lines
    ("Name says:", "• Name", a bare name, a date header) become the
    unit's author or date.

    Parameters
    ----------
    page : Page
    cfg : StructureConfig

    Returns
    -------
    list of Unit
        In page order (``position``); comments after the unit they reply to.

    Raises
    ------
    StructureError
        If the page's ``role`` metadata is not one of article, comment, post.

    Examples
    --------
    >>> from framing.config import StructureConfig
    >>> page = Page("p1", "a.txt", None, "Title\\n\\nBody.\\n\\n  1. Ann says:\\n\\n    Hi\\n\\n"
    ...             "    1. Bob says:\\n\\n      Yo", "utf-8")
    >>> [(u.role, u.author, u.depth, u.text) for u in split_page(page, StructureConfig())]
    [('article', None, 0, 'Title\\n\\nBody.'), ('comment', 'Ann', 1, 'Hi'), ('comment', 'Bob', 2, 'Yo')]
    """
    role = page.meta.get("role")
    role = str(role).strip().lower() if role not in (None, "") else None
    if role or cfg.split == "none":
        return [_single_unit(page, role or "article")]
    lines, stamps = strip_stamps(page.text.splitlines())
    style = _detect(lines, cfg)
    log.debug("%s: style %s (%.2f), %d archive stamps removed", page.file, style.method, style.confidence,
              len(stamps))
    if style.method == "date-archive":
        drafts = parse_archive(lines, style.found)
    elif style.method in ("says-thread", "bullet-thread"):
        drafts = parse_thread(lines, style.found, style.method == "says-thread", style.confidence)
    elif style.method == "name-lines":
        drafts = parse_names(lines, cfg.max_name_words, style.confidence)
    else:
        drafts = [Draft("article", lines)]
    return _to_units(page, drafts, style.method)


def _single_unit(page: Page, role: str) -> Unit:
    if role not in ROLES:
        where = f"{page.file}{f' ({page.record})' if page.record else ''}"
        raise StructureError(
            f"{where}: field 'role' is {role!r}; it must be one of {', '.join(ROLES)}. "
            "Fix the value or map another field to 'role' in corpus.fields."
        )
    meta = page.meta
    text = page.text.strip()
    date, date_source = _page_date(meta)
    parent = meta.get("parent")
    return Unit(
        doc_id=stable_id(page.page_id, role, meta.get("author"), text, 0),
        page_id=page.page_id, role=role, text=text, author=meta.get("author"),
        parent_id=str(parent) if parent not in (None, "") else None,
        depth=1 if role == "comment" else 0, title=meta.get("title"),
        date=date, date_source=date_source, split_method="none", split_confidence=1.0,
    )


def _page_date(meta: dict) -> tuple[str | None, str]:
    date = meta.get("date")
    if date is None or (isinstance(date, str) and not date.strip()) or date != date:  # None, "", NaN
        return None, "unknown"
    iso = date.isoformat()[:10] if hasattr(date, "isoformat") else str(date).strip()
    return iso, meta.get("date_source") or "stated"


def _leading_timestamp(draft: Draft) -> tuple[str, str] | None:
    """A comment's own date from a time-stamp line opening its body, and the text without it."""
    lines = [ln for ln in draft.lines if ln.strip()]
    iso = comment_timestamp(lines[0]) if lines else None
    if iso is None:
        return None
    rest = list(draft.lines)
    rest.pop(next(i for i, ln in enumerate(rest) if ln.strip()))
    return iso, Draft(draft.role, rest).text()


def _to_units(page: Page, drafts: list[Draft], method: str) -> list[Unit]:
    date, date_source = _page_date(page.meta)
    seen: Counter = Counter()
    ids: list[str | None] = []
    units: list[Unit] = []
    article_title = page.meta.get("title")
    for draft in drafts:
        text = draft.text()
        if draft.role == "article" and not text:
            ids.append(None)  # a thread with no article: top-level comments have no parent
            continue
        author = page.meta.get("author") if draft.role == "article" else draft.author
        if draft.role == "article":
            title, d, ds = article_title or title_line(draft.lines), date, date_source
            article_title = title
        elif draft.role == "post":
            title, d, ds = draft.title, draft.date, draft.date_source or "stated"
        else:
            title, d, ds = article_title, date, "inferred" if date else "unknown"
            stamp = _leading_timestamp(draft)
            if stamp is not None:
                d, ds, text = stamp[0], "stated", stamp[1]
        key = (draft.role, author, text)
        doc_id = stable_id(page.page_id, draft.role, author, text, seen[key])
        seen[key] += 1
        ids.append(doc_id)
        parent_id = ids[draft.parent] if draft.parent is not None else None
        units.append(Unit(
            doc_id=doc_id, page_id=page.page_id, role=draft.role, text=text, author=author,
            parent_id=parent_id, depth=draft.depth, title=title, date=d, date_source=ds,
            split_method=method, split_confidence=draft.confidence if method != "none" else 1.0,
            position=len(units),
        ))
    if not units:  # an empty page still leaves a (flaggable) trace
        units.append(Unit(stable_id(page.page_id, "article", None, "", 0), page.page_id, "article", "",
                          title=article_title, date=date, date_source=date_source, split_method=method))
    return units
