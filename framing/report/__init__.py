"""The HTML report of a run: figures from result tables, one self-contained page.

>>> from framing.report import write_report            # doctest: +SKIP
>>> write_report(tables, meta, run_dir / "report.html")  # doctest: +SKIP
"""

from .figures import build_figures
from .html import render_report, write_report

__all__ = ["build_figures", "render_report", "write_report"]
