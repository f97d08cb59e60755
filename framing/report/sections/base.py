"""What a report section is, and the registry of sections (their order is the page's).

A section is one module in :mod:`framing.report.sections`: a function that
reads the run's tables into the section's view (plain data for its
template), optionally a function that draws its figures, and a Jinja2
template under ``templates/sections/``. The module registers a
:class:`Section` in :data:`SECTIONS`; the page shows the sections in the
registry's order, and its navigation lists those with a ``label``.

Examples
--------
>>> from framing.report.sections import SECTIONS
>>> SECTIONS.names()[:3]
['overview', 'frames', 'evidence']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from ...registry import Registry
from ..context import ReportContext


def _always(view: Any) -> bool:
    return True


@dataclass(frozen=True)
class Section:
    """One section of the report.

    Attributes
    ----------
    anchor : str
        The section's element id, and the name it is registered under.
    template : str
        Its Jinja2 template (autoescaped): a path under ``framing/report/templates``, or
        ``package:path`` for a template shipped in another package (a plug-in's); it reads
        its view as ``view``, and every figure of the page as ``figs`` (a figure is placed with
        the ``figure`` macro of ``macros.html.j2``).
    view : callable
        ``view(ctx) -> object``: the section's data, read from ``ctx.tables`` (a
        :class:`~framing.report.context.ReportContext`).
    label : str, optional
        Its entry in the page's navigation; None leaves it out of the navigation.
    figures : callable, optional
        ``figures(ctx) -> dict of name to plotly Figure``: the figures it draws (names unique on
        the page; a template places a figure by name).
    shown : callable
        ``shown(view) -> bool``: whether the page has the section at all (default: always; a
        section that is always shown says in its template what is missing).
    data_block : str, optional
        The id of a packed data block (``<script type="application/octet-stream">``) that carries
        the view, when truthy, for the page's script (the two-source comparison).
    traces : frozenset of str
        Plotly trace types the page's script draws from the data block.
    figures_last : bool
        Draw this section's figures after every other section's (the WebGL map is the slowest).
    """

    anchor: str
    template: str
    view: Callable[[ReportContext], Any]
    label: str | None = None
    figures: Callable[[ReportContext], dict[str, go.Figure]] | None = None
    shown: Callable[[Any], bool] = _always
    data_block: str | None = None
    traces: frozenset[str] = field(default_factory=frozenset)
    figures_last: bool = False


SECTIONS: Registry[Section] = Registry("report_sections")
"""The report's sections, in page order: ``SECTIONS.register(section.anchor, section)`` adds one at the end."""


def register(section: Section) -> Section:
    """Register ``section`` under its anchor (at the end of the page) and return it."""
    return SECTIONS.register(section.anchor, section)
