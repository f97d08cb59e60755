"""Tidy, long-format exports of a run: ``framing export RUN_DIR --format csv|jsonl|parquet|xlsx``.

Every table of the run becomes one flat table (one value per cell). A column
holding lists (``topics.keywords``, ``frames.evidence_ids`` ...) moves to a
table of its own, ``<table>__<column>``, one row per item: the parent
table's key columns, ``rank`` (the item's position, from 1) and the value
under the column's name. ``schema.json`` lists every exported table with its
columns and key, so R, Stata or a spreadsheet can join them.

The csv and xlsx exports are bound for spreadsheets: a text cell that a
spreadsheet would run as a formula (beginning with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) is neutralised as OWASP advises (see
:mod:`framing.spreadsheet`); ``raw=True`` (``--raw``) writes every cell as it
is. jsonl and parquet always keep the text raw.

Examples
--------
>>> import pandas as pd
>>> topics = pd.DataFrame({"topic": [0, 1], "label": ["oil", "bases"], "keywords": [["oil", "fields"], ["base"]]})
>>> tidy = tidy_tables({"topics": topics})
>>> list(tidy)
['topics', 'topics__keywords']
>>> tidy["topics__keywords"].values.tolist()
[[0, 1, 'oil'], [0, 2, 'fields'], [1, 1, 'base']]
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import warnings
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from .. import store
from ..errors import FramingError, InputWarning, RunStoreError
from ..spreadsheet import is_formula, write_csv

log = logging.getLogger(__name__)

FORMATS = ("csv", "jsonl", "parquet", "xlsx")

# The key of each table: the columns that together name one row. Also documented in docs/tables.md.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id",),
    "sentences": ("sentence_id",),
    "topics": ("topic",),
    "topic_prevalence": ("topic", "source", "role", "month"),  # runs written before compare_trend held it
    "frames": ("frame_id",),
    "sentence_frames": ("sentence_id", "frame_id"),
    "document_frames": ("doc_id", "frame_id"),
    "topic_frames": ("topic", "frame_id"),
    "document_topics": ("doc_id", "topic"),
    "frame_candidates": ("topic",),
    "topic_stability": ("topic",),
}
ROW_KEY = "row"  # added to tables without a known key (compare_* and newer tables) so list items can point back
XLSX_MAX_CELL = 32767  # Excel's limit on the characters of one cell
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class ExportWarning(InputWarning):
    """An export had to change a value (for example a cell too long for Excel)."""


def _is_list_column(series: pd.Series) -> bool:
    sample = series.dropna()
    return len(sample) > 0 and sample.map(lambda v: isinstance(v, (list, tuple, np.ndarray))).all()


def table_key(name: str, df: pd.DataFrame) -> tuple[str, ...]:
    """The key columns of a table: the known key when the table has it, else ``row``."""
    key = TABLE_KEYS.get(name, ())
    return key if key and set(key) <= set(df.columns) else (ROW_KEY,)


def tidy_tables(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Flat tables: list columns become ``<table>__<column>`` tables of (key..., rank, value)."""
    out: dict[str, pd.DataFrame] = {}
    for name, df in tables.items():
        key = table_key(name, df)
        base = df.reset_index(drop=True)
        if key == (ROW_KEY,):
            base = base.assign(**{ROW_KEY: np.arange(len(base))})[[ROW_KEY, *base.columns]]
        lists = [c for c in base.columns if c not in key and _is_list_column(base[c])]
        out[name] = base.drop(columns=lists)
        for col in lists:
            rows = [(*k, rank, item) for k, items in zip(base[list(key)].itertuples(index=False, name=None), base[col])
                    if isinstance(items, (list, tuple, np.ndarray)) for rank, item in enumerate(items, start=1)]
            out[f"{name}__{col}"] = pd.DataFrame(rows, columns=[*key, "rank", col])
    return out


def schema(tidy: Mapping[str, pd.DataFrame]) -> dict:
    """Tables, columns (with dtypes), keys and links of an export, for ``schema.json``."""
    out = {}
    for name, df in tidy.items():
        parent, _, col = name.partition("__")
        key = table_key(parent, tidy.get(parent, df)) if col else table_key(name, df)
        entry = {"rows": len(df), "columns": {c: str(t) for c, t in df.dtypes.items()},
                 "key": [*key, "rank"] if col else list(key)}
        if col:
            entry["parent"] = {"table": parent, "on": list(key)}
        out[name] = entry
    return out


