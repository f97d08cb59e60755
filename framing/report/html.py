"""Assembling the self-contained HTML report from Jinja2 templates.

Escaping is by construction: the templates are rendered with autoescaping on,
so every value from the corpus or the run is escaped unless this module marks
it safe. Only three things are: plotly.js and the page's own script (library
code, checked to hold no ``</script``), and the JSON data blocks, in which
``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e`` and ``\\u0026``
so nothing in them can end the block. The page embeds plotly.js once and
loads nothing from the network. Its Content-Security-Policy allows only its
two scripts, by hash, and no network access; it allows eval because Plotly's
WebGL layer (regl) compiles its shaders' glue code with ``Function``, which
the 2-D map needs.

Examples
--------
>>> path = write_report(tables, meta, run_dir / "report.html", seed=42)   # doctest: +SKIP
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import pandas as pd
import plotly.offline
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from plotly.io.json import to_json_plotly

from ..errors import ReportError
from . import views
from .common import get_table, text
from .data import frame_prevalence
from .evidence import Quotes
from .figures import build_figures

logger = logging.getLogger(__name__)

_CLOSE_TAG = re.compile(r"</", re.IGNORECASE)
NAV = [("overview", "Overview"), ("frames", "Frames"), ("evidence", "Evidence"), ("compare", "Two sources"),
       ("topics", "Topics"), ("terms", "Terms"), ("audience", "Outlet vs comments"), ("timing", "Who said it first"),
       ("candidates", "Candidate frames"), ("run", "Run")]


@functools.lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=PackageLoader("framing.report", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def script_safe(js: str) -> str:
    """Make text safe inside ``<script>``: no ``</`` can end the block early.

    >>> script_safe('{"t": "</script>"}')
    '{"t": "<\\\\/script>"}'
    """
    return _CLOSE_TAG.sub(r"<\\/", js)


def json_block(value: object) -> Markup:
    """JSON for a ``<script type="application/json">`` block: no ``<``, ``>`` or ``&`` left in it.

    >>> str(json_block({"t": "</script><b>&"}))
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    raw = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)
    safe = raw.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    safe = safe.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(safe)  # noqa: S704 - escaped just above


@functools.lru_cache(maxsize=1)
def _plotlyjs() -> str:
    js = plotly.offline.get_plotlyjs()
    return script_safe(js) if "</script" in js.lower() else js  # not so today; cheap to guard


@functools.lru_cache(maxsize=1)
def _reportjs() -> str:
    js = resources.files("framing.report").joinpath("templates/report.js").read_text(encoding="utf-8")
    if re.search(r"</script|<!--", js, re.IGNORECASE):
        raise ReportError("report.js must not contain '</script' or '<!--' (it is inlined in a <script> block).")
    return js


@functools.lru_cache(maxsize=8)
def _sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _csp(scripts: list[str]) -> str:
    hashes = " ".join(_sha256(s) for s in scripts)
    return (
        f"default-src 'none'; script-src {hashes} 'unsafe-eval'; style-src 'unsafe-inline'; "
        "img-src data: blob:; font-src data:; worker-src blob:; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def _figure_json(figs: dict) -> str:
    parts = []
    for name, fig in figs.items():
        d = fig.to_dict()
        parts.append(f'{json.dumps(name)}: {{"data": {to_json_plotly(d.get("data", []))}, '
                     f'"layout": {to_json_plotly(d.get("layout", {}))}}}')
    return "{" + ", ".join(parts) + "}"


def _has_comments(tables: Mapping[str, pd.DataFrame]) -> bool:
    docs = tables.get("documents")
    return docs is not None and "role" in docs.columns and bool((docs["role"].astype(str) == "comment").any())


def render_report(
    tables: Mapping[str, pd.DataFrame],
    meta: Mapping,
    title: str | None = None,
    seed: int = 42,
    max_points: int = 10000,
) -> str:
    """The whole report as one self-contained HTML string.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        The run's tables (see the README's Outputs). Sections whose tables are
        missing say so instead of showing anything.
    meta : mapping
        The run's ``run.json``.
    title : str, optional
        Defaults to ``"framing report: <corpus>"``.
    seed : int
        Seed of the map's sample.
    max_points : int
        Sentences shown on the map at most.

    Returns
    -------
    str
        HTML with plotly.js inline once and no network references.

    Examples
    --------
    >>> html = render_report(tables, meta, seed=42)   # doctest: +SKIP
    >>> html.count("<script>")                         # doctest: +SKIP
    2
    """
    for name in ("documents", "sentences", "topics", "frames", "sentence_frames"):
        get_table(tables, name)  # a table without the columns the report reads fails here, clearly
    title = title or f"framing report: {text(meta.get('corpus')) or 'corpus'}"
    figs = build_figures(tables, seed=seed, max_points=max_points)
    quotes = Quotes(tables)
    prevalence = frame_prevalence(tables)
    compare = views.side_by_side(tables)
    plotlyjs, reportjs = _plotlyjs(), _reportjs()
    frames = views.frames(tables, quotes)
    nav = [(a, label) for a, label in NAV if a != "evidence" or frames]
    html = _env().get_template("report.html.j2").render(
        title=title, meta={"corpus": text(meta.get("corpus"))}, csp=_csp([plotlyjs, reportjs]),
        plotlyjs=Markup(plotlyjs), reportjs=Markup(reportjs),  # noqa: S704 - library code, checked for </script
        figure_json=json_block(_figure_json(figs)), figs=figs,
        compare=compare, compare_json=json_block(compare) if compare else "",
        ov=views.overview(tables, meta), frames=frames, topics=views.topics(tables, quotes),
        stability=views.stability_summary(tables, meta),
        candidates=views.candidates(tables, quotes), cmp=views.compare_sections(tables),
        intervals=bool(prevalence and prevalence.has_ci), has_comments=_has_comments(tables),
        run=views.run_facts(meta), nav=nav,
    )
    return html


def write_report(tables: Mapping[str, pd.DataFrame], meta: Mapping, path: str | Path, **kw) -> Path:
    """Render the report and write it to ``path`` (UTF-8); returns the path.

    Keyword arguments go to :func:`render_report` (title, seed, max_points).

    Raises
    ------
    ReportError
        When the file cannot be written.

    Examples
    --------
    >>> write_report(tables, meta, Path("reports/demo/report.html"), seed=42)   # doctest: +SKIP
    PosixPath('reports/demo/report.html')
    """
    path = Path(path)
    text_ = render_report(tables, meta, **kw)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text_, encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"Cannot write the report to {path}: {exc.strerror}. Check the folder and its permissions.") from exc
    logger.info("wrote report %s (%.1f MB)", path, len(text_.encode("utf-8")) / 1e6)
    return path
