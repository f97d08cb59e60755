"""corpus_counts, the one home of the report's counts, against counts worked out by hand."""

from __future__ import annotations

import pandas as pd

from framing.compare.counts import COUNTS_COLUMNS, corpus_counts

DOCS = pd.DataFrame({
    "doc_id": ["d1", "d2", "d3", "d4"], "source": ["a", "a", "b", None],
    "role": ["article", "comment", "article", "post"], "date": ["2021-05-01", "2021-06-02", None, "2021-05-09"]})
SENTS = pd.DataFrame({
    "sentence_id": ["s1", "s2", "s3", "s4", "s5"], "doc_id": ["d1", "d1", "d2", "d3", "d4"],
    "source": ["a", "a", "a", "b", None], "role": ["article", "article", "comment", "article", "post"],
    "lang": ["en", "en", "nl", "en", None], "voice": ["own", "quote", "own", "own", "reported"]})
DOC_FRAMES = pd.DataFrame({"doc_id": ["d1", "d2", "d3", "d1"], "frame_id": ["oil", "oil", "oil", "lies"],
                           "matched": [True, False, True, False]})
DOC_TOPICS = pd.DataFrame({"doc_id": ["d1", "d1", "d2", "d3", "d4"], "topic": [0, 1, 0, 1, -1],
                           "sentences": [1, 1, 0, 1, 1], "is_main": [True, False, False, True, True]})


def _rows(c: pd.DataFrame, by: str, *cols: str) -> dict:
    part = c[c["by"] == by].set_index("group")
    return {g: tuple(None if pd.isna(v) else v for v in r) for g, r in zip(part.index, part[list(cols)].values)}


def test_counts_by_hand():
    c = corpus_counts({"documents": DOCS, "sentences": SENTS, "document_frames": DOC_FRAMES,
                       "document_topics": DOC_TOPICS})
    assert list(c.columns) == COUNTS_COLUMNS
    assert _rows(c, "corpus", "documents", "article_documents", "comment_documents", "post_documents", "sentences",
                 "first_date", "last_date") == {"all": (4, 2, 1, 1, 5, "2021-05-01", "2021-06-02")}
    assert _rows(c, "source", "documents", "article_documents", "comment_documents", "sentences", "first_date") == {
        "": (1, 0, 0, 1, "2021-05-09"), "a": (2, 1, 1, 3, "2021-05-01"), "b": (1, 1, 0, 1, None)}
    assert _rows(c, "role", "documents", "sentences") == {"article": (2, 3), "comment": (1, 1), "post": (1, 1)}
    assert _rows(c, "month", "documents") == {"2021-05": (2,), "2021-06": (1,), "unknown": (1,)}
    assert _rows(c, "language", "sentences", "share_of_all_sentences") == {"en": (3, 0.6), "nl": (1, 0.2),
                                                                          "": (1, 0.2)}
    assert _rows(c, "voice", "sentences")["own"] == (3,)
    # documents the run decided use the frame (matched rows), not rows of document_frames
    assert _rows(c, "frame", "documents") == {"oil": (2,), "lies": (0,)}
    # documents with a sentence in the topic (d2 has none in topic 0), and whose main topic it is
    assert _rows(c, "topic", "documents", "main_topic_documents") == {"0": (1, 1), "1": (2, 1), "-1": (1, 1)}


def test_missing_tables_leave_their_rows_out():
    c = corpus_counts({"documents": DOCS})
    assert set(c["by"]) == {"corpus", "source", "role", "month"}
    assert c[c["by"] == "corpus"]["sentences"].isna().all()
    assert corpus_counts({}).empty
