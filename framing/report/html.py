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
import plotly.graph_objects as go
from jinja2 import ChoiceLoader, Environment, FunctionLoader, PackageLoader, StrictUndefined
from markupsafe import Markup
from plotly.io.json import to_json_plotly

from .. import store
from ..errors import ReportError, RunStoreError
from .common import get_table, text
from .context import ReportContext
from .plotlyjs import plotlyjs
from .sections import SECTIONS, Section
from .sections.overview import overview
from .sections.run import view as run_view

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def _env() -> Environment:
    loader = ChoiceLoader([PackageLoader("framing.report", "templates"), FunctionLoader(_package_template)])
    return Environment(loader=loader, autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _package_template(name: str) -> str | None:
    """The text of a section template named ``package:path`` (a plug-in's own), None for other names."""
    package, sep, path = name.partition(":")
    if not sep or not package or not path:
        return None
    try:
        return resources.files(package).joinpath(path).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return None


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


def trace_types(figs: Mapping, extra: set[str] | frozenset[str] = frozenset()) -> frozenset[str]:
    """Trace types the page draws: its figures', and those the page's script draws from its data blocks."""
    return frozenset({tr.type for fig in figs.values() for tr in fig.data} | set(extra))


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


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)


def _figures(ctx: ReportContext, sections: list[Section]) -> dict[str, go.Figure]:
    """Every section's figures, by name: in section order, those marked ``figures_last`` after the rest."""
    figs: dict[str, go.Figure] = {}
    for section in [s for s in sections if not s.figures_last] + [s for s in sections if s.figures_last]:
        if section.figures is None:
            continue
        for name, fig in section.figures(ctx).items():
            if name in figs:
                raise ReportError(f"Two report sections draw a figure named {name!r} (the second is "
                                  f"{section.anchor!r}); give the figure another name.")
            figs[name] = fig
    for fig in figs.values():
        fig.update_layout(template="plotly_white", margin={"t": max(70, fig.layout.margin.t or 0), "r": 20},
                          font={"size": 12})
    logger.debug("built figures: %s", ", ".join(figs))
    return figs


def _check(tables: Mapping[str, pd.DataFrame]) -> None:
    for name in ("documents", "sentences", "topics", "frames", "sentence_frames"):
        get_table(tables, name)  # a table without the columns the report reads fails here, clearly


def build_figures(
    tables: Mapping[str, pd.DataFrame], seed: int = 42, max_points: int = 10000
) -> dict[str, go.Figure]:
    """Every figure the tables allow, by name: each registered section's figures.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        The run's tables. A missing table leaves out the figures that need it.
    seed : int
        Seed of the map's sample.
    max_points : int
        Sentences shown on the map at most.

    Returns
    -------
    dict of str to plotly.graph_objects.Figure
        Keys among ``frame_prevalence``, ``frames_by_source``, ``frames_by_role``, ``frames_over_time``,
        ``audience``, ``first_use``, ``sentence_map``, ``topic_sizes``, ``topics_per_source``.

    Examples
    --------
    >>> figs = build_figures(tables, seed=7, max_points=500)   # doctest: +SKIP
    >>> figs["sentence_map"].to_dict()["data"][0]["name"]      # doctest: +SKIP
    'Outliers / not clustered'
    """
    _check(tables)
    return _figures(ReportContext(tables, {}, seed=seed, max_points=max_points), [s for _, s in SECTIONS.items()])


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
        The run's tables (docs/reference/columns.md). Sections whose tables are
        missing say so instead of showing anything.
    meta : mapping
        The run's ``run.json``.
    title : str, optional
        Defaults to ``"framing report: <corpus>"``.
    seed, max_points : int
        The map's sample, as in :func:`build_figures`.

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
    _check(tables)
    title = title or f"framing report: {text(meta.get('corpus')) or 'corpus'}"
    ctx = ReportContext(tables, meta, seed=seed, max_points=max_points)
    sections = [s for _, s in SECTIONS.items()]
    figs = _figures(ctx, sections)
    rendered = [(section, view, section.shown(view)) for section, view in ((s, s.view(ctx)) for s in sections)]
    shown = [(section, view) for section, view, on in rendered if on]
    blocks = [(s.data_block, pack(_json(view))) for s, view in shown if s.data_block and view]
    traces = {t for s, view in shown if s.data_block and view for t in s.traces}
    (plotly_text, plotly_packed), reportjs = _plotlyjs(trace_types(figs, traces)), _reportjs()
    html = _env().get_template("report.html.j2").render(
        title=title, meta={"corpus": text(meta.get("corpus"))}, csp=_csp([plotly_text, reportjs]),
        plotly_packed=plotly_packed, reportjs=Markup(reportjs),  # noqa: S704 - library code, checked for </script
        figure_packed=pack(_figure_json(figs)), figs=figs, blocks=blocks,
        context_packed=pack(_json(ctx.contexts)) if ctx.contexts else "",
        ov=ctx.memo(overview), run=ctx.memo(run_view), sections=rendered,
        nav=[(s.anchor, s.label) for s, _ in shown if s.label],
    )
    return html


GENERATOR = '<meta name="generator" content="framing">'
"""The line every report page carries: a page at ``--out`` without it is not framing's to replace."""


def refuse_foreign_page(path: Path) -> None:
    """Stop when ``path`` is a file that is not a framing report (a page of yours named with ``--out``).

    A missing file, a symbolic link (replaced, never written through) and an earlier framing report pass.
    """
    if path.is_symlink() or not path.exists():
        return
    try:
        with open(path, "rb") as fh:
            ours = path.is_file() and GENERATOR.encode() in fh.read(4096)
    except OSError:
        ours = False
    if not ours:
        raise RunStoreError(f"{path} already exists and is not a report framing wrote: framing does not replace "
                            "it. Choose a new file for --out, or move that one away.")


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
    refuse_foreign_page(path)
    text_ = render_report(tables, meta, **kw)
    try:
        # a new file replaces the old page: a link at its name (in a run you received) is never written through
        store.write_new_file(path, lambda tmp: tmp.write_text(text_, encoding="utf-8"))
    except OSError as exc:
        raise ReportError(f"Cannot write the report to {path}: {exc.strerror}. Check the folder and its permissions.") from exc
    logger.info("wrote report %s (%.1f MB)", path, len(text_.encode("utf-8")) / 1e6)
    return path
