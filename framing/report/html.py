"""Assembling the self-contained HTML report from Jinja2 templates.

Escaping is by construction: the templates are rendered with autoescaping on,
so every value from the corpus or the run is escaped unless this module marks
it safe. Only two things are: the page's own script (library code, checked to
hold no ``</script`` or ``<!--``) and the packed data blocks. Those hold
plotly.js, the figures, the two-source comparison and the document context of
the topics' and candidates' quotes, each gzip-compressed and
base64-encoded (:func:`pack`): the base64 alphabet has no ``<``, ``&`` or
quote, so nothing in a block can end it or become markup, and the page's
script inflates them with the browser's ``DecompressionStream``, parses the
data with ``JSON.parse`` and never as HTML. Packing is what keeps a large run's
page to a few MB (plotly.js, already cut to the traces the report draws by
:mod:`framing.report.plotlyjs`, from 1.55 to 0.69 MB; the map's hover text
about 3.5-fold on real sentences). The page loads nothing from the
network. Its Content-Security-Policy allows only two scripts, by hash: the
page's own and plotly.js (the inflated text, which the page's script runs as
an inline script, so a changed payload would not run), and no network access;
it allows eval because Plotly's WebGL layer (regl) compiles its shaders' glue
code with ``Function``, which the 2-D map needs.

Browsers: ``DecompressionStream`` is in Chrome/Edge 80+, Firefox 113+ and
Safari 16.4+; an older browser shows the text and tables and says why the
figures are missing.

Examples
--------
>>> path = write_report(tables, meta, run_dir / "report.html", seed=42)   # doctest: +SKIP
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import json
import logging
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from plotly.io.json import to_json_plotly

from ..errors import ReportError
from . import views
from .reuse_view import reuse_section, without_reprints
from .common import get_table, text
from .data import frame_prevalence
from .evidence import Quotes
from .figures import build_figures
from .plotlyjs import plotlyjs
from .voice import add_voice_facts, voice_view

logger = logging.getLogger(__name__)

NAV = [("overview", "Overview"), ("frames", "Frames"), ("evidence", "Evidence"), ("voice", "Who speaks"),
       ("compare", "Two sources"),
       ("topics", "Topics"), ("terms", "Terms"), ("audience", "Outlet vs comments"), ("timing", "Who said it first"),
       ("reuse", "Reprints"), ("candidates", "Candidate frames"), ("run", "Run")]


@functools.lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=PackageLoader("framing.report", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def pack(text_: str) -> Markup:
    """Text as the body of a packed data block: gzip (level 9, no timestamp) then base64.

    Deterministic, and holds only ``A-Z a-z 0-9 + / =``, so it is inert inside ``<script>``.

    >>> block = str(pack("</script><!-- & é"))
    >>> block.startswith("H4sI"), any(c in block for c in "<>&'")   # gzip's magic bytes, in base64
    (True, False)
    """
    raw = gzip.compress(text_.encode("utf-8"), compresslevel=9, mtime=0)
    return Markup(base64.b64encode(raw).decode("ascii"))  # noqa: S704 - base64 alphabet only


def unpack(block: str) -> str:
    """The text of a packed block (what the page's script gets); for tests and tools.

    >>> unpack(pack("<b>é</b>"))
    '<b>é</b>'
    """
    return gzip.decompress(base64.b64decode(block, validate=True)).decode("utf-8")


@functools.lru_cache(maxsize=4)
def _plotlyjs(traces: frozenset[str]) -> tuple[str, Markup]:
    """plotly.js for these trace types (the text whose hash the CSP allows) and its packed block."""
    js, _ = plotlyjs(traces)
    return js, pack(js)


def trace_types(figs: Mapping, compare: object) -> frozenset[str]:
    """Trace types the page draws: its figures', and the two-source chart's bars (drawn by report.js)."""
    types = {tr.type for fig in figs.values() for tr in fig.data}
    return frozenset(types | ({"bar"} if compare else set()))


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
    """The figures as one JSON object ``{name: {"data": [...], "layout": {...}}}``, packed afterwards."""
    parts = []
    for name, fig in figs.items():
        d = fig.to_dict()
        parts.append(f'{json.dumps(name)}: {{"data": {to_json_plotly(d.get("data", []))}, '
                     f'"layout": {to_json_plotly(d.get("layout", {}))}}}')
    return "{" + ", ".join(parts) + "}"


def pack_contexts(*sections: list[dict] | None) -> list[list[str]]:
    """Move the document context of the quotes in ``sections`` (topics, candidates) into one list.

    Each such quote gets ``ctx``, its index in the returned list of ``[before, text, after]``, and
    the page carries the list packed: the page's script writes a context (with textContent) when
    its "Open in its document" is opened. Those contexts are the largest part of the HTML of a run
    with many topics (0.7 of 2.2 MB for climate-frames' 270 topics) and pack about fourfold. The
    frames' evidence keeps its context inline.
    """
    contexts: list[list[str]] = []
    for rows in sections:
        for row in rows or []:
            for q in row.get("quotes", []):
                if not q.get("missing") and (q.get("before") or q.get("after")):
                    q["ctx"] = len(contexts)
                    contexts.append([q["before"], q["text"], q["after"]])
    return contexts


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)


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
        HTML with plotly.js, the figures and the comparison packed inline once each
        (see :func:`pack`) and no network references.

    Examples
    --------
    >>> html = render_report(tables, meta, seed=42)   # doctest: +SKIP
    >>> html.count("<script>")                         # doctest: +SKIP
    1
    """
    for name in ("documents", "sentences", "topics", "frames", "sentence_frames"):
        get_table(tables, name)  # a table without the columns the report reads fails here, clearly
    title = title or f"framing report: {text(meta.get('corpus')) or 'corpus'}"
    figs = build_figures(tables, seed=seed, max_points=max_points)
    quotes = Quotes(tables)
    prevalence = frame_prevalence(tables)
    reprints = ((meta.get("config") or {}).get("compare") or {}).get("reprints", "once")
    shown = without_reprints(tables) if reprints == "once" else tables  # evidence: a reprinted passage once
    compare = views.side_by_side(shown)
    (plotly_text, plotly_packed), reportjs = _plotlyjs(trace_types(figs, compare)), _reportjs()
    voice = voice_view(tables)
    frames = add_voice_facts(views.frames(shown, quotes, meta), voice)
    topics, candidates = views.topics(tables, quotes), views.candidates(tables, quotes)
    contexts = pack_contexts(topics, candidates)
    nav = [(a, label) for a, label in NAV if (a != "evidence" or frames) and (a != "voice" or voice)]
    if get_table(tables, "reuse") is None:
        nav = [(a, label) for a, label in nav if a != "reuse"]
    html = _env().get_template("report.html.j2").render(
        title=title, meta={"corpus": text(meta.get("corpus"))}, csp=_csp([plotly_text, reportjs]),
        plotly_packed=plotly_packed, reportjs=Markup(reportjs),  # noqa: S704 - library code, checked for </script
        figure_packed=pack(_figure_json(figs)), figs=figs,
        compare=compare, compare_packed=pack(_json(compare)) if compare else "",
        context_packed=pack(_json(contexts)) if contexts else "",
        ov=views.overview(tables, meta), frames=frames, topics=topics,
        stability=views.stability_summary(tables, meta),
        candidates=candidates, cmp=views.compare_sections(tables),
        intervals=bool(prevalence and prevalence.has_ci), has_comments=_has_comments(tables),
        run=views.run_facts(meta), nav=nav, voice=voice, reuse=reuse_section(tables, quotes), reprints=reprints,
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
