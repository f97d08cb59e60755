"""``framing compare``: run one comparison on a written run folder and store its tables.

The tables of the new grouping replace that grouping's earlier rows (other
groupings stay), and the run's DuckDB file and run.json are brought up to
date, so ``framing report`` and SQL see the new rows.

Examples
--------
>>> out = compare_run("reports/seeds", "role")     # doctest: +SKIP
>>> sorted(out)                                    # doctest: +SKIP
['compare_audience', 'compare_divergence', 'compare_prevalence', 'compare_terms', 'compare_timing', 'compare_trend']
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from .. import store
from ..config import Config, _deep_merge, _format_validation_error, parse_override
from ..errors import ConfigError
from .run import compare_tables, merge_comparisons

log = logging.getLogger(__name__)


def run_config(meta: dict, overrides: Sequence[str] = ()) -> Config:
    """The run's own resolved config (from run.json), with ``--set`` overrides applied.

    A run.json whose config this version cannot read falls back to the defaults.
    """
    base = store.run_config(meta, "run.json", fallback=True)
    merged = base.model_dump(mode="json")
    for item in overrides:
        merged = _deep_merge(merged, parse_override(item))
        try:
            Config.model_validate(merged)
        except ValidationError as exc:
            raise ConfigError(_format_validation_error(exc, f"--set {item}")) from None
    return Config.model_validate(merged)


def compare_run(run_dir: str | Path, by: str, a: str | None = None, b: str | None = None,
                within: Sequence[str] | None = None, overrides: Sequence[str] = ()) -> dict[str, pd.DataFrame]:
    """Compute one grouping's comparison on a run folder and write it into the folder.

    Parameters
    ----------
    run_dir : str or Path
        A folder written by ``framing analyze``.
    by : str
        The grouping column.
    a, b : str, optional
        Two groups to compare with each other.
    within : sequence of str, optional
        Extra scopes of distinctive terms (``frame:ID``, ``topic:N``).
    overrides : sequence of str
        ``compare.key=value`` (and any other) config overrides.

    Returns
    -------
    dict of str to DataFrame
        Every ``compare_*`` table of the run after the update.
    """
    meta = store.read_run_json(run_dir)
    cfg = run_config(meta, overrides)
    tables = store.read_tables(run_dir)
    if within is not None and len(within) == 0:
        within = None
    new = compare_tables(tables, by, cfg.compare, cfg.seed, a, b, within=within, ngram_max=cfg.topics.ngram_max)
    old = {name: tables[name] for name in store.COMPARE_TABLES if name in tables}
    merged = merge_comparisons(old, new)
    tables.update(merged)
    store.write_tables(run_dir, merged)
    store.write_duckdb(run_dir, tables)
    store.claim_entries(meta, store.DUCKDB_FILE)
    meta["tables"] = store.table_records(tables)
    meta.setdefault("comparisons", [])
    meta["comparisons"] = [c for c in meta["comparisons"] if c.get("by") != by] + [
        {"by": by, "a": a, "b": b, "within": list(within or []), "created": store.utc_now()}]
    store.write_run_json(run_dir, meta)
    return merged
