"""The on-disk embedding cache and embed_texts."""

from __future__ import annotations

import multiprocessing as mp
import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from framing.embed import CacheStats, EmbeddingCache, HashingEmbedder, embed_texts, text_key
from framing.errors import CacheWarning

from .conftest import CountingEmbedder, unit_rows


def test_identical_sentences_are_embedded_once(corpus, counting):
    vecs, stats = embed_texts(corpus, counting)
    assert stats == CacheStats(hits=0, misses=4, unique=4, total=6)
    assert len(counting.encoded) == 4 == len(set(counting.encoded))
    assert vecs.shape == (6, 32) and vecs.dtype == np.float32 and unit_rows(vecs)
    np.testing.assert_array_equal(vecs[0], vecs[3])
    np.testing.assert_array_equal(vecs[1], vecs[4])  # same text once whitespace is collapsed


def test_rows_match_a_direct_encode(corpus):
    vecs, _ = embed_texts(corpus, HashingEmbedder(32), batch_size=2)
    np.testing.assert_allclose(vecs, HashingEmbedder(32).encode(corpus), atol=1e-6)


def test_empty_input():
    vecs, stats = embed_texts([], HashingEmbedder(16))
    assert vecs.shape == (0, 16) and stats == CacheStats(0, 0, 0, 0)


def test_second_run_is_all_hits(tmp_path, corpus):
    first = CountingEmbedder()
    v1, s1 = embed_texts(corpus, first, EmbeddingCache(tmp_path))
    second = CountingEmbedder()
    with EmbeddingCache(tmp_path) as cache:  # a new run: a new cache object on the same folder
        v2, s2 = embed_texts(corpus, second, cache)
    assert s1.misses == 4 and s2 == CacheStats(hits=4, misses=0, unique=4, total=6)
    assert s2.hit_rate == 1.0 and "100% hits" in str(s2)
    assert second.calls == []
    np.testing.assert_array_equal(v1, v2)


def test_a_grown_corpus_embeds_only_the_new_sentences(tmp_path, corpus):
    cache = EmbeddingCache(tmp_path)
    embed_texts(corpus, CountingEmbedder(), cache)
    grown = corpus + ["A new source says something new.", "US forces withdraw from a key base near the Syrian border."]
    counting = CountingEmbedder()
    _, stats = embed_texts(grown, counting, cache)
    assert stats == CacheStats(hits=4, misses=1, unique=5, total=8)
    assert counting.encoded == ["A new source says something new."]


def test_model_identity_separates_entries(tmp_path, corpus):
    cache = EmbeddingCache(tmp_path)
    embed_texts(corpus, CountingEmbedder(name="model-a@1"), cache)
    other = CountingEmbedder(name="model-a@2")  # same dim, other weights
    _, stats = embed_texts(corpus, other, cache)
    assert stats.hits == 0 and stats.misses == 4
    assert cache.count("model-a@1") == cache.count("model-a@2") == 4
    assert cache.models() == ["model-a@1", "model-a@2"]


def test_default_directory_is_the_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert EmbeddingCache().directory == tmp_path / "framing" / "embeddings"


def test_vectors_round_trip_exactly(tmp_path):
    vec = HashingEmbedder(16).encode(["hi"])[0]
    cache = EmbeddingCache(tmp_path)
    assert cache.put("m", [(text_key("hi"), vec)]) == 1
    np.testing.assert_array_equal(cache.get("m", [text_key(" hi ")], dim=16)[text_key("hi")], vec)


# -- robustness -------------------------------------------------------------


def _fill(tmp_path, texts, dim=32):
    with EmbeddingCache(tmp_path) as cache:
        embed_texts(texts, HashingEmbedder(dim), cache)


