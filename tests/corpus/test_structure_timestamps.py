"""A comment's time stamp line becomes its own date, not text."""

from framing.config import StructureConfig
from framing.corpus.model import Page
from framing.corpus.structure import split_page

PAGE = """US troops leave the base

The base was handed over on Friday.

  1. John Smith says:

    March 20, 2020 at 10:01 am

    This is a defeat, whatever they call it.

    1. Anna says:

      20 Mar 2020, 11:15

      It is a redeployment.

  2. Bob says:

    No stamp on this one, March 20, 2020 was just a day.
"""


def test_comment_time_stamps_become_dates():
    page = Page("p1", "page.txt", None, PAGE, "utf-8", {"date": "2020-03-19", "date_source": "stated"})
    units = {u.author: u for u in split_page(page, StructureConfig())}
    assert units["John Smith"].date == "2020-03-20" and units["John Smith"].date_source == "stated"
    assert units["John Smith"].text == "This is a defeat, whatever they call it."
    assert units["Anna"].date == "2020-03-20" and units["Anna"].text == "It is a redeployment."
    # without a stamp line the comment takes the page's date, marked inferred, and keeps its text
    assert units["Bob"].date == "2020-03-19" and units["Bob"].date_source == "inferred"
    assert units["Bob"].text.startswith("No stamp on this one")
