"""`--within frame:ID` / `topic:N` naming a frame or topic the run does not have is an error, not an empty scope."""

from __future__ import annotations

import pandas as pd
import pytest

from framing.compare.terms import scoped_sentences

SENTENCES = pd.DataFrame({"sentence_id": ["s1", "s2", "s3"], "topic": [0, 1, -1], "is_fragment": False})
FRAMES = pd.DataFrame({"sentence_id": ["s1", "s2", "s1", "s2"], "frame_id": ["oil", "oil", "war", "war"],
                       "matched": [True, False, False, False]})


def test_a_known_frame_or_topic_gives_its_sentences_even_when_none_matched():
    assert scoped_sentences(SENTENCES, FRAMES, "frame:oil").sentence_id.tolist() == ["s1"]
    assert scoped_sentences(SENTENCES, FRAMES, "frame:war").empty
    assert scoped_sentences(SENTENCES, FRAMES, "topic:1").sentence_id.tolist() == ["s2"]


def test_a_misspelt_frame_is_named_with_the_frames_that_exist():
    with pytest.raises(ValueError, match=r"'oill' in 'frame:oill' is not a frame of this run\. Did you mean 'oil'\?"):
        scoped_sentences(SENTENCES, FRAMES, "frame:oill")


def test_a_topic_the_run_lacks_is_named_with_the_topics_that_exist():
    with pytest.raises(ValueError, match=r"the run has no topic 7; its topics: -1, 0, 1"):
        scoped_sentences(SENTENCES, FRAMES, "topic:7")