def test_wrong_length_blob_is_a_miss_and_is_repaired(tmp_path, corpus):
    _fill(tmp_path, corpus)
    with sqlite3.connect(tmp_path / "embeddings.sqlite3") as db:
        db.execute("UPDATE signed_embeddings SET vec = ? WHERE key = ?", (b"\x00" * 12, text_key(corpus[0])))
        nan = np.full(32, np.nan, np.float32).tobytes()
        db.execute("UPDATE signed_embeddings SET vec = ? WHERE key = ?", (nan, text_key(corpus[2])))
    counting = CountingEmbedder()
    cache = EmbeddingCache(tmp_path)
    with pytest.warns(CacheWarning, match="2 cached embedding.*damaged"):
        vecs, stats = embed_texts(corpus, counting, cache)
    assert stats.misses == 2 and sorted(counting.encoded) == sorted([corpus[0], corpus[2]])
    np.testing.assert_allclose(vecs, HashingEmbedder(32).encode(corpus), atol=1e-6)
    assert embed_texts(corpus, counting, cache)[1].hits == 4  # overwritten with good vectors


def test_a_plausible_but_damaged_vector_is_detected_by_its_checksum(tmp_path, corpus):
    # Right length, finite values: only the checksum can tell that the row was damaged.
    _fill(tmp_path, corpus)
    key = text_key(corpus[1])
    with sqlite3.connect(tmp_path / "embeddings.sqlite3") as db:
        blob = bytearray(db.execute("SELECT vec FROM signed_embeddings WHERE key = ?", (key,)).fetchone()[0])
        blob[5] ^= 0x01  # one flipped bit in the mantissa
        db.execute("UPDATE signed_embeddings SET vec = ? WHERE key = ?", (bytes(blob), key))
    cache = EmbeddingCache(tmp_path)
    n = cache.count()
    assert cache.verify() == (n - 1, 1)
    counting = CountingEmbedder()
    with pytest.warns(CacheWarning, match="1 cached embedding.*damaged.*signature"):
        vecs, stats = embed_texts(corpus, counting, cache)
    assert counting.encoded == [corpus[1]] and stats.misses == 1
    np.testing.assert_allclose(vecs, HashingEmbedder(32).encode(corpus), atol=1e-6)
    assert cache.verify() == (n, 0)


