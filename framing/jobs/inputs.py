"""What the Python API accepts: paths or a DataFrame of records, a Config or a YAML file, keyword overrides.

:func:`analyze_data` resolves them and runs the ``analyze`` job (:mod:`framing.jobs.analyze`);
:func:`framing.api.analyze` wraps it and returns the written run as a :class:`framing.run.Run`.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd

from .. import store
from ..config import Config, apply_mapping, load_config
from ..errors import ConfigError, InputError
from .analyze import analyze as run_analyze
from .common import RunResult, load_run_config

FIELD_NAMES = ("text", "id", "source", "date", "title", "url", "language", "author", "parent", "role")
DATAFRAME_INPUT = "records.parquet"  # staged in a folder named "dataframe": corpus "dataframe-records"


def _nested(key: str, value: Any) -> dict:
    """``topics__min_cluster_size`` (or ``"topics.min_cluster_size"``) -> ``{"topics": {"min_cluster_size": v}}``."""
    parts = [p for p in key.replace("__", ".").split(".")]
    if not all(parts):
        raise ConfigError(f"Override {key!r} has an empty key; use section__key=value, e.g. topics__min_cluster_size=5.")
    nested: Any = value
    for part in reversed(parts):
        nested = {part: nested}
    return nested


def overrides_mapping(overrides: dict[str, Any]) -> dict:
    """Keyword overrides as one nested mapping.

    ``seed=1``, ``topics__min_cluster_size=5``, ``topics={"min_cluster_size": 5}`` and the
    field flags of the command line (``text_field="body"`` -> ``corpus.fields.text``) all work.

    >>> overrides_mapping({"seed": 1, "topics__min_cluster_size": 5, "text_field": "body"})
    {'seed': 1, 'topics': {'min_cluster_size': 5}, 'corpus': {'fields': {'text': 'body'}}}
    """
    from ..config import _deep_merge

    out: dict = {}
    for key, value in overrides.items():
        if key.endswith("_field") and key[: -len("_field")] in FIELD_NAMES:
            layer = {"corpus": {"fields": {key[: -len("_field")]: value}}}
        else:
            layer = _nested(key, value)
        out = _deep_merge(out, layer)
    return out


def resolve_config(paths: Sequence[str | Path], config: Config | str | Path | None, overrides: dict) -> Config:
    """The run's config: a Config as given, else default.yaml + the corpus framing.yaml + a YAML file; then overrides."""

    if isinstance(config, Config):
        cfg = config
    elif config is None or isinstance(config, (str, Path)):
        cfg = load_run_config(paths, config) if paths else load_config(config)
    else:
        raise ConfigError(f"config must be a framing.Config, a YAML file path or None; got {type(config).__name__}.")
    return apply_mapping(cfg, overrides_mapping(overrides), "keyword overrides") if overrides else cfg


def _as_paths(data) -> list[Path]:
    if isinstance(data, (str, Path)):
        return [Path(data)]
    if isinstance(data, Sequence) and data and all(isinstance(p, (str, Path)) for p in data):
        return [Path(p) for p in data]
    raise InputError("framing.analyze takes a path, a list of paths, or a pandas DataFrame of records; "
                     f"got {type(data).__name__}{' (empty)' if isinstance(data, Sequence) and not data else ''}.")


def _write_dataframe(df: pd.DataFrame, folder: Path) -> Path:
    if not isinstance(df.index, pd.RangeIndex):
        df = df.reset_index(drop=True)
    path = folder / DATAFRAME_INPUT
    try:
        df.to_parquet(path, index=False)
    except Exception as exc:  # pyarrow raises several types for columns it cannot store
        raise InputError(f"The DataFrame cannot be read as records: {exc}. Give each column one type "
                         "(text as str, dates as str or datetime).") from None
    return path


def analyze_data(data, config: Config | str | Path | None = None, *, out: str | Path | None = None,
                 frames: Sequence[str] | None = None, say: Callable[[str], None] | None = None,
                 progress: bool = False, force: bool = False, overrides: dict[str, Any] | None = None) -> RunResult:
    """Analyze paths or a DataFrame of records and write the run; the parameters of :func:`framing.api.analyze`."""
    overrides = overrides or {}
    if isinstance(data, pd.DataFrame):
        cfg = resolve_config([], config, overrides)
        run_dir = Path(out) if out else Path(cfg.output.dir or Path("reports") / "dataframe")
        with tempfile.TemporaryDirectory(prefix="framing-df-") as tmp:
            (Path(tmp) / "dataframe").mkdir()
            path = _write_dataframe(data, Path(tmp) / "dataframe")
            with store.allow_replacing(force):
                result = run_analyze([path], cfg, run_dir, frames=frames, command="framing.analyze(DataFrame)",
                                      say=say or _silent, progress=progress)
            _keep_dataframe_input(result.run_dir, path, result.meta)
        return result
    paths = _as_paths(data)
    cfg = resolve_config(paths, config, overrides)
    with store.allow_replacing(force):
        result = run_analyze(paths, cfg, out, frames=frames, command="framing.analyze(...)",
                              say=say or _silent, progress=progress)
    return result


def _silent(_: str) -> None:
    return None


def _keep_dataframe_input(run_dir: Path, path: Path, meta: dict) -> None:
    """Keep the DataFrame's records in the run (RUN/inputs/) so run.json names a file that exists."""
    kept = Path(run_dir) / store.INPUTS_DIR / DATAFRAME_INPUT
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, kept)
    meta = store.read_run_json(run_dir)
    meta["paths"] = [str(kept)]
    for item in meta.get("inputs", []):
        if str(item.get("path", "")).endswith(DATAFRAME_INPUT):
            item["path"] = str(kept)
    store.write_run_json(run_dir, meta)
