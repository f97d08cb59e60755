"""Warnings reach the researcher: printed by the CLI and recorded in run.json.

Through the CLI as a user runs it, never with ``pytest.warns`` (which forces
warnings on and so cannot see a library that silenced them).
"""

import json
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.errors import FrameWarning, InputWarning
from framing.runlog import RunLog, quiet_import

TINY = Path(__file__).parent / "data" / "tiny"
FAST = ["--set", "embedding.model=hashing", "--set", "embedding.cache=false",
        "--set", "topics.reducer=pca", "--set", "topics.min_cluster_size=3", "--set", "topics.n_neighbors=5"]

ONE_ANCHOR = """\
name: one-anchor
languages: [en]
frames:
  - id: lonely-frame
    label: A frame with a single example
    description: Only one anchor, so its threshold cannot be calibrated.
    examples:
      - Rockets hit the base again.
  - id: there-for-oil
    label: Troops are there for the oil
    description: Foreign troops stay for the oil.
    examples:
      - The troops are only there for the oil fields.
      - Foreign troops took the oil fields and sell the oil.
"""


def test_single_anchor_frame_warning_is_printed_and_recorded(tmp_path):
    catalog = tmp_path / "one.yaml"
    catalog.write_text(ONE_ANCHOR, encoding="utf-8")
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["analyze", str(TINY), "--out", str(out), "--frames", str(catalog), *FAST])
    assert result.exit_code == 0, result.output
    # The frame step runs after BERTopic was imported, which used to silence every UserWarning.
    assert "FrameWarning" in result.output and "lonely-frame" in result.output
    meta = json.loads((out / "run.json").read_text(encoding="utf-8"))
    frame_warnings = [w for w in meta["warnings"] if w["category"] == "FrameWarning"]
    assert any("lonely-frame" in w["message"] and "fewer than 2 anchors" in w["message"] for w in frame_warnings)
    assert {w["stage"] for w in frame_warnings} == {"frames"}
    assert "warning(s) above" in result.output


def test_ingest_records_input_warnings_with_their_stage(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Rockets hit the base again today. Nobody was hurt.", encoding="utf-8")
    (corpus / "manifest.csv").write_text("file,source,date\na.txt,alpha,2020-31-31\nghost.txt,beta,2020-01-01\n",
                                         encoding="utf-8")
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert meta["warnings"], "the unparseable date must be recorded"
    assert all(set(w) == {"category", "message", "stage"} for w in meta["warnings"])
    assert any(w["category"] == "InputWarning" and w["stage"] == "ingest" for w in meta["warnings"])
    assert meta["warnings"][0]["message"] in result.output


def test_bertopic_import_leaves_warning_filters_alone():
    before = list(warnings.filters)
    quiet_import("bertopic")
    assert warnings.filters == before


def test_runlog_records_framing_warnings_despite_ignore_filters_and_restores_them():
    seen = []
    before = list(warnings.filters)
    with RunLog(echo=seen.append) as log:
        warnings.simplefilter("ignore")
        log.stage = "frames"
        warnings.warn("weak frame", FrameWarning)
        warnings.warn("weak frame", FrameWarning)  # repeats are recorded once
        log.stage = "ingest"
        warnings.warn("bad date", InputWarning)
    assert log.records == [{"category": "FrameWarning", "message": "weak frame", "stage": "frames"},
                           {"category": "InputWarning", "message": "bad date", "stage": "ingest"}]
    assert seen == ["Warning (FrameWarning, frames): weak frame", "Warning (InputWarning, ingest): bad date"]
    assert warnings.filters == before


@pytest.mark.parametrize("category", [UserWarning, FrameWarning])
def test_runlog_without_echo_hands_warnings_to_pythons_display(category, monkeypatch):
    shown = []
    monkeypatch.setattr(warnings, "showwarning", lambda message, *args, **kw: shown.append(str(message)))
    with RunLog() as log:
        warnings.warn("shown", category)
    assert log.records[0]["message"] == "shown"
    assert shown == ["shown"]
