"""Issue 19, cases 7 and 8: what framing hands to Label Studio and to spreadsheets.

- Label Studio: a redirect never carries the token to another address, and "Created ..." is said only
  after the project is read back with its tasks (real loopback HTTP servers, through the CLI).
- Spreadsheet-bound exports (export csv/xlsx, sample.csv): cells a spreadsheet would run as a formula
  are neutralised as OWASP advises; numbers stay numbers; --raw keeps every cell; xlsx takes
  nullable columns (pd.NA) of a run of the seeds' shape.
"""

from __future__ import annotations

import csv
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from framing import labelstudio, store
from framing.cli import app
from framing.labelstudio import LabelStudioError, create_project
from framing.spreadsheet import FORMULA_START, needs_prefix, read_csv, restore_cell

runner = CliRunner()
TOKEN = "d6f8a2622d39e9d89ff0dfef1a80ad877f4ee9e3"
LINK = '=HYPERLINK("http://x","y")'
HOSTILE = [LINK, "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
           "\t=1+1", "\r=1+1", "'=already quoted"]
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _formula(cell: str) -> bool:
    """What a spreadsheet runs: a cell beginning with = + - @ tab or CR that is not a plain number."""
    return cell.startswith(FORMULA_START) and needs_prefix(cell)


def _flat(output: str) -> str:
    return " ".join(output.split())


# -- a run folder with formula-like text, nullable columns and the seeds' dtypes -------------------------------

