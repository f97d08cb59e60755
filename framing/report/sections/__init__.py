"""The report's sections, one module each (its view and its figures), registered in page order.

A new section is one module here (a :class:`Section`: its view, its figures, its template under
``templates/sections/``) and one line in the list below; a plug-in registers its own with
``SECTIONS.register(name, Section(...))`` (or the entry-point group ``framing_report_sections``), and it
appears at the end of the page.

Examples
--------
>>> SECTIONS.names()
['overview', 'frames', 'evidence', 'voice', 'techniques', 'compare', 'topics', 'terms', 'audience', 'timing', 'reuse', 'candidates', 'prevalence-table', 'llm', 'run']
"""

from __future__ import annotations

from . import (
    audience, candidates, compare, evidence, frames, llm, overview, prevalence, reuse, run, techniques, terms, timing,
    topics,
    voice,
)
from .base import SECTIONS, Section, register

for _module in (overview, frames, evidence, voice, techniques, compare, topics, terms, audience, timing, reuse,
                candidates, prevalence, llm, run):
    register(_module.SECTION)

__all__ = ["SECTIONS", "Section", "register"]
