"""The "Distinctive terms" section: ``compare_terms`` and ``compare_divergence`` as page tables."""

from __future__ import annotations

from ..context import ReportContext
from .base import Section


def view(ctx: ReportContext) -> dict:
    return {"terms": ctx.cmp.get("compare_terms"), "divergence": ctx.cmp.get("compare_divergence")}


SECTION = Section("terms", "sections/terms.html.j2", view, label="Terms")
