"""The corpus half of the ingest stage: pages -> units (the ``documents`` table).

The stage as a whole (files -> pages -> units -> sentences) is
:func:`framing.segment.step.ingest`, one layer up: it reads with
:mod:`framing.corpus.readers`, builds the documents table here and splits it
into sentences with :mod:`framing.segment`.
"""

from __future__ import annotations

import json
import logging
import warnings
from dataclasses import dataclass, field
from typing import Sequence

import pandas as pd

from ..config import Config
from ..errors import InputWarning, StructureError
from .model import EXTRA_KEY, InputFile, Page, Skipped, Unit

log = logging.getLogger(__name__)

DOCUMENT_COLUMNS = [
    "doc_id", "page_id", "record_id", "source", "title", "date", "date_source", "url", "language", "lang_confidence",
    "role", "author", "parent_id", "depth", "position", "split_method", "split_confidence",
    "file", "encoding", "notes", "meta", "text",
]

# A file with this name inside a corpus folder holds config overrides for that corpus.
CORPUS_CONFIG_NAME = "framing.yaml"


@dataclass(frozen=True)
class IngestResult:
    """What ingest produces.

    Attributes
    ----------
    documents : DataFrame
        One row per unit; columns ``DOCUMENT_COLUMNS``.
    sentences : DataFrame
        One row per sentence (fragments flagged with ``is_fragment``).
    skipped : list of Skipped
        Every input item that is not in ``documents``, with its reason.
    inputs : list of InputFile
        Every input file with its sha256.
    """

    documents: pd.DataFrame
    sentences: pd.DataFrame
    skipped: list[Skipped] = field(default_factory=list)
    inputs: list[InputFile] = field(default_factory=list)

    def counts(self) -> dict:
        """Counts for run.json and the CLI summary."""
        docs, sents = self.documents, self.sentences
        return {
            "inputs": len(self.inputs),
            "pages": int(docs.page_id.nunique()) if len(docs) else 0,
            "documents": len(docs),
            "documents_by_role": {str(k): int(v) for k, v in docs.role.value_counts().sort_index().items()},
            "sources": int(docs.source.nunique()) if len(docs) else 0,
            "languages": {str(k): int(v) for k, v in sents.lang.value_counts().sort_index().items()},
            "sentences": len(sents),
            "fragments": int(sents.is_fragment.sum()) if len(sents) else 0,
            "skipped": len(self.skipped),
        }


def _unit_row(unit: Unit, page: Page) -> dict:
    meta = page.meta
    if unit.date:
        date, date_source = unit.date, unit.date_source
    elif meta.get("date"):
        date, date_source = meta["date"], meta.get("date_source") or "stated"
    else:
        date, date_source = None, "unknown"
    return {
        "doc_id": unit.doc_id,
        "page_id": unit.page_id,
        "record_id": None if meta.get("id") is None else str(meta.get("id")),
        "source": meta.get("source"),
        "title": unit.title or meta.get("title"),
        "date": date,
        "date_source": date_source,
        "url": meta.get("url"),
        "language": meta.get("language"),
        "lang_confidence": None,
        "role": unit.role,
        "author": unit.author,
        "parent_id": unit.parent_id,
        "depth": unit.depth,
        "position": unit.position,
        "split_method": unit.split_method,
        "split_confidence": unit.split_confidence,
        "file": page.file,
        "encoding": page.encoding,
        "notes": meta.get("notes"),
        "meta": json.dumps(meta[EXTRA_KEY], ensure_ascii=False, sort_keys=True, default=str) if meta.get(EXTRA_KEY) else None,
        "text": unit.text,
    }


def documents_table(pages: Sequence[Page], cfg: Config) -> tuple[pd.DataFrame, list[Skipped]]:
    """Split pages into units and collect them as the documents table.

    Returns
    -------
    documents : DataFrame with ``DOCUMENT_COLUMNS``
    skipped : list of Skipped
        Records that could not be used (an invalid ``role``) and exact
        duplicates, each with its reason.
    """
    from .structure import split_page

    rows, skipped, seen = [], [], set()
    for page in pages:
        where = f"{page.file} {page.record or ''}".strip()
        try:
            units = split_page(page, cfg.structure)
        except StructureError as exc:
            skipped.append(Skipped(where, str(exc), "structure"))
            continue
        for unit in units:
            if unit.doc_id in seen:
                # Two identical records (same file, same text) give the same id; keep one.
                skipped.append(Skipped(where, f"duplicate of document {unit.doc_id}", "ingest"))
                continue
            seen.add(unit.doc_id)
            rows.append(_unit_row(unit, page))
    docs = link_record_parents(pd.DataFrame(rows, columns=DOCUMENT_COLUMNS))
    docs["depth"] = docs["depth"].astype("int64")
    docs["position"] = docs["position"].astype("int64")
    return keep_columns(docs, cfg.corpus.fields.keep), skipped


