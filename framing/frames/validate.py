"""``framing validate RUN --coded FILE``: each frame's precision and recall on the run, estimated from coded samples.

A coder codes a sample drawn by ``framing sample`` (its ``sample.csv`` with
the ``frames`` column filled in, or Label Studio's JSON export of the
project). The sample's design tells how each item was drawn, so the coded
items stand for the whole run: every coded item gets the inverse of its
chance of being drawn (Horvitz-Thompson weights; within a band or cell,
items left uncoded are taken as missing at random and the weight is the
band's size over the items coded in it), and per frame

- precision = weighted share of the items the run matched that the coder
  gave the frame,
- recall = weighted share of the items the coder gave the frame that the run
  matched,

each with a 95% Wilson interval on Kish's effective sample size
(``(sum w)^2 / sum w^2``; Kish 1965), which stays inside [0, 1] and is
honest about small, unevenly weighted samples. ``precision_n`` and
``recall_n`` count the coded items behind each figure.

Designs: ``--strategy stratified`` (score bands per frame: the right one
for validation), ``frame`` (the default sample: strata of frame and source;
its weights are exact for items that only one frame matched) and
``uncertain`` (refused: not a probability sample).

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"weight": [1.0, 1.0, 3.0, 3.0], "predicted": [True, True, False, False],
...                      "coded": [True, False, True, False]})
>>> est = estimate(rows)
>>> est["precision"], est["recall"], est["precision_n"], est["recall_n"]
(0.5, 0.25, 2, 2)
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .. import store
from ..stats import wilson_interval
from ..errors import InputError
from ..spreadsheet import read_csv
from .labelled import NO_FRAME

DESIGN_CSV = "design.csv"
VALIDATION_TABLE = store.FRAME_VALIDATION
COLUMNS = ["frame_id", "level", "design", "coded_items", "precision", "precision_low", "precision_high",
           "precision_n", "recall", "recall_low", "recall_high", "recall_n", "coded_file", "validated_at"]


def _kish(w: np.ndarray) -> float:
    return float(w.sum() ** 2 / (w ** 2).sum()) if len(w) and (w ** 2).sum() > 0 else 0.0


def _ratio(w: np.ndarray, hit: np.ndarray) -> tuple[float, float, float]:
    """Weighted share of ``hit`` with its Wilson interval on the effective sample size."""
    if not len(w) or w.sum() <= 0:
        return np.nan, np.nan, np.nan
    p = float((w * hit).sum() / w.sum())
    n_eff = _kish(w)
    low, high = wilson_interval(np.array([p * n_eff]), np.array([n_eff]))
    return p, float(low[0]), float(high[0])


def estimate(rows: pd.DataFrame) -> dict:
    """Precision and recall of one frame from coded rows with ``weight``, ``predicted``, ``coded`` (bools).

    Returns
    -------
    dict with precision, precision_low, precision_high, precision_n, recall, recall_low, recall_high, recall_n
    """
    w = rows.weight.to_numpy(float)
    pred = rows.predicted.to_numpy(bool)
    coded = rows.coded.to_numpy(bool)
    p, p_lo, p_hi = _ratio(w[pred], coded[pred])
    r, r_lo, r_hi = _ratio(w[coded], pred[coded])
    return {"precision": p, "precision_low": p_lo, "precision_high": p_hi, "precision_n": int(pred.sum()),
            "recall": r, "recall_low": r_lo, "recall_high": r_hi, "recall_n": int(coded.sum())}


def _split_codes(value, frame_ids: set[str], where: str) -> list[str] | None:
    """The frame ids of one coded cell: None when not coded (empty), [] for ``none``."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (list, tuple, np.ndarray)):
        parts = [str(v).strip() for v in value]
    else:
        parts = [p.strip() for p in str(value).replace(",", ";").split(";")]
    parts = [p for p in parts if p]
    if not parts:
        return None
    if [p.lower() for p in parts] == [NO_FRAME]:
        return []
    unknown = sorted(set(parts) - frame_ids)
    if unknown:
        raise InputError(f"{where}: unknown frame id(s) {', '.join(unknown)}; the run's frames are "
                         f"{', '.join(sorted(frame_ids))} (or 'none' for no frame).")
    return parts


