"""HTML pages to main text and metadata, with trafilatura.

The main text keeps one blank line between blocks (paragraphs, headings,
list items, quotes), and user comments that trafilatura finds follow the
article after a blank line. Scripts, styles and other non-text elements
never reach the text: trafilatura drops them, and the fallback used when it
finds no main text (for short pages and fragments) removes them from the
lxml tree before taking its text.
"""

from __future__ import annotations

import logging
from copy import deepcopy

from lxml import etree
from lxml import html as lxml_html

logger = logging.getLogger(__name__)

META_FIELDS = ("title", "date", "author", "url")
# Elements whose content is never text a reader sees.
_DROP = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "head")
# Elements that end a block of text in the fallback text dump.
_BLOCK = frozenset(
    "address article aside blockquote body br dd details dialog div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul".split()
)
# trafilatura's output elements that only wrap other blocks.
_WRAPPERS = frozenset({"body", "div", "doc", "main", "section", "article", "comments"})


def _block_texts(element: etree._Element) -> list[str]:
    """Texts of the blocks under a trafilatura output element, in order."""
    from trafilatura.xml import xmltotxt

    own_text = (element.text or "").strip()
    if element.tag in _WRAPPERS and not own_text and len(element):
        out: list[str] = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            out.extend(_block_texts(child))
            if (child.tail or "").strip():
                out.append(child.tail.strip())
        return out
    block = deepcopy(element)
    block.tail = None
    text = xmltotxt(block, False).strip()
    return [text] if text else []


def _join(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return "\n\n".join(_block_texts(element))


def _fallback_text(html: str) -> str:
    """Text of every visible block of the page, scripts and styles removed."""
    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    for bad in list(tree.iter(*_DROP)):
        if bad.getparent() is not None:
            bad.drop_tree()
    blocks: list[list[str]] = [[]]

    def walk(node: etree._Element) -> None:
        is_block = isinstance(node.tag, str) and node.tag.lower() in _BLOCK
        if is_block:
            blocks.append([])
        if isinstance(node.tag, str) and node.text:
            blocks[-1].append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                blocks[-1].append(child.tail)
        if is_block:
            blocks.append([])

    walk(tree)
    texts = (" ".join("".join(parts).split()) for parts in blocks)
    return "\n\n".join(t for t in texts if t)


def _metadata(document) -> dict:
    meta = {key: getattr(document, key, None) or None for key in META_FIELDS}
    if meta["date"]:
        meta["date_source"] = "inferred"
    return meta


def html_to_text(html: str) -> tuple[str, dict]:
    """The main text of an HTML page and its metadata.

    Parameters
    ----------
    html : str
        The decoded HTML document (untrusted: it may hold scripts).

    Returns
    -------
    text : str
        Main text, blocks separated by a blank line, then comments if any.
        Empty when the page has no visible text.
    meta : dict
        ``title``, ``date`` (``YYYY-MM-DD``), ``author`` and ``url`` as found
        by trafilatura (None when absent), and ``date_source="inferred"``
        when a date was found.

    Examples
    --------
    >>> text, meta = html_to_text(
    ...     "<html><head><title>T</title><script>alert(1)</script></head>"
    ...     "<body><p>First paragraph.</p><p>Second one.</p></body></html>")
    >>> text
    'First paragraph.\\n\\nSecond one.'
    >>> meta["title"]
    'T'
    """
    import trafilatura
    from trafilatura.metadata import extract_metadata

    if not html.strip():
        return "", {key: None for key in META_FIELDS}
    document = None
    try:
        document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=True, include_tables=True)
    except Exception as exc:  # trafilatura raises a variety of parser errors on broken markup
        logger.debug("trafilatura failed on a page: %s", exc)
    text = ""
    if document is not None:
        parts = [_join(document.body), _join(getattr(document, "commentsbody", None))]
        text = "\n\n".join(p for p in parts if p)
        meta = _metadata(document)
    else:
        try:
            meta = _metadata(extract_metadata(html))
        except Exception as exc:  # metadata is optional; never fail the page for it
            logger.debug("trafilatura metadata failed: %s", exc)
            meta = {key: None for key in META_FIELDS}
    if not text:
        text = _fallback_text(html)
    return text, meta
