"""A run killed (SIGKILL) during embedding leaves a sound cache; the next run finishes and reuses it.

A real ``framing analyze`` subprocess is killed while it embeds. The embedder
is the hashing one, slowed down in the first run only, so that the kill lands
between cached batches.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from framing.embed import EmbeddingCache

TINY = Path(__file__).resolve().parent.parent / "data" / "tiny"

DRIVER = """
import os, sys, time
from framing.embed import HashingEmbedder, register_embedder

class SlowHashing(HashingEmbedder):
    def encode(self, texts):
        if os.environ.get("FRAMING_TEST_SLOW"):
            time.sleep(0.4)
        return super().encode(texts)

register_embedder("slow-hashing", lambda cfg: SlowHashing())
from framing.cli import main
sys.argv = ["framing", *sys.argv[1:]]
main()
"""


def _analyze(driver, out, cache, slow):
    env = dict(os.environ)
    env.pop("FRAMING_TEST_SLOW", None)
    if slow:
        env["FRAMING_TEST_SLOW"] = "1"
    args = [sys.executable, str(driver), "analyze", str(TINY), "--out", str(out),
            "--set", "embedding.model=slow-hashing", "--set", f"embedding.cache_dir={cache}",
            "--set", "embedding.batch_size=2", "--set", "topics.reducer=pca",
            "--set", "topics.min_cluster_size=3", "--set", "topics.n_neighbors=5"]
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _cached(cache_dir) -> int:
    if not (cache_dir / "embeddings.sqlite3").exists():
        return 0
    try:
        with EmbeddingCache(cache_dir) as cache:
            return cache.count()
    except Exception:  # the table may not exist yet
        return 0


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_during_embedding_then_rerun_reuses_a_sound_cache(tmp_path):
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    cache_dir, out = tmp_path / "cache", tmp_path / "run"

    first = _analyze(driver, out, cache_dir, slow=True)
    try:
        # Wait (generously: a guard against a hung run, not a speed test) for some batches to be cached.
        deadline = time.monotonic() + 600
        while _cached(cache_dir) < 6:
            assert first.poll() is None, "the run ended before it could be killed:\n" + first.stdout.read().decode()
            assert time.monotonic() < deadline, "no embedding was cached"
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == -signal.SIGKILL
    assert not out.exists(), "a killed run must not leave a run folder"
    with EmbeddingCache(cache_dir) as cache:
        kept = cache.count()
        assert cache.verify() == (kept, 0)
    assert kept >= 6

    second = _analyze(driver, out, cache_dir, slow=False)
    output = second.communicate()[0].decode()
    assert second.returncode == 0, output
    meta = json.loads((out / "run.json").read_text(encoding="utf-8"))
    stats = meta["embedding"]["cache"]
    assert stats["hits"] >= kept and stats["misses"] == stats["unique"] - stats["hits"] > 0
    assert not any(w["category"] == "CacheWarning" for w in meta["warnings"]), meta["warnings"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".run")] == []
    with EmbeddingCache(cache_dir) as cache:
        # Every sentence is cached and sound; topic keywords (KeyBERTInspired) are cached beside them.
        entries, damaged = cache.verify()
        assert damaged == 0 and entries >= stats["unique"]
