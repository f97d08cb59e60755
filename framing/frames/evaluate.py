"""Scoring a frame catalog against human labels.

A label file (CSV or JSONL) has one row per labelled item and a ``frames``
field: the ids of the frames the item expresses (a JSON list, or a string
separated by ``;``, ``|`` or ``,``; empty means none). The item is named by
its ``text``, or by ``sentence_id`` / ``doc_id`` of a run folder. Sentence
level compares the frames of each sentence; document level compares the
union of the frames of a document's sentences.

Examples
--------
>>> result = evaluate_catalog(catalog, read_labels("labels.csv"), embedder)   # doctest: +SKIP
>>> print(format_report(result))                                             # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .calibrate import best_threshold
from .catalog import FrameCatalog
from .match import FrameMatcher

_SEP = re.compile(r"[;|,]")
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=\S)")


@dataclass(frozen=True)
class EvaluationResult:
    """Per-frame and averaged scores of a catalog on labelled items.

    per_frame : DataFrame with frame_id, support, predicted, tp, fp, fn,
        precision, recall, f1, threshold (used), suggested_threshold,
        suggested_f1.
    micro_f1, macro_f1, micro_precision, micro_recall : float
    n_items : int
    level : "sentence" or "document"
    """

    per_frame: pd.DataFrame
    micro_precision: float
    micro_recall: float
    micro_f1: float
    macro_f1: float
    n_items: int
    level: str


def _parse_frames(value, path, line) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            return _parse_frames(json.loads(value), path, line)
        except json.JSONDecodeError:
            raise InputError(f"Label file {path}, line {line}, field 'frames': {value!r} looks like a JSON list "
                             "but is not valid JSON; write [\"id-a\", \"id-b\"] or id-a;id-b.") from None
    if isinstance(value, str):
        return [v.strip() for v in _SEP.split(value) if v.strip()]
    raise InputError(f"Label file {path}, line {line}, field 'frames': expected a list of frame ids or a "
                     f"';'-separated string, got {type(value).__name__}.")


def read_labels(path: str | Path) -> pd.DataFrame:
    """Read a CSV or JSONL label file into a table with a ``frames`` list column.

    Raises
    ------
    InputError
        When the file cannot be read, has no ``frames`` field, or names no item.
    """
    path = Path(path)
    from ..labels import is_label_studio_export, read_label_studio

    if is_label_studio_export(path):  # Label Studio's JSON export of a `framing sample` project
        return read_label_studio(path)
    try:
        if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
            records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            table = pd.DataFrame.from_records(records)
        else:
            table = pd.read_csv(path, dtype=str, keep_default_na=False, index_col=False, on_bad_lines="error")
    except (OSError, ValueError) as exc:  # pandas' ParserError is a ValueError
        raise InputError(f"Cannot read label file {path}: {str(exc).strip()}. Use CSV (quote texts holding commas) or JSONL "
                         "with a 'frames' field.") from None
    if "frames" not in table:
        raise InputError(f"Label file {path} has no 'frames' field (columns: {', '.join(map(str, table.columns))}).")
    if not {"text", "sentence_id", "doc_id"} & set(table.columns):
        raise InputError(f"Label file {path} must name each item by 'text', 'sentence_id' or 'doc_id'.")
    offset = 2 if path.suffix.lower() == ".csv" else 1
    table["frames"] = [_parse_frames(v, path, i + offset) for i, v in enumerate(table["frames"])]
    return table


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (0 where undefined).

    >>> prf(2, 1, 1)
    (0.6666666666666666, 0.6666666666666666, 0.6666666666666666)
    """
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def multilabel_metrics(gold: list[set], pred: list[set], frame_ids: list[str]) -> tuple[pd.DataFrame, dict]:
    """Per-frame counts and P/R/F1, plus micro and macro averages.

    Macro F1 is the mean F1 over frames that occur in the gold labels or in
    the predictions (a frame absent from both has no defined F1).
    """
    rows = []
    for fid in frame_ids:
        tp = sum(fid in g and fid in p for g, p in zip(gold, pred))
        fp = sum(fid not in g and fid in p for g, p in zip(gold, pred))
        fn = sum(fid in g and fid not in p for g, p in zip(gold, pred))
        p, r, f = prf(tp, fp, fn)
        rows.append({"frame_id": fid, "support": tp + fn, "predicted": tp + fp, "tp": tp, "fp": fp, "fn": fn,
                     "precision": p, "recall": r, "f1": f})
    table = pd.DataFrame(rows)
    mp, mr, mf = prf(int(table["tp"].sum()), int(table["fp"].sum()), int(table["fn"].sum()))
    active = table[(table["support"] > 0) | (table["predicted"] > 0)]
    macro = float(active["f1"].mean()) if len(active) else 0.0
    return table, {"micro_precision": mp, "micro_recall": mr, "micro_f1": mf, "macro_f1": macro}


