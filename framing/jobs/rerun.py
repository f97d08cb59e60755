"""Repeat a run from its run.json: ``framing rerun RUN_DIR``.

run.json holds what a run needs to be repeated: the inputs (paths and
sha256), the resolved config (seed included), the catalogs, the embedding
model's identity and the package versions. A rerun reads the same inputs
with the same config into a new folder, warns when an input changed, is
missing or new, when the embedding model's identity or a package version
differs, and says which tables came out identical.

Examples
--------
>>> input_changes([{"path": "/nonexistent/a.txt", "sha256": "00"}], [])
[{'path': '/nonexistent/a.txt', 'change': 'missing'}]
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Callable

import pandas as pd

from .. import store
from ..config import Config
from ..diskcache import sha256_file
from ..errors import InputWarning, RunStoreError


class RerunWarning(InputWarning):
    """A rerun cannot promise the same results: an input, the model or a version changed."""


def _resolve(path: str, cwd: str | None) -> Path:
    p = Path(path)
    if not p.is_absolute() and cwd and (Path(cwd) / p).exists():
        return Path(cwd) / p
    return p


def input_changes(old: list[dict], new: list[dict] | None, cwd: str | None = None) -> list[dict]:
    """Inputs whose content changed (sha256), that are missing, or (with ``new``) that are new.

    With ``new=None`` only the recorded files are checked on disk; with the new run's inputs,
    the two records are compared.
    """
    changes = []
    if new is None:
        for item in old:
            path = _resolve(str(item.get("path", "")), cwd)
            if not path.is_file():
                changes.append({"path": item.get("path"), "change": "missing"})
            elif item.get("sha256") and sha256_file(path) != item["sha256"]:
                changes.append({"path": item.get("path"), "change": "changed"})
        return changes
    # The new run read its relative paths from the same folder (``cwd``) as the earlier one.
    before = {str(_resolve(str(i["path"]), cwd)): i.get("sha256") for i in old}
    after = {str(_resolve(str(i["path"]), cwd)): i.get("sha256") for i in new}
    for path, sha in after.items():
        if path not in before:
            changes.append({"path": path, "change": "new"})
        elif before[path] != sha:
            changes.append({"path": path, "change": "changed"})
    changes += [{"path": p, "change": "missing"} for p in before if p not in after]
    return changes


def _config(meta: dict, run_dir: Path | None = None) -> Config:
    """run.json's config (what only the user may choose reset: :func:`framing.runfolder.io.run_config`)."""
    cfg = store.run_config(meta, f"run.json in {run_dir}", received=True)
    cwd = meta.get("cwd")
    if cwd:  # relative catalog paths were relative to the folder the run started in
        cfg.frames.catalogs = [str(_resolve(c, cwd)) if (Path(cwd) / c).exists() and not Path(c).is_absolute() else c
                               for c in cfg.frames.catalogs]
    return cfg


# Written into a run after its analysis (framing stability); a rerun repeats only the analysis.
ADDED_LATER = {"topic_stability": None, "topics": ("stability", "stable")}