def _run(tmp_path: Path) -> Path:
    """A small run of the seeds' shape: string columns, nullable Int64 input_start with <NA>, topics."""
    n = len(HOSTILE) + 3
    texts = [*HOSTILE, "An ordinary sentence.", "-0.5", "- a bullet point"]
    s = pd.DataFrame({
        "sentence_id": [f"d{i % 3}:{i}" for i in range(n)],
        "doc_id": [f"d{i % 3}" for i in range(n)],
        "source": pd.array(["=evil source", "b", "c"] * (n // 3) + ["b"] * (n % 3), dtype="string"),
        "role": "article", "date": "2024-01-02", "lang": "en",
        "start": range(n), "end": range(1, n + 1),
        "text": pd.array(texts, dtype="string"),
        "is_fragment": False,
        "input_start": pd.array([None if i % 4 == 0 else i for i in range(n)], dtype="Int64"),
        "input_end": pd.array([None if i % 4 == 0 else i + 1 for i in range(n)], dtype="Int64"),
        "lang_confidence": -0.5, "topic": [i % 2 for i in range(n)],
    })
    docs = pd.DataFrame({"doc_id": ["d0", "d1", "d2"], "source": pd.array(["=evil source", "b", "c"], dtype="string"),
                         "date": "2024-01-02", "role": "article", "language": "en", "title": ["@title", "t", None],
                         "text": ["x", "y", "z"], "meta": [None, None, None],
                         "input_start": pd.array([None, 0, 5], dtype="Int64"),
                         "input_end": pd.array([None, 4, 9], dtype="Int64")})
    topics = pd.DataFrame({"topic": [0, 1], "label": ["=topic zero", "one"], "keywords": [["=k", "a"], ["b"]]})
    run_dir = tmp_path / "run"
    store.write_tables(run_dir, {"sentences": s, "documents": docs, "topics": topics})
    store.write_run_json(run_dir, {"seed": 1})
    return run_dir


def _csv_cells(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_csv_export_neutralises_formula_cells_and_keeps_numbers(tmp_path):
    run_dir = _run(tmp_path)
    result = runner.invoke(app, ["export", str(run_dir), "--format", "csv", "--out", str(tmp_path / "csv")])
    assert result.exit_code == 0, result.output
    for path in (tmp_path / "csv").glob("*.csv"):  # what a spreadsheet reads: no cell is a formula
        for row in _csv_cells(path):
            assert not [c for c in row if _formula(c)], (path.name, row)
    raw = (tmp_path / "csv" / "sentences.csv").read_text(encoding="utf-8")
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in raw  # OWASP: a quote in front, the cell quoted
    assert ",-0.5," in raw  # the number column lang_confidence is a number, unquoted and unchanged
    cells = {c for row in _csv_cells(tmp_path / "csv" / "sentences.csv") for c in row}
    assert {"-0.5", "An ordinary sentence.", "'- a bullet point", "''=already quoted", "'=evil source"} <= cells
    # The prefix is reversible: reading back gives the corpus text exactly.
    back = read_csv(tmp_path / "csv" / "sentences.csv", keep_default_na=False)
    assert back.text.tolist() == [*HOSTILE, "An ordinary sentence.", "-0.5", "- a bullet point"]
    assert back.lang_confidence.tolist() == [-0.5] * len(back)
    keywords = {c for row in _csv_cells(tmp_path / "csv" / "topics__keywords.csv") for c in row}
    assert "'=k" in keywords and "=k" not in keywords


def test_csv_export_raw_writes_cells_unchanged(tmp_path):
    run_dir = _run(tmp_path)
    result = runner.invoke(app, ["export", str(run_dir), "--format", "csv", "--raw", "--out", str(tmp_path / "raw")])
    assert result.exit_code == 0, result.output
    back = pd.read_csv(tmp_path / "raw" / "sentences.csv", keep_default_na=False)
    assert back.text.tolist()[: len(HOSTILE)] == HOSTILE
    # jsonl and parquet are never neutralised (no spreadsheet opens them)
    result = runner.invoke(app, ["export", str(run_dir), "--format", "jsonl", "--out", str(tmp_path / "j")])
    assert result.exit_code == 0, result.output
    assert pd.read_json(tmp_path / "j" / "sentences.jsonl", lines=True).text.tolist()[: len(HOSTILE)] == HOSTILE


def test_xlsx_export_takes_nullable_columns_and_marks_formula_cells(tmp_path):
    from openpyxl import load_workbook

    run_dir = _run(tmp_path)
    result = runner.invoke(app, ["export", str(run_dir), "--format", "xlsx", "--out", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output  # today: ValueError: Cannot convert <NA> to Excel
    ws = load_workbook(tmp_path / "x" / "tables.xlsx")["sentences"]
    header = [c.value for c in ws[1]]
    rows = list(ws.iter_rows(min_row=2))
    col = {name: i for i, name in enumerate(header)}
    starts = [r[col["input_start"]].value for r in rows]
    assert starts[0] is None and starts[1] == 1  # <NA> is an empty cell, numbers stay numbers
    texts = [r[col["text"]] for r in rows]
    assert [c.value for c in texts[: len(HOSTILE)]] == HOSTILE
    assert all(c.data_type == "s" for c in texts)
    assert [c.quotePrefix for c in texts] == [True] * (len(HOSTILE) - 1) + [False, False, False, True]
    assert rows[0][col["lang_confidence"]].value == -0.5 and rows[0][col["lang_confidence"]].data_type == "n"
    result = runner.invoke(app, ["export", str(run_dir), "--format", "xlsx", "--raw", "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    raw = load_workbook(tmp_path / "r" / "tables.xlsx")["sentences"]
    assert not any(c.quotePrefix for r in raw.iter_rows() for c in r)


def test_sample_csv_is_neutralised_unless_raw(tmp_path):
    run_dir = _run(tmp_path)
    out = tmp_path / "s"
    result = runner.invoke(app, ["sample", str(run_dir), "--by", "topic", "--n", "100", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = _csv_cells(out / "sample.csv")
    assert not [c for row in rows for c in row if _formula(c)]
    cells = {c for row in rows for c in row}
    assert "'" + LINK in cells and "'=topic zero" in cells
    tasks = json.loads((out / "label-studio-tasks.json").read_text(encoding="utf-8"))
    assert LINK in {t["data"]["text"] for t in tasks}  # Label Studio gets the text as it is
    assert set(read_csv(out / "sample.csv", keep_default_na=False).text) == set(_texts_sampled(rows))
    result = runner.invoke(app, ["sample", str(run_dir), "--by", "topic", "--n", "100", "--raw", "--out",
                                 str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert LINK in set(pd.read_csv(tmp_path / "r" / "sample.csv", keep_default_na=False).text)


def _texts_sampled(rows):
    i = rows[0].index("text")
    return [restore_cell(r[i]) for r in rows[1:]]


@pytest.mark.slow
def test_xlsx_and_csv_export_of_the_seeds(tmp_path):
    """The seeds themselves hold a comment beginning with '=' and comments without input offsets (<NA>)."""
    from openpyxl import load_workbook

    run_dir = tmp_path / "seeds-run"
    result = runner.invoke(app, ["ingest", str(SEEDS), "--out", str(run_dir), "--quiet",
                                 "--set", "embedding.cache=false"])
    assert result.exit_code == 0, result.output
    assert pd.read_parquet(run_dir / "tables" / "sentences.parquet").input_start.isna().any()
    result = runner.invoke(app, ["export", str(run_dir), "--format", "xlsx", "--out", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    ws = load_workbook(tmp_path / "x" / "tables.xlsx", read_only=False)["sentences"]
    flagged = [c for r in ws.iter_rows(min_row=2) for c in r if c.quotePrefix]
    assert any(str(c.value).startswith("=USA/JEWISH") for c in flagged)
    result = runner.invoke(app, ["export", str(run_dir), "--format", "csv", "--out", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert not [c for row in _csv_cells(tmp_path / "c" / "sentences.csv") for c in row if _formula(c)]


# -- Label Studio over real loopback servers -----------------------------------------------------------------------

class _Recorder(BaseHTTPRequestHandler):
    """Answers every request with ``self.server.answer(handler, method, body)``; records what it received."""

    def log_message(self, *args):
        pass

    def _handle(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"null") if length else None
        self.server.received.append((method, self.path, self.headers.get("Authorization"), body))
        code, headers, payload = self.server.answer(self.path, method, body)
        data = json.dumps(payload).encode()
        self.send_response(code)
        for k, v in {"Content-Type": "application/json", "Content-Length": str(len(data)), **headers}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802
        self._handle("GET")

    def do_POST(self):  # noqa: N802
        self._handle("POST")


@pytest.fixture
def servers():
    started = []

    def start(answer):
        server = HTTPServer(("127.0.0.1", 0), _Recorder)
        server.received, server.answer = [], answer
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return server, f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def _sample_args(tmp_path, url):
    return ["sample", str(_run(tmp_path)), "--by", "topic", "--n", "1", "--out", str(tmp_path / "s"),
            "--label-studio", url]


def test_label_studio_token_is_not_sent_on_a_redirect(tmp_path, servers, monkeypatch):
    other, other_url = servers(lambda path, method, body: (201, {}, {"id": 7, "task_count": 1, "task_number": 1}))
    first, url = servers(lambda path, method, body: (302, {"Location": f"{other_url}{path}"}, {}))
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", TOKEN)
    result = runner.invoke(app, _sample_args(tmp_path, url))
    out = _flat(result.output)
    assert [auth for *_, auth, _ in other.received] == []  # the other port received no request, so no token
    assert result.exit_code == 2, out
    assert f"HTTP 302, a redirect to {other_url}/api/projects/" in out and "token was not sent there" in out
    assert "Created" not in out
    assert first.received[0][2] == f"Token {TOKEN}"  # the address the user named did get it


def test_label_studio_personal_token_is_not_posted_on_a_redirect(servers):
    other, other_url = servers(lambda path, method, body: (200, {}, {"access": "stolen"}))
    _, url = servers(lambda path, method, body: (307, {"Location": f"{other_url}{path}"}, {}))
    with pytest.raises(LabelStudioError, match="HTTP 307, a redirect to .*token was not sent there"):
        create_project(url, "a.b.c", "t", "<View/>", [])
    assert other.received == []


def test_label_studio_bogus_created_answer_is_not_success(tmp_path, servers, monkeypatch):
    def bogus(path, method, body):  # says "created" to every POST, but holds nothing
        if method == "POST":
            return 201, {}, ({"id": 7} if path == "/api/projects/" else {"task_count": len(body or [])})
        return 404, {}, {"detail": "Not found."}

    server, url = servers(bogus)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", TOKEN)
    result = runner.invoke(app, _sample_args(tmp_path, url))
    out = _flat(result.output)
    assert result.exit_code == 2, out
    assert "Created Label Studio project" not in out
    assert "answered that it created project 7" in out and "cannot be read back" in out and "HTTP 404" in out
    assert [p for m, p, *_ in server.received if m == "GET"] == ["/api/projects/7/"]


def test_label_studio_project_without_the_tasks_is_not_success(servers, monkeypatch):
    monkeypatch.setattr(labelstudio, "VERIFY_SECONDS", 0.3)

    def empty(path, method, body):  # the project exists, the import "succeeds", the project stays empty
        if method == "POST":
            return 201, {}, ({"id": 7} if path == "/api/projects/" else {"task_count": 2})
        return 200, {}, {"id": 7, "task_number": 0}

    _, url = servers(empty)
    with pytest.raises(LabelStudioError, match=r"imported 2 tasks, but the project holds 0 tasks"):
        create_project(url, TOKEN, "t", "<View/>", [{"data": {"text": "a"}}, {"data": {"text": "b"}}])

    def other_project(path, method, body):
        if method == "POST":
            return 201, {}, ({"id": 7} if path == "/api/projects/" else {"task_count": 1})
        return 200, {}, {"id": 8, "task_number": 1}

    _, url = servers(other_project)
    with pytest.raises(LabelStudioError, match="gave another answer"):
        create_project(url, TOKEN, "t", "<View/>", [{"data": {"text": "a"}}])


def test_label_studio_queued_import_is_waited_for(servers):
    seen = []

    def queued(path, method, body):  # tasks appear on the second look, as with a queued import
        if method == "POST":
            return 201, {}, ({"id": 7} if path == "/api/projects/" else {"import": 3})
        seen.append(path)
        return 200, {}, {"id": 7, "task_number": 0 if len(seen) < 2 else 1}

    _, url = servers(queued)
    assert create_project(url, TOKEN, "t", "<View/>", [{"data": {"text": "a"}}])["tasks"] == 1
    assert seen == ["/api/projects/7/", "/api/projects/7/"]


def test_label_studio_without_task_number_counts_the_task_list(servers):
    def older(path, method, body):  # a project answer without task_number: the data manager's list has the total
        if method == "POST":
            return 201, {}, ({"id": 7} if path == "/api/projects/" else {"task_count": 1})
        if path == "/api/projects/7/":
            return 200, {}, {"id": 7}
        return (200, {}, {"total": 1, "tasks": []}) if path.startswith("/api/tasks/?project=7") else (404, {}, {})

    server, url = servers(older)
    assert create_project(url, TOKEN, "t", "<View/>", [{"data": {"text": "a"}}])["tasks"] == 1
    assert [p for m, p, *_ in server.received if m == "GET"] == ["/api/projects/7/", "/api/tasks/?project=7&page_size=1"]
