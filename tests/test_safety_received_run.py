"""A received run folder is hostile input (issue 19, cases 4 and 5, and its "Done when").

A run someone sends you may hold links to your own files, a pickle, a
model hub name, a damaged or forged file. ``framing apply`` and ``framing
rerun`` on such a run must follow no link, copy no file from outside the
run, unpickle nothing, fetch nothing (a loopback HTTP server stands in for
the model hub and for any proxy, and must receive no request), and end with
one clear error or a clean result. The hashing embedder and PCA keep every
run a few seconds long and offline.
"""

from __future__ import annotations

import errno
import http.server
import json
import os
import pickle
import shutil
import socket
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from framing.cli import app

TINY = Path(__file__).resolve().parent / "data" / "tiny"
FAST = dict(embedding__model="hashing", embedding__cache=False, topics__reducer="pca",
            topics__min_cluster_size=3, topics__n_neighbors=5, topics__min_main_documents=0,
            topics__min_anchored_share=0.0)
SECRET = "the secret of someone who received a run folder 7f3a"
HUB_NAME = "attacker/evil-model"
runner = CliRunner()


@pytest.fixture(scope="module")
def parent_run(tmp_path_factory):
    """An analyzed run of the tiny corpus with a saved topic model (the run someone sends you)."""
    import framing

    result = framing.analyze(TINY, frames=["us-middle-east"], out=tmp_path_factory.mktemp("sent") / "run", **FAST)
    assert (result.run_dir / "topic_model" / "topic_embeddings.safetensors").is_file()
    return result.run_dir


@pytest.fixture(scope="module")
def new_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("new") / "week-2"
    folder.mkdir()
    shutil.copy(TINY / "beta.txt", folder / "beta.txt")
    return folder


@pytest.fixture
def received(parent_run, tmp_path):
    """A copy of the parent run to tamper with, and a private folder outside it holding a secret."""
    run = tmp_path / "received"
    shutil.copytree(parent_run, run)
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / "secret.txt").write_text(SECRET)
    (home / ".ssh" / "id_rsa").write_text(SECRET)
    return run, home


