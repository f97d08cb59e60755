"""Multi-record files (.jsonl, .json, .csv, .parquet): one Page per record.

The field mapping (``corpus.fields``) says which field holds the text and
the metadata. A field name may be dotted (``meta.title``) to reach into
nested objects. The text field may hold a string, a list of strings
(paragraphs, joined with a blank line) or a list of lists of strings
(paragraphs of sentences, as in BASIL: sentences joined with a space,
paragraphs with a blank line).
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import CorpusConfig, FieldMapping
from ..errors import FieldMappingError, InputError, InputWarning
from ..suggest import did_you_mean
from .encoding import CHAOS_WARN, chaos, decode_bytes, legacy_decoded, non_text_reason, normalize_text
from .manifest import sniff_delimiter
from .model import EXTRA_KEY, Page, Skipped, stable_id
from .read_meta import build_meta, extra_fields

RECORD_FORMATS = {".jsonl": "jsonl", ".json": "json", ".csv": "csv", ".parquet": "parquet"}
_MISSING = object()
DEEP_JSON = 500
"""Nesting depth named in the error for a .json file too deeply nested to parse (the reader stops near 1,000)."""
TOO_DEEP = ("nested too deeply for the JSON reader (more than about 1,000 levels of [ and {); "
            "flatten the record or remove it")


@dataclass(frozen=True)
class RawRecords:
    """Records of one file before mapping: (label, record or None, error).

    ``lines`` gives a CSV row's line(s) in the file (``row 3`` -> ``line 4``); ``nul`` says whether
    the file may hold NUL characters in its values.
    """

    items: list[tuple[str, dict | None, str | None]]
    encoding: str
    lines: dict = field(default_factory=dict)
    nul: bool = True


def _load_jsonl(text: str) -> list[tuple[str, dict | None, str | None]]:
    items = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        label = f"line {number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            items.append((label, None, f"invalid JSON ({exc.msg} at column {exc.colno})"))
            continue
        except RecursionError:
            items.append((label, None, TOO_DEEP))
            continue
        if isinstance(value, dict):
            items.append((label, value, None))
        else:
            items.append((label, None, f"a JSON {type(value).__name__}, not an object"))
    return items


def _load_json(text: str, path: Path, text_field: str) -> list[tuple[str, dict | None, str | None]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}). "
            "A .json input must hold a list of records; use .jsonl for one record per line."
        ) from None
    except RecursionError:
        raise InputError(
            f"{path} is nested too deeply to read: more than {DEEP_JSON} levels of [ and {{ from line "
            f"{deep_line(text, DEEP_JSON)} on (the JSON reader stops near 1,000). A .json input must hold a list "
            "of records; flatten that record or remove it."
        ) from None
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if _lookup(data, text_field) is not _MISSING or len(lists) != 1:
            data = [data]
        else:
            data = lists[0]
    if not isinstance(data, list):
        raise InputError(f"{path} must hold a JSON list of records (objects), got a {type(data).__name__}.")
    return [
        (f"record {i}", rec, None) if isinstance(rec, dict) else (f"record {i}", None, "not a JSON object")
        for i, rec in enumerate(data, start=1)
    ]


_JSON_TOKEN = re.compile(r'[\[\]{}\n]|"(?:[^"\\\n]|\\.)*"')


def deep_line(text: str, limit: int) -> int:
    """The line (from 1) where the nesting of ``[`` and ``{`` in JSON ``text`` first exceeds ``limit``; 0 if never.

    Brackets inside strings do not count.

    >>> deep_line('{"a": "[[[["}\\n[[[1]]]', 2)
    2
    """
    depth, line = 0, 1
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token == "\n":
            line += 1
        elif token in "[{":
            depth += 1
            if depth > limit:
                return line
        elif token in "]}":
            depth -= 1
    return 0


def _load_csv(text: str, lines_of: dict | None = None) -> list[tuple[str, dict | None, str | None]]:
    """Rows as records, labelled ``row N`` (blank lines not counted).

    Quoting is read strictly, so an unbalanced quote does not silently swallow
    the rows after it: the lines it spans are one skipped item naming them,
    and reading resumes after them. A row with more fields than the header is
    skipped (its values would land in the wrong columns).
    """
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    items: list[tuple[str, dict | None, str | None]] = []
    first_line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            items.append((f"row {len(items) + 1}", None, f"malformed CSV quoting in lines {first_line}-{reader.line_num} "
                          f"({exc}); the rows in these lines are skipped. Check the quotes there."))
            first_line = reader.line_num + 1
            continue
        lines = f"line {first_line}" if first_line == reader.line_num else f"lines {first_line}-{reader.line_num}"
        first_line = reader.line_num + 1
        if header is None:
            header = [c.strip() for c in row]
            continue
        if not row:
            continue
        label = f"row {len(items) + 1}"
        if lines_of is not None:
            lines_of[label] = lines
        if len(row) > len(header):
            items.append((label, None, f"{len(row)} fields but the header has {len(header)} ({lines}); "
                          f"quote values that contain {delimiter!r}"))
            continue
        items.append((label, dict(zip(header, [*row, *[None] * (len(header) - len(row))])), None))
    return items


def _load_parquet(path: Path) -> list[tuple[str, dict | None, str | None]]:
    import pyarrow.parquet as pq

    try:
        rows = pq.read_table(path).to_pylist()
    except Exception as exc:  # pyarrow raises several error types for a broken file
        raise InputError(f"Cannot read {path} as Parquet: {exc}") from None
    return [(f"row {i}", row, None) for i, row in enumerate(rows, start=1)]


def load_records(path: Path, data: bytes, cfg: CorpusConfig) -> RawRecords:
    """Parse a record file's bytes into labelled records."""
    fmt = RECORD_FORMATS[path.suffix.lower()]
    if fmt == "parquet":
        return RawRecords(_load_parquet(path), "utf-8")
    text, encoding = decode_bytes(data, cfg.encodings)
    if legacy_decoded(encoding) and (measure := chaos(text)) >= CHAOS_WARN:
        warnings.warn(f"{path} was decoded as {encoding}, but its text reads as garbled (chaos {measure:.2f}; clean "
                      "text stays below 0.05): if it is text in another encoding, add that encoding to "
                      "corpus.encodings (cp1250, cp1251 ...) or save the file as UTF-8.", InputWarning, stacklevel=3)
    lines: dict = {}
    if fmt == "jsonl":
        items = _load_jsonl(text)
        if items and all(rec is None for _, rec, _ in items):
            raise InputError(f"{path}: no line is a JSON object (line {items[0][0].split()[-1]}: {items[0][2]}). Is it JSON Lines?")
    elif fmt == "json":
        items = _load_json(text, path, cfg.fields.text)
    else:
        items = _load_csv(text, lines)
    # A NUL is a raw byte in CSV and the escape \u0000 in JSON; without either no value holds one.
    return RawRecords(items, encoding, lines, nul="\x00" in text or "\\u0000" in text.lower())


def _lookup(record: dict, name: str) -> Any:
    if name in record:
        return record[name]
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def join_text(value: Any) -> str | None:
    """A text field's value as one string; None if it holds no text.

    >>> join_text([["One.", "Two."], ["Three."]])
    'One. Two.\\n\\nThree.'
    """
    if isinstance(value, str):
        return value
    if not isinstance(value, (list, tuple)):
        return None
    paragraphs = []
    for item in value:
        if isinstance(item, str):
            paragraphs.append(item.strip())
        elif isinstance(item, (list, tuple)) and all(isinstance(s, str) for s in item):
            paragraphs.append(" ".join(s.strip() for s in item if s.strip()))
        elif item is not None:
            return None
    return "\n\n".join(p for p in paragraphs if p)


def remove_nul(record: dict) -> int:
    """Remove NUL characters from every string in ``record`` (nested values included); return how many.

    >>> rec = {"text": "a\\x00b", "tags": ["x\\x00"], "n": 1}
    >>> remove_nul(rec), rec
    (2, {'text': 'ab', 'tags': ['x'], 'n': 1})
    """
    removed, stack = 0, [record]
    while stack:  # not recursive: a record may be nested hundreds of levels deep
        node = stack.pop()
        keys = list(node) if isinstance(node, dict) else range(len(node))
        for key in keys:
            value = node[key]
            if isinstance(value, str):
                if "\x00" in value:
                    removed += value.count("\x00")
                    node[key] = value.replace("\x00", "")
            elif isinstance(value, (dict, list)):
                stack.append(value)
    return removed


def check_mapping(path: Path, records: list[dict], fields: FieldMapping) -> None:
    """Raise FieldMappingError for a required or user-set field that no record has."""
    defaults = FieldMapping()
    present: dict = {}
    for record in records:
        present.update(dict.fromkeys(record))
    for key, name in fields.mapped().items():
        if name is None or (key != "text" and name == getattr(defaults, key)):
            continue
        if any(_lookup(r, name) is not _MISSING for r in records):
            continue
        flag = "--text-field NAME or " if key == "text" else ""
        raise FieldMappingError(
            f"{path}: the {key} field '{name}' is in no record.{did_you_mean(name, map(str, present))} Fields that exist: "
            f"{', '.join(map(str, present)) or 'none'}. Set {flag}corpus.fields.{key} "
            f"(--set corpus.fields.{key}=NAME) to the field that holds the {key}."
        )


def _reason(value: Any, name: str) -> str:
    if value is _MISSING:
        return f"no text: field '{name}' is missing"
    if value is None:
        return f"no text: field '{name}' is null"
    if join_text(value) is None:
        return f"no text: field '{name}' holds a {type(value).__name__}, not text"
    return f"no text: field '{name}' is empty"


def _warn_duplicate_ids(pages: list[Page], shown: str) -> None:
    """Records sharing an id are kept (their texts differ or their lines do), but a parent link to that id is ambiguous."""
    where: dict[str, list[str]] = {}
    for page in pages:
        if page.meta.get("id") is not None:
            where.setdefault(str(page.meta["id"]), []).append(page.record or "")
    dupes = {k: v for k, v in where.items() if len(v) > 1}
    if dupes:
        key, labels = next(iter(dupes.items()))
        warnings.warn(f"{shown}: {len(dupes)} id(s) are used by more than one record (first: id {key!r} in "
                      f"{', '.join(labels[:5])}); all are kept, and documents.record_id repeats. Give each record "
                      "its own id.", InputWarning, stacklevel=3)


def read_record_file(path: Path, data: bytes, rel: str, shown: str, cfg: CorpusConfig) -> tuple[list[Page], list[Skipped], int]:
    """Pages and skipped items of one record file, and how many records it has.

    ``rel`` is the path used in page ids; ``shown`` is the path as the user gave it.
    """
    raw = load_records(path, data, cfg)
    if not raw.items:
        return [], [Skipped(shown, "no records")], 0
    records = [rec for _, rec, _ in raw.items if rec is not None]
    check_mapping(path, records, cfg.fields)
    fields = cfg.fields.mapped()
    used = {str(n).split(".")[0] for n in fields.values() if n is not None}
    pages, skipped, bad_dates, with_nul = [], [], [], []
    for label, rec, error in raw.items:
        item = f"{shown} {label}"
        if rec is None:
            skipped.append(Skipped(item, error or "unreadable record"))
            continue
        removed = remove_nul(rec) if raw.nul else 0
        if removed:
            with_nul.append(f"{label} ({raw.lines[label]})" if label in raw.lines else label)
        value = _lookup(rec, cfg.fields.text)
        text = join_text(value) if value is not _MISSING else None
        text = normalize_text(text) if text else text
        if not text or not text.strip():
            skipped.append(Skipped(item, _reason(value, cfg.fields.text)))
            continue
        if (why := non_text_reason(text)) is not None:
            skipped.append(Skipped(item, f"field '{cfg.fields.text}' is {why}"))
            continue
        try:
            values = {k: _lookup(rec, n) for k, n in fields.items() if n is not None and k != "text"}
            meta = build_meta({k: v for k, v in values.items() if v is not _MISSING}, bad_dates=bad_dates)
            meta[EXTRA_KEY] = extra_fields(rec, used, cfg.fields.keep)
        except RecursionError:  # a value nested too deeply for cleaning
            skipped.append(Skipped(item, TOO_DEEP))
            continue
        meta["source"] = meta["source"] or cfg.default_source or path.stem
        # Without its NULs the text is no longer the field as given: no offsets into it.
        pages.append(Page(stable_id(rel, label, text), shown, label, text, raw.encoding, meta, text_is_input=not removed))
    _warn_duplicate_ids(pages, shown)
    if with_nul:
        warnings.warn(
            f"{shown}: {len(with_nul)} record(s) held NUL characters, which were removed (first: "
            f"{', '.join(with_nul[:3])}); a NUL does not occur in text, so check how the file was exported. "
            "Offsets into these records' text are not given.", InputWarning, stacklevel=3)
    if bad_dates:
        warnings.warn(
            f"{shown}: {len(bad_dates)} dates do not parse to a day (first: {bad_dates[0]!r}); "
            f"they are kept in notes. Check corpus.fields.date or give dates as YYYY-MM-DD.",
            InputWarning,
            stacklevel=3,
        )
    if skipped:
        warnings.warn(
            f"{shown}: {len(skipped)} of {len(raw.items)} records skipped (first: {skipped[0].item}: {skipped[0].reason}).",
            InputWarning,
            stacklevel=3,
        )
    return pages, skipped, len(raw.items)
