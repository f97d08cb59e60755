"""The HTML report of a run: figures from result tables, one self-contained page.

The page is made of sections (:mod:`framing.report.sections`, one module each, in a registry whose order is
the page's); :mod:`framing.report.html` assembles them.

>>> from framing.report import write_report, rebuild_report   # doctest: +SKIP
>>> write_report(tables, meta, run_dir / "report.html")        # doctest: +SKIP
>>> rebuild_report("reports/seeds")                            # doctest: +SKIP
"""

from .html import build_figures, render_report, write_report
from .rebuild import rebuild_report

__all__ = ["build_figures", "rebuild_report", "render_report", "write_report"]