def _xlsx_value(value):
    """A value openpyxl can write: missing values (None, NaN, pd.NA, NaT) become empty cells."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).isoformat()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:  # Excel has no time zones
        return value.isoformat()
    if not isinstance(value, (str, bool, int, float, dt.date, dt.time, dt.timedelta)):
        value = str(value)  # Decimal, bytes, objects of a kept record field: their text
    if isinstance(value, str):
        value = _XLSX_ILLEGAL.sub("", value)
        if len(value) > XLSX_MAX_CELL:
            warnings.warn(f"A cell of {len(value)} characters was cut to Excel's {XLSX_MAX_CELL}; "
                          "the csv, jsonl and parquet exports keep it whole.", ExportWarning, stacklevel=3)
            value = value[:XLSX_MAX_CELL]
    return value


def _write_xlsx(tidy: Mapping[str, pd.DataFrame], path: Path, raw: bool = False) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    used: set[str] = set()
    index = wb.create_sheet("tables")
    index.append(["sheet", "table", "rows", "key"])
    sheets = []
    for name, df in tidy.items():
        sheet = _sheet_name(name, used)
        sheets.append((sheet, name, len(df), ", ".join(table_key(name.partition("__")[0], df))))
        ws = wb.create_sheet(sheet)
        ws.append([_xlsx_cell(ws, column, raw) for column in df.columns])
        for row in df.itertuples(index=False, name=None):
            ws.append([_xlsx_cell(ws, value, raw) for value in row])
    for item in sheets:
        index.append(list(item))
    wb.save(path)


def _xlsx_cell(ws, value, raw: bool):
    from openpyxl.cell import WriteOnlyCell  # imported once, then a dictionary look-up

    cell = WriteOnlyCell(ws, value=_xlsx_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # corpus text starting with '=' stays text, never a formula
        if not raw and is_formula(cell.value):
            cell.quotePrefix = True  # what Excel stores for a typed '=...: it stays text when the cell is edited
    return cell


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, unique."""
    base = name[:31]
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base[:28]}~{n}"
    used.add(candidate)
    return candidate


def export_run(run_dir: str | Path, fmt: str = "csv", out: str | Path | None = None,
               tables: list[str] | None = None, raw: bool = False) -> Path:
    """Write the run's tables in tidy long format; returns the folder (or the .xlsx file).

    Parameters
    ----------
    run_dir : str or Path
        A run folder.
    fmt : {"csv", "jsonl", "parquet", "xlsx"}
        csv, jsonl and parquet write one file per table plus ``schema.json``; xlsx writes
        ``tables.xlsx`` with one sheet per table and an index sheet.
    out : str or Path, optional
        The folder to write; default ``RUN/export/<fmt>/``.
    tables : list of str, optional
        Only these tables (and their list tables).
    raw : bool
        csv and xlsx: write text cells unchanged. By default a text cell a spreadsheet would run as a
        formula (``=``, ``+``, ``-``, ``@``, tab, carriage return first) gets a ``'`` in front in csv
        (every text cell quoted) and is marked quote-prefixed in xlsx. jsonl and parquet are always raw.

    Returns
    -------
    Path
    """
    if fmt not in FORMATS:
        raise FramingError(f"Unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    run_dir = Path(run_dir)
    store.read_run_json(run_dir)  # a clear error when this is not a run folder
    tidy = tidy_tables(store.read_tables(run_dir, tables))
    if out:
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RunStoreError(f"Cannot create {folder}: {exc.strerror}. Choose another --out.") from exc
    else:
        folder = store.own_subfolder(run_dir, store.EXPORT_DIR, fmt)
    # every file is written new (a link at its name is replaced, never written through), and none replaces a
    # file framing did not write there (a file of yours in the --out folder)
    files = {}
    if fmt == "xlsx":
        files["tables.xlsx"] = lambda tmp: _write_xlsx(tidy, tmp, raw)
    for name, df in tidy.items():
        if fmt == "csv":
            files[f"{name}.csv"] = lambda tmp, df=df: write_csv(df, tmp, raw=raw)
        elif fmt == "jsonl":
            files[f"{name}.jsonl"] = lambda tmp, df=df: df.to_json(
                tmp, orient="records", lines=True, force_ascii=False, date_format="iso")
        elif fmt == "parquet":
            files[f"{name}.parquet"] = lambda tmp, df=df: df.to_parquet(tmp, index=False)
    text = json.dumps(schema(tidy), indent=2)
    files["schema.json"] = lambda tmp: tmp.write_text(text, encoding="utf-8")
    store.write_owned_files(folder, files)
    log.info("exported %d tables to %s", len(tidy), folder)
    return folder