def _items(labels: pd.DataFrame, level: str, sentences: pd.DataFrame | None) -> list[list[str]]:
    """The texts of each labelled item (one for a sentence, several for a document)."""
    out = []
    for i, (_, row) in enumerate(labels.iterrows()):
        text = row.get("text")
        if isinstance(text, str) and text.strip():
            out.append([text] if level == "sentence" else [s for s in _SENT_SPLIT.split(text.strip()) if s])
            continue
        if sentences is None:
            raise InputError(f"Label row {i + 1} names its item by id; pass --run RUN_DIR so its text can be found.")
        key = "sentence_id" if level == "sentence" and row.get("sentence_id") else "doc_id"
        found = sentences.loc[sentences[key] == row.get(key)]
        if "is_fragment" in found:
            found = found[~found["is_fragment"].astype(bool)]
        if found.empty:
            raise InputError(f"Label row {i + 1}: {key} {row.get(key)!r} is not in the run's sentences table.")
        out.append(found["text"].astype(str).tolist())
    return out


def evaluate_catalog(catalog: FrameCatalog, labels: pd.DataFrame, embedder, level: str = "auto",
                     sentences: pd.DataFrame | None = None, threshold="calibrated",
                     matcher: FrameMatcher | None = None) -> EvaluationResult:
    """Match the labelled items with the catalog and score the matches against the labels.

    Parameters
    ----------
    catalog : FrameCatalog
    labels : DataFrame from :func:`read_labels`
    embedder : Embedder
    level : "auto", "sentence" or "document"
        ``auto`` is document level when items are named by ``doc_id`` only.
    sentences : DataFrame, optional
        A run's sentences table, to resolve ``sentence_id`` / ``doc_id``.
    threshold : "calibrated", float or dict
        Passed to :class:`FrameMatcher`.
    matcher : FrameMatcher, optional
        An already fitted matcher (its catalog and embedder are used).

    Returns
    -------
    EvaluationResult
    """
    unknown = sorted({f for fs in labels["frames"] for f in fs} - set(catalog.ids))
    if unknown:
        raise InputError(f"The labels use frame ids that are not in the catalog: {', '.join(unknown)}. "
                         f"Catalog ids: {', '.join(catalog.ids)}.")
    if level == "auto":
        level = "document" if "doc_id" in labels and not {"text", "sentence_id"} & set(labels.columns) else "sentence"
    items = _items(labels, level, sentences)
    matcher = matcher or FrameMatcher(catalog, embedder, threshold=threshold).fit()
    flat = [t for texts in items for t in texts]
    owner = np.repeat(np.arange(len(items)), [len(t) for t in items])
    frame_table = pd.DataFrame({"sentence_id": [f"i{k}" for k in range(len(flat))], "text": flat})
    sf = matcher.transform(frame_table, matcher.embedder.encode(flat)) if flat else None
    ids = list(dict.fromkeys(sf["frame_id"])) if sf is not None else catalog.ids
    scores = sf["score"].to_numpy().reshape(len(flat), len(ids)) if sf is not None else np.zeros((0, len(ids)))
    matched = sf["matched"].to_numpy().reshape(len(flat), len(ids)) if sf is not None else scores > 0
    item_scores = np.full((len(items), len(ids)), -np.inf)
    np.maximum.at(item_scores, owner, scores)
    item_matched = np.zeros((len(items), len(ids)), bool)
    np.logical_or.at(item_matched, owner, matched)
    gold = [set(fs) for fs in labels["frames"]]
    pred = [{ids[j] for j in np.flatnonzero(row)} for row in item_matched]
    table, avg = multilabel_metrics(gold, pred, ids)
    table["threshold"] = [matcher.thresholds_.get(fid, np.nan) for fid in ids]
    suggested = [best_threshold(item_scores[:, j], np.array([ids[j] in g for g in gold]), beta=1.0)
                 if any(ids[j] in g for g in gold) else (np.nan, np.nan) for j in range(len(ids))]
    table["suggested_threshold"] = [s[0] for s in suggested]
    table["suggested_f1"] = [s[1] for s in suggested]
    return EvaluationResult(per_frame=table, n_items=len(items), level=level, **avg)


def format_report(result: EvaluationResult) -> str:
    """A plain-text table of the evaluation."""
    t = result.per_frame
    lines = [f"{result.n_items} labelled items, {result.level} level",
             f"{'frame':34} {'sup':>4} {'pred':>4} {'P':>6} {'R':>6} {'F1':>6} {'thr':>6} {'sug.thr':>7} {'sug.F1':>6}"]
    for _, r in t.iterrows():
        lines.append(f"{r.frame_id[:34]:34} {r.support:>4} {r.predicted:>4} {r.precision:6.3f} {r.recall:6.3f} "
                     f"{r.f1:6.3f} {r.threshold:6.3f} {r.suggested_threshold:7.3f} {r.suggested_f1:6.3f}")
    lines.append(f"micro P {result.micro_precision:.3f}  R {result.micro_recall:.3f}  F1 {result.micro_f1:.3f}   "
                 f"macro F1 {result.macro_f1:.3f}")
    return "\n".join(lines)
