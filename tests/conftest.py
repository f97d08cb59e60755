"""Shared fixtures. ``no_network``: block the network in this process and record every attempt to use it.

``framing analyze`` must work on an air-gapped machine: nothing may be
fetched at run time, not even tried and silently given up (Hugging Face
libraries catch a failed connection and fall back to their cache).
"""

from __future__ import annotations

import socket
from contextlib import contextmanager

import pytest


@pytest.fixture(scope="session")
def no_network():
    """The :func:`blocked_network` context manager, for fixtures of any scope."""
    return blocked_network


@contextmanager
def blocked_network():
    """Within the block any IP connection or name lookup raises; yields the list of attempts."""
    attempts: list[str] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guard(sock, address, real):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            attempts.append(f"connect {address!r}")
            raise OSError(f"network blocked by the test: connect {address!r}")
        return real(sock, address)

    def lookup(host, *args, **kwargs):
        attempts.append(f"getaddrinfo {host!r}")
        raise socket.gaierror(f"network blocked by the test: lookup {host!r}")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", lambda s, a: guard(s, a, real_connect))
        mp.setattr(socket.socket, "connect_ex", lambda s, a: guard(s, a, real_connect_ex))
        mp.setattr(socket, "getaddrinfo", lookup)
        mp.setattr(socket, "gethostbyname", lookup)
        yield attempts


@pytest.fixture(scope="session")
def tiny_frames_run(tmp_path_factory):
    """A run of ``framing analyze`` on tests/data/tiny with tests/data/tiny_frames.yaml (fast settings).

    Shared by the tests that write into a run: copy it before changing it.
    """
    from pathlib import Path

    from typer.testing import CliRunner

    from framing.cli import app

    data = Path(__file__).parent / "data"
    fast = ["--set", "embedding.model=hashing", "--set", "embedding.cache=false", "--set", "topics.reducer=pca",
            "--set", "topics.min_cluster_size=3", "--set", "topics.n_neighbors=5", "--set", "compare.bootstrap=200"]
    out = tmp_path_factory.mktemp("tiny-frames") / "run"
    result = CliRunner().invoke(app, ["analyze", str(data / "tiny"), "--out", str(out), "--frames",
                                      str(data / "tiny_frames.yaml"), *fast])
    assert result.exit_code == 0, result.output
    return out
