"""Comments whose only marker is a bare author-name line (seed 004).

A name line is a one-line paragraph that can be a name (1 to
``max_name_words`` words, no comma, no final punctuation; see
``is_name_line``) followed by a paragraph that is not itself a name line.
It starts a comment by that author. A paragraph after two or more blank
lines and without a name line starts a comment without author (the page
lost its name). Paragraphs after a single blank line continue the current
unit.

What cannot be known: no marker separates the article from the first
comments when those have lost their name lines. The documented rule: the
article runs up to the first name line or the first paragraph after two
blank lines, whichever comes first. Comments before that point end up in
the article, so the article gets ``ARTICLE_CONFIDENCE``.
"""

from __future__ import annotations

from ._common import Draft, is_name_line, paragraphs

ARTICLE_CONFIDENCE = 0.5
NAME_CONFIDENCE = 0.7


def name_paragraphs(lines: list[str], max_words: int) -> list[int]:
    """Indices (into ``paragraphs(lines)``) of the name lines; never the first paragraph."""
    paras = paragraphs(lines)
    out = []
    for k in range(1, len(paras)):
        first, end, _ = paras[k]
        if end - first != 1 or not is_name_line(lines[first], max_words):
            continue
        if k + 1 < len(paras) and not _single_name(lines, paras[k + 1], max_words):
            out.append(k)
    return out


def _single_name(lines: list[str], para: tuple[int, int, int], max_words: int) -> bool:
    first, end, _ = para
    return end - first == 1 and is_name_line(lines[first], max_words)


def name_style_confidence(lines: list[str], max_words: int, min_names: int) -> float:
    """``NAME_CONFIDENCE`` when the page reads as a name-line thread, else 0.

    Headings and captions of an article ("Background", "Photo",
    "ADVERTISEMENT") look like names too, so the style needs all three
    signs of a comment section: at least ``min_names`` distinct names, a
    name that comes back after another one (A ... B ... A: a conversation),
    and paragraphs set
    apart by two blank lines (comments whose name line was lost). On 3,956
    news articles (allsides + basil) this rule found no thread, where
    "distinct names and one of the two other signs" found 77 false ones.
    """
    found = name_paragraphs(lines, max_words)
    paras = paragraphs(lines)
    names = [lines[paras[k][0]].strip() for k in found]
    if len(set(names)) < min_names:
        return 0.0
    gaps = any(blanks >= 2 for _, _, blanks in paras[found[0]:])
    return NAME_CONFIDENCE if _back_and_forth(names) and gaps else 0.0


def _back_and_forth(names: list[str]) -> bool:
    """A name comes back after another name: A ... B ... A (a repeated
    caption "Photo ... Photo" with nothing between is no conversation)."""
    last: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in last and any(other != name for other in names[last[name] + 1 : i]):
            return True
        last[name] = i
    return False


def parse_names(lines: list[str], max_words: int, confidence: float) -> list[Draft]:
    """Split lines into the article (draft 0) and one draft per comment.

    Parameters
    ----------
    lines : list of str
        The page lines (archive stamps already blanked).
    max_words : int
        Longest name line in words.
    confidence : float
        split_confidence of comments that have a name line; comments
        without one get 0.1 less.

    Returns
    -------
    list of Draft
        ``[article, comment, ...]``; every comment has depth 1 (this style
        shows no nesting).
    """
    paras = paragraphs(lines)
    names = set(name_paragraphs(lines, max_words))
    start = next((k for k in range(1, len(paras)) if k in names or paras[k][2] >= 2), len(paras))
    article = Draft("article", confidence=ARTICLE_CONFIDENCE)
    _add(article, lines, paras[:start])
    drafts = [article]
    waiting = False  # a name line was read, its comment text not yet
    for k in range(start, len(paras)):
        first, end, blanks = paras[k]
        if k in names:
            drafts.append(Draft("comment", [], lines[first].strip(), 0, 1, confidence=confidence))
            waiting = True
            continue
        if blanks >= 2 and not waiting:
            drafts.append(Draft("comment", [], None, 0, 1, confidence=round(confidence - 0.1, 2)))
        _add(drafts[-1], lines, [paras[k]])
        waiting = False
    return drafts


def _add(draft: Draft, lines: list[str], paras: list[tuple[int, int, int]]) -> None:
    for first, end, _ in paras:
        if draft.lines:
            draft.lines.append("")
        draft.lines.extend(lines[first:end])