class _Hub(http.server.BaseHTTPRequestHandler):
    """Answers every request 404 and records it: a model hub and a proxy that must never be asked."""

    requests: list[str] = []

    def _record(self):
        self.requests.append(f"{self.command} {self.path}")
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD = do_POST = do_PUT = do_CONNECT = _record

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture
def hub(monkeypatch):
    """A loopback server standing in for the Hugging Face hub and for every proxy; yields its requests.

    Connections anywhere else are refused and recorded too, so a request that bypasses the
    proxy settings is also seen.
    """
    requests: list[str] = []
    handler = type("Hub", (_Hub,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    for name in ("HF_ENDPOINT", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, url)
    for name in ("NO_PROXY", "no_proxy", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    try:  # huggingface_hub reads these once, at import
        import huggingface_hub.constants as hf

        monkeypatch.setattr(hf, "ENDPOINT", url)
        monkeypatch.setattr(hf, "HUGGINGFACE_CO_URL_TEMPLATE", url + "/{repo_id}/resolve/{revision}/{filename}")
        monkeypatch.setattr(hf, "HF_HUB_OFFLINE", False)
    except ImportError:
        pass
    real_connect = socket.socket.connect

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and tuple(address[:2]) != server.server_address[:2]:
            requests.append(f"connect {address!r}")
            raise OSError(f"network blocked by the test: connect {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    try:
        yield requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _apply(run: Path, corpus: Path, out: Path, *extra: str):
    return runner.invoke(app, ["apply", str(run), str(corpus), "--out", str(out), "-q", *extra])


def _holds_secret(folder: Path) -> list[str]:
    """Files under ``folder`` whose bytes hold the secret (copied from outside the run)."""
    if not folder.exists():
        return []
    return [str(p) for p in folder.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]


def _clear_error(result, *needles: str) -> str:
    """The command ended with exit code 2 and one 'Error:' line holding every needle (no traceback)."""
    text = result.output
    assert result.exit_code == 2, (result.exit_code, text, result.exception)
    assert "Traceback" not in text and text.count("Error:") == 1, text
    flat = " ".join(text.split())
    for needle in needles:
        assert needle in flat, (needle, text)
    return flat


# Case 4: links in a received run are never followed, nor copied through.

@pytest.mark.parametrize("entry, target", [("notes.txt", "secret.txt"), ("assets", ".ssh")])
def test_apply_refuses_a_link_in_the_topic_model(received, new_corpus, tmp_path, entry, target):
    run, home = received
    (run / "topic_model" / entry).symlink_to(home / target)
    out = tmp_path / "applied"
    flat = _clear_error(_apply(run, new_corpus, out), f"topic_model/{entry} in {run} is a symbolic link",
                        "does not follow links")
    assert "Replace the link" in flat
    assert not out.exists() and not _holds_secret(tmp_path / "applied")


@pytest.mark.parametrize("rel", ["run.json", "tables/topics.parquet", "topic_model/framing.json",
                                 "topic_model/topic_embeddings.safetensors"])
def test_apply_refuses_a_linked_file_it_reads(received, new_corpus, tmp_path, rel):
    """Even a link to a valid file of the right kind: the run names what is read, never where it lives."""
    run, home = received
    moved = home / Path(rel).name
    shutil.move(run / rel, moved)
    (run / rel).symlink_to(moved)
    out = tmp_path / "applied"
    _clear_error(_apply(run, new_corpus, out), f"{rel} in {run} is a symbolic link")
    assert not out.exists()


def test_apply_refuses_a_device_in_the_topic_model(received, new_corpus, tmp_path):
    run, _ = received
    os.mkfifo(run / "topic_model" / "config.json.fifo")
    _clear_error(_apply(run, new_corpus, tmp_path / "applied"), "topic_model/config.json.fifo", "a named pipe")


def test_applied_run_holds_only_the_files_framing_writes(received, new_corpus, tmp_path):
    """Unknown regular files and folders in a received topic_model/ are not carried into the new run."""
    run, _ = received
    (run / "topic_model" / "README.txt").write_text("not framing's")
    (run / "topic_model" / "images").mkdir()
    out = tmp_path / "applied"
    result = _apply(run, new_corpus, out)
    assert result.exit_code == 0, result.output
    names = {p.name for p in (out / "topic_model").iterdir()}
    assert names == {p.name for p in (run / "topic_model").iterdir()} - {"README.txt", "images"}
    assert all(p.is_file() and not p.is_symlink() for p in (out / "topic_model").iterdir())


# Case 4: the model is copied before the run is in place; a damaged model is one clear error.

def test_a_failed_model_copy_leaves_no_run(received, new_corpus, tmp_path, monkeypatch):
    """A full disk while the topic model is copied: before, run.json was in place with a broken model."""
    run, _ = received
    real_copyfile, real_copyfileobj = shutil.copyfile, shutil.copyfileobj

    def full(dest_name: str):
        if "topic_model" in str(dest_name):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dest_name))

    def copyfile(src, dst, *a, **k):
        full(dst)
        return real_copyfile(src, dst, *a, **k)

    def copyfileobj(src, dst, *a, **k):
        full(getattr(dst, "name", ""))
        return real_copyfileobj(src, dst, *a, **k)

    monkeypatch.setattr(shutil, "copyfile", copyfile)
    monkeypatch.setattr(shutil, "copyfileobj", copyfileobj)
    out = tmp_path / "applied"
    _clear_error(_apply(run, new_corpus, out), "Cannot write the topic model", "No space left on device",
                 "no run was written")
    assert not (out / "run.json").exists()
    assert not list(tmp_path.glob(".applied.partial-*"))


@pytest.mark.parametrize("name, content, needle", [
    ("framing.json", b"", "topic_model/framing.json in {run} is empty"),
    ("framing.json", b'{"format": 1, "embedder": ', "topic_model/framing.json in {run} is not valid JSON (line 1"),
    ("config.json", b"", "topic_model/config.json in {run} is empty"),
    ("topics.json", b"[" * 100_000, "topic_model/topics.json in {run} nests its JSON too deeply"),
    ("topic_embeddings.safetensors", b"", "topic_model/topic_embeddings.safetensors in {run} is not a valid "
                                          "safetensors file (empty)"),
    ("topic_embeddings.safetensors", (10**9).to_bytes(8, "little") + b"{}",
     "topic_model/topic_embeddings.safetensors in {run} is not a valid safetensors file (header of 1,000,000,000"),
])
def test_a_damaged_topic_model_is_one_clear_error(received, new_corpus, tmp_path, name, content, needle):
    """Zero-byte files (what a full disk left before) and broken ones: a RunStoreError naming the file."""
    run, _ = received
    (run / "topic_model" / name).write_bytes(content)
    _clear_error(_apply(run, new_corpus, tmp_path / "applied"), needle.format(run=run), "run the analysis again"
                 if name.endswith(".json") else "rerun the analysis")


def test_forged_embeddings_of_the_wrong_shape_are_refused(received, new_corpus, tmp_path):
    from framing.runfolder.received import read_topic_embeddings, write_safetensors

    run, _ = received
    rows = len(read_topic_embeddings(run))
    import numpy as np

    write_safetensors(run / "topic_model" / "topic_embeddings.safetensors",
                      {"topic_embeddings": np.ones((rows, 7), dtype=np.float32)})
    _clear_error(_apply(run, new_corpus, tmp_path / "applied"), "holds topic embeddings of 7 dimensions",
                 "the embedder gives 256")


# Case 5: nothing is unpickled, nothing fetched.

class _Marker:
    """Unpickling it creates a file: the proof that code ran."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


@pytest.mark.parametrize("name", ["topic_embeddings.bin", "ctfidf.bin", "model.pkl"])
def test_a_pickle_in_a_received_run_is_refused_not_loaded(received, new_corpus, tmp_path, hub, name):
    run, _ = received
    marker = tmp_path / "pickle-ran"
    if name == "topic_embeddings.bin":  # BERTopic's legacy format, loaded when no safetensors file is there
        (run / "topic_model" / "topic_embeddings.safetensors").unlink()
    (run / "topic_model" / name).write_bytes(pickle.dumps(_Marker(marker)))
    _clear_error(_apply(run, new_corpus, tmp_path / "applied"), f"topic_model/{name} in {run} is a pickle or torch file",
                 "framing never does")
    assert not marker.exists() and hub == []


def test_load_bertopic_refuses_a_pickle_and_a_link(received, tmp_path):
    from framing.errors import RunStoreError
    from framing.topics import load_bertopic

    run, home = received
    (run / "topic_model" / "topic_embeddings.bin").write_bytes(pickle.dumps(_Marker(tmp_path / "ran")))
    with pytest.raises(RunStoreError, match="topic_embeddings.bin .* is a pickle or torch file"):
        load_bertopic(run / "topic_model")
    (run / "topic_model" / "topic_embeddings.bin").unlink()
    (run / "topic_model" / "assets").symlink_to(home / ".ssh")
    with pytest.raises(RunStoreError, match="topic_model/assets .* is a symbolic link"):
        load_bertopic(run / "topic_model")
    assert not (tmp_path / "ran").exists()


def test_load_bertopic_builds_no_model_a_config_names(received, hub):
    from framing.topics import load_bertopic

    run, _ = received
    config = run / "topic_model" / "config.json"
    config.write_text(json.dumps({**json.loads(config.read_text()), "embedding_model": HUB_NAME}))
    model = load_bertopic(run / "topic_model")
    assert len(model.topic_embeddings_) == len(json.loads((run / "topic_model" / "framing.json").read_text())["row_topics"])
    assert hub == []


def test_a_hub_name_in_the_model_config_fetches_nothing(received, new_corpus, tmp_path, hub):
    """BERTopic's loader built a SentenceTransformer by that name, asking the hub; apply needs only the embeddings."""
    run, _ = received
    config = run / "topic_model" / "config.json"
    config.write_text(json.dumps({**json.loads(config.read_text()), "embedding_model": HUB_NAME}))
    out = tmp_path / "applied"
    result = _apply(run, new_corpus, out)
    assert hub == []
    assert result.exit_code == 0, result.output
    assert (out / "run.json").is_file()


def _forge_model_name(run: Path, name: str = HUB_NAME) -> None:
    meta = json.loads((run / "run.json").read_text())
    meta["config"]["embedding"]["model"] = name
    (run / "run.json").write_text(json.dumps(meta))
    info_path = run / "topic_model" / "framing.json"
    info = json.loads(info_path.read_text())
    info["embedder"]["model"] = name
    info_path.write_text(json.dumps(info))


def test_apply_refuses_a_hub_model_a_received_run_names(received, new_corpus, tmp_path, hub):
    run, _ = received
    _forge_model_name(run)
    out = tmp_path / "applied"
    _clear_error(_apply(run, new_corpus, out), f"names the embedding model '{HUB_NAME}', which is not on this machine",
                 "framing never downloads a model a run folder names", f"--set embedding.model={HUB_NAME}")
    assert hub == [] and not out.exists()


def test_rerun_refuses_a_hub_model_a_received_run_names(received, tmp_path, hub):
    run, _ = received
    _forge_model_name(run)
    out = tmp_path / "again"
    _clear_error(runner.invoke(app, ["rerun", str(run), "--out", str(out), "-q"]),
                 f"('config.embedding.model') names the embedding model '{HUB_NAME}'",
                 "framing never downloads a model a run folder names")
    assert hub == [] and not out.exists()


@pytest.mark.parametrize("command", ["apply", "rerun"])
def test_a_model_folder_shipped_inside_the_run_is_not_loaded(received, new_corpus, tmp_path, hub, command):
    """A sentence-transformers folder names classes to import (modules.json): the sender's code, never loaded."""
    from framing.embed.sbert import bundled_model_dir

    run, _ = received
    shutil.copytree(bundled_model_dir(), run / "model")
    _forge_model_name(run, str(run / "model"))
    out = tmp_path / "result"
    args = ["apply", str(run), str(new_corpus)] if command == "apply" else ["rerun", str(run)]
    _clear_error(runner.invoke(app, [*args, "--out", str(out), "-q"]),
                 f"names the embedding model '{run / 'model'}', a folder inside the run folder",
                 "does not load a model that came with a run")
    assert hub == [] and not out.exists()


def test_a_received_run_cannot_choose_the_cache(received, new_corpus, tmp_path, monkeypatch):
    """run.json's embedding.cache_dir names a folder the sender chose: the user's own cache is used instead."""
    run, _ = received
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    meta = json.loads((run / "run.json").read_text())
    meta["config"]["embedding"].update(cache=True, cache_dir=str(tmp_path / "chosen-by-sender"))
    meta["config"]["output"]["dir"] = str(tmp_path / "outputs-chosen-by-sender")
    (run / "run.json").write_text(json.dumps(meta))
    out = tmp_path / "applied"
    result = _apply(run, new_corpus, out)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "chosen-by-sender").exists() and not (tmp_path / "outputs-chosen-by-sender").exists()
    assert (tmp_path / "user-cache" / "framing").is_dir()
    assert json.loads((out / "run.json").read_text())["config"]["embedding"]["cache_dir"] is None


def test_rerun_refuses_a_linked_table_before_any_work(received, tmp_path):
    run, home = received
    shutil.move(run / "tables" / "documents.parquet", home / "documents.parquet")
    (run / "tables" / "documents.parquet").symlink_to(home / "documents.parquet")
    out = tmp_path / "again"
    _clear_error(runner.invoke(app, ["rerun", str(run), "--out", str(out), "-q"]),
                 f"tables/documents.parquet in {run} is a symbolic link")
    assert not out.exists()


def test_a_forged_run_json_is_one_clear_error(received, new_corpus, tmp_path):
    run, _ = received
    meta = json.loads((run / "run.json").read_text())
    meta["config"]["topics"]["min_cluster_size"] = "many"
    (run / "run.json").write_text(json.dumps(meta))
    _clear_error(_apply(run, new_corpus, tmp_path / "applied"), f"'config' of run.json in {run}",
                 "topics.min_cluster_size")
    meta["config"]["topics"]["min_cluster_size"] = 3
    meta["frames"] = ["/etc/passwd"]
    (run / "run.json").write_text(json.dumps(meta))
    _clear_error(_apply(run, new_corpus, tmp_path / "applied"), f"run.json in {run}: 'frames' is not what framing "
                                                                   "writes there")
    (run / "run.json").write_text("[" * 100_000)
    _clear_error(_apply(run, new_corpus, tmp_path / "applied"), f"run.json in {run} nests its JSON too deeply")


# "Done when": a copied, tampered run folder; no request, no file from outside copied, one clear error or a clean result.

def _tamper(run: Path, home: Path, model_name: str | None) -> None:
    (run / "topic_model" / "notes.txt").symlink_to(home / "secret.txt")
    (run / "topic_model" / "assets").symlink_to(home / ".ssh")
    (run / "topic_model" / "ctfidf.bin").write_bytes(pickle.dumps(_Marker(home / "pickle-ran")))
    config = run / "topic_model" / "config.json"
    config.write_text(json.dumps({**json.loads(config.read_text()), "embedding_model": HUB_NAME}))
    if model_name:
        _forge_model_name(run, model_name)


@pytest.mark.parametrize("command", ["apply", "rerun"])
@pytest.mark.parametrize("model_name", [None, HUB_NAME])
def test_a_tampered_run_fetches_nothing_and_copies_nothing_from_outside(received, new_corpus, tmp_path, hub,
                                                                        command, model_name):
    run, home = received
    _tamper(run, home, model_name)
    out = tmp_path / "result"
    args = ["apply", str(run), str(new_corpus)] if command == "apply" else ["rerun", str(run)]
    result = runner.invoke(app, [*args, "--out", str(out), "-q"])
    assert hub == []
    assert not _holds_secret(tmp_path / "result") and not (home / "pickle-ran").exists()
    if command == "apply" or model_name:
        _clear_error(result, "is a symbolic link; framing does not follow links" if command == "apply"
                     else "framing never downloads a model a run folder names")
        assert not out.exists()
    else:  # rerun repeats the analysis from the inputs; it reads no topic model
        assert result.exit_code == 0, result.output
        assert not [p for p in out.rglob("*") if p.is_symlink()]
