"""The ``ingest`` job: read a corpus and write ``documents`` and ``sentences`` with run.json."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from .. import store
from ..config import Config
from ..segment.step import ingest
from ..runlog import RunLog
from .common import RunResult, Say, base_meta, check_documents, prepare_run_dir, quiet


def run_ingest(paths: Sequence[str | Path], cfg: Config, out: str | Path | None = None,
               command: str = "framing ingest", say: Say = quiet, progress: bool = False,
               warn: Say | None = None, base: str | Path | None = None) -> RunResult:
    """Ingest and write ``documents`` and ``sentences`` with run.json.

    ``warn`` receives one line per warning (None: Python shows them); every
    warning is also recorded in run.json's ``warnings``. ``base``: the folder relative
    paths are read from (``framing rerun``), see :func:`framing.corpus.ingest.ingest`.
    """
    with RunLog(echo=warn) as log:
        run_dir = prepare_run_dir(paths, cfg, out)
        log.stage = "ingest"
        say(f"Reading {', '.join(map(str, paths))}")
        result = ingest(paths, cfg, progress=progress, base=base)
        check_documents(result, paths)
        tables = {"documents": result.documents, "sentences": result.sentences}
        meta = base_meta(paths, cfg, result, command, base)
        log.stage = "write"
        with store.staged_run(run_dir) as tmp:
            store.write_tables(tmp, tables)
            meta["warnings"] = log.records
            store.write_run_json(tmp, meta)
    return RunResult(run_dir, tables, meta)
