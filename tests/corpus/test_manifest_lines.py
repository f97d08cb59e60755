"""A manifest problem names the data row and the line of the file, as a spreadsheet or an editor shows it."""

from __future__ import annotations

import warnings

from framing.corpus.manifest import read_manifest


def test_manifest_warnings_name_the_line_of_the_file(tmp_path):
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text('file,source,notes\na.txt,A,"two\nlines"\n,B,x\n', encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read_manifest(manifest, candidates=["a.txt"])
    messages = " ".join(str(w.message) for w in caught)
    assert "row 2 (line 4) has no file name" in messages   # the header is line 1; row 1 spans lines 2-3
