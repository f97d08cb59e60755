"""The "Evidence per frame" section: each frame's best-matched sentences, one column per language.

Its view is :func:`framing.report.sections.frames.frame_entries` (the "Frames" section's table reads the same).
"""

from __future__ import annotations

from ..context import ReportContext
from .base import Section
from .frames import frame_entries


def view(ctx: ReportContext) -> list[dict]:
    return ctx.memo(frame_entries)


SECTION = Section("evidence", "sections/evidence.html.j2", view, label="Evidence", shown=bool)
