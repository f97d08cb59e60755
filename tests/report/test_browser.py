"""Open the written report in headless Chromium: no console errors, every plot rendered."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from framing.report import write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium on PATH: install it (apt-get install -y chromium) to run the browser test",
)
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-logging=stderr", "--v=0", "--virtual-time-budget=8000",
]
# Chromium's own GPU chatter, not the page's.
NOISE = re.compile(r"GL Driver Message|GPU stall|software WebGL|swiftshader", re.IGNORECASE)
BAD = re.compile(r"Uncaught|Error|WARN|Refused|Content Security Policy|violat", re.IGNORECASE)


def _chromium(path: Path, tmp: Path, *args: str) -> tuple[str, str]:
    cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args, path.as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    return done.stdout, done.stderr


def test_report_renders_without_console_errors(tables, meta, tmp_path):
    path = write_report(tables, meta, tmp_path / "report.html", seed=42)
    dom, log = _chromium(path, tmp_path, "--dump-dom")
    console = [line for line in log.splitlines() if "CONSOLE" in line and not NOISE.search(line)]
    assert not [line for line in console if BAD.search(line)], "\n".join(console)
    assert dom.count('class="plot-container plotly"') == 5
    assert dom.count('class="main-svg"') >= 10
    assert 'class="no-webgl"' not in dom, "the WebGL map did not render"
    # The payload stayed text: no element was created from it.
    assert "<img src=\"x\"" not in dom and 'onerror="alert' not in dom


def test_report_screenshot(tables, meta, tmp_path):
    path = write_report(tables, meta, tmp_path / "report.html", seed=42)
    shot = tmp_path / "report.png"
    _chromium(path, tmp_path, "--window-size=1280,1600", f"--screenshot={shot}")
    assert shot.exists() and shot.stat().st_size > 20_000
