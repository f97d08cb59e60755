"""`framing analyze` writes the default comparisons; `framing compare` adds a grouping and prints a summary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.store import COMPARE_TABLES, read_tables

DATA = Path(__file__).parent.parent / "data"
FAST = ["--set", "embedding.model=hashing", "--set", "embedding.cache=false", "--set", "topics.reducer=pca",
        "--set", "topics.min_cluster_size=3", "--set", "topics.n_neighbors=5", "--set", "compare.bootstrap=200"]
runner = CliRunner()


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """The tiny corpus with an extra manifest column (an outlet rating), analysed with its frames."""
    root = tmp_path_factory.mktemp("cmp")
    corpus = root / "tiny"
    shutil.copytree(DATA / "tiny", corpus)
    manifest = pd.read_csv(corpus / "manifest.csv")
    manifest["rating"] = ["mixed", "low", "low"]
    manifest.to_csv(corpus / "manifest.csv", index=False)
    out = root / "run"
    result = runner.invoke(app, ["analyze", str(corpus), "--out", str(out), "--frames",
                                 str(DATA / "tiny_frames.yaml"), *FAST])
    assert result.exit_code == 0, result.output
    return out


def test_analyze_writes_every_compare_table_by_source_and_role(run_dir):
    tables = read_tables(run_dir)
    assert set(COMPARE_TABLES) <= set(tables)
    prev = tables["compare_prevalence"]
    assert set(prev["by"]) == {"source", "role"}  # the tiny corpus has comments
    assert set(prev["kind"]) == {"topic", "frame"}
    src = prev[(prev["by"] == "source") & (prev["kind"] == "frame")]
    assert set(src["group"]) == {"alpha-news", "beta-blog", "gamma-nl"}
    assert src["share_of_sentences"].between(0, 1).all()
    many = src[src["group_documents"] >= 2]
    assert len(many) and (many["ci_low"] <= many["share_of_sentences"] + 1e-12).all()
    assert (many["share_of_sentences"] <= many["ci_high"] + 1e-12).all()
    assert src.loc[src["group_documents"] < 2, "ci_low"].isna().all()  # no interval from one document
    assert not tables["compare_audience"].empty and set(tables["compare_audience"]["by"]) == {"source"}
    docs = tables["documents"]
    assert json.loads(docs.loc[docs.source == "alpha-news", "meta"].iloc[0]) == {"rating": "mixed"}


def test_stored_tables_equal_a_recomputation(run_dir):
    """Parquet round trip and seeds: the same comparison computed again equals what analyze stored."""
    from framing.compare import compare_tables
    from framing.compare.job import run_config
    from framing.store import read_run_json

    tables = read_tables(run_dir)
    cfg = run_config(read_run_json(run_dir))
    again = compare_tables(tables, "source", cfg.compare, cfg.seed, ngram_max=cfg.topics.ngram_max)
    for name, df in again.items():
        stored = tables[name][tables[name]["by"] == "source"].reset_index(drop=True)
        pd.testing.assert_frame_equal(stored, df.reset_index(drop=True), check_dtype=False, rtol=1e-9)


def test_compare_by_a_manifest_column_adds_rows_and_prints(run_dir):
    result = runner.invoke(app, ["compare", str(run_dir), "--by", "rating"])
    assert result.exit_code == 0, result.output
    assert "Comparison by rating" in result.output and "Distinctive terms" in result.output
    prev = read_tables(run_dir)["compare_prevalence"]
    assert set(prev["by"]) == {"source", "role", "rating"}  # earlier groupings stay
    low = prev[(prev["by"] == "rating") & (prev["group"] == "low")]
    assert (low["group_documents_all"] > 1).all()
    meta = json.loads((run_dir / "run.json").read_text())
    assert meta["comparisons"][-1]["by"] == "rating"
    assert meta["tables"]["compare_prevalence"]["rows"] == len(prev)


def test_compare_two_groups_and_scopes(run_dir):
    result = runner.invoke(app, ["compare", str(run_dir), "--by", "source", "--a", "alpha-news", "--b", "beta-blog",
                                 "--within", "frame:there-for-oil"])
    assert result.exit_code == 0, result.output
    tables = read_tables(run_dir)
    prev = tables["compare_prevalence"]
    src = prev[prev["by"] == "source"]
    assert set(src["group"]) == {"alpha-news", "beta-blog"} and set(src["versus"]) == {"alpha-news", "beta-blog"}
    assert set(tables["compare_terms"].query("by == 'source'")["scope"]) <= {"all", "frame:there-for-oil"}


@pytest.mark.parametrize("args, message", [
    (["--by", "stance"], "Cannot group by 'stance'"),
    (["--by", "source", "--a", "nobody", "--b", "beta-blog"], "'nobody' is not a value of 'source'"),
    (["--by", "source", "--within", "oil"], "frame:FRAME_ID"),
])
def test_compare_errors_are_sentences(run_dir, args, message):
    result = runner.invoke(app, ["compare", str(run_dir), *args])
    assert result.exit_code == 2 and message in result.output


def test_compare_needs_a_run_folder(tmp_path):
    result = runner.invoke(app, ["compare", str(tmp_path)])
    assert result.exit_code == 2 and "run.json" in result.output
