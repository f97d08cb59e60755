"""A coded sample.csv, as `framing validate` reads it, is a label file for `frames train` and `evaluate` too:
'none' is an item coded with no frame, an empty cell an item not coded yet."""

from __future__ import annotations

import pandas as pd
import pytest

from framing.errors import InputError
from framing.frames.labelled import read_labels


def _sample(tmp_path, frames: list[str]):
    path = tmp_path / "sample.csv"
    pd.DataFrame({"sample_id": range(1, len(frames) + 1), "sentence_id": [f"s{i}" for i in range(len(frames))],
                  "text": [f"Sentence {i}." for i in range(len(frames))], "frames": frames}).to_csv(path, index=False)
    return path


def test_none_is_no_frame_and_an_empty_cell_is_not_coded(tmp_path):
    labels = read_labels(_sample(tmp_path, ["oil", "none", "", "oil;war", "NONE"]))
    assert labels.sentence_id.tolist() == ["s0", "s1", "s3", "s4"]
    assert labels.frames.tolist() == [["oil"], [], ["oil", "war"], []]


def test_a_sample_nobody_coded_yet_says_what_to_do(tmp_path):
    with pytest.raises(InputError, match="no coded row yet: fill in its 'frames' column"):
        read_labels(_sample(tmp_path, ["", ""]))


def test_errors_keep_the_line_of_the_file_after_uncoded_rows(tmp_path):
    with pytest.raises(InputError, match="line 4, field 'frames'"):
        read_labels(_sample(tmp_path, ["", "", "[oops"]))


def test_in_other_label_files_an_empty_cell_is_no_frame(tmp_path):
    path = tmp_path / "coded.csv"
    pd.DataFrame({"text": ["a.", "b."], "frames": ["oil", ""]}).to_csv(path, index=False)
    assert read_labels(path).frames.tolist() == [["oil"], []]
