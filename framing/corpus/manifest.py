"""Manifests: metadata for the files of a folder, keyed by file name.

A manifest is a ``.csv``, ``.jsonl`` or ``.yaml``/``.yml`` file with one
entry per document file. The column ``file`` names the file relative to the
folder (``outlet/story.txt``); the other columns are ``Page.meta`` keys
(``source``, ``title``, ``date``, ``date_source``, ``url``, ``language``,
``author``, ``parent``, ``role``, ``notes``, ``id``). A YAML manifest is a
list of such mappings, or a mapping from file name to its metadata.

Example ``manifest.csv``::

    file,source,date,title
    rt/story1.txt,rt,2021-05-03,Rockets hit base
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Sequence

import yaml

from ..errors import InputError, InputWarning
from .encoding import decode_bytes
from .model import EXTRA_KEY, META_KEYS
from .read_meta import extra_fields

MANIFEST_NAMES = tuple(f"manifest.{ext}" for ext in ("csv", "jsonl", "yaml", "yml"))
MANIFEST_SUFFIXES = (".csv", ".jsonl", ".yaml", ".yml")


@dataclass(frozen=True)
class Manifest:
    """The rows of one manifest file.

    Attributes
    ----------
    path : Path
        The manifest file.
    rows : dict
        Normalised file key (posix, no leading ``./``) -> (row label, raw meta dict).
    """

    path: Path
    rows: dict = field(default_factory=dict)
    sha256: str = ""

    def lookup(self, rel: str, unique_names: frozenset | set = frozenset()) -> tuple[str, dict] | None:
        """The (key, raw meta) row for a file path relative to the folder, or None.

        An exact path match wins; a bare file name in the manifest also matches
        a file of that name in a sub-folder when ``unique_names`` says no other
        file in the folder has that name.
        """
        if rel in self.rows:
            return rel, self.rows[rel][1]
        name = PurePosixPath(rel).name
        if name in self.rows and name in unique_names:
            return name, self.rows[name][1]
        return None


def find_manifest(folder: Path) -> Path | None:
    """``manifest.csv|jsonl|yaml|yml`` directly inside ``folder``, if any; a symbolic link is not followed."""
    for name in MANIFEST_NAMES:
        candidate = folder / name
        if candidate.is_file() and not candidate.is_symlink():
            return candidate
    return None


def _normal_key(value: object) -> str:
    key = str(value).strip().replace("\\", "/")
    while key.startswith("./"):
        key = key[2:]
    return key


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV file, judged from its header line: , ; tab or |."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_rows(text: str) -> tuple[list[str], list[tuple[str, dict]]]:
    reader = csv.DictReader(io.StringIO(text), delimiter=sniff_delimiter(text))
    columns = [c.strip() for c in reader.fieldnames or []]
    reader.fieldnames = columns
    # "row 2 (line 3)": the data row, and the line of the file it ends on (the header is line 1)
    return columns, [(f"row {i} (line {reader.line_num})", dict(row)) for i, row in enumerate(reader, start=1)]


def _jsonl_rows(text: str, path: Path) -> tuple[list[str], list[tuple[str, dict]]]:
    rows, columns = [], {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"Manifest {path} line {number} is not valid JSON ({exc.msg}). Fix or remove that line.") from None
        except RecursionError:
            raise InputError(f"Manifest {path} line {number} is nested too deeply for the JSON reader (more than "
                             "about 1,000 levels of [ and {). A manifest row is a flat object: fix or remove that line.") from None
        if not isinstance(row, dict):
            raise InputError(f"Manifest {path} line {number} must be a JSON object with a 'file' key.")
        columns.update(dict.fromkeys(row))
        rows.append((f"line {number}", row))
    return list(columns), rows


def _yaml_rows(text: str, path: Path) -> tuple[list[str], list[tuple[str, dict]]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"Manifest {path} is not valid YAML: {exc}") from None
    except RecursionError:
        line = next((i for i, row in enumerate(text.split("\n"), start=1) if row.count("[") + row.count("{") > 100), None)
        where = f" (line {line})" if line else ""
        raise InputError(f"Manifest {path} is nested too deeply for the YAML reader{where}. A manifest is a list of "
                         "flat mappings: fix or remove that entry.") from None
    if isinstance(data, dict):
        items = [dict(v or {}, file=k) if isinstance(v, dict) or v is None else None for k, v in data.items()]
    elif isinstance(data, list):
        items = data
    else:
        items = None
    if items is None or not all(isinstance(i, dict) for i in items):
        raise InputError(
            f"Manifest {path} must be a list of mappings with a 'file' key, or a mapping from file name to metadata."
        )
    columns: dict = {}
    for item in items:
        columns.update(dict.fromkeys(item))
    return list(columns), [(f"entry {i}", item) for i, item in enumerate(items, start=1)]


def read_manifest(path: str | Path, candidates: list[str] | None = None, keep: Sequence[str] = ()) -> Manifest:
    """Read a manifest file.

    Parameters
    ----------
    path : str or Path
        A ``.csv``, ``.jsonl``, ``.yaml`` or ``.yml`` file with a ``file`` column.
    candidates : list of str, optional
        Encodings to try after UTF-8 (``corpus.encodings``).
    keep : sequence of str
        Columns to keep even when they hold long text (``corpus.fields.keep``); other
        columns beyond the known ones are kept in ``meta["extra"]`` when short.

    Returns
    -------
    Manifest

    Raises
    ------
    InputError
        If the file is missing, unreadable, of another type, or has no ``file`` column.

    Examples
    --------
    >>> m = read_manifest("seeds/manifest.csv")  # doctest: +SKIP
    >>> m.lookup("000_46cea0a91dc4749c.txt")  # doctest: +SKIP
    """
    import hashlib

    path = Path(path)
    if path.suffix.lower() not in MANIFEST_SUFFIXES:
        raise InputError(f"Manifest {path} must be a .csv, .jsonl, .yaml or .yml file.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read manifest {path}: {exc.strerror}. Check corpus.manifest.") from None
    text, _ = decode_bytes(data, candidates or ["cp1252", "latin-1"])
    if "\x00" in text:
        lines = [str(i) for i, row in enumerate(text.split("\n"), start=1) if "\x00" in row]
        warnings.warn(f"Manifest {path}: NUL characters on line(s) {', '.join(lines[:5])} were removed; a NUL does "
                      "not occur in text, so check how the file was exported.", InputWarning, stacklevel=2)
        text = text.replace("\x00", "")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        columns, rows = _csv_rows(text)
    elif suffix == ".jsonl":
        columns, rows = _jsonl_rows(text, path)
    else:
        columns, rows = _yaml_rows(text, path)
    if "file" not in columns:
        raise InputError(
            f"Manifest {path} has no 'file' column (columns: {', '.join(map(str, columns)) or 'none'}). "
            "Add a 'file' column naming each document relative to the folder, e.g. outlet/story.txt."
        )
    # Other columns (an outlet's bias rating, say) go to the documents' meta column: any can be a group.
    keyed: dict = {}
    problems = []
    for label, row in rows:
        key = _normal_key(row.get("file") or "")
        if not key:
            problems.append(f"{label} has no file name and is ignored")
            continue
        if key in keyed:
            problems.append(f"{label} repeats file {key!r} of {keyed[key][0]}; the later row is used")
        meta = {k: v for k, v in row.items() if k in META_KEYS}
        meta[EXTRA_KEY] = extra_fields(row, {*META_KEYS, "file"}, keep)
        keyed[key] = (label, meta)
    if problems:
        warnings.warn(f"Manifest {path}: {'; '.join(problems)}.", InputWarning, stacklevel=2)
    return Manifest(path=path, rows=keyed, sha256=hashlib.sha256(data).hexdigest())
