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
