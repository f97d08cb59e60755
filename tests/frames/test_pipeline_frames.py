"""analyze and frames: the default catalog, a run without a catalog, document_frames as the one document count."""

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from framing.cli import app

TINY = Path(__file__).resolve().parent.parent / "data" / "tiny"
CATALOG = Path(__file__).resolve().parent.parent / "data" / "tiny_frames.yaml"
FAST = ["--set", "embedding.model=hashing", "--set", "embedding.cache=false", "--set", "topics.reducer=pca",
        "--set", "topics.min_cluster_size=3", "--set", "topics.n_neighbors=5"]
runner = CliRunner()


def test_no_catalog_is_said_on_the_command_line_and_in_run_json(tmp_path):
    out = tmp_path / "run"
    res = runner.invoke(app, ["analyze", str(TINY), "--out", str(out), *FAST])
    assert res.exit_code == 0, res.output
    assert "No frame catalog named" in res.output and "--frames" in res.output
    meta = json.loads((out / "run.json").read_text())
    assert meta["frames"]["catalogs"] == [] and "not matched" in meta["frames"]["note"]
    assert not (out / "tables" / "sentence_frames.parquet").exists()


def test_default_catalog_applies_when_none_is_named(tmp_path):
    out = tmp_path / "run"
    res = runner.invoke(app, ["analyze", str(TINY), "--out", str(out), *FAST,
                              "--set", "frames.default_catalog=policy-frames"])
    assert res.exit_code == 0, res.output
    assert "applying the default catalog 'policy-frames'" in res.output
    meta = json.loads((out / "run.json").read_text())
    assert meta["frames"]["catalogs"][0].endswith("policy-frames.yaml")


def test_document_frames_is_the_document_count_everywhere(tmp_path):
    out = tmp_path / "run"
    res = runner.invoke(app, ["analyze", str(TINY), "--out", str(out), "--frames", str(CATALOG), *FAST])
    assert res.exit_code == 0, res.output
    tables = {p.stem: pd.read_parquet(p) for p in (out / "tables").glob("*.parquet")}
    docs, frames = tables["document_frames"], tables["frames"]
    assert "source_frames" not in tables  # shares per source: compare_prevalence only
    cp = tables["compare_prevalence"]
    by_source = cp[(cp.by == "source") & (cp.kind == "frame")].rename(columns={"item": "frame_id"})
    n_docs = tables["sentences"].loc[~tables["sentences"].is_fragment, "doc_id"].nunique()
    assert len(docs) == n_docs * len(frames)  # every document and frame has a score and a decision
    assert {"score", "matched", "confidence", "threshold", "evidence_id"} <= set(docs.columns)
    per_frame = docs[docs.matched].groupby("frame_id").size()
    for _, row in frames.iterrows():
        assert row.documents == per_frame.get(row.frame_id, 0)
        assert row.documents == by_source.loc[by_source.frame_id == row.frame_id, "documents"].sum()
    meta = json.loads((out / "run.json").read_text())
    assert meta["frames"]["calibration"] == "reference"
    cal = meta["frames"]["frame_calibration"]
    assert set(cal) == set(frames.frame_id) and all(c["source"] in ("reference", "calibrated", "fixed") for c in cal.values())
    # under the support rule (the default) a document needs leaning sentences, not a score: run.json says so
    # and shows no document threshold on a score scale
    assert meta["frames"]["document_rule"].startswith("support")
    assert "leans as a whole sentence" in meta["frames"]["document_rule"]  # frames.whole_sentence_lean (default)
    assert all(c["document_threshold"] is None for c in cal.values() if c["document_method"] == "anchors+support")
