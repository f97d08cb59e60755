"""YAML is loaded safely everywhere: a tag that would run code is an error naming the file, never executed."""

import ast
from pathlib import Path

import pytest

from framing.config import load_config
from framing.corpus.manifest import read_manifest
from framing.errors import CatalogError, ConfigError, InputError
from framing.frames import load_catalog

PACKAGE = Path(__file__).resolve().parent.parent / "framing"
EVIL = "!!python/object/apply:os.system ['touch {marker}']"
SAFE_LOADERS = {"SafeLoader", "CSafeLoader", "_LineLoader"}


def _yaml_calls():
    """Every call of yaml.<name>(...) in the package: (file, line, name, Loader argument)."""
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "yaml":
                loader = next((ast.unparse(k.value) for k in node.keywords if k.arg == "Loader"), None)
                yield path.relative_to(PACKAGE.parent), node.lineno, node.func.attr, loader


def test_every_yaml_load_in_the_package_is_safe():
    calls = list(_yaml_calls())
    assert any(name == "safe_load" for _, _, name, _ in calls), "the scan found no YAML loading at all"
    unsafe = [(str(f), line, name, loader) for f, line, name, loader in calls
              if name in {"load", "load_all", "full_load", "full_load_all", "unsafe_load", "unsafe_load_all"}
              and (loader is None or loader.split(".")[-1] not in SAFE_LOADERS)]
    assert not unsafe, unsafe
    # The catalog's line-recording loader really is a SafeLoader.
    import yaml

    from framing.frames.catalog import _LineLoader

    assert issubclass(_LineLoader, yaml.SafeLoader)


def test_config_file_with_a_python_tag_is_refused(tmp_path):
    marker = tmp_path / "ran"
    bad = tmp_path / "evil.yaml"
    bad.write_text(f"seed: {EVIL.format(marker=marker)}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="evil.yaml"):
        load_config([bad])
    assert not marker.exists()


def test_catalog_with_a_python_tag_is_refused(tmp_path):
    marker = tmp_path / "ran"
    bad = tmp_path / "evil-frames.yaml"
    bad.write_text(f"name: {EVIL.format(marker=marker)}\nframes: []\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="evil-frames.yaml"):
        load_catalog(bad)
    assert not marker.exists()


def test_manifest_with_a_python_tag_is_refused(tmp_path):
    marker = tmp_path / "ran"
    bad = tmp_path / "manifest.yaml"
    bad.write_text(f"- file: a.txt\n  source: {EVIL.format(marker=marker)}\n", encoding="utf-8")
    with pytest.raises(InputError, match="manifest.yaml"):
        read_manifest(bad)
    assert not marker.exists()