def _as_stored(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` as it reads back from its Parquet file: the earlier run's side of the comparison is read
    from disk, and a missing value or a column's dtype may change on the way (NaN in an object column
    reads back as None; strings as pandas' string dtype)."""
    import io

    buffer = io.BytesIO()
    table.to_parquet(buffer)
    buffer.seek(0)
    return pd.read_parquet(buffer)


def compare_tables(old_dir: Path, new_tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """For each table: ``identical``, or how it differs from the earlier run's."""
    from ..runfolder.received import read_tables

    out = {}
    old = read_tables(old_dir)
    for name, columns in ADDED_LATER.items():
        if name in old and name not in new_tables and columns is None:
            del old[name]
        elif name in old and columns:
            old[name] = old[name].drop(columns=[c for c in columns if c not in new_tables.get(name, {})
                                                and c in old[name]])
    for name in sorted(set(old) | set(new_tables)):
        if name not in old or name not in new_tables:
            out[name] = "only in the " + ("new" if name in new_tables else "earlier") + " run"
            continue
        a, b = old[name].reset_index(drop=True), _as_stored(new_tables[name]).reset_index(drop=True)
        if a.shape != b.shape or list(a.columns) != list(b.columns):
            out[name] = f"differs: {a.shape[0]} -> {b.shape[0]} rows, {a.shape[1]} -> {b.shape[1]} columns"
        else:
            try:
                pd.testing.assert_frame_equal(a, b, check_dtype=False, check_exact=False, rtol=1e-6)
                out[name] = "identical"
            except AssertionError:
                out[name] = "differs in values"
    return out


def rerun(run_dir: str | Path, out: str | Path | None = None, say: Callable[[str], None] = lambda _m: None,
          progress: bool = False):
    """Repeat the run in ``run_dir`` into ``out`` (default: a sibling folder ``<name>-rerun``).

    Returns
    -------
    RunResult
        Its run.json has ``rerun``: the earlier run, input changes, model and version differences,
        and which tables are identical.
    """
    from .analyze import analyze
    from .ingest import run_ingest

    from ..embed.from_run import check_model_name
    from ..runfolder.received import table_names

    run_dir = Path(run_dir)
    meta = store.read_run_json(run_dir)  # a run may come from someone else: no link followed, checked for shape
    table_names(run_dir)  # its tables are compared at the end: a link among them is refused now, before any work
    for key in ("config", "paths", "inputs"):
        if key not in meta:
            raise RunStoreError(f"{run_dir}/run.json has no '{key}': it was not written by framing analyze or ingest.")
    cfg = _config(meta, run_dir)
    if "embedding" in meta and cfg.embedding.model.strip() != "auto":  # a name the run chose: local or refused
        check_model_name(cfg.embedding.model, f"run.json in {run_dir} ('config.embedding.model')", cfg.embedding,
                         choose="download it yourself, then run the rerun again", run_dir=run_dir)
    out = Path(out) if out else run_dir.parent / f"{run_dir.name}-rerun"
    if out.resolve() == run_dir.resolve():
        raise RunStoreError("A rerun must go to another folder than the run it repeats; give --out.")
    cwd = meta.get("cwd")
    notes = []
    for change in input_changes(meta["inputs"], None, cwd):
        notes.append(f"input {change['path']} is {change['change']} since the run of {meta.get('created', '?')}")
    if any(c.startswith("input") and c.endswith("missing") for c in notes) and not any(
            _resolve(p, cwd).exists() for p in meta["paths"]):
        raise RunStoreError(f"None of the run's inputs exist any more ({', '.join(meta['paths'])}); cannot rerun.")
    now = store.package_versions()
    notes += [f"{pkg} is {now.get(pkg)} now, was {v}" for pkg, v in meta.get("versions", {}).items() if now.get(pkg) != v]
    for note in notes:
        warnings.warn(f"Rerun of {run_dir}: {note}; results may differ.", RerunWarning, stacklevel=2)
    # The paths as the run recorded them, read relative to the folder it started in: documents.file,
    # the inputs and the skipped items then name the files as the earlier run did.
    paths = list(meta["paths"])
    base = cwd if cwd and any(_resolve(p, cwd) != Path(p) for p in paths) else None
    command = f"framing rerun {run_dir}"

    def amend(tables: dict[str, pd.DataFrame], new_meta: dict) -> None:
        """run.json's ``rerun``, recorded with the new run (nothing is written into it once it is in place)."""
        if "embedding" in meta:
            old_model, new_model = meta["embedding"].get("name"), new_meta.get("embedding", {}).get("name")
            if old_model != new_model:
                note = f"the embedding model is {new_model} now, was {old_model}"
                notes.append(note)
                warnings.warn(f"Rerun of {run_dir}: {note}; results may differ.", RerunWarning, stacklevel=2)
        new_meta["rerun"] = {
            "of": str(run_dir.resolve()), "created": meta.get("created"),
            "input_changes": input_changes(meta["inputs"], new_meta.get("inputs", []), cwd),
            "notes": notes, "tables": compare_tables(run_dir, tables),
        }

    job = analyze if "embedding" in meta else run_ingest
    return job(paths, cfg, out, command=command, say=say, progress=progress, base=base, amend=amend)
