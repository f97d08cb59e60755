"""Every warning of a run, with the stage it came from, for run.json and the terminal.

Python's warning machinery is process-wide and easy to silence by accident:
``bertopic`` installs ``filterwarnings("ignore", category=UserWarning)`` when
it is imported, which hid every warning of ours. So a run does not trust the
terminal: :class:`RunLog` collects each warning raised while it is active
into ``records`` (written to run.json as ``warnings``) and hands each one to
a callback (the CLI prints it). :func:`quiet_import` imports a third-party
module without letting it change the process's warning filters.

Examples
--------
>>> import warnings
>>> from framing.errors import FrameWarning
>>> with RunLog(echo=lambda line: None) as log:
...     warnings.filterwarnings("ignore", category=UserWarning)   # what bertopic's import does
...     log.stage = "frames"
...     warnings.warn("Frame 'x' has fewer than 2 anchors", FrameWarning)
>>> log.records
[{'category': 'FrameWarning', 'message': "Frame 'x' has fewer than 2 anchors", 'stage': 'frames'}]
"""

from __future__ import annotations

import importlib
import time
import warnings
from types import ModuleType
from typing import Callable

from .errors import FramingWarning

Echo = Callable[[str], None]


def format_warning(record: dict) -> str:
    """One line for people: ``Warning (FrameWarning, frames): message``."""
    return f"Warning ({record['category']}, {record['stage']}): {record['message']}"


def quiet_import(name: str) -> ModuleType:
    """Import module ``name`` without letting its import change the warning filters.

    >>> quiet_import("json").__name__
    'json'
    """
    with warnings.catch_warnings():
        return importlib.import_module(name)


class RunLog:
    """Collect the warnings raised while the block runs.

    Parameters
    ----------
    echo : callable, optional
        Called with one formatted line per new warning (the CLI prints it).
        None shows warnings the way Python would have (``warnings.showwarning``).

    Attributes
    ----------
    stage : str
        The stage named in each record; the pipeline sets it as it goes.
    records : list of dict
        ``{"category", "message", "stage"}`` per distinct warning, in order.
    seconds : dict of str to float
        Wall-clock seconds spent in each stage so far (run.json ``stage_seconds``;
        ``benchmarks/vs_bertopic.py`` reads it).

    Notes
    -----
    The toolkit's own warnings (:class:`framing.errors.FramingWarning`) are
    always recorded, whatever filters earlier imports installed (the filter
    that lets them through is put first again at each stage); other warnings
    follow the filters in force. Repeats are recorded once.
    """

    def __init__(self, echo: Echo | None = None):
        self.echo = echo
        self._stage = "setup"
        self.records: list[dict] = []
        self._seen: set[tuple[str, str, str]] = set()
        self._context: warnings.catch_warnings | None = None
        self._show = None
        self.seconds: dict[str, float] = {}
        self._since = time.perf_counter()

    def __enter__(self) -> RunLog:
        self._context = warnings.catch_warnings()
        self._context.__enter__()
        self._show = warnings.showwarning
        self._let_ours_through()
        warnings.showwarning = self._on_warning
        return self

    @property
    def stage(self) -> str:
        return self._stage

    @stage.setter
    def stage(self, name: str) -> None:
        self._tick()
        self._stage = name
        if self._context is not None:
            self._let_ours_through()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.seconds[self._stage] = self.seconds.get(self._stage, 0.0) + now - self._since
        self._since = now

    def stage_seconds(self) -> dict[str, float]:
        """Seconds per stage up to now (the current stage included), rounded to 0.01 s."""
        self._tick()
        return {name: round(secs, 2) for name, secs in self.seconds.items()}

    @staticmethod
    def _let_ours_through() -> None:
        # Ahead of any filter a library may have installed: our warnings always reach the run.
        warnings.filterwarnings("default", category=FramingWarning)

    def __exit__(self, *exc) -> None:
        assert self._context is not None
        self._context.__exit__(*exc)
        self._context = None

    def _on_warning(self, message, category, filename, lineno, file=None, line=None) -> None:
        record = {"category": category.__name__, "message": str(message), "stage": self.stage}
        key = (record["category"], record["message"], record["stage"])
        if key in self._seen:
            return
        self._seen.add(key)
        self.records.append(record)
        if self.echo is not None:
            self.echo(format_warning(record))
        elif self._show is not None:
            self._show(message, category, filename, lineno, file, line)
