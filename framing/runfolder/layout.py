"""Every file name of a run folder, in one place.

A run is a folder::

    RUN/
      run.json            the run's record (:class:`framing.runfolder.meta.RunMeta`): the marker
                          "framing_run" (schema version, the entries framing wrote), inputs with sha256,
                          counts, skipped items, resolved config, versions, each stage's record, tables, warnings
      tables/NAME.parquet one file per table (documents, sentences, topics, ...)
      framing.duckdb      every table, for SQL (written by ``framing analyze``)
      report.html         the report
      topic_model/        the fitted BERTopic model (safetensors) and its embedder identity
      inputs/             a copy of in-memory inputs (a DataFrame given to ``framing.analyze``)

Nothing else in the package spells these names: a new table's name goes here too.

Examples
--------
>>> table_file("topics")
'tables/topics.parquet'
>>> table_path("reports/seeds", "topics").as_posix()
'reports/seeds/tables/topics.parquet'
"""

from __future__ import annotations

from pathlib import Path

TABLES_DIR = "tables"
TABLE_SUFFIX = ".parquet"
RUN_JSON = "run.json"
DUCKDB_FILE = "framing.duckdb"
REPORT_FILE = "report.html"
INPUTS_DIR = "inputs"  # a copy of in-memory inputs (a DataFrame given to framing.analyze)
DATAFRAME_INPUT = "records.parquet"  # that DataFrame's records, in INPUTS_DIR
EXPORT_DIR = "export"  # default folder of `framing export`
SAMPLES_DIR = "samples"  # default folder of `framing sample` (one sub-folder per design)
TOPIC_MODEL_DIR = "topic_model"  # the fitted BERTopic model (safetensors) and its embedder identity

# The comparison tables (framing.compare); every one has a `by` column naming its grouping.
COMPARE_PREVALENCE = "compare_prevalence"
COMPARE_TERMS = "compare_terms"
COMPARE_DIVERGENCE = "compare_divergence"
COMPARE_TIMING = "compare_timing"
COMPARE_TREND = "compare_trend"
COMPARE_AUDIENCE = "compare_audience"
COMPARE_VOICE = "compare_voice"  # frames by who is speaking (framing.compare.voice)
FRAME_VALIDATION = "frame_validation"  # framing validate: each frame's precision and recall from coded samples
REUSE = "reuse"  # reprinted passages and documents (framing.compare.reuse)
REUSE_SOURCES = "reuse_sources"  # per pair of sources, what the second reprinted of the first
CORPUS_COUNTS = "corpus_counts"  # documents and sentences per source, role, month, ... (framing.compare.counts)
TOPIC_STABILITY = "topic_stability"  # framing stability: each topic's share of refits that find it again
COMPARE_TABLES = (COMPARE_PREVALENCE, COMPARE_TERMS, COMPARE_DIVERGENCE, COMPARE_TIMING, COMPARE_TREND,
                  COMPARE_AUDIENCE, COMPARE_VOICE)

# What a run writes at the top of its folder; anything else there is the user's and is left alone
# (framing.runfolder.target: where a run may be written; framing.runfolder.commit: replacing only these).
RUN_ENTRIES = (TABLES_DIR, RUN_JSON, DUCKDB_FILE, REPORT_FILE, TOPIC_MODEL_DIR, INPUTS_DIR)


def table_file(name: str) -> str:
    """A table's path inside the run, with ``/`` separators: ``tables/NAME.parquet``."""
    return f"{TABLES_DIR}/{name}{TABLE_SUFFIX}"


def table_path(run_dir: str | Path, name: str) -> Path:
    """A table's file in the run folder ``run_dir``."""
    return Path(run_dir) / TABLES_DIR / f"{name}{TABLE_SUFFIX}"


def table_name(file_name: str) -> str | None:
    """The table a file of ``tables/`` holds (``topics.parquet`` -> ``topics``), None for another file."""
    return file_name[: -len(TABLE_SUFFIX)] if file_name.endswith(TABLE_SUFFIX) else None
