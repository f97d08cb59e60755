"""Imports only point down the layers of shared/DESIGN.md: the import-linter contract in pyproject.toml holds.

``lint-imports`` reads ``[tool.importlinter]`` from pyproject.toml. A second test keeps the
contract whole: every module at the top of the package must be named in a layer, so a new
module cannot slip past the check by not being listed.
"""

from __future__ import annotations

import os
import pkgutil
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import framing

ROOT = Path(__file__).resolve().parent.parent
pytest.importorskip("importlinter", reason="the layer contract needs import-linter (pip install -e '.[dev]')")


def _contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    [layers] = [c for c in config["contracts"] if c["id"] == "layers"]
    return layers


def _lint(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # the checkout's framing, not an installed copy
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


def test_no_import_points_up():
    result = _lint("--no-cache")
    assert result.returncode == 0, "An import points up a layer (pyproject.toml [tool.importlinter]):\n" + \
        result.stdout[result.stdout.find("Broken contracts"):] + result.stderr


def test_every_top_level_module_is_in_a_layer():
    named = {m.strip("() ") for layer in _contract()["layers"] for m in re.split(r"[|:]", layer)}
    modules = {f"framing.{m.name}" for m in pkgutil.iter_modules(framing.__path__) if m.name != "__main__"}
    assert not modules - named, f"Name these modules in a layer of [tool.importlinter]: {sorted(modules - named)}"


def test_the_contract_catches_an_upward_import(tmp_path):
    """The check can fail: with report and compare swapped, report's imports of compare point up."""
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    broken = config.replace('    "framing.report",\n    "framing.compare",\n', '    "framing.compare",\n    "framing.report",\n')
    assert broken != config
    path = tmp_path / "contract.toml"
    path.write_text(broken, encoding="utf-8")
    result = _lint("--config", str(path), "--no-cache")
    assert result.returncode != 0 and "framing.report is not allowed to import framing.compare" in result.stdout


def test_no_import_is_excused():
    """No ``ignore_imports``: every arrow of the package points down, with no exceptions listed."""
    assert not _contract().get("ignore_imports")