def keep_columns(docs: pd.DataFrame, keep: Sequence[str]) -> pd.DataFrame:
    """Promote the ``corpus.fields.keep`` fields from ``meta`` to columns of their own (before ``text``).

    A name that is already a documents column is left as it is.

    >>> d = pd.DataFrame({"doc_id": ["a", "b"], "meta": ['{"bias": "left"}', None], "text": ["x", "y"]})
    >>> keep_columns(d, ["bias"]).columns.tolist(), keep_columns(d, ["bias"]).bias.tolist()
    (['doc_id', 'meta', 'bias', 'text'], ['left', None])
    """
    names = [k for k in keep if k not in docs.columns]
    if not names:
        return docs
    docs = docs.copy()
    extras = [json.loads(m) if isinstance(m, str) else {} for m in docs["meta"]]
    at = list(docs.columns).index("text") if "text" in docs.columns else len(docs.columns)
    for offset, name in enumerate(names):
        docs.insert(at + offset, name, pd.Series([e.get(name) for e in extras], index=docs.index, dtype=object))
    return docs


def link_record_parents(docs: pd.DataFrame) -> pd.DataFrame:
    """Point ``parent_id`` of records at their parent's ``doc_id``, and set depth from the chain.

    Record files (.jsonl, .csv, ...) name a comment's parent by the parent
    record's own id (``corpus.fields.parent``). That id is looked up among the
    ``record_id`` values of the same file; a parent that is not found is
    dropped with an ``InputWarning`` (the document itself is kept).

    >>> d = pd.DataFrame({"doc_id": ["A", "B", "C"], "record_id": ["1", "2", "3"], "file": ["f"] * 3,
    ...                   "parent_id": [None, "1", "2"], "split_method": ["none"] * 3, "depth": [0, 1, 1]})
    >>> link_record_parents(d)[["parent_id", "depth"]].values.tolist()
    [[None, 0], ['A', 1], ['B', 2]]
    """
    records = docs.split_method.eq("none") & docs.parent_id.notna() & ~docs.parent_id.isin(docs.doc_id)
    if not records.any():
        return docs
    by_record = {(f, r): d for f, r, d in zip(docs.file, docs.record_id, docs.doc_id) if r is not None}
    parents = docs.parent_id.copy()
    missing = []
    for i in docs.index[records]:
        target = by_record.get((docs.at[i, "file"], str(docs.at[i, "parent_id"])))
        if target is None:
            missing.append(f"{docs.at[i, 'file']} record {docs.at[i, 'record_id']} (parent {docs.at[i, 'parent_id']!r})")
        parents.at[i] = target
    if missing:
        warnings.warn(f"{len(missing)} record(s) name a parent that is not in the same file, for example "
                      f"{missing[0]}; they are kept without a parent.", InputWarning, stacklevel=3)
    parents = parents.astype(object).where(parents.notna(), None)
    docs = docs.assign(parent_id=parents)
    parent_of = {d: p for d, p in zip(docs.doc_id, docs.parent_id) if isinstance(p, str)}
    depth = []
    for doc_id, d, method in zip(docs.doc_id, docs.depth, docs.split_method):
        if method != "none":
            depth.append(int(d))
            continue
        n, node, visited = 0, parent_of.get(doc_id), {doc_id}
        while node is not None and node not in visited:  # a cycle in the data must not hang
            visited.add(node)
            n, node = n + 1, parent_of.get(node)
        depth.append(n)
    return docs.assign(depth=depth)


def _input_source(page):
    """What offsets into the input are found in: the page's text, or an HTML page's visible text."""
    if page.text_is_input:
        return page.text
    if page.markup is not None:
        from .htmlmap import visible_text

        return visible_text(page.markup)
    return None
