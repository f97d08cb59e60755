"""framing rerun: the same run again from run.json, with warnings when inputs changed."""

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import framing
from framing.cli import app
from framing.errors import RunStoreError
from framing.jobs.rerun import RerunWarning, rerun

TINY = Path(__file__).resolve().parent.parent / "data" / "tiny"
FAST = dict(embedding__model="hashing", embedding__cache=False, topics__reducer="pca",
            topics__min_cluster_size=3, topics__n_neighbors=5)

runner = CliRunner()


@pytest.fixture()
def own_run(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(TINY, corpus)
    run = framing.analyze(corpus, out=tmp_path / "run", frames=["us-middle-east"], seed=5, **FAST)
    return corpus, run


def test_rerun_repeats_the_run_exactly(own_run, tmp_path):
    _, run = own_run
    result = runner.invoke(app, ["rerun", str(run.run_dir), "--out", str(tmp_path / "again"), "-q"])
    assert result.exit_code == 0, result.output
    again = framing.load_run(tmp_path / "again")
    info = again.meta["rerun"]
    assert info["input_changes"] == [] and again.seed == 5
    assert info["tables"]["sentences"] == "identical" and info["tables"]["sentence_frames"] == "identical"
    assert again.meta["config"] == run.meta["config"]


def test_rerun_warns_when_an_input_changed(own_run, tmp_path):
    corpus, run = own_run
    with open(corpus / "alpha.txt", "a", encoding="utf-8") as fh:
        fh.write("\nA new paragraph about the oil fields was added later.\n")
    with pytest.warns(RerunWarning, match="alpha.txt is changed"):
        result = rerun(run.run_dir, tmp_path / "again")
    assert [c["change"] for c in result.meta["rerun"]["input_changes"]] == ["changed"]
    assert result.meta["rerun"]["tables"]["documents"] != "identical"


def test_rerun_refuses_its_own_folder(own_run):
    _, run = own_run
    with pytest.raises(RunStoreError, match="another folder"):
        rerun(run.run_dir, run.run_dir)
