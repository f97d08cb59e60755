"""Assembling the self-contained HTML report.

The page embeds plotly.js once, inline, and loads nothing from the network, so
it opens on an air-gapped machine. Corpus text is escaped in every section;
figure data is serialised with Plotly's JSON encoder, which writes ``<``, ``>``
and ``/`` as ``\\u003c``, ``\\u003e`` and ``\\u002f``, so no ``</script>`` in the
data can close the script block (checked again before writing). A
Content-Security-Policy allows only the page's own scripts, by hash, and no
network access; it allows eval because Plotly's WebGL layer (regl) compiles
its shaders' glue code with ``Function``, and the 2-D map needs it.

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
from string import Template

import pandas as pd
import plotly.graph_objects as go
import plotly.offline
from plotly.io.json import to_json_plotly

from ..errors import ReportError
from . import sections
from .figures import build_figures, esc

logger = logging.getLogger(__name__)

PLOT_CONFIG = {"responsive": True, "displaylogo": False, "scrollZoom": False}
_CLOSE_TAG = re.compile(r"</", re.IGNORECASE)


def _template() -> Template:
    text = resources.files("framing.report").joinpath("templates/report.html").read_text(encoding="utf-8")
    return Template(text)


def script_safe(js: str) -> str:
    """Make text safe inside ``<script>``: no ``</`` can end the block early.

    >>> script_safe('{"t": "</script>"}')
    '{"t": "<\\\\/script>"}'
    """
    return _CLOSE_TAG.sub(r"<\\/", js)


def _figure_div(name: str) -> str:
    return f'<div class="figure"><div id="fig-{esc(name)}" class="plotly-graph-div"></div></div>'


def _figure_call(name: str, fig: go.Figure) -> str:
    d = fig.to_dict()
    data, layout = to_json_plotly(d.get("data", [])), to_json_plotly(d.get("layout", {}))
    return f'Plotly.newPlot("fig-{name}", {data}, {layout}, {json.dumps(PLOT_CONFIG)});'


@functools.lru_cache(maxsize=1)
def _plotlyjs() -> str:
    js = plotly.offline.get_plotlyjs()
    return script_safe(js) if "</script" in js.lower() else js  # not so today; cheap to guard


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


def _section(anchor: str, heading: str, content: str) -> str:
    return f'<section id="{anchor}"><h2>{esc(heading)}</h2>{content}</section>'


def _body(tables: Mapping[str, pd.DataFrame], meta: Mapping, title: str, figs: dict[str, go.Figure]) -> str:
    div = lambda name: _figure_div(name) if name in figs else ""  # noqa: E731
    parts = [sections.header(tables, meta, title)]
    nav = [("map", "Topic map"), ("topics", "Topics")]
    if "sentence_map" in figs:
        parts.append(_section(
            "map", "Topic map",
            '<p class="note">Each point is a sentence; nearby sentences say similar things. Hover a '
            "point for its text and ids; click a legend entry to hide a topic, double-click to "
            "isolate it.</p>" + div("sentence_map"),
        ))
    topic_html = div("topic_sizes") + div("topics_per_source") + div("topics_by_role")
    parts.append(_section("topics", "Topics", topic_html + sections.topic_table(tables)))
    frames = sections.frame_evidence(tables)
    if frames:
        nav.append(("frames", "Frames"))
        parts.append(_section("frames", "Frames", div("frames_per_source") + frames))
    nav += [("skipped", "Skipped inputs"), ("run", "Run")]
    parts.append(_section("skipped", "Skipped inputs", sections.skipped(meta)))
    parts.append(_section("run", "Run configuration and versions", sections.run_summary(meta)))
    links = "".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in nav)
    return parts[0] + f"<nav>{links}</nav>" + "".join(parts[1:])


def render_report(
    tables: Mapping[str, pd.DataFrame],
    meta: Mapping,
    title: str | None = None,
    seed: int = 42,
    max_points: int = 20000,
) -> str:
    """The whole report as one self-contained HTML string.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        ``documents``, ``sentences`` (with topic, topic_prob, map_x, map_y),
        ``topics``, ``topic_prevalence`` and, when frames ran,
        ``sentence_frames``, ``frames``, ``topic_frames``. Sections whose
        tables are missing are left out.
    meta : mapping
        The run's ``run.json``: corpus, created, inputs, counts, skipped,
        embedding, config, versions, seed.
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
    >>> html.count("<script")                          # doctest: +SKIP
    2
    """
    title = title or f"framing report: {meta.get('corpus') or 'corpus'}"
    figs = build_figures(tables, seed=seed, max_points=max_points)
    plotlyjs = _plotlyjs()
    init = script_safe("\n".join(_figure_call(name, fig) for name, fig in figs.items()))
    return _template().substitute(
        csp=_csp([plotlyjs, init]), title=esc(title), plotlyjs=plotlyjs,
        body=_body(tables, meta, title, figs), init=init,
    )


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
    text = render_report(tables, meta, **kw)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"Cannot write the report to {path}: {exc.strerror}. Check the folder and its permissions.") from exc
    logger.info("wrote report %s (%.1f MB)", path, len(text.encode("utf-8")) / 1e6)
    return path
