"""The run store's public names: where a run's files are and how they are read and written.

The implementations live in :mod:`framing.runfolder` (``layout``: every file name;
``meta``: run.json as a versioned :class:`~framing.runfolder.meta.RunMeta`; ``io``: tables,
run.json, DuckDB; ``target`` and ``commit``: where a run may be written and the all-or-nothing
write). Modules that read or write runs use these names, so the layout stays in one place; the
examples are in :mod:`framing.runfolder.io`.
"""

from __future__ import annotations

from .runfolder.io import (_atomic_target, claim_entries, make_ordinary, own_subfolder, read_meta,
                           read_meta_dict as read_run_json, read_tables, run_config, staged_run, table_records,
                           write_duckdb, write_meta as write_run_json, write_new_file, write_owned_files,
                           write_tables)
from .runfolder.layout import (COMPARE_AUDIENCE, COMPARE_DIVERGENCE, COMPARE_PREVALENCE, COMPARE_TABLES,
                               COMPARE_TERMS, COMPARE_TIMING, COMPARE_TREND, COMPARE_VOICE, DATAFRAME_INPUT,
                               DUCKDB_FILE, EXPORT_DIR, FRAME_VALIDATION, INPUTS_DIR, REPORT_FILE, REUSE,
                               REUSE_SOURCES, RUN_ENTRIES, RUN_JSON, SAMPLES_DIR, TABLES_DIR, TOPIC_MODEL_DIR,
                               TOPIC_STABILITY, table_file, table_path)
from .runfolder.meta import RunMeta, package_versions, utc_now
from .runfolder.target import allow_replacing, check_run_target

__all__ = [
    "COMPARE_AUDIENCE", "COMPARE_DIVERGENCE", "COMPARE_PREVALENCE", "COMPARE_TABLES", "COMPARE_TERMS",
    "COMPARE_TIMING", "COMPARE_TREND", "COMPARE_VOICE", "DATAFRAME_INPUT", "DUCKDB_FILE", "EXPORT_DIR",
    "FRAME_VALIDATION", "INPUTS_DIR", "REPORT_FILE", "REUSE", "REUSE_SOURCES", "RUN_ENTRIES", "RUN_JSON",
    "SAMPLES_DIR", "TABLES_DIR", "TOPIC_MODEL_DIR", "TOPIC_STABILITY", "RunMeta", "_atomic_target",
    "allow_replacing", "check_run_target", "claim_entries", "make_ordinary", "own_subfolder", "package_versions",
    "read_meta", "read_run_json", "read_tables", "run_config", "staged_run", "table_file", "table_path",
    "table_records", "utc_now", "write_duckdb", "write_new_file", "write_owned_files", "write_run_json", "write_tables",
]
