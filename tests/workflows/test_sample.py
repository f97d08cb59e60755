"""framing sample, the Label Studio project it writes, and the export read back for evaluation."""

import json
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.errors import InputError
from framing.frames.catalog import load_catalog
from framing.labels import read_label_studio
from framing.jobs.sample import allocate, build_sample

runner = CliRunner()


def _coded_export(tasks, choose):
    """What Label Studio exports after coding: each task with one annotation choosing `choose(task)`."""
    return [{"id": i, "data": t["data"], "annotations": [
        {"id": 100 + i, "completed_by": 1, "was_cancelled": False,
         "result": [{"from_name": "frames", "to_name": "text", "type": "choices",
                     "value": {"choices": choose(t)}}]}]} for i, t in enumerate(tasks, start=1)]


@pytest.fixture(scope="module")
def sample_dir(tiny_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("sample") / "s"
    result = runner.invoke(app, ["sample", str(tiny_run.run_dir), "--by", "frame", "--n", "4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_sample_is_stratified_seeded_and_complete(tiny_run, sample_dir):
    sample = pd.read_csv(sample_dir / "sample.csv", keep_default_na=False)
    assert sample.sentence_id.is_unique and set(sample.sentence_id) <= set(tiny_run.sentences.sentence_id)
    assert (sample.groupby("stratum").size() <= 4).all()
    assert "none" in set(sample.stratum)  # unmatched sentences are sampled too (recall needs them)
    matched = tiny_run.sentence_frames.query("matched")
    frame_rows = sample[sample.stratum != "none"]
    pairs = set(zip(matched.sentence_id, matched.frame_id))
    assert all((s, f) in pairs for s, f in zip(frame_rows.sentence_id, frame_rows.stratum))
    again = build_sample(tiny_run.tables, "frame", 4, "sentence", tiny_run.seed)
    assert again.sentence_id.tolist() == sample.sentence_id.tolist()
    other = build_sample(tiny_run.tables, "frame", 4, "sentence", tiny_run.seed + 1)
    assert other.sentence_id.tolist() != sample.sentence_id.tolist()
    design = json.loads((sample_dir / "sample.json").read_text())
    assert design["seed"] == tiny_run.seed and design["items"] == len(sample)


def test_label_studio_config_lists_the_catalog(sample_dir):
    root = ET.fromstring((sample_dir / "label-studio-config.xml").read_text())
    choices = root.find("Choices[@name='frames']")
    catalog = load_catalog("us-middle-east")
    assert [c.get("alias") for c in choices] == [*catalog.ids, "none"]
    assert [c.get("value") for c in choices][:-1] == [f.label for f in catalog.frames]
    tasks = json.loads((sample_dir / "label-studio-tasks.json").read_text())
    assert {"text", "sentence_id", "context_before"} <= set(tasks[0]["data"])
    assert not {"predicted_frames", "stratum", "source"} & set(tasks[0]["data"])  # coders are blind to them
    book = (sample_dir / "codebook.md").read_text()
    assert all(f"`{fid}`" in book for fid in catalog.ids)


def test_coded_export_reads_back_and_evaluates(tiny_run, sample_dir, tmp_path):
    tasks = json.loads((sample_dir / "label-studio-tasks.json").read_text())
    export = _coded_export(tasks, lambda t: ["us-there-for-oil"] if "oil" in t["data"]["text"].lower() else ["none"])
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export))
    labels = read_label_studio(path, load_catalog("us-middle-east"))
    assert len(labels) == len(tasks)
    oil = labels.text.str.lower().str.contains("oil")
    assert labels.frames[oil].map(lambda f: f == ["us-there-for-oil"]).all()
    assert labels.frames[~oil].map(lambda f: f == []).all()
    result = runner.invoke(app, ["evaluate", "--frames", "us-middle-east", "--labels", str(path), "--model", "hashing",
                                 "--run", str(tiny_run.run_dir)])
    assert result.exit_code == 0, result.output
    assert "us-there-for-oil" in result.output


def test_majority_and_labels_instead_of_ids(tmp_path):
    catalog = load_catalog("us-middle-east")
    oil = catalog.get("us-there-for-oil").label
    export = [{"id": 1, "data": {"text": "t", "sentence_id": "s"}, "annotations": [
        {"completed_by": k, "result": [{"from_name": "frames", "type": "choices", "value": {"choices": ch}}]}
        for k, ch in enumerate([[oil], ["us-there-for-oil", "western-media-lies"], ["None of these frames"]])]}]
    path = tmp_path / "e.json"
    path.write_text(json.dumps(export))
    row = read_label_studio(path, catalog).iloc[0]
    assert row.frames == ["us-there-for-oil"] and row.annotators == 3
    assert len(read_label_studio(path, catalog, agreement="all")) == 3
    export[0]["annotations"][0]["result"][0]["value"]["choices"] = ["Oil is great"]
    path.write_text(json.dumps(export))
    with pytest.raises(InputError, match="task 1: choice 'Oil is great' is neither a frame id nor a frame label"):
        read_label_studio(path, catalog)


def test_sample_errors_are_sentences(tiny_run):
    with pytest.raises(InputError, match="--by' option must be frame or topic"):
        build_sample(tiny_run.tables, "source")
    with pytest.raises(InputError, match="at least 1"):
        build_sample(tiny_run.tables, "frame", 0)


def test_topic_sample_of_documents(tiny_run, tmp_path):
    sample = build_sample(tiny_run.tables, "topic", 2, "document", 1)
    assert sample.doc_id.is_unique and set(sample.doc_id) <= set(tiny_run.documents.doc_id)
    result = runner.invoke(app, ["sample", str(tiny_run.run_dir), "--by", "topic", "--out", str(tmp_path / "t")])
    assert result.exit_code == 0, result.output
    root = ET.fromstring((tmp_path / "t" / "label-studio-config.xml").read_text())
    assert root.find("Choices[@name='topic_fit']") is not None


def test_allocation_spreads_over_sources():
    assert allocate([100, 100, 1], 10) == [5, 4, 1]
    assert allocate([2, 2], 10) == [2, 2]
