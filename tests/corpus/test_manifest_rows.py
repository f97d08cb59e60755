"""Manifest rows that cannot be used are reported, not dropped silently."""

import pytest

from framing.config import CorpusConfig
from framing.corpus.readers import read_inputs
from framing.errors import InputWarning


def test_duplicate_and_nameless_manifest_rows_warn(tmp_path):
    (tmp_path / "a.txt").write_text("Rockets hit the base again.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,source\na.txt,first\na.txt,second\n,orphan\n", encoding="utf-8")
    with pytest.warns(InputWarning, match=r"repeats file 'a.txt'.*the later row is used.*no file name"):
        result = read_inputs([tmp_path], CorpusConfig())
    assert [p.meta["source"] for p in result.pages] == ["second"]


def test_invalid_date_source_warns_and_is_not_trusted(tmp_path):
    (tmp_path / "a.txt").write_text("Rockets hit the base again.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,source,date,date_source,notes\na.txt,x,2020-03-17,guessed,checked by hand\n", encoding="utf-8")
    with pytest.warns(InputWarning, match=r"date_source 'guessed' is not one of stated, inferred, unknown"):
        result = read_inputs([tmp_path], CorpusConfig())
    meta = result.pages[0].meta
    assert meta["date_source"] == "unknown" and meta["date"] == "2020-03-17"
    assert meta["notes"] == "checked by hand"
