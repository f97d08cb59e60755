"""`framing sample --label-studio URL`: the project (config + tasks) is created in one step over Label Studio's API.

A local stand-in for Label Studio (http.server on 127.0.0.1) records the requests and answers like the real API.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.labelstudio import LabelStudioError, create_project

runner = CliRunner()
LEGACY = "d6f8a2622d39e9d89ff0dfef1a80ad877f4ee9e3"
PAT = "eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.c2lnbmF0dXJl"
DISABLED = "0123456789abcdef0123456789abcdef01234567"  # a legacy token where the organization disabled them


class FakeLabelStudio(BaseHTTPRequestHandler):
    calls: list = []
    tasks: dict = {}  # project id -> tasks imported
    tokens = {f"Token {LEGACY}", "Bearer access-123"}

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"null")
        self.calls.append((self.path, self.headers.get("Authorization"), body))
        if self.path == "/api/token/refresh/":
            return self._answer(200, {"access": "access-123"} if body == {"refresh": PAT} else {})
        if self.headers.get("Authorization") == f"Token {DISABLED}":  # the answer of Label Studio 1.23.2
            return self._answer(401, {"status_code": 401, "version": "1.23.2", "detail": "Authentication token no "
                                      "longer valid: legacy token authentication has been disabled for this organization"})
        if self.headers.get("Authorization") not in self.tokens:
            return self._answer(401, {"detail": "Invalid token."})
        if self.path == "/api/projects/":
            self.tasks[7] = []
            return self._answer(201, {"id": 7, "title": body["title"]})
        if self.path == "/api/projects/7/import" and 7 in self.tasks:
            self.tasks[7] += body
            return self._answer(201, {"task_count": len(body), "annotation_count": 0})
        return self._answer(404, {"detail": "Not found."})

    def do_GET(self):  # noqa: N802 - the check after creating: the project and its task count
        self.calls.append((self.path, self.headers.get("Authorization"), None))
        if self.headers.get("Authorization") not in self.tokens:
            return self._answer(401, {"detail": "Invalid token."})
        if self.path == "/api/projects/7/" and 7 in self.tasks:
            return self._answer(200, {"id": 7, "task_number": len(self.tasks[7])})
        return self._answer(404, {"detail": "Not found."})


@pytest.fixture
def label_studio():
    FakeLabelStudio.calls = []
    FakeLabelStudio.tasks = {}
    server = HTTPServer(("127.0.0.1", 0), FakeLabelStudio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", FakeLabelStudio.calls
    server.shutdown()
    server.server_close()


def test_sample_creates_the_project_with_config_and_tasks_in_one_step(tiny_run, tmp_path, label_studio, monkeypatch):
    url, calls = label_studio
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", LEGACY)
    out = tmp_path / "s"
    result = runner.invoke(app, ["sample", str(tiny_run.run_dir), "--n", "3", "--out", str(out), "--label-studio", url])
    assert result.exit_code == 0, result.output
    tasks = json.loads((out / "label-studio-tasks.json").read_text(encoding="utf-8"))
    (p_path, p_auth, project), (i_path, i_auth, imported), (g_path, g_auth, _) = calls
    assert (p_path, i_path, g_path) == ("/api/projects/", "/api/projects/7/import", "/api/projects/7/")
    assert p_auth == i_auth == g_auth == f"Token {LEGACY}"
    assert project["label_config"] == (out / "label-studio-config.xml").read_text(encoding="utf-8")
    assert len(project["title"]) <= 50 and "seed" in project["title"]
    assert imported == tasks and len(tasks) > 0
    assert f"Created Label Studio project 7 with {len(tasks)} tasks: {url}/projects/7" in " ".join(result.output.split())


def test_personal_access_token_is_exchanged_first(label_studio):
    url, calls = label_studio
    out = create_project(url + "/", PAT, "t", "<View/>", [{"data": {"text": "x"}}])
    assert out == {"project_id": 7, "url": f"{url}/projects/7", "tasks": 1}
    assert [c[0] for c in calls] == ["/api/token/refresh/", "/api/projects/", "/api/projects/7/import",
                                     "/api/projects/7/"]
    assert calls[1][1] == "Bearer access-123"


def test_refused_token_and_unreachable_server_are_explained(label_studio, tiny_run, tmp_path, monkeypatch):
    url, _ = label_studio
    with pytest.raises(LabelStudioError, match=r"HTTP 401.*LABEL_STUDIO_API_KEY"):
        create_project(url, "wrong", "t", "<View/>", [])
    with pytest.raises(LabelStudioError, match=r"HTTP 401.*does not accept legacy tokens.*personal access token"):
        create_project(url, DISABLED, "t", "<View/>", [])
    with pytest.raises(LabelStudioError, match="Cannot reach Label Studio"):
        create_project("http://127.0.0.1:9", LEGACY, "t", "<View/>", [])
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    result = runner.invoke(app, ["sample", str(tiny_run.run_dir), "--out", str(tmp_path / "x"), "--label-studio", url])
    assert result.exit_code == 2 and "LABEL_STUDIO_API_KEY" in result.output
    assert not (tmp_path / "x").exists()  # checked before drawing
