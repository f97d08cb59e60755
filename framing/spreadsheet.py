"""Spreadsheet-bound files: text cells that a spreadsheet would run as a formula are neutralised.

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is read as a formula by Excel, LibreOffice and Google Sheets when a CSV file
is opened (a corpus sentence ``=HYPERLINK("http://...","click")`` becomes a
live link; DDE payloads can start programs). Following OWASP's advice on CSV
injection, such a text cell is written with a single quote in front
(``'=HYPERLINK(...)``), every text cell is quoted (so a ``;`` inside a cell
cannot start a new cell where ``;`` is the separator), and numbers stay
numbers (``-0.5`` is written as ``-0.5``). In xlsx files the value is kept as
it is and the cell is marked *quote-prefixed*, what Excel itself does for a
typed ``'=...``.

The prefix is reversible: :func:`restore_cell` gives back the exact text
(a text that itself began with quotes before such a character gets one
more quote, so nothing is ambiguous). Parquet, JSON and DuckDB outputs are
never neutralised: they are not opened by spreadsheets and keep the text raw.

Examples
--------
>>> neutralise_cell('=HYPERLINK("http://x","y")')
'\\'=HYPERLINK("http://x","y")'
>>> neutralise_cell("-0.5"), neutralise_cell("plain"), neutralise_cell(-0.5)
('-0.5', 'plain', -0.5)
>>> restore_cell(neutralise_cell("'=1+1")) == "'=1+1"
True
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

# OWASP, "CSV Injection": cells beginning with these characters are interpreted as formulas.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TRIGGER = re.compile(r"'*[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def needs_prefix(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula (or it is ambiguous with a prefixed one).

    A plain number (``-0.5``, ``+3``) is not a formula and needs no prefix.

    >>> needs_prefix("@SUM(A1)"), needs_prefix("-1"), needs_prefix("- a bullet"), needs_prefix("a=b")
    (True, False, True, False)
    """
    return bool(_TRIGGER.match(text)) and not _NUMBER.fullmatch(text)


def is_formula(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula: it begins with ``= + - @``, tab or CR and is no number.

    >>> is_formula("=1+1"), is_formula("'=1+1"), is_formula("-0.5")
    (True, False, False)
    """
    return text.startswith(FORMULA_START) and needs_prefix(text)


def neutralise_cell(value):
    """``value`` with a single quote in front when it is text a spreadsheet would run; anything else unchanged."""
    return "'" + value if isinstance(value, str) and needs_prefix(value) else value


def restore_cell(value):
    """The inverse of :func:`neutralise_cell`: the text as it was before it was neutralised.

    >>> restore_cell("'@x"), restore_cell("'quoted"), restore_cell("''=x")
    ('@x', "'quoted", "'=x")
    """
    if isinstance(value, str) and value.startswith("'") and needs_prefix(value[1:]):
        return value[1:]
    return value


def _is_text_column(series: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)
                or pd.api.types.is_datetime64_any_dtype(series) or isinstance(series.dtype, pd.PeriodDtype))


def _map_text(df: pd.DataFrame, cell) -> pd.DataFrame:
    out = df.copy()
    for i in range(df.shape[1]):
        series = df.iloc[:, i]
        if _is_text_column(series):
            out.isetitem(i, series.astype(object).map(cell))
    out.columns = [cell(name) if isinstance(name, str) else name for name in df.columns]
    return out


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells and column names are neutralised; number columns are untouched.

    Parameters
    ----------
    df : DataFrame

    Returns
    -------
    DataFrame of the same shape; text columns become object columns.
    """
    return _map_text(df, neutralise_cell)


def restore_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The inverse of :func:`neutralise_frame` on a table read back from a neutralised CSV file."""
    return _map_text(df, restore_cell)


def write_csv(df: pd.DataFrame, path: str | Path, raw: bool = False) -> None:
    """Write ``df`` as a CSV file for spreadsheets: text cells neutralised (unless ``raw``) and quoted.

    Every text cell is quoted, also with ``raw``: a carriage return or a ``;`` inside a cell then stays
    inside it (pandas leaves a lone carriage return unquoted, and readers split the row there).

    Parameters
    ----------
    df : DataFrame
    path : str or Path
    raw : bool
        Write every cell's text unchanged (for R, Stata, pandas), as ``framing export --raw`` does.
    """
    (df if raw else neutralise_frame(df)).to_csv(path, index=False, quoting=csv.QUOTE_NONNUMERIC)


def read_csv(path: str | Path, **kwargs) -> pd.DataFrame:
    """Read a CSV file written by :func:`write_csv` back into the original text (the prefixes removed).

    ``kwargs`` go to :func:`pandas.read_csv`.
    """
    return restore_frame(pd.read_csv(path, **kwargs))
