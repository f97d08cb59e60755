"""Rebuilding a run's report from its folder: tables and run.json only, nothing recomputed.

Examples
--------
>>> rebuild_report("reports/seeds")            # doctest: +SKIP
PosixPath('reports/seeds/report.html')
"""

from __future__ import annotations

from pathlib import Path

from .. import store
from .html import write_report


def rebuild_report(run_dir: str | Path, out: str | Path | None = None, title: str | None = None,
                   max_points: int | None = None) -> Path:
    """Write the report of the run in ``run_dir`` from its tables and run.json.

    Parameters
    ----------
    run_dir : str or Path
        A folder written by ``framing analyze`` (or ``framing ingest``).
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
        When ``run_dir`` is not a run folder or its run.json is unreadable.
    """
    run_dir = Path(run_dir)
    meta = store.read_run_json(run_dir)
    tables = store.read_tables(run_dir)
    report_cfg = ((meta.get("config") or {}).get("report") or {})
    seed = meta.get("seed", (meta.get("config") or {}).get("seed", 42))
    return write_report(
        tables, meta, Path(out) if out else run_dir / store.REPORT_FILE,
        title=title if title is not None else report_cfg.get("title"), seed=int(seed),
        max_points=int(max_points if max_points is not None else report_cfg.get("max_points", 10000)),
    )
