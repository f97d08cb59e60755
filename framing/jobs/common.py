"""What every job shares: the run folder to write, the config layers, the part of run.json every job writes.

Examples
--------
>>> corpus_name(["seeds/"])
'seeds'
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from .. import store
from ..config import Config, config_to_dict, load_config
from ..corpus.ingest import CORPUS_CONFIG_NAME, IngestResult
from ..errors import InputError

log = logging.getLogger(__name__)

Say = Callable[[str], None]


def quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class RunResult:
    """A written run: its folder, its tables and its run.json content."""

    run_dir: Path
    tables: dict[str, pd.DataFrame]
    meta: dict


def corpus_name(paths: Sequence[str | Path]) -> str:
    """A short name for the corpus, used for the default run folder.

    >>> corpus_name(["seeds/"]), corpus_name(["../shared/data/basil/articles.jsonl"])
    ('seeds', 'basil-articles')
    """
    names = []
    for raw in paths:
        p = Path(raw)
        if p.suffix and not p.is_dir():
            parent = p.resolve().parent.name
            names.append(f"{parent}-{p.stem}" if parent else p.stem)
        else:
            names.append(p.resolve().name or "corpus")
    name = "+".join(names)
    return name if len(name) <= 80 else name[:80]


def default_run_dir(paths: Sequence[str | Path], cfg: Config) -> Path:
    """``output.dir`` when set, else ``reports/<corpus name>/``."""
    return Path(cfg.output.dir) if cfg.output.dir else Path("reports") / corpus_name(paths)


def corpus_config_files(paths: Sequence[str | Path]) -> list[Path]:
    """``framing.yaml`` files inside the input folders (corpus-level overrides).

    A ``framing.yaml`` that is a symbolic link is not read (links inside a corpus are never
    followed), with an :class:`~framing.errors.InputWarning`; pass its target with ``--config``.
    """
    import warnings

    from ..errors import InputWarning

    found = []
    for p in paths:
        path = Path(p) / CORPUS_CONFIG_NAME
        if path.is_symlink():
            warnings.warn(f"{path} is a symbolic link: not followed (links inside a corpus are never read); "
                          "pass the file it points to with --config to use it.", InputWarning, stacklevel=2)
        elif path.is_file():
            found.append(path)
    return found


def _same_file(a: Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def load_run_config(paths: Sequence[str | Path], config: str | Path | None = None,
                    overrides: Sequence[str] = ()) -> Config:
    """default.yaml, then each input folder's framing.yaml, then ``--config``, then ``--set``.

    A corpus's own framing.yaml is untrusted: what it may not set (``output.*``, ``embedding.cache_dir``,
    files outside the corpus: :func:`framing.config.corpus_config_layer`) is ignored with a warning,
    unless the user passes that same file with ``--config``, which trusts all of it.
    """
    corpus = [f for f in corpus_config_files(paths) if config is None or not _same_file(f, config)]
    return load_config(config, list(overrides), corpus_files=corpus)


def _skipped_dicts(result: IngestResult) -> list[dict]:
    return [{"item": s.item, "reason": s.reason, "stage": s.stage} for s in result.skipped]


def base_meta(paths: Sequence[str | Path], cfg: Config, result: IngestResult, command: str,
              base: str | Path | None = None) -> dict:
    """The part of run.json every job writes; ``cwd`` is ``base`` when the paths were read relative to it."""
    return {
        "corpus": corpus_name([Path(base) / p if base else p for p in paths]),
        "created": store.utc_now(),
        "command": command,
        "seed": cfg.seed,
        "paths": [str(p) for p in paths],
        "cwd": str(base or Path.cwd()),  # relative paths above are relative to it (framing rerun)
        "inputs": [vars(i) for i in result.inputs],
        "counts": result.counts(),
        "skipped": _skipped_dicts(result),
        "config": config_to_dict(cfg),
        "versions": store.package_versions(),
    }


def prepare_run_dir(paths: Sequence[str | Path], cfg: Config, out: str | Path | None) -> Path:
    """The run folder to write, checked before any work; an earlier run there stays until the new one is complete.

    Raises ``RunStoreError`` when the folder cannot be written, is a folder that is not
    a framing run (without ``--force``: :func:`framing.store.allow_replacing`), or holds a
    run and ``output.overwrite`` is false.
    """
    _check_paths(paths)
    run_dir = Path(out) if out else default_run_dir(paths, cfg)
    return store.check_run_target(run_dir, overwrite=cfg.output.overwrite)


def check_resources(cfg: Config) -> None:
    """Fail before reading the corpus when a frame catalog or the embedding model cannot be found.

    Catalogs are resolved and parsed; a named model is located (not loaded).
    """
    from ..embed import get_embedder
    from ..frames import load_catalogs
    from ..frames.catalog import resolve_catalog_path

    if cfg.frames.catalogs:
        load_catalogs([resolve_catalog_path(c) for c in cfg.frames.catalogs])
    if cfg.embedding.model.strip() != "auto":
        get_embedder(cfg.embedding.model, cfg.embedding)


def check_documents(result: IngestResult, paths: Sequence[str | Path]) -> None:
    if len(result.documents):
        return
    reasons = "; ".join(f"{s.item}: {s.reason}" for s in result.skipped[:5]) or "no readable files"
    raise InputError(f"No documents were read from {', '.join(map(str, paths))} ({reasons}). Give a folder of "
                     ".txt/.md/.html files or a .jsonl/.json/.csv/.parquet file with a text field.")


def _check_paths(paths: Sequence[str | Path]) -> None:
    if not paths:
        raise InputError("No input given: name a folder of .txt/.md/.html files or a .jsonl/.json/.csv/.parquet file.")


def roles(counts: dict) -> str:
    return ", ".join(f"{n} {role}s" for role, n in counts["documents_by_role"].items()) or "none"


def command_line() -> str:
    """The command as typed, for run.json."""
    return " ".join(["framing", *sys.argv[1:]])
