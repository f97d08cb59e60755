"""Which group each document belongs to, for any grouping column.

A group is a value of one column of the documents table (``source``,
``role``, ``language``, ``author``, a column promoted with
``corpus.fields.keep``), a key of the documents' ``meta`` JSON column (any
other record field or manifest column, such as AllSides' ``bias_text`` or
climate-frames' ``bias``), or ``month`` (``YYYY-MM`` of the document's date).
Sentences take the group of their document. A missing value is the group
``"unknown"``: it is shown, not dropped.

Examples
--------
>>> docs = pd.DataFrame({"doc_id": ["a", "b"], "source": ["fox", None],
...                      "meta": ['{"bias": "right"}', None]})
>>> document_groups(docs, "bias").to_dict()
{'a': 'right', 'b': 'unknown'}
"""

from __future__ import annotations

import json

import pandas as pd

from ..errors import InputError
from ..suggest import did_you_mean
from .counts import UNKNOWN, month_of

NOT_GROUPS = {"doc_id", "text", "meta", "page_id", "record_id", "start", "end", "input_start", "input_end"}


def meta_values(documents: pd.DataFrame) -> pd.DataFrame:
    """The ``meta`` JSON column unpacked into one column per key (empty without ``meta``)."""
    if "meta" not in documents.columns:
        return pd.DataFrame(index=documents.index)
    rows = []
    for raw in documents["meta"]:
        if isinstance(raw, str) and raw.strip():
            try:
                value = json.loads(raw)
            except json.JSONDecodeError:
                value = {}
            rows.append(value if isinstance(value, dict) else {})
        else:
            rows.append({})
    return pd.DataFrame(rows, index=documents.index)


def group_columns(documents: pd.DataFrame) -> list[str]:
    """Every name ``--by`` accepts for these documents."""
    cols = [c for c in documents.columns if c not in NOT_GROUPS]
    keys = [k for k in meta_values(documents).columns if k not in cols]
    return ["month", *[c for c in cols if c != "month"], *keys]


def _as_label(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return UNKNOWN
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or UNKNOWN


def document_groups(documents: pd.DataFrame, by: str) -> pd.Series:
    """The group of every document: a Series of str indexed by ``doc_id``.

    Raises
    ------
    InputError
        When ``by`` is neither a documents column, a ``meta`` key nor ``month``;
        the message lists the names that exist.
    """
    if "doc_id" not in documents.columns:
        raise InputError("The documents table has no doc_id column; give the table `framing analyze` wrote.")
    if by in documents.columns and by not in NOT_GROUPS:
        values = documents[by]
    elif by == "month":
        values = month_of(documents["date"]) if "date" in documents.columns else pd.Series(UNKNOWN, documents.index)
    else:
        meta = meta_values(documents)
        if by not in meta.columns:
            exist = group_columns(documents)
            raise InputError(
                f"Cannot group by '{by}': it is neither a column of the documents table nor a field kept in its "
                f"meta column.{did_you_mean(by, exist)} Groups that exist: {', '.join(exist)}. To group by a "
                "record field or manifest column this run did not keep, name it in corpus.fields.keep "
                "(--set corpus.fields.keep=[FIELD]) and run again."
            )
        values = meta[by]
    labels = [_as_label(v) for v in values]
    return pd.Series(labels, index=documents["doc_id"].astype(str).to_numpy(), dtype=object, name=by)


def group_order(groups: pd.Series) -> list[str]:
    """Groups by decreasing number of documents, ties by name; ``unknown`` last."""
    counts = groups.value_counts()
    return sorted(counts.index, key=lambda g: (g == UNKNOWN, -counts[g], g))
