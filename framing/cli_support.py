"""What every command shares: user errors become a sentence and exit code 2."""

from __future__ import annotations

import functools
from typing import Callable

import typer
from rich.console import Console

from .errors import FramingError

err_console = Console(stderr=True, highlight=False, soft_wrap=True)

ForceOpt = typer.Option(False, "--force", help="Write into an output folder that is not a framing run: framing "
                        "replaces only its own entries there (tables/, run.json, framing.duckdb, report.html, "
                        "topic_model/, inputs/) and leaves every other file alone.")


def user_errors(func: Callable) -> Callable:
    """Turn a FramingError into ``Error: <message>`` on stderr and exit code 2 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except FramingError as exc:
            err_console.print(f"Error: {exc}", markup=False)
            raise typer.Exit(code=2) from None

    return wrapper
