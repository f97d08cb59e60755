"""framing stability: refits with other seeds, topics aligned by shared sentences."""

import shutil

import numpy as np
import pytest
from typer.testing import CliRunner

import framing
from framing.cli import app
from framing.errors import InputError
from framing.jobs.stability import align_topics, topic_stability

runner = CliRunner()


def test_identical_refits_are_fully_stable():
    ref = np.array([0, 0, 0, 1, 1, -1])
    table = align_topics(ref, [ref.copy(), np.where(ref >= 0, ref + 7, -1)], ids=list("abcdef"))
    assert table.stability.tolist() == [1.0, 1.0] and table.stable.all()
    assert table.core_ids.tolist() == [["a", "b", "c"], ["d", "e"]]


def test_a_topic_that_dissolves_is_fragile():
    ref = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    fits = [np.array([0, 0, 0, 0, -1, -1, 2, 3]), np.array([4, 4, 4, 4, 5, -1, -1, -1])]
    table = align_topics(ref, fits, ids=[str(i) for i in range(8)]).set_index("topic")
    assert table.loc[0, "stable"] and not table.loc[1, "stable"]
    assert table.loc[1, "reappearance"] == 0.0 and table.loc[1, "core_size"] == 0


def test_stability_writes_its_table_and_topic_columns(tiny_run, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(tiny_run.run_dir, run_dir)
    result = runner.invoke(app, ["stability", str(run_dir), "--seeds", "3"])
    assert result.exit_code == 0, result.output
    run = framing.load_run(run_dir)
    table = run.table("topic_stability")
    clustered = sorted(t for t in run.topics.topic if t >= 0)
    assert table.topic.tolist() == clustered
    assert table.stability.between(0, 1).all() and (table.core_size <= table["size"]).all()
    assert {"stability", "stable"} <= set(run.topics.columns)
    assert run.meta["stability"]["seeds"] == [run.seed + 1, run.seed + 2, run.seed + 3]
    assert all(len(o) == 3 for o in table.overlaps)
    spread = run.meta["stability"]["agreement"]["documents"]
    assert sorted(spread["ari"]) == sorted(str(s) for s in run.meta["stability"]["seeds"])
    assert spread["min"] <= spread["mean"] <= spread["max"] <= 1.0
    assert "Spread across seeds, documents' main topics: ARI" in result.output
    # `framing report RUN_DIR` (a rebuild from the tables) marks the stable core and the fragile topics
    result = runner.invoke(app, ["report", str(run_dir)])
    assert result.exit_code == 0, result.output
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    stable, fragile = int(table.stable.sum()), int((~table.stable).sum())
    assert f"<b>{stable} stable core</b> topic(s) and <b>{fragile} fragile</b> topic(s), over 3 refits" in page
    assert page.count('<span class="mark stable">') == stable and page.count('<span class="mark fragile">') == fragile


def test_stability_needs_two_seeds(tiny_run):
    with pytest.raises(InputError, match="at least 2"):
        topic_stability(tiny_run.run_dir, 1)