def read_coded(path: str | Path, unit: str, frame_ids: set[str]) -> pd.DataFrame:
    """The coded items of a sample: one row per coded item with ``item`` and ``codes`` (list of frame ids).

    ``path`` is the sample's CSV with the ``frames`` column filled in (ids separated by ``;``,
    ``none`` for no frame, empty for not coded yet) or a Label Studio JSON export.
    """
    path = Path(path)
    key = "sentence_id" if unit == "sentence" else "doc_id"
    if not path.is_file():
        raise InputError(f"The coded file {path} does not exist. Give the sample.csv you filled in "
                         "or Label Studio's JSON export.")
    if path.suffix.lower() == ".json":
        from ..labels import read_label_studio

        table = read_label_studio(path)
        if key not in table:
            raise InputError(f"{path}: its tasks have no {key}; it is not an export of a {unit} sample.")
        items, cells = table[key].astype(str), table["frames"]
        where = [f"{path}, task {i + 1}" for i in range(len(table))]
    else:
        table = read_csv(path, dtype=str, keep_default_na=False)  # a spreadsheet's ' before = + - @ taken off
        for column in (key, "frames"):
            if column not in table:
                raise InputError(f"{path} has no '{column}' column: give the sample.csv that framing sample wrote "
                                 f"for a {unit} sample, with the 'frames' column filled in.")
        items, cells = table[key], table["frames"]
        where = [f"{path}, line {i + 2}, field 'frames'" for i in range(len(table))]
    rows = []
    for item, cell, loc in zip(items, cells, where):
        codes = _split_codes(cell, frame_ids, loc)
        if codes is not None:
            rows.append({"item": str(item), "codes": codes})
    out = pd.DataFrame(rows, columns=["item", "codes"])
    if not len(out):
        raise InputError(f"{path} holds no coded item yet: fill in the 'frames' column (frame ids separated by ';', "
                         "or 'none').")
    return out.drop_duplicates("item", keep="last")


def _sample_design(folder: Path) -> dict:
    try:
        return json.loads((folder / "sample.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"No sample.json in {folder}: give --sample, the folder framing sample wrote.") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{folder / 'sample.json'} is not valid JSON (line {exc.lineno}).") from None


def _predicted(tables: dict, unit: str) -> set[tuple[str, str]]:
    if unit == "sentence":
        sf = tables.get("sentence_frames")
        m = sf[sf.matched.astype(bool)] if sf is not None else None
        return set() if m is None else set(zip(m.sentence_id.astype(str), m.frame_id.astype(str)))
    df = tables.get("document_frames")
    m = df[df.matched.astype(bool)] if df is not None else None
    return set() if m is None else set(zip(m.doc_id.astype(str), m.frame_id.astype(str)))


def _rows_for(frame_id: str, draws: pd.DataFrame, coded: pd.DataFrame, predicted: set) -> pd.DataFrame:
    """Coded draws of one frame with weights re-based on the items coded in each band or cell."""
    rows = draws.merge(coded, on="item", how="inner")
    if not len(rows):
        return rows.assign(weight=pd.Series(dtype=float), predicted=pd.Series(dtype=bool),
                           coded=pd.Series(dtype=bool))
    coded_in = rows.groupby("cell").item.transform("size")
    return rows.assign(weight=rows.cell_size / coded_in,
                       predicted=[(i, frame_id) in predicted for i in rows.item],
                       coded=[frame_id in c for c in rows.codes])


def validate_sample(tables: dict, coded: pd.DataFrame, design: dict, design_rows: pd.DataFrame | None,
                    sample: pd.DataFrame | None) -> pd.DataFrame:
    """One row per frame of the run: precision and recall with intervals (see the module docstring)."""
    unit, strategy = design.get("unit", "sentence"), design.get("strategy", "frame")
    if strategy == "uncertain":
        raise InputError("An uncertainty sample (--strategy uncertain) is not a probability sample: its codes train "
                         "(framing frames train --labels FILE) but cannot estimate precision. Draw one with "
                         "framing sample RUN --strategy stratified to validate.")
    predicted = _predicted(tables, unit)
    frames = sorted(tables["frames"].frame_id.astype(str)) if "frames" in tables else sorted({f for _, f in predicted})
    out = []
    for fid in frames:
        if strategy == "stratified":
            draws = design_rows[design_rows.frame_id == fid]
            draws = pd.DataFrame({"item": draws.item.astype(str), "cell": draws.band, "cell_size": draws.band_size})
        else:
            draws = pd.DataFrame({"item": sample.item.astype(str),
                                  "cell": sample.stratum.astype(str) + "\x1f" + sample.source.astype(str),
                                  "cell_size": sample.cell_size.astype(float)})
        rows = _rows_for(fid, draws, coded, predicted)
        est = estimate(rows)
        out.append({"frame_id": fid, "level": unit, "design": strategy, "coded_items": int(len(rows)), **est})
    return pd.DataFrame(out)


def validation_text(row: dict | None, unit_word: str = "coded") -> str:
    """``0.62 [0.48, 0.75], 40 coded sentences`` or ``not validated``.

    >>> validation_text({"precision": 0.62, "precision_low": 0.48, "precision_high": 0.75, "precision_n": 40,
    ...                  "level": "sentence"})
    '0.62 [0.48, 0.75], 40 coded sentences'
    >>> validation_text(None)
    'not validated'
    """
    if not row or row.get("precision") is None or pd.isna(row.get("precision")):
        return "not validated" if not row else f"not estimated: none of its {row.get('coded_items', 0)} coded items did the run match"
    noun = "sentences" if row.get("level") == "sentence" else "documents"
    return (f"{row['precision']:.2f} [{row['precision_low']:.2f}, {row['precision_high']:.2f}], "
            f"{int(row['precision_n'])} coded {noun}")
