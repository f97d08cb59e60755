"""Write a run folder all or nothing: tables, DuckDB, the topic model, the report, run.json last."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd

from .. import store
from ..config import Config
from ..runlog import RunLog
from .common import RunResult, Say


def write_run(run_dir: Path, tables: dict[str, pd.DataFrame], meta: dict, cfg: Config, say: Say,
              log: RunLog | None = None, topic_model: dict | None = None,
              extra: Callable[[Path], None] | None = None) -> RunResult:
    """Write tables, DuckDB, the topic model, the report and run.json into ``run_dir``, all or nothing.

    The run is written into a folder beside ``run_dir`` that replaces it only
    when complete (see :func:`framing.store.staged_run`); run.json is written
    last and holds every warning ``log`` recorded. ``topic_model`` (``model``
    and ``embeddings`` from :func:`framing.topics.step.topic_step`, or ``info`` already prepared from them) is saved in ``RUN/topic_model/``
    (BERTopic safetensors + embedder identity) for ``framing apply``. ``extra(folder)`` writes a job's own
    files into the staged folder (apply: the parent's topic model), so they are in place before run.json.
    """
    from ..report import write_report
    from ..topic_model import copy_topic_model, save_run_topic_model, write_topic_model

    if log is not None:
        log.stage = "write"
    meta["tables"] = {name: {"rows": len(df), "columns": list(df.columns)} for name, df in tables.items()}
    meta["warnings"] = log.records if log is not None else []
    with store.staged_run(run_dir) as tmp:
        topic_model = topic_model or {}
        if topic_model.get("model_dir") is not None:  # read from the topic cache (analyze)
            meta["topic_model"] = copy_topic_model(tmp, topic_model["model_dir"])
        elif getattr(topic_model.get("model"), "model_", None) is not None:  # None: too little to cluster
            if "info" in topic_model:  # prepared right after the topic step (analyze)
                meta["topic_model"] = write_topic_model(tmp, topic_model["model"], topic_model["info"])
            else:
                meta["topic_model"] = save_run_topic_model(tmp, topic_model["model"], topic_model["embeddings"],
                                                           meta.get("embedding", {}))
        if extra is not None:
            extra(tmp)
        if "store" in topic_model:  # a topic-cache miss: keep the results with the model just saved
            saved = tmp / store.TOPIC_MODEL_DIR
            topic_model["store"](saved if saved.is_dir() else None)
        store.write_tables(tmp, tables)
        store.write_duckdb(tmp, tables)
        write_report(tables, meta, tmp / store.REPORT_FILE, title=cfg.report.title,
                     seed=cfg.seed, max_points=cfg.report.max_points)
        if log is not None:
            meta["stage_seconds"] = log.stage_seconds()  # wall time per stage (benchmarks/vs_bertopic.py)
        store.write_run_json(tmp, meta)
    say(f"Wrote {run_dir}/tables/*.parquet, framing.duckdb, run.json and {Path(run_dir) / store.REPORT_FILE}")
    return RunResult(Path(run_dir), tables, meta)
