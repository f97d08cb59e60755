"""framing export and the documented DuckDB queries."""

import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.errors import FramingError
from framing.jobs.export import export_run, tidy_tables

DOCS = Path(__file__).resolve().parents[2] / "docs" / "tables.md"
README = Path(__file__).resolve().parents[2] / "README.md"
runner = CliRunner()


def _sql_blocks(path: Path) -> list[str]:
    return re.findall(r"```sql\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def test_documented_queries_run_and_answer(tiny_run):
    queries = _sql_blocks(DOCS)
    assert len(queries) >= 6
    con = duckdb.connect(str(tiny_run.run_dir / "framing.duckdb"), read_only=True)
    try:
        results = [con.execute(q).df() for q in queries]
    finally:
        con.close()
    # The tiny corpus talks about oil: the frame of the examples is found, with its sources, dates and sentences.
    which, since, sentences = results[:3]
    assert len(which) > 0 and (which.matched_sentences > 0).all()
    assert since.first_seen.str.match(r"\d{4}-\d{2}-\d{2}").all()
    matched = tiny_run.sentence_frames.query("frame_id == 'us-there-for-oil' and matched")
    assert set(sentences.text) <= set(tiny_run.sentences.text) and len(sentences) == min(20, len(matched))
    assert results[-1].offsets_hold.all()


def test_readme_query_runs(tiny_run):
    con = duckdb.connect(str(tiny_run.run_dir / "framing.duckdb"), read_only=True)
    try:
        for q in _sql_blocks(README):
            q = "\n".join(line for line in q.splitlines() if not line.startswith("-- duckdb"))
            assert len(con.execute(q).df().columns) > 0
    finally:
        con.close()


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_is_tidy_and_complete(tiny_run, tmp_path, fmt):
    folder = export_run(tiny_run.run_dir, fmt, tmp_path / fmt)
    schema = json.loads((folder / "schema.json").read_text())
    read = {"csv": pd.read_csv, "jsonl": lambda p: pd.read_json(p, lines=True), "parquet": pd.read_parquet}[fmt]
    kw = read(folder / f"topics__keywords.{fmt}")
    assert list(kw.columns) == ["topic", "rank", "keywords"] and schema["topics__keywords"]["parent"]["table"] == "topics"
    expected = tiny_run.topics.set_index("topic").keywords
    for topic, group in kw.groupby("topic"):
        assert group.sort_values("rank").keywords.astype(str).tolist() == [str(k) for k in expected[topic]]
    sents = read(folder / f"sentences.{fmt}")
    assert len(sents) == len(tiny_run.sentences) and schema["sentences"]["key"] == ["sentence_id"]
    for name in schema:  # every exported cell holds one value
        df = read(folder / f"{name}.{fmt}")
        assert not df.map(lambda v: isinstance(v, (list, dict))).any().any(), name


def test_xlsx_keeps_formula_like_text_as_text(tmp_path):
    from openpyxl import load_workbook

    from framing import store

    run_dir = tmp_path / "run"
    store.write_tables(run_dir, {"sentences": pd.DataFrame({"sentence_id": ["a"], "text": ["=HYPERLINK(\"http://x\")\x07"]})})
    store.write_run_json(run_dir, {"seed": 1})
    result = runner.invoke(app, ["export", str(run_dir), "--format", "xlsx", "--out", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    wb = load_workbook(tmp_path / "x" / "tables.xlsx")
    cell = wb["sentences"]["B2"]
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://x\")"
    assert [r[0].value for r in wb["tables"].iter_rows(min_row=2)] == ["sentences"]


def test_export_errors_are_sentences(tmp_path):
    with pytest.raises(FramingError, match="Unknown export format 'docx'"):
        export_run(tmp_path, "docx")
    result = runner.invoke(app, ["export", str(tmp_path)])
    assert result.exit_code == 2 and "has no run.json" in result.output


def test_tidy_tables_without_a_key_get_a_row_number():
    tidy = tidy_tables({"compare_x": pd.DataFrame({"group": ["a", "b"], "ids": [["s1", "s2"], []]})})
    assert tidy["compare_x"].columns.tolist() == ["row", "group"]
    assert tidy["compare_x__ids"].values.tolist() == [[0, 1, "s1"], [0, 2, "s2"]]
