"""The ``validate`` job: estimate each frame's precision and recall on a run from a coded sample.

It reads the run and the sample folder that ``framing sample`` wrote, estimates with
:mod:`framing.frames.validate` (the design-weighted estimators), writes the
``frame_validation`` table and its run.json record into the run, and rebuilds the report.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import store
from ..errors import InputError, RunStoreError
from ..frames.designs import DESIGN_COLUMNS
from ..frames.validate import COLUMNS, DESIGN_CSV, VALIDATION_TABLE, _sample_design, read_coded, validate_sample
from ..report.rebuild import rebuild_report
from ..spreadsheet import read_csv


def validate_run(run_dir: str | Path, coded_file: str | Path, sample_dir: str | Path | None = None,
                 rebuild: bool = True) -> pd.DataFrame:
    """Estimate each frame's precision and recall on ``run_dir`` from a coded sample; store and show them.

    The ``frame_validation`` table is written into the run (one row per frame and level; a new
    validation of the same level replaces the earlier one), run.json records it, and the report
    is rebuilt so that every frame shows its validated precision.

    Parameters
    ----------
    run_dir : str or Path
        The run that was sampled.
    coded_file : str or Path
        ``sample.csv`` with its ``frames`` column filled in, or a Label Studio JSON export.
    sample_dir : str or Path, optional
        The folder ``framing sample`` wrote (default: the coded file's folder).

    Returns
    -------
    DataFrame
        The new rows of ``frame_validation``.
    """
    run_dir, coded_file = Path(run_dir), Path(coded_file)
    folder = Path(sample_dir) if sample_dir else coded_file.parent
    design = _sample_design(folder)
    meta = store.read_run_json(run_dir)
    tables = store.read_tables(run_dir)
    if "frames" not in tables:
        raise RunStoreError(f"{run_dir} matched no frame catalog: there is nothing to validate.")
    unit = design.get("unit", "sentence")
    coded = read_coded(coded_file, unit, set(tables["frames"].frame_id.astype(str)))
    design_rows = sample = None
    if design.get("strategy", "frame") == "stratified":
        try:
            design_rows = pd.read_csv(folder / DESIGN_CSV, dtype={"item": str, "frame_id": str, "band": str})
        except FileNotFoundError:
            raise InputError(f"No {DESIGN_CSV} in {folder}: a stratified sample's draws are in it; give --sample, "
                             "the folder framing sample wrote.") from None
        missing = set(DESIGN_COLUMNS) - set(design_rows.columns)
        if missing:
            raise InputError(f"{folder / DESIGN_CSV} lacks the column(s) {', '.join(sorted(missing))}.")
    else:
        key = "sentence_id" if unit == "sentence" else "doc_id"
        sample = read_csv(folder / "sample.csv", dtype=str, keep_default_na=False)
        sample = sample.rename(columns={key: "item"})
    new = validate_sample(tables, coded, design, design_rows, sample)
    new = new.assign(coded_file=str(coded_file), validated_at=store.utc_now())[COLUMNS]
    old = tables.get(VALIDATION_TABLE)
    table = new if old is None else pd.concat([old[old.level != unit], new], ignore_index=True)
    tables[VALIDATION_TABLE] = table
    store.write_tables(run_dir, {VALIDATION_TABLE: table})
    store.write_duckdb(run_dir, tables)
    store.claim_entries(meta, store.DUCKDB_FILE)
    meta["tables"] = {**(meta.get("tables") or {}), **store.table_records({VALIDATION_TABLE: table})}
    meta["validation"] = [v for v in meta.get("validation", []) if v.get("level") != unit] + [
        {"level": unit, "design": design.get("strategy", "frame"), "coded_file": str(coded_file),
         "coded_items": int(len(coded)), "created": store.utc_now()}]
    store.write_run_json(run_dir, meta)
    if rebuild and (run_dir / store.REPORT_FILE).exists():
        rebuild_report(run_dir)
    return new


def validate(run_dir: str | Path, coded: str | Path, sample: str | Path | None = None) -> pd.DataFrame:
    """The Python API of ``framing validate``: see :func:`validate_run`.

    >>> table = framing.validate("reports/seeds", "reports/seeds/samples/stratified-sentence/sample.csv")  # doctest: +SKIP
    >>> table[["frame_id", "precision", "precision_low", "precision_high", "precision_n"]]  # doctest: +SKIP
    """
    return validate_run(run_dir, coded, sample)

