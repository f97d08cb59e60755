"""An unchanged corpus is read back from the ingest cache, not split again (framing.corpus.ingest_cache)."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from framing.config import load_config
from framing.corpus import ingest_cache
from framing.segment.step import ingest
from framing.corpus.model import InputFile, Skipped
from framing.errors import CacheWarning, InputWarning

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _cfg(cache_dir, *more):
    return load_config(overrides=[f"embedding.cache_dir={cache_dir}", *more])


def _no_split(monkeypatch):
    """Splitting now fails: what follows must come from the cache."""
    import framing.segment.step

    def refuse(*args, **kwargs):
        raise AssertionError("the corpus was split again")

    monkeypatch.setattr(framing.segment.step, "build_sentences", refuse)


def _same(a, b):
    pd.testing.assert_frame_equal(a.documents, b.documents)
    pd.testing.assert_frame_equal(a.sentences, b.sentences)
    assert a.skipped == b.skipped and a.inputs == b.inputs


@pytest.mark.parametrize("corpus", [TINY, SEEDS], ids=["tiny", "seeds"])
def test_a_second_ingest_reads_the_same_tables_back(corpus, tmp_path, monkeypatch):
    first = ingest([corpus], _cfg(tmp_path))
    assert len(list((tmp_path / "ingest").iterdir())) == 1
    _no_split(monkeypatch)
    _same(ingest([corpus], _cfg(tmp_path)), first)  # every column, dtype and value


def test_a_changed_file_or_setting_is_split_again(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(TINY, corpus)
    cache = tmp_path / "cache"
    ingest([corpus], _cfg(cache))
    changed = next(p for p in sorted(corpus.rglob("*.txt")))
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA new sentence was added to this file today.\n",
                       encoding="utf-8")
    again = ingest([corpus], _cfg(cache))
    assert again.sentences.text.str.contains("A new sentence was added").any()
    other = ingest([corpus], _cfg(cache, "segment.min_chars=8"))
    assert len(list((cache / "ingest").iterdir())) == 3  # three keys: the original, the changed file, the setting
    assert len(other.sentences) > 0


def test_caching_off_writes_nothing(tmp_path):
    ingest([TINY], _cfg(tmp_path, "embedding.cache=false"))
    assert not (tmp_path / "ingest").exists()


def test_a_damaged_entry_is_split_again_and_overwritten(tmp_path):
    first = ingest([TINY], _cfg(tmp_path))
    (entry,) = (tmp_path / "ingest").iterdir()
    with open(entry / "sentences.parquet", "r+b") as fh:
        fh.seek(40)
        fh.write(b"\x00damaged\x00")
    with pytest.warns(CacheWarning, match="damaged"):
        again = ingest([TINY], _cfg(tmp_path))
    _same(again, first)
    assert ingest_cache.read_entry(entry) is not None  # overwritten with a good entry


def test_warnings_of_the_split_are_raised_again_when_read_back(tmp_path):
    inputs = [InputFile("x.jsonl", "0" * 64, "jsonl", 1)]
    cfg = _cfg(tmp_path)
    table = pd.DataFrame({"a": [1]})

    def split():
        warnings.warn("Record 3 has no date", InputWarning)
        return table, table, [Skipped("x.jsonl line 4", "empty text")]

    with pytest.warns(InputWarning, match="Record 3 has no date"):
        *_, from_cache = ingest_cache.cached_split(inputs, cfg, split)
    assert not from_cache
    with pytest.warns(InputWarning, match="Record 3 has no date"):
        documents, _, skipped, from_cache = ingest_cache.cached_split(inputs, cfg, lambda: pytest.fail("split again"))
    assert from_cache and skipped == [Skipped("x.jsonl line 4", "empty text")]
    pd.testing.assert_frame_equal(documents, table)
