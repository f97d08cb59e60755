"""Partitioned runs on Dask (framing.parallel): a LocalCluster of two worker processes gives the single-machine results."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("distributed")

from typer.testing import CliRunner  # noqa: E402

from framing import parallel as cluster  # noqa: E402
from framing.cli import app  # noqa: E402
from framing.config import load_config  # noqa: E402
from framing.embed import EmbeddingCache  # noqa: E402

HERE = Path(__file__).resolve().parent
TINY = HERE / "data" / "tiny"
FRAMES = str(HERE / "data" / "tiny_frames.yaml")
# Hashing embedder and PCA (seconds, offline); batch_size 4 cuts the embedding into many batches and tasks.
SETTINGS = ["embedding.model=hashing", "embedding.batch_size=4", "topics.reducer=pca", "topics.min_cluster_size=3",
            "topics.n_neighbors=5", "topics.min_main_documents=0", "topics.min_anchored_share=0.0"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The tiny corpus twice over (6 documents), so there is something to partition."""
    folder = tmp_path_factory.mktemp("corpus") / "tiny2"
    folder.mkdir()
    for path in TINY.glob("*.txt"):
        shutil.copy(path, folder / path.name)
        shutil.copy(path, folder / f"copy-{path.name}")
    return folder


@pytest.fixture(scope="module")
def local_cluster():
    with cluster.use_scheduler(cluster.LOCAL, n_workers=2, processes=True) as client:
        yield client


def _analyze(corpus, out, cache_dir):
    from framing.jobs.analyze import analyze

    cfg = load_config(overrides=[*SETTINGS, f"embedding.cache_dir={cache_dir}"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return analyze([corpus], cfg, out, frames=[FRAMES])


def _same_tables(a: dict, b: dict) -> None:
    assert set(a) == set(b)
    for name in a:
        left, right = a[name].reset_index(drop=True), b[name].reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-6, obj=name)


@pytest.fixture(scope="module")
def single(corpus, tmp_path_factory):
    root = tmp_path_factory.mktemp("single")
    return _analyze(corpus, root / "run", root / "cache")


def test_analyze_on_two_workers_equals_one_machine(single, corpus, local_cluster, tmp_path):
    assert cluster.active() is local_cluster
    done = _analyze(corpus, tmp_path / "run", tmp_path / "cache")
    _same_tables(single.tables, done.tables)
    assert done.meta["warnings"] == single.meta["warnings"]  # warnings raised on workers reach run.json
    tasks = local_cluster.run(lambda: dict(cluster.TASKS))
    assert len(tasks) == 2
    assert sum(t.get("segment", 0) for t in tasks.values()) >= 2
    assert sum(t.get("embed", 0) for t in tasks.values()) >= 2
    # The driver wrote the workers' vectors to the same on-disk cache a single-machine run uses.
    n = done.meta["embedding"]["cache"]["unique"]
    assert EmbeddingCache(tmp_path / "cache").count(done.meta["embedding"]["name"]) >= n > 0


def test_apply_on_two_workers_equals_one_machine(single, corpus, local_cluster, tmp_path):
    from framing.jobs.apply import apply_run

    with cluster.use_scheduler(None):
        pass  # None is a no-op and leaves the active cluster alone
    assert cluster.active() is local_cluster
    before = sum(t.get("assign", 0) for t in local_cluster.run(lambda: dict(cluster.TASKS)).values())
    on_cluster = apply_run(single.run_dir, [TINY], tmp_path / "applied-dask")
    after = sum(t.get("assign", 0) for t in local_cluster.run(lambda: dict(cluster.TASKS)).values())
    assert after > before
    global_client, cluster._CLIENT = cluster._CLIENT, None
    try:
        here = apply_run(single.run_dir, [TINY], tmp_path / "applied-here")
    finally:
        cluster._CLIENT = global_client
    _same_tables(here.tables, on_cluster.tables)


def test_cli_ingest_with_a_local_scheduler(corpus, tmp_path):
    runner = CliRunner()
    plain = runner.invoke(app, ["ingest", str(corpus), "--out", str(tmp_path / "plain"), "-q"])
    assert plain.exit_code == 0, plain.output
    dask = runner.invoke(app, ["ingest", str(corpus), "--out", str(tmp_path / "dask"), "--scheduler", "local"])
    assert dask.exit_code == 0, dask.output
    assert "Dask scheduler local: " in dask.output
    for name in ("documents", "sentences"):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "plain" / "tables" / f"{name}.parquet"),
                                      pd.read_parquet(tmp_path / "dask" / "tables" / f"{name}.parquet"))


def test_an_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(cluster.ClusterError, match="Cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'"):
        with cluster.use_scheduler("tcp://127.0.0.1:9", timeout="2s"):
            pass
