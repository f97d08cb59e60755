"""Frame scorers by name (framing.frames.scorers): the bundled ones, and a toy one registered here.

A scorer registered in a test is usable by ``frames evaluate --score NAME`` and by the frames step
without any other edit.
"""

from __future__ import annotations

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from framing.errors import RegistryError
from framing.frames.cli import evaluate_command
from framing.frames.evaluate import _result, scorer_names
from framing.frames.scorers import FRAME_SCORERS, ScoredFrames

runner = CliRunner()


class ToyScorer:
    """Says every item uses the first frame of the catalog, and nothing else."""

    calls: list = []

    def uses_saved_model(self, cv: int) -> bool:
        return False

    def score(self, inp) -> ScoredFrames:
        ToyScorer.calls.append("score")
        return ScoredFrames(info={"toy": len(inp.sentences)})

    def evaluate(self, inp):
        ToyScorer.calls.append("evaluate")
        ids = [f.id for f in inp.catalog.frames]
        P = np.zeros((len(inp.gold), len(ids)), bool)
        P[:, 0] = True
        return _result(inp.gold, P, ids, inp.corpus.level, "toy: the first frame everywhere", "", inp.cfg.seed)


@pytest.fixture
def toy():
    FRAME_SCORERS.register("toy", ToyScorer)
    ToyScorer.calls = []
    yield ToyScorer
    FRAME_SCORERS.unregister("toy")


def test_the_bundled_scorers_are_registered():
    assert {"anchors", "trained"} <= set(FRAME_SCORERS.names())
    assert scorer_names("both", has_model=False, cv=0) == ["anchors", "trained"]
    assert scorer_names("auto", has_model=True, cv=0) == ["trained"]
    assert scorer_names("auto", has_model=False, cv=0) == ["anchors"]


def test_an_unknown_scorer_names_the_registered_ones():
    with pytest.raises(RegistryError, match=r"Got 'anchor' instead. Did you mean 'anchors'\?"):
        scorer_names("anchor", has_model=False, cv=0)


def test_a_toy_scorer_is_usable_by_evaluate(toy, data_dir, tiny_catalog):
    app = typer.Typer()
    app.command()(evaluate_command)
    args = ["--frames", str(data_dir / "tiny-catalog.yaml"), "--labels", str(data_dir / "coded-docs.jsonl"),
            "--level", "document", "--model", "hashing", "--set", "embedding.cache=false"]
    res = runner.invoke(app, [*args, "--score", "toy"])
    assert res.exit_code == 0, res.output
    assert toy.calls == ["evaluate"] and "toy: the first frame everywhere" in res.output
    res = runner.invoke(app, [*args, "--score", "anchors,toy"])
    assert res.exit_code == 0, res.output
    assert "document level, catalog" in res.output and "toy: the first frame everywhere" in res.output


def _frame_step_inputs(data_dir, embedder):
    import pandas as pd

    from framing.config import load_config

    sentences = pd.read_csv(data_dir / "sentences.csv")
    sentences["is_fragment"] = sentences["is_fragment"].astype(bool)
    vectors = embedder.encode(sentences["text"].tolist())
    cfg = load_config(overrides=["embedding.cache=false"])
    return dict(sentences=sentences, vectors=vectors, rows=np.arange(len(sentences)),
                topics=pd.DataFrame({"topic": pd.Series([], dtype=int)}), embedder=embedder,
                catalogs=[str(data_dir / "tiny-catalog.yaml")], cfg=cfg, say=lambda _m: None)


class QuietScorer:
    """The anchors' scores, but no sentence passes: a scorer that decides differently from anchors."""

    def uses_saved_model(self, cv: int) -> bool:
        return False

    def score(self, inp) -> ScoredFrames:
        anchors = FRAME_SCORERS.get("anchors")().score(inp)
        return ScoredFrames(sentence_frames=anchors.sentence_frames.assign(matched=False),
                            document_thresholds=anchors.document_thresholds, info={"quiet": len(inp.sentences)})

    def evaluate(self, inp):  # pragma: no cover - not evaluated here
        raise NotImplementedError


def test_a_toy_scorer_is_usable_by_the_frames_step(data_dir, embedder):
    from framing.frames.step import frame_step

    FRAME_SCORERS.register("quiet", QuietScorer)
    try:
        inputs = _frame_step_inputs(data_dir, embedder)
        tables, info = frame_step(**inputs)
        quiet_tables, quiet_info = frame_step(**inputs, scorers=("quiet",))
    finally:
        FRAME_SCORERS.unregister("quiet")
    assert tables["sentence_frames"]["matched"].any() and info["trained"] is None and info["thresholds"]
    assert not quiet_tables["sentence_frames"]["matched"].any() and quiet_info["matches"] == 0
    assert quiet_info["quiet"] == len(inputs["sentences"]) and "trained" not in quiet_info


def test_the_frames_step_names_an_unknown_scorer(data_dir, embedder):
    from framing.frames.step import frame_step

    with pytest.raises(RegistryError, match="Did you mean 'anchors'"):
        frame_step(**_frame_step_inputs(data_dir, embedder), scorers=("anchor",))
