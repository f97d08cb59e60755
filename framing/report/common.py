"""Helpers the report's figures and views share: table access, escaping, topic names and colors.

Examples
--------
>>> esc("<b>x</b>")
'&lt;b&gt;x&lt;/b&gt;'
>>> pct_format(0.04), pct_format(0.5)
('.1%', '.0%')
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import plotly.colors

from ..errors import ReportError

OUTLIER = -1
OUTLIER_COLOR = "#b4b4b4"
OUTLIER_NAME = "Outliers / not clustered"
ROLE_COLORS = {"article": "#1f77b4", "comment": "#ff7f0e", "post": "#2ca02c"}

# Columns the report reads from each table: a table that is present but lacks them is an error.
REQUIRED = {
    "documents": ["doc_id", "source", "role", "text"],
    "sentences": ["sentence_id", "doc_id", "source", "role", "start", "end", "text", "topic"],
    "topics": ["topic", "label", "size"],
    "sentence_frames": ["sentence_id", "frame_id", "score", "matched"],
    "frames": ["frame_id", "label"],
    "document_frames": ["doc_id", "frame_id"],
    "topic_frames": ["topic", "frame_id", "expresses"],
}


def _palette() -> list[str]:
    seen: dict[str, None] = {}
    q = plotly.colors.qualitative
    for color in [*q.Plotly, *q.D3, *q.Dark24, *q.Alphabet, *q.Light24]:
        if color.lower() != OUTLIER_COLOR:
            seen.setdefault(color, None)
    return list(seen)


PALETTE = _palette()


def get_table(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame | None:
    """Return ``tables[name]`` or None when absent; check the columns the report reads.

    Raises
    ------
    ReportError
        When the table is present but lacks columns the report reads.
    """
    df = tables.get(name)
    if df is None:
        return None
    missing = [c for c in REQUIRED.get(name, []) if c not in df.columns]
    if missing:
        raise ReportError(
            f"Table '{name}' lacks the column(s) {', '.join(missing)} the report needs "
            f"(it has: {', '.join(map(str, df.columns))}). Pass the table as the pipeline "
            f"writes it (RUN/tables/{name}.parquet)."
        )
    return df


def is_missing(value: object) -> bool:
    """True for None, NaN, NA and the empty string."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def esc(value: object) -> str:
    """HTML-escape any value for Plotly labels (which render a few tags); missing values become ''."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return html.escape(", ".join(map(str, value)), quote=True)
    if is_missing(value):
        return ""
    return html.escape(str(value), quote=True)


def text(value: object) -> str:
    """Plain text of a value for the templates (which escape it); missing values become ''."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return ", ".join(text(v) for v in value)
    if is_missing(value):
        return ""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def strs(series: pd.Series) -> pd.Series:
    """A column as strings, missing values as '' (vectorised :func:`text` for id and name columns)."""
    return series.astype(object).where(series.notna(), "").astype(str)


def as_list(value: object) -> list:
    """A list from a list, tuple, ndarray (parquet round trip) or None/NaN."""
    if isinstance(value, (list, tuple, np.ndarray, pd.Series)):
        return list(value)
    if is_missing(value):
        return []
    return [value]


def topic_ids(sentences: pd.DataFrame) -> pd.Series:
    """The ``topic`` column as ints, NaN (not analysed) counted as outlier."""
    return pd.to_numeric(sentences["topic"], errors="coerce").fillna(OUTLIER).astype(int)


def topic_names(topics: pd.DataFrame | None, extra: Iterable[int] = ()) -> dict[int, str]:
    """Display name of every topic: its label, prefixed by its id unless the label has it.

    >>> topic_names(pd.DataFrame({"topic": [0, 1, 2], "label": ["0_vaccine_dose", "Energy", "2: oil, fields"]}))
    {-1: 'Outliers / not clustered', 0: '0_vaccine_dose', 1: '1: Energy', 2: '2: oil, fields'}
    """
    names = {OUTLIER: OUTLIER_NAME}
    if topics is not None:
        for t, label in zip(topics["topic"].astype(int), topics["label"]):
            if t == OUTLIER:
                continue
            label = text(label)
            has_id = label.startswith((f"{t}_", f"{t}:"))
            names[t] = label if has_id else f"{t}: {label}".rstrip(": ")
    for t in extra:
        names.setdefault(int(t), f"Topic {int(t)}")
    return names


def topic_colors(ids: Iterable[int]) -> dict[int, str]:
    """A fixed color per topic id (in sorted order); outliers are grey."""
    colors = {OUTLIER: OUTLIER_COLOR}
    real = sorted({int(t) for t in ids if int(t) != OUTLIER})
    for i, t in enumerate(real):
        colors[t] = PALETTE[i % len(PALETTE)]
    return colors


def pct_format(top: float) -> str:
    """A d3 percent format with enough decimals that ticks up to ``top`` are distinct.

    Plotly puts about five ticks on an axis; ".0%" on a 0-4% axis prints "1%, 1%, 2%, 2%".

    >>> [pct_format(x) for x in (0.9, 0.12, 0.03, 0.004)]
    ['.0%', '.0%', '.1%', '.2%']
    """
    if not top or not math.isfinite(top) or top >= 0.1:
        return ".0%"
    step = top * 100 / 5  # percent points between ticks
    return f".{min(3, max(1, math.ceil(-math.log10(step))))}%" if step < 1 else ".1%"


def denominator(column: str) -> str:
    """What a ``share_of_X`` column divides by, in words.

    >>> denominator("share_of_documents")
    'documents'
    """
    return column.removeprefix("share_of_").replace("_", " ") if column.startswith("share_of_") else column
