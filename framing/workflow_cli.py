"""Commands for researcher workflows: export (and, as they land, sample, rerun, apply, stability).

Thin wrappers over :mod:`framing.export` and friends, registered on the main app by ``framing.cli``.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .cli_support import err_console, user_errors

RunDirArg = typer.Argument(..., help="A run folder written by framing analyze.", show_default=False)


def _say(message: str) -> None:
    err_console.print(message, markup=False)


@user_errors
def export_command(
    run_dir: Path = RunDirArg,
    format: str = typer.Option("csv", "--format", "-f", help="csv, jsonl, parquet or xlsx."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder to write (default RUN_DIR/export/FORMAT/)."),
    table: Optional[List[str]] = typer.Option(None, "--table", "-t", help="Only this table (repeatable)."),
) -> None:
    """Write the run's tables in tidy long format (one value per cell) with schema.json."""
    from .export import export_run

    folder = export_run(run_dir, format, out, table or None)
    _say(f"Wrote {folder}")


def register(app: typer.Typer) -> None:
    """Add the workflow commands to the main command line."""
    app.command("export", help="Export a run's tables as tidy csv, jsonl, parquet or xlsx.")(export_command)
