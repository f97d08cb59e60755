"""A run's llm_codes.parquet is a label file: `frames train --labels RUN/tables/llm_codes.parquet` (no server)."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.config import load_config
from framing.errors import InputError
from framing.frames.catalog import load_catalog
from framing.frames.labelled import read_labels
from framing.jobs.ingest import run_ingest
from framing.llm.coding import codes_table
from framing.llm.schemas import CodedFrame

DATA = Path(__file__).resolve().parent.parent / "data" / "llm"
CATALOG = DATA / "catalog.yaml"


def _codes(keys: pd.DataFrame, frames_of: list, level: str) -> pd.DataFrame:
    coded = [[CodedFrame(f, "own", None, None, None) for f in fs] for fs in frames_of]
    return codes_table(keys, coded, load_catalog(CATALOG), "gemma-3-270m", level)


def test_read_labels_takes_a_codes_table_of_either_level(tmp_path):
    docs = _codes(pd.DataFrame({"doc_id": ["d1", "d2"], "sentence_id": [None, None]}),
                  [["economic", "moral"], []], "document")
    docs.to_parquet(tmp_path / "llm_codes.parquet")
    labels = read_labels(tmp_path / "llm_codes.parquet")
    assert labels.to_dict("records") == [{"doc_id": "d1", "frames": ["economic", "moral"]},
                                         {"doc_id": "d2", "frames": []}]
    sents = _codes(pd.DataFrame({"doc_id": ["d1", "d1"], "sentence_id": ["s1", "s2"]}), [["conflict"], []],
                   "sentence")
    sents.to_parquet(tmp_path / "sentences.parquet")
    assert read_labels(tmp_path / "sentences.parquet").to_dict("records") == [
        {"sentence_id": "s1", "frames": ["conflict"]}, {"sentence_id": "s2", "frames": []}]
    # both levels in one table (framing code run twice): which one is meant cannot be guessed
    pd.concat([docs, sents]).to_parquet(tmp_path / "both.parquet")
    with pytest.raises(InputError, match="document and sentence codes.*--level LEVEL --labels-out"):
        read_labels(tmp_path / "both.parquet")
    pd.DataFrame({"doc_id": ["d1"], "topic": [3]}).to_parquet(tmp_path / "topics.parquet")
    with pytest.raises(InputError, match="not a table of codes.*'frame_id', 'matched'"):
        read_labels(tmp_path / "topics.parquet")


def test_frames_train_reads_the_runs_llm_codes_directly(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text((DATA / "train.jsonl").read_text())
    run = run_ingest([corpus], load_config(), tmp_path / "run").run_dir
    records = [json.loads(line) for line in corpus.read_text().splitlines()]
    docs = pd.read_parquet(run / "tables" / "documents.parquet").set_index("record_id").loc[
        [str(r["id"]) for r in records]]
    # codes as framing code writes them: economic in the documents about costs, conflict in the others
    economic = ["cost" in r["text"].lower() or "price" in r["text"].lower() or "job" in r["text"].lower()
                for r in records]
    assert 3 <= sum(economic) <= len(records) - 3
    frames_of = [["economic"] if e else ["conflict"] for e in economic]
    codes = _codes(pd.DataFrame({"doc_id": docs.doc_id.tolist(), "sentence_id": [None] * len(docs)}), frames_of,
                   "document")
    codes.to_parquet(run / "tables" / "llm_codes.parquet")
    catalog = tmp_path / "catalog.yaml"   # frames train saves its model beside the catalog
    shutil.copy(CATALOG, catalog)
    result = CliRunner().invoke(app, ["frames", "train", str(catalog), "--labels",
                                      str(run / "tables" / "llm_codes.parquet"), "--run", str(run),
                                      "--model", "hashing", "--pooling", "mean", "--set", "embedding.cache=false"])
    assert result.exit_code == 0, result.output
    model = json.loads((tmp_path / "catalog.trained.json").read_text())
    assert set(model["model"]["frames"]) == {"economic", "conflict"}   # moral: no positive, not trained
    assert model["meta"]["items"] == len(records)
    assert model["meta"]["positives"] == {"economic": 4, "conflict": 4, "moral": 0}
    assert model["meta"]["labels_file"] == str(run / "tables" / "llm_codes.parquet")
