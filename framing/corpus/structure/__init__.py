"""Splitting scraped pages into units: the article body, each comment, blog posts.

Comments are another voice than the outlet's, so they become their own
units (role "comment", with author, parent and depth) that later stages
can compare with the articles. Splitting is heuristic: every unit says
how it was split (``split_method``) and how sure that is
(``split_confidence``). Nothing is dropped: every non-blank line of a page
ends in exactly one unit, except archive stamps at the top ("MAY 2021")
and marker lines, whose content becomes the author or date field.

Styles (see the modules for the rules):

- ``date-archive`` (archive.py): blog archives, one post per day-name date header.
- ``says-thread`` (threads.py): "1. Name says:" with numbered, indented replies.
- ``bullet-thread`` (threads.py): "• Name" with indented replies.
- ``name-lines`` (names.py): bare author-name lines, no nesting.
- ``none``: one article unit.
"""

from .split import SPLIT_METHODS, detect_style, split_page

__all__ = ["SPLIT_METHODS", "detect_style", "split_page"]
