"""Cleaning metadata values from manifests, records and HTML into ``Page.meta``.

Every ``Page.meta`` holds all of ``META_KEYS``: strings or None, ``date`` as
``YYYY-MM-DD`` or None, and
``date_source`` one of ``stated`` / ``inferred`` / ``unknown``. A date that
does not parse to a day is dropped (kept in ``notes``) so that dates
downstream are always ISO or None.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import warnings
from typing import Any, Sequence

from ..errors import InputWarning
from .model import DATE_SOURCES, META_KEYS

# Two defaults that differ in every component: a date parsed the same under
# both names its year, month and day explicitly.
_DEFAULTS = (dt.datetime(1901, 1, 1), dt.datetime(1902, 2, 2))


def clean_value(value: Any) -> str | None:
    """A metadata value as a stripped string; None for missing, NaN or empty.

    Lists (several authors, say) are joined with ", ".

    >>> clean_value(["A. Author", "B. Writer"]), clean_value("  "), clean_value(7)
    ('A. Author, B. Writer', None, '7')
    """
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (list, tuple)):
        parts = [clean_value(v) for v in value]
        value = ", ".join(p for p in parts if p)
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _from_number(value: float) -> str | None:
    seconds = value / 1000 if abs(value) > 1e11 else value
    if abs(seconds) < 1e8:  # a small number is not a plausible timestamp
        return None
    try:
        return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def _from_text(text: str) -> str | None:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    from dateutil import parser

    try:
        first, second = (parser.parse(text, default=d, fuzzy=False) for d in _DEFAULTS)
    except (ValueError, OverflowError, parser.ParserError):
        return None
    if first.date() != second.date():  # year, month or day was missing
        return None
    return first.date().isoformat()


def ambiguous_day_month(value: Any) -> bool:
    """True for a numeric date whose day and month could be swapped ("03/05/2021").

    >>> ambiguous_day_month("03/05/2021"), ambiguous_day_month("31/12/2021"), ambiguous_day_month("2021-03-05")
    (True, False, False)
    """
    text = clean_value(value) if isinstance(value, str) else None
    if not text or not re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", text):
        return False
    from dateutil import parser

    try:
        return parser.parse(text, dayfirst=True).date() != parser.parse(text, dayfirst=False).date()
    except (ValueError, OverflowError, parser.ParserError):
        return False


def normalize_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` for a date that names year, month and day; else None.

    Accepts ISO strings (with time and zone), common written dates
    ("July 2, 2010", "2 July 2010"; "02/07/2010" is read month first),
    ``date``/``datetime`` objects and Unix timestamps (seconds or ms).

    >>> normalize_date("2010-07-02T23:10:00Z"), normalize_date("July 2, 2010"), normalize_date("May 2021")
    ('2010-07-02', '2010-07-02', None)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else _from_number(value)
    text = clean_value(value)
    return _from_text(text) if text else None


def build_meta(raw: dict, date_source: str = "stated", where: str = "", bad_dates: list | None = None) -> dict:
    """A complete ``Page.meta`` from raw values (unknown keys are dropped).

    ``date_source`` applies when ``raw`` has a date but no ``date_source``
    of its own. A date that does not name a day (``"May 2021"``) becomes
    None, with the value as given kept in ``notes`` and an InputWarning
    naming ``where`` (or, when ``bad_dates`` is a list, the value appended
    to it for one warning per file), so the documents table only holds ISO
    dates.

    >>> m = build_meta({"source": "fox", "date": "July 2, 2010"})
    >>> m["source"], m["date"], m["date_source"], m["author"]
    ('fox', '2010-07-02', 'stated', None)
    """
    meta: dict = {key: clean_value(raw.get(key)) for key in META_KEYS}
    if meta["date"] is not None:
        iso = normalize_date(raw["date"])
        if iso is None:
            given = meta["date"]
            meta["notes"] = "; ".join(filter(None, [meta["notes"], f"date as given: {given}"]))
            if bad_dates is not None:
                bad_dates.append(given)
            else:
                warnings.warn(
                    f"{where or 'Input'}: date {given!r} does not parse to a day; it is kept in notes. "
                    "Give dates as YYYY-MM-DD.",
                    InputWarning,
                    stacklevel=2,
                )
        elif ambiguous_day_month(raw["date"]):
            # Kept traceable: the reading chosen (month first) is not certain.
            note = f"date as given: {meta['date']} (day and month ambiguous; read month first)"
            meta["notes"] = "; ".join(filter(None, [meta["notes"], note]))
        meta["date"] = iso
    if meta["date"] is None:
        meta["date_source"] = "unknown"
    elif meta["date_source"] is None:
        meta["date_source"] = date_source
    elif meta["date_source"].strip().lower() not in DATE_SOURCES:
        warnings.warn(
            f"{where or 'Input'}: date_source {meta['date_source']!r} is not one of {', '.join(DATE_SOURCES)}; "
            "the date is marked 'unknown' as to its source. Fix the value.",
            InputWarning,
            stacklevel=2,
        )
        meta["date_source"] = "unknown"
    else:
        meta["date_source"] = meta["date_source"].strip().lower()
    return meta


MAX_EXTRA_CHARS = 1000
"""Longer text values of other fields are left out of ``meta`` (they are texts, not labels)."""


def extra_fields(raw: dict, used: set | frozenset = frozenset(), keep: Sequence[str] = ()) -> dict:
    """The fields of a record (or manifest row) that no mapping uses, for the documents' ``meta`` column.

    Numbers, booleans and strings up to ``MAX_EXTRA_CHARS`` are kept as they are; lists,
    objects and long texts only when named in ``keep`` (``corpus.fields.keep``),
    as cleaned text. Keys named in ``used`` (the mapped fields) are left out.

    >>> extra_fields({"text": "...", "bias": "right", "n": 3, "tags": ["a", "b"]}, {"text"}, keep=["tags"])
    {'bias': 'right', 'n': 3, 'tags': 'a, b'}
    """
    out: dict = {}
    for key, value in raw.items():
        key = str(key)
        if key in used:
            continue
        if key in keep:
            out[key] = value if isinstance(value, (bool, int, float)) else clean_value(value) if not isinstance(
                value, dict) else json.dumps(value, ensure_ascii=False, default=str)
        elif isinstance(value, bool) or (isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value))):
            out[key] = value
        elif isinstance(value, str) and value.strip() and len(value) <= MAX_EXTRA_CHARS:
            out[key] = value.strip()
    return out


def merge_meta(primary: dict, fallback: dict) -> dict:
    """``primary`` wins wherever it has a value; dates keep their own date_source."""
    out = dict(primary)
    for key in META_KEYS:
        if out.get(key) is None and fallback.get(key) is not None:
            out[key] = fallback[key]
    if primary.get("date") is None and fallback.get("date") is not None:
        out["date_source"] = fallback.get("date_source") or "inferred"
    return out
