"""Outlet against audience with counter-frames: amplify / ignore / introduce / contest, worked out by hand.

Frames ``oil``, ``war`` and ``peace``; ``peace`` counters ``war`` (declared on one side only: the
relation is symmetric). Pages (one group, ``rt``):

- p1: article a1 uses war; comment c1 uses peace, comment c2 uses war -> war: contest, peace: introduce
- p2: article a2 uses war and oil; comment c3 uses oil, comment c4 nothing -> war: ignore, oil: amplify
- p3: article a3 uses war; comment c5 uses war -> war: amplify
- p4: article a4 uses oil and has no comments -> not an outlet-audience page
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from framing.compare.audience import AUDIENCE_COLUMNS, audience_table
from framing.compare.items import frame_counts, topic_counts
from framing.frames.catalog import parse_catalog

DOCS = pd.DataFrame({
    "doc_id": ["a1", "c1", "c2", "a2", "c3", "c4", "a3", "c5", "a4"],
    "page_id": ["p1", "p1", "p1", "p2", "p2", "p2", "p3", "p3", "p4"],
    "role": ["article", "comment", "comment", "article", "comment", "comment", "article", "comment", "article"],
})
SENT_DOCS = ["a1", "c1", "c2", "a2", "a2", "c3", "c4", "a3", "c5", "a4"]
SENTENCES = pd.DataFrame({"sentence_id": [f"s{i}" for i in range(10)], "doc_id": SENT_DOCS,
                          "topic": [0, 1, 0, 0, 1, 1, -1, 0, 0, 1]})
MATCHED = {("s0", "war"), ("s1", "peace"), ("s2", "war"), ("s3", "war"), ("s4", "oil"), ("s5", "oil"),
           ("s7", "war"), ("s8", "war"), ("s9", "oil")}
SF = pd.DataFrame([(s, f, (s, f) in MATCHED) for s in SENTENCES.sentence_id for f in ("oil", "war", "peace")],
                  columns=["sentence_id", "frame_id", "matched"])
GROUPS = pd.Series({d: "rt" for d in DOCS.doc_id})


def frames(counters=True):
    t = pd.DataFrame({"frame_id": ["oil", "war", "peace"], "label": ["Oil", "War", "Peace"]})
    return t.assign(counters=[[], ["peace"], []]) if counters else t


def table(frames_table):
    return audience_table(frame_counts(SENTENCES, SF, frames_table), DOCS, GROUPS, "source", seed=3, n_boot=300)


def test_page_responses_with_a_counter_frame():
    t = table(frames())
    assert list(t.columns) == AUDIENCE_COLUMNS
    pages = t[t.level == "page"].set_index(["page_id", "item"])
    assert pages["response"].to_dict() == {
        ("p1", "war"): "contest", ("p1", "peace"): "introduce",
        ("p2", "oil"): "amplify", ("p2", "war"): "ignore", ("p3", "war"): "amplify"}
    assert "p4" not in set(t.page_id)  # an article without comments has no outlet-audience rows
    assert pages.loc[("p1", "war"), "audience_countering_comments"] == 1  # c1 (peace)
    assert pages.loc[("p2", "war"), "audience_countering_comments"] == 0
    assert math.isnan(pages.loc[("p2", "oil"), "audience_countering_comments"])  # oil has no counter-frame
    assert pages.loc[("p1", "war"), "contest_measurable"] and not pages.loc[("p2", "oil"), "contest_measurable"]


def test_group_counts_and_contest_share():
    g = table(frames()).query("level == 'group'").set_index("item")
    war = g.loc["war"]
    assert (war.amplified_pages, war.ignored_pages, war.introduced_pages, war.contested_pages) == (1, 1, 0, 1)
    # the pages whose article uses war: p1 (2 comments, 1 countering), p2 (2, 0), p3 (1, 0) -> 1 of 5
    assert war.contest_share_of_comments == pytest.approx(0.2)
    assert war.contest_ci_low <= 0.2 <= war.contest_ci_high and war.contest_ci_high < 1
    # outlet: war in 3 of the articles' 4 sentences; audience: 2 (c2, c5) of the comments' 5
    assert war.outlet_share_of_sentences == 0.75 and war.audience_share_of_sentences == pytest.approx(0.4)
    peace = g.loc["peace"]  # a counter of war, so measurable; no article uses it: nothing to contest
    assert peace.contest_measurable and peace.contested_pages == 0 and math.isnan(peace.contest_share_of_comments)
    assert peace.introduced_pages == 1
    oil = g.loc["oil"]  # no counter-frame: contest is not measurable, and not reported as zero
    assert not oil.contest_measurable and math.isnan(oil.contested_pages)
    assert math.isnan(oil.contest_share_of_comments) and math.isnan(oil.contest_ci_low)
    assert (oil.amplified_pages, oil.ignored_pages) == (1, 0)


def test_catalog_without_counters_says_contest_is_not_measurable():
    t = table(frames(counters=False))
    assert not t["contest_measurable"].any()
    assert "contest" not in set(t["response"].dropna())
    pages = t[t.level == "page"].set_index(["page_id", "item"])
    assert pages.loc[("p1", "war"), "response"] == "amplify"  # c2 takes war up (its stance is not known)
    g = t.query("level == 'group'")
    assert g["contested_pages"].isna().all() and g["contest_share_of_comments"].isna().all()
    war = g.set_index("item").loc["war"]
    assert (war.amplified_pages, war.ignored_pages) == (2, 1)  # p1 and p3; p2


def test_counter_columns_with_no_counter_declared_and_topics():
    no_counters = frames().assign(counters=[[], [], []])
    assert not table(no_counters)["contest_measurable"].any()
    t = audience_table(topic_counts(SENTENCES), DOCS, GROUPS, "source", n_boot=50)
    assert not t["contest_measurable"].any() and t["contested_pages"].isna().all()


def test_frames_table_counters_come_from_the_catalog_symmetrically():
    from framing.config import FramesConfig
    from framing.frames import frame_rollups

    cat = parse_catalog({"frames": [
        {"id": "war", "label": "War", "description": "w", "examples": ["x"], "counters": ["peace"]},
        {"id": "peace", "label": "Peace", "description": "p", "examples": ["y"]},
        {"id": "oil", "label": "Oil", "description": "o", "examples": ["z"]}]})
    sentences = SENTENCES.assign(source="rt", role="article")
    scored = SF.assign(score=SF["matched"].astype(float))
    out = frame_rollups(scored, sentences, None, cat, FramesConfig()).frames.set_index("frame_id")
    assert [list(out.loc[f, "counters"]) for f in ("war", "peace", "oil")] == [["peace"], ["war"], []]
