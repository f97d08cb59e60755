"""A document decision shows its support ("3 of 27 sentences lean toward it") under the support rule only,
with every corpus value escaped; the frames a topic expresses come from topic_frames, not the topics table."""

from __future__ import annotations

import re

import pandas as pd

from framing.report import render_report
from framing.report.evidence import Quotes
from framing.report.sections.frames import MAX_DOCUMENTS_SHOWN, document_decisions
from framing.report.sections.topics import expressed_frames


def _decided(page: str) -> list[str]:
    return re.findall(r'<ul class="decided">(.*?)</ul>', page, flags=re.S)


def test_a_support_decision_says_how_many_sentences_lean(tables, meta):
    df = tables["document_frames"]
    used = df[df.matched.astype(bool) & df.method.str.endswith("support")]
    assert len(used)
    page = render_report(tables, meta, seed=42)
    lists = "".join(_decided(page))
    shown = document_decisions(df, Quotes(tables))
    for r in used.itertuples():
        verb = "leans" if r.support == 1 else "lean"
        said = f"{r.support} of {r.sentences} sentences {verb} toward it"
        if r.doc_id in {d["doc_id"] for d in shown[r.frame_id]["shown"]}:
            assert said + ("" if r.matched_sentences else "; none states it on its own") in lists
    # the hostile corpus's titles and source names are escaped, never markup
    assert "&lt;svg onload=alert(4)&gt;" in lists and "&lt;img src=x" in lists
    assert "<svg" not in lists and "<img" not in lists


def test_a_score_decision_says_nothing_of_support(tables, meta):
    df = tables["document_frames"].assign(method="anchors")  # what frames.document_rule: score writes
    page = render_report({**tables, "document_frames": df}, meta, seed=42)
    lists = _decided(page)
    assert lists and not any("toward it" in part for part in lists)


def test_documents_are_listed_most_support_first_with_the_total():
    docs = pd.DataFrame({"doc_id": list("abcdefg"), "title": "t", "source": "s", "date": None, "role": "article",
                         "text": "x"})
    df = pd.DataFrame({"doc_id": list("abcdefg"), "frame_id": "f", "matched": [1, 1, 1, 1, 1, 1, 0],
                       "score": [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.95], "support": [1, 4, 2, 3, 5, 6, 9],
                       "sentences": [5, 9, 9, 9, 9, 9, 9], "method": "anchors+support"})
    out = document_decisions(df, Quotes({"documents": docs}))["f"]
    assert out["total"] == 6 and [d["doc_id"] for d in out["shown"]] == ["f", "e", "b", "d", "c"][:MAX_DOCUMENTS_SHOWN]
    by_score = document_decisions(df.assign(method="anchors"), Quotes({"documents": docs}))["f"]
    assert [d["doc_id"] for d in by_score["shown"]] == ["a", "b", "c", "d", "e"]
    assert all(d["support"] is None for d in by_score["shown"])
    lone = document_decisions(df.iloc[[0]], Quotes({"documents": docs}))["f"]["shown"][0]
    assert lone["support"] == "1 of 5 sentences leans toward it"


def test_documents_a_passage_states_come_first_and_the_others_say_so():
    docs = pd.DataFrame({"doc_id": list("abc"), "title": "t", "source": "s", "date": None, "role": "comment",
                         "text": "x"})
    df = pd.DataFrame({"doc_id": list("abc"), "frame_id": "f", "matched": 1, "score": [0.3, 0.9, 0.5],
                       "support": [4, 2, 1], "sentences": [4, 8, 3], "matched_sentences": [0, 1, 1],
                       "method": "anchors+support"})
    shown = document_decisions(df, Quotes({"documents": docs}))["f"]["shown"]
    assert [d["doc_id"] for d in shown] == ["b", "c", "a"]
    assert shown[2]["support"] == "4 of 4 sentences lean toward it; none states it on its own"
    assert shown[0]["support"] == "2 of 8 sentences lean toward it"


def test_topics_show_the_frames_of_topic_frames_and_the_topics_table_has_none(tables, meta):
    assert not {"frames", "frame_labels"} & set(tables["topics"].columns)
    tf = tables["topic_frames"]
    expressed = tf[tf.expresses.astype(bool)]
    assert len(expressed)
    shown = expressed_frames(tables)
    labels = dict(zip(tables["frames"].frame_id, tables["frames"].label))
    for topic, part in expressed.groupby("topic"):
        assert shown[int(topic)] == [labels[f] for f in part.sort_values("share", ascending=False).frame_id]
    page = render_report(tables, meta, seed=42)
    row = re.search(rf'<tr id="topic-{int(expressed.topic.iloc[0])}">(.*?)</tr>', page, flags=re.S).group(1)
    assert shown[int(expressed.topic.iloc[0])][0].replace("<", "&lt;").split("&lt;")[0] in row
