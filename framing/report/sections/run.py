"""The "Run" section: seed, command, inputs, versions and the resolved configuration (run.json)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from ..common import text
from ..context import ReportContext
from .base import Section


def run_facts(meta: Mapping) -> dict:
    """Seed, inputs, versions and the resolved config (as indented JSON text)."""
    inputs = []
    for item in meta.get("inputs") or []:
        inputs.append(" · ".join(text(v) for v in item.values()) if isinstance(item, Mapping) else text(item))
    return {"seed": text(meta.get("seed")), "created": text(meta.get("created")), "command": text(meta.get("command")),
            "inputs": inputs, "versions": [(text(k), text(v)) for k, v in (meta.get("versions") or {}).items()],
            "config": json.dumps(meta.get("config") or {}, indent=2, sort_keys=True, ensure_ascii=False, default=str)}


def view(ctx: ReportContext) -> dict:
    return run_facts(ctx.meta)


SECTION = Section("run", "sections/run.html.j2", lambda ctx: ctx.memo(view), label="Run")
