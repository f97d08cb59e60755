"""The package as a user installs it: build the wheel, install it into a fresh venv, run it elsewhere.

The fresh venv gets the already-installed dependencies through a .pth line (no network, no
second torch); framing itself comes only from the wheel, and the commands run from a temporary
folder with no PYTHONPATH, so nothing of the checkout can be found by accident.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "data" / "tiny"
FAST = ["--set", "embedding.model=hashing", "--set", "embedding.cache=false", "--set", "topics.reducer=pca",
        "--set", "topics.min_cluster_size=3", "--set", "topics.n_neighbors=5"]


def _run(cmd, cwd, env):
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    # Build from a copy so the checkout gets no build/ or egg-info folders.
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("framing", "configs"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp / "dist", "."],
         src, env)
    wheel = next((tmp / "dist").glob("framing-*.whl"))
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp, env)
    py = venv / "bin" / "python"
    purelib = _run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp, env).strip()
    # The dependencies come from the environment running the tests (a plain path: its .pth files,
    # such as an editable framing, are not processed).
    Path(purelib, "shared-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([sys.executable, "-m", "pip", "--python", py, "install", "--no-deps", "--no-index", "-q", wheel], tmp, env)
    work = tmp / "elsewhere"
    work.mkdir()
    return {"wheel": wheel, "bin": venv / "bin", "py": py, "cwd": work, "env": env}


def test_wheel_carries_configs_and_no_torch_pin(wheel_env):
    with zipfile.ZipFile(wheel_env["wheel"]) as zf:
        names = set(zf.namelist())
        meta = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    for bundled in [ROOT / "configs" / "default.yaml", *(ROOT / "configs" / "frames").glob("*.yaml")]:
        assert f"framing/configs/{bundled.relative_to(ROOT / 'configs').as_posix()}" in names
    for template in ("report.html.j2", "macros.html.j2", "report.js", "report.css", "sections/overview.html.j2"):
        assert f"framing/report/templates/{template}" in names
    for vendored in ("plotly-framing.min.js", "LICENSE.plotly.js"):  # the report's partial plotly.js bundle
        assert f"framing/report/vendor/{vendored}" in names
    requires = [line for line in meta.splitlines() if line.startswith("Requires-Dist: torch")]
    assert requires == ["Requires-Dist: torch"], requires
    assert "torch==2.13.0" in (ROOT / "constraints.txt").read_text()


def test_installed_package_runs_from_another_folder(wheel_env):
    w = wheel_env
    where = _run([w["py"], "-c", "import framing, framing.config as c; print(framing.__file__); "
                  "print(c.DEFAULT_CONFIG_PATH)"], w["cwd"], w["env"]).split()
    site = Path(w["py"]).parent.parent
    assert all(Path(p).is_relative_to(site) for p in where), where
    config = _run([w["bin"] / "framing", "config"], w["cwd"], w["env"])
    assert "seed: 42" in config and "min_cluster_size:" in config
    listed = _run([w["bin"] / "framing", "frames", "list"], w["cwd"], w["env"])
    for catalog in (ROOT / "configs" / "frames").glob("*.yaml"):
        assert f"# {catalog.stem} (" in listed
        assert str(site) in listed.split(f"# {catalog.stem} (")[1].split(")")[0]


def test_installed_package_analyzes_with_a_bundled_catalog(wheel_env):
    w = wheel_env
    out = w["cwd"] / "run"
    _run([w["bin"] / "framing", "analyze", TINY, "--out", out, "--frames", "policy-frames", "-q", *FAST],
         w["cwd"], w["env"])
    assert (out / "report.html").is_file() and (out / "tables" / "sentence_frames.parquet").is_file()
