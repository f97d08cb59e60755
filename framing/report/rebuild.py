"""Rebuilding a run's report from its folder: tables and run.json only, nothing recomputed.

Examples
--------
>>> rebuild_report("reports/seeds")            # doctest: +SKIP
PosixPath('reports/seeds/report.html')
"""

from __future__ import annotations

from pathlib import Path

from .. import store
from ..errors import RunStoreError
from .html import write_report


def missing_for_report(run_dir: str | Path) -> str | None:
    """Why the run in ``run_dir`` cannot have a report (a run of ``framing ingest``), or None when it can.

    Examples
    --------
    >>> missing_for_report("reports/seeds") is None     # doctest: +SKIP
    True
    """
    run_dir = Path(run_dir)
    if store.table_path(run_dir, "topics").is_file():
        return None
    meta = store.read_run_json(run_dir)
    command, paths = str(meta.get("command") or ""), " ".join(map(str, meta.get("paths") or ["CORPUS"]))
    again = command.replace("framing ingest", "framing analyze", 1) if command.startswith("framing ingest ") \
        else f"framing analyze {paths} --out {run_dir}"
    return (f"{run_dir} holds documents and sentences only (a run of `framing ingest`, no topics or frames), "
            f"so it has no report; for one, analyze the corpus into it: {again}")


def rebuild_report(run_dir: str | Path, out: str | Path | None = None, title: str | None = None,
                   max_points: int | None = None) -> Path:
    """Write the report of the run in ``run_dir`` from its tables and run.json.

    Parameters
    ----------
    run_dir : str or Path
        A folder written by ``framing analyze`` or ``framing apply``.
    out : str or Path, optional
        Where to write the page; default ``RUN_DIR/report.html``.
    title, max_points : optional
        Default to the run's ``report.title`` and ``report.max_points``; the map's
        sample takes the run's seed, so the page is the one the run wrote.

    Returns
    -------
    Path
        The report written.

    Raises
    ------
    RunStoreError
        When ``run_dir`` is not a run folder, its run.json is unreadable, or it is a run of
        ``framing ingest`` (no topics or frames to report).
    """
    run_dir = Path(run_dir)
    meta = store.read_run_json(run_dir)
    missing = missing_for_report(run_dir)
    if missing:
        raise RunStoreError(missing + ".")
    tables = store.read_tables(run_dir)
    report_cfg = ((meta.get("config") or {}).get("report") or {})
    seed = meta.get("seed", (meta.get("config") or {}).get("seed", 42))
    return write_report(
        tables, meta, Path(out) if out else run_dir / store.REPORT_FILE,
        title=title if title is not None else report_cfg.get("title"), seed=int(seed),
        max_points=int(max_points if max_points is not None else report_cfg.get("max_points", 10000)),
    )
