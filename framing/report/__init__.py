"""The HTML report of a run: figures from result tables, one self-contained page.

>>> from framing.report import write_report, rebuild_report   # doctest: +SKIP
>>> write_report(tables, meta, run_dir / "report.html")        # doctest: +SKIP
>>> rebuild_report("reports/seeds")                            # doctest: +SKIP
"""

from .figures import build_figures
from .html import render_report, write_report
from .rebuild import rebuild_report

__all__ = ["build_figures", "rebuild_report", "render_report", "write_report"]
