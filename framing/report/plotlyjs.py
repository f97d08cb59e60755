"""The plotly.js a report carries: a bundle of just the traces it draws, or plotly.py's full one.

The report draws ``bar``, ``heatmap``, ``scatter`` and ``scattergl`` traces only.
``vendor/plotly-framing.min.js`` is plotly.js built with just those (1.55 MB
against the full bundle's 4.8 MB; 0.69 MB against 1.96 MB once packed), by
``vendor/build-plotly.sh`` from the npm package of the release that the
installed plotly.py writes figures for (plotly.js is MIT-licensed;
``vendor/LICENSE.plotly.js``). A page whose figures need another trace type, or
a plotly.py that expects another plotly.js release (after an upgrade), gets
plotly.py's own full bundle instead, so figures never meet a plotly.js they
were not written for; rebuild the vendored bundle then.

Examples
--------
>>> js, which = plotlyjs({"bar", "scattergl"})
>>> which in ("framing bundle", "plotly.py full bundle") and len(js) > 1_000_000
True
"""

from __future__ import annotations

import functools
import logging
import re
from importlib import resources

import plotly.offline

logger = logging.getLogger(__name__)

TRACES = frozenset({"bar", "heatmap", "scatter", "scattergl"})
"""The trace types of the vendored bundle (the report's figures and its two-source chart)."""
BUNDLE = "vendor/plotly-framing.min.js"
_VERSION = re.compile(r"plotly\.js v(\d+\.\d+\.\d+)")


@functools.lru_cache(maxsize=1)
def bundle() -> tuple[str, str | None]:
    """The vendored bundle's text and the plotly.js version its first line names (None if unreadable)."""
    try:
        js = resources.files("framing.report").joinpath(BUNDLE).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return "", None
    m = _VERSION.search(js[:300])
    return js, m.group(1) if m else None


def expected_version() -> str:
    """The plotly.js release the installed plotly.py writes figures for."""
    return plotly.offline.get_plotlyjs_version()


def plotlyjs(traces: set[str] | frozenset[str]) -> tuple[str, str]:
    """plotly.js for a page whose figures use ``traces``, and which one it is.

    Returns
    -------
    (str, str)
        The script, and ``"framing bundle"`` (the vendored partial bundle) or
        ``"plotly.py full bundle"``.
    """
    js, version = bundle()
    missing = set(traces) - TRACES
    if js and version == expected_version() and not missing:
        return js, "framing bundle"
    if not js or version is None:
        why = f"{BUNDLE} is missing or names no version"
    elif missing:
        why = f"the figures use trace types it lacks ({', '.join(sorted(missing))})"
    else:
        why = (f"it is plotly.js {version} but plotly.py expects {expected_version()} "
               "(rebuild it: framing/report/vendor/build-plotly.sh)")
    logger.info("report: plotly.py's full plotly.js bundle (4.8 MB) instead of %s: %s", BUNDLE, why)
    return plotly.offline.get_plotlyjs(), "plotly.py full bundle"
