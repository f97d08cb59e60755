"""Messages for people, met where a user meets them (the command line): warnings as one line with their
category, and "did you mean" for config keys, record fields and --by columns, never the typo as advice."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from framing.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
GERMAN = ("Der Stadtrat hat gestern die neuen Pläne für die Innenstadt besprochen. "
          "Viele Bewohner machen sich Sorgen über den Verkehr und die Parkplätze in ihrer Straße. "
          "Die Bürgermeisterin versprach, dass im nächsten Jahr eine neue Brücke über den Fluss gebaut wird.")
CODE_LOCATION = re.compile(r"\.py:\d+")


def test_a_warning_reaches_the_terminal_as_one_line_with_its_category(tiny_run, tmp_path):
    # A real process, as a user runs it: pytest's own warning capture would swallow what the terminal shows.
    corpus = tmp_path / "german"  # the tiny corpus is English and Dutch: apply warns (LanguageWarning)
    corpus.mkdir()
    for i in range(3):
        (corpus / f"stueck{i}.txt").write_text(GERMAN, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", "from framing.cli import main; main()", "apply",
                           str(tiny_run.run_dir), str(corpus), "--out", str(tmp_path / "applied"), "-q"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stderr.splitlines() if "LanguageWarning" in line]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("Warning (LanguageWarning): The topic model was fitted on en, nl sentences")
    assert not CODE_LOCATION.search(done.stderr), done.stderr
    # the full record stays in run.json
    meta = json.loads((tmp_path / "applied" / "run.json").read_text(encoding="utf-8"))
    assert any(w["category"] == "LanguageWarning" and w["stage"] == "apply" for w in meta["warnings"])


def test_the_cli_gives_the_callers_warning_format_back():
    import warnings

    before = warnings.formatwarning
    assert runner.invoke(app, ["config"]).exit_code == 0
    assert warnings.formatwarning is before


def test_an_unknown_config_key_suggests_the_key_that_exists(tmp_path):
    result = runner.invoke(app, ["config", "--set", "topics.min_cluster_sise=3"])
    assert result.exit_code == 2
    assert "Unknown config key 'topics.min_cluster_sise'. Did you mean 'topics.min_cluster_size'?" in result.output
    # a key put in the wrong section is found where it lives
    result = runner.invoke(app, ["config", "--set", "embedding.min_cluster_size=3"])
    assert "Did you mean 'topics.min_cluster_size'?" in result.output, result.output
    # nothing close: the allowed keys, and no guess
    result = runner.invoke(app, ["config", "--set", "embedding.colour=red"])
    assert "Did you mean" not in result.output and "Allowed keys here: " in result.output


def test_a_mistyped_record_field_suggests_the_field_that_exists(tmp_path):
    records = tmp_path / "news.jsonl"
    records.write_text("".join(json.dumps({"id": str(i), "body": "Rockets hit the base again.", "outlet": "x",
                                           "partisan": "left"}) + "\n" for i in range(3)), encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(records), "--text-field", "bdy", "--out", str(tmp_path / "run")])
    assert result.exit_code == 2
    assert "the text field 'bdy' is in no record. Did you mean 'body'?" in " ".join(result.output.split())


def test_a_mistyped_by_column_suggests_the_column_and_never_repeats_the_typo(tiny_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(tiny_run.run_dir, run)
    result = runner.invoke(app, ["compare", str(run), "--by", "date_sourse"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "Cannot group by 'date_sourse'" in said and "Did you mean 'date_source'?" in said
    assert "keep=[date_sourse]" not in said and "corpus.fields.keep=[FIELD]" in said
    result = runner.invoke(app, ["compare", str(run), "--by", "sorce"])
    assert "Did you mean 'source'" in " ".join(result.output.split())  # the closest first
