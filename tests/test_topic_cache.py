"""A re-run of unchanged sentences reads its topics from the topic cache (framing.topics.step_cache)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from framing import store
from framing.config import load_config
from framing.errors import CacheWarning

HERE = Path(__file__).resolve().parent
TINY = HERE / "data" / "tiny"
FRAMES = str(HERE / "data" / "tiny_frames.yaml")
SETTINGS = ["embedding.model=hashing", "topics.reducer=pca", "topics.min_cluster_size=3", "topics.n_neighbors=5"]


def _run(out, cache, *more, frames=(FRAMES,)):
    from framing.jobs.analyze import analyze

    cfg = load_config(overrides=[*SETTINGS, f"embedding.cache_dir={cache}", *more])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return analyze([TINY], cfg, out, frames=list(frames))


def _refuse_fitting(monkeypatch):
    from framing.topics import model

    def refuse(*args, **kwargs):
        raise AssertionError("the topics were fitted again")

    monkeypatch.setattr(model.TopicModeler, "fit", refuse)


def _tables(run_dir):
    return store.read_tables(run_dir)


def _model_files(run_dir):
    folder = Path(run_dir) / store.TOPIC_MODEL_DIR
    out = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "framing.json"}
    info = json.loads((folder / "framing.json").read_text(encoding="utf-8"))
    info.pop("created")
    return out, info


@pytest.fixture(scope="module")
def cold(tmp_path_factory):
    root = tmp_path_factory.mktemp("topic-cache")
    run = _run(root / "cold", root / "cache")
    return root, run


def test_a_warm_run_reads_the_topics_and_writes_the_same_run(cold, monkeypatch):
    root, first = cold
    assert len(list((root / "cache" / "topics").iterdir())) == 1
    _refuse_fitting(monkeypatch)
    again = _run(root / "warm", root / "cache")
    a, b = _tables(root / "cold"), _tables(root / "warm")
    assert sorted(a) == sorted(b)
    for name in a:
        pd.testing.assert_frame_equal(b[name], a[name], obj=name)
    assert _model_files(root / "warm") == _model_files(root / "cold")  # the saved topic model too
    assert again.meta["topics"] == json.loads(json.dumps(first.meta["topics"]))
    assert again.meta["topic_model"]["topics"] == first.meta["topic_model"]["topics"]


def test_another_catalog_keeps_the_cached_topics(cold, monkeypatch, tmp_path):
    root, first = cold
    _refuse_fitting(monkeypatch)
    other = _run(tmp_path / "no-frames", root / "cache", frames=())  # the topic step does not read catalogs
    # the frames a topic expresses are topic_frames rows: the topics table is the topic stage's alone
    pd.testing.assert_frame_equal(other.tables["topics"], first.tables["topics"])


def test_another_topic_setting_or_seed_fits_again(cold, tmp_path):
    root, _ = cold
    _run(tmp_path / "seed", root / "cache", "seed=7")
    _run(tmp_path / "size", root / "cache", "topics.min_cluster_size=4")
    assert len(list((root / "cache" / "topics").iterdir())) >= 3


def test_a_damaged_entry_is_fitted_again_and_overwritten(tmp_path):
    first = _run(tmp_path / "a", tmp_path / "cache")
    (entry,) = (tmp_path / "cache" / "topics").iterdir()
    (entry / "topics.parquet").write_bytes(b"not parquet")
    with pytest.warns(CacheWarning, match="damaged"):
        from framing.jobs.analyze import analyze

        cfg = load_config(overrides=[*SETTINGS, f"embedding.cache_dir={tmp_path / 'cache'}"])
        again = analyze([TINY], cfg, tmp_path / "b", frames=[FRAMES])
    pd.testing.assert_frame_equal(again.tables["topics"], first.tables["topics"])
    from framing.topics.step_cache import read_entry

    assert read_entry(entry) is not None  # overwritten with a good entry


def test_caching_off_stores_no_topics(tmp_path):
    _run(tmp_path / "a", tmp_path / "cache", "embedding.cache=false")
    assert not (tmp_path / "cache" / "topics").exists()