@pytest.mark.parametrize("damage", ["garbage", "truncate"])
def test_corrupt_database_is_moved_aside_and_rebuilt(tmp_path, damage):
    texts = [f"sentence {i} on topic {i % 7}" for i in range(2000)]
    _fill(tmp_path, texts)
    db = tmp_path / "embeddings.sqlite3"
    if damage == "garbage":
        db.write_bytes(b"this is not a database at all " * 200)
    else:
        with open(db, "r+b") as fh:
            fh.truncate(db.stat().st_size // 2)
    cache = EmbeddingCache(tmp_path)
    with pytest.warns(CacheWarning, match="was corrupt.*moved to"):
        vecs, stats = embed_texts(texts, HashingEmbedder(32), cache)
    np.testing.assert_allclose(vecs, HashingEmbedder(32).encode(texts), atol=1e-6)
    assert stats.misses == 2000
    assert any(".corrupt-" in p.name for p in tmp_path.iterdir())
    assert embed_texts(texts, HashingEmbedder(32), cache)[1].hits == 2000


def _failing_rows(n_before_failure):
    for i in range(n_before_failure):
        yield text_key(f"row {i}"), np.ones(8, np.float32) / np.sqrt(8)
    raise RuntimeError("killed mid-write")


def test_a_failed_write_leaves_no_partial_entry(tmp_path):
    cache = EmbeddingCache(tmp_path)
    with pytest.raises(RuntimeError, match="killed mid-write"):
        cache.put("m", _failing_rows(3))
    assert cache.count() == 0
    assert cache.get("m", [text_key(f"row {i}") for i in range(3)], dim=8) == {}
    assert cache.put("m", [(text_key("after"), np.ones(8, np.float32))]) == 1  # no lock left behind


def _killed_writer(directory):
    def rows():
        for i in range(3):
            yield text_key(f"row {i}"), np.ones(8, np.float32)
        os._exit(3)  # the process dies inside the write transaction

    EmbeddingCache(directory).put("m", rows())


@pytest.fixture
def spawn(monkeypatch):
    """A spawn context whose children can import this test module, whatever pytest's import mode."""
    package_root = Path(__file__).resolve().parents[__name__.count(".")]
    monkeypatch.syspath_prepend(str(package_root))
    return mp.get_context("spawn")


def test_a_killed_process_leaves_no_partial_entry(tmp_path, spawn):
    EmbeddingCache(tmp_path).put("m", [(text_key("kept"), np.ones(8, np.float32))])
    proc = spawn.Process(target=_killed_writer, args=(tmp_path,))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 3
    cache = EmbeddingCache(tmp_path)
    assert cache.count("m") == 1
    assert set(cache.get("m", [text_key("kept"), text_key("row 0")], dim=8)) == {text_key("kept")}


def _shared_worker(directory, offset, queue):
    texts = [f"shared sentence {i}" for i in range(offset, offset + 300)]
    counting = CountingEmbedder()
    vecs, stats = embed_texts(texts, counting, EmbeddingCache(directory), batch_size=7)
    queue.put((offset, stats.unique, bool(np.allclose(vecs, HashingEmbedder(32).encode(texts), atol=1e-6))))


def test_two_processes_share_a_cache_dir(tmp_path, spawn):
    ctx = spawn
    queue = ctx.Queue()
    procs = [ctx.Process(target=_shared_worker, args=(tmp_path, off, queue)) for off in (0, 150)]
    for p in procs:
        p.start()
    results = sorted(queue.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert results == [(0, 300, True), (150, 300, True)]
    union = [f"shared sentence {i}" for i in range(450)]
    counting = CountingEmbedder()
    _, stats = embed_texts(union, counting, EmbeddingCache(tmp_path))
    assert stats.hits == 450 and counting.calls == []


def test_an_unwritable_cache_dir_warns_and_still_embeds(tmp_path, corpus):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.warns(CacheWarning, match="cannot be used"):
        vecs, stats = embed_texts(corpus, HashingEmbedder(32), EmbeddingCache(blocker / "cache"))
    assert vecs.shape == (6, 32) and stats.misses == 4


def test_missing_texts_are_named():
    from framing.errors import EmbeddingError

    with pytest.raises(EmbeddingError, match="embed_texts: item 1 is float.*not str"):
        embed_texts(["fine", float("nan")], HashingEmbedder(16))


def test_a_failing_disk_ends_caching_but_not_the_run(tmp_path, corpus, monkeypatch):
    cache = EmbeddingCache(tmp_path)

    def full(*args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(EmbeddingCache, "_write", staticmethod(full))
    with pytest.warns(CacheWarning, match="disk is full.*computed without it"):
        vecs, stats = embed_texts(corpus, HashingEmbedder(32), cache, batch_size=2)
    np.testing.assert_allclose(vecs, HashingEmbedder(32).encode(corpus), atol=1e-6)
    assert stats.misses == 4 and cache.count() == 0


def test_cache_from_config(tmp_path):
    from framing.config import EmbeddingConfig
    from framing.embed import cache_from_config

    assert cache_from_config(EmbeddingConfig(cache=False)) is None
    assert cache_from_config(EmbeddingConfig(cache_dir=str(tmp_path))).directory == tmp_path


def test_a_briefly_locked_new_cache_is_waited_for_not_given_up(tmp_path, monkeypatch):
    # Two runs creating the cache at once: one sees "database is locked" while the
    # other switches the new file to WAL. It must wait and use the cache.
    import warnings

    real_open = EmbeddingCache._open
    failures = iter([True, True])

    def flaky_open(self):
        if next(failures, False):
            raise sqlite3.OperationalError("database is locked")
        return real_open(self)

    monkeypatch.setattr(EmbeddingCache, "_open", flaky_open)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        cache = EmbeddingCache(tmp_path)
        assert cache.put("m", [(text_key("a"), np.ones(4, np.float32))]) == 1
    assert cache.count("m") == 1
