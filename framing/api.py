"""The Python API for notebooks: ``framing.analyze`` and ``framing.load_run`` return a :class:`Run`.

A :class:`Run` is a run folder seen from Python: its tables as pandas
DataFrames (read from the folder, so a loaded run and a fresh one look the
same), its figures as Plotly objects, its report.

Examples
--------
On the tiny test corpus, with the hashing embedder and PCA so it runs in seconds:

>>> import tempfile, framing
>>> from pathlib import Path
>>> tiny = Path(framing.__file__).parent.parent / "tests" / "data" / "tiny"
>>> fast = dict(embedding__model="hashing", embedding__cache=False, topics__reducer="pca",
...             topics__min_cluster_size=3, topics__n_neighbors=5)
>>> out = Path(tempfile.mkdtemp()) / "tiny"
>>> run = framing.analyze(tiny, frames=["policy-frames"], out=out, **fast)
>>> sorted(run.documents.source.unique())
['alpha-news', 'beta-blog', 'gamma-nl']
>>> {"sentence_id", "doc_id", "topic", "text"} <= set(run.sentences.columns)
True
>>> fig = run.figures.frames_by_source()            # a plotly.graph_objects.Figure
>>> type(fig).__name__, "frames_by_source" in run.figures.names()
('Figure', True)
>>> again = framing.load_run(out)
>>> len(again.sentences) == len(run.sentences), again.seed
(True, 42)

A DataFrame takes the same field mapping as the command line's ``--text-field`` ...:

>>> import pandas as pd
>>> df = pd.DataFrame({"body": ["Rockets hit the base again tonight. The troops are there for the oil."] * 3,
...                    "outlet": ["a", "b", "c"], "key": ["1", "2", "3"]})
>>> run = framing.analyze(df, text_field="body", source_field="outlet", id_field="key",
...                       out=out.parent / "df", **fast)
>>> run.documents[["record_id", "source"]].values.tolist()
[['1', 'a'], ['2', 'b'], ['3', 'c']]
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd

from . import store
from .config import Config, apply_mapping, load_config
from .errors import ConfigError, InputError, RunStoreError

log = logging.getLogger(__name__)

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
    from .config import _deep_merge

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
    from .pipeline import load_run_config

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


def analyze(data, config: Config | str | Path | None = None, *, out: str | Path | None = None,
            frames: Sequence[str] | None = None, say: Callable[[str], None] | None = None,
            progress: bool = False, force: bool = False, **overrides) -> "Run":
    """Analyze a corpus (paths or a DataFrame of records) and return the written :class:`Run`.

    Parameters
    ----------
    data : str, Path, list of them, or DataFrame
        Folders of text/HTML files or record files (.jsonl/.json/.csv/.parquet), as for
        ``framing analyze``; or a DataFrame with one record per row.
    config : Config, str or Path, optional
        A Config, or a YAML file of overrides (``--config``). None: ``configs/default.yaml`` and
        each input folder's ``framing.yaml``.
    out : str or Path, optional
        The run folder; default ``reports/<corpus name>/`` (``reports/dataframe/`` for a DataFrame).
    frames : list of str, optional
        Catalog paths or built-in names (``policy-frames``), like ``--frames``.
    say : callable, optional
        Receives progress messages (e.g. ``print``); default silent.
    force : bool
        Write into ``out`` even when it is a folder that is not a framing run (``--force``):
        only framing's entries there are replaced, every other file is left alone.
    **overrides
        Config keys: ``seed=1``, ``topics__min_cluster_size=5`` (``__`` for the dot),
        ``topics={"min_cluster_size": 5}``, or the field mapping ``text_field="body"``.

    Returns
    -------
    Run
    """
    from .pipeline import analyze as run_pipeline

    if isinstance(data, pd.DataFrame):
        cfg = resolve_config([], config, overrides)
        run_dir = Path(out) if out else Path(cfg.output.dir or Path("reports") / "dataframe")
        with tempfile.TemporaryDirectory(prefix="framing-df-") as tmp:
            (Path(tmp) / "dataframe").mkdir()
            path = _write_dataframe(data, Path(tmp) / "dataframe")
            with store.allow_replacing(force):
                result = run_pipeline([path], cfg, run_dir, frames=frames, command="framing.analyze(DataFrame)",
                                      say=say or _silent, progress=progress)
            _keep_dataframe_input(result.run_dir, path, result.meta)
        return load_run(result.run_dir)
    paths = _as_paths(data)
    cfg = resolve_config(paths, config, overrides)
    with store.allow_replacing(force):
        result = run_pipeline(paths, cfg, out, frames=frames, command="framing.analyze(...)",
                              say=say or _silent, progress=progress)
    return load_run(result.run_dir)


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


def load_run(run_dir: str | Path) -> "Run":
    """Open a run folder written by ``framing analyze`` (or the API) as a :class:`Run`.

    Raises
    ------
    RunStoreError
        When the folder has no run.json or no tables.
    """
    from .run import Run

    run_dir = Path(run_dir)
    meta = store.read_run_json(run_dir)
    if not (run_dir / store.TABLES_DIR).is_dir():
        raise RunStoreError(f"{run_dir} has a run.json but no {store.TABLES_DIR}/ folder; run the analysis again.")
    return Run(run_dir, meta)
