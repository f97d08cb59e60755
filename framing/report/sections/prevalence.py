"""The "Prevalence table" section: ``compare_prevalence`` as a page table (not in the navigation)."""

from __future__ import annotations

from .base import Section

SECTION = Section("prevalence-table", "sections/prevalence.html.j2", lambda ctx: ctx.cmp.get("compare_prevalence"),
                  shown=bool)
