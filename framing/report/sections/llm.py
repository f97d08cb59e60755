"""The "Coded by MODEL" section: a language model's codes (``framing code``), topic names and agreement.

Read from the ``llm_codes``, ``llm_topics`` and ``llm_agreement`` tables and
run.json's ``llm`` entries; plain data for the section's template. Per
coding (level and model): how many items were coded, and per frame how many
the model coded, how many of those the embedding scorer matched too (when
the run has the frame tables), and one passage the model quoted.

Examples
--------
>>> llm_view({}, {}) is None
True
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..context import ReportContext
from .base import Section

MATCH_TABLES = {"document": ("document_frames", "doc_id"), "sentence": ("sentence_frames", "sentence_id")}


def _table(tables: Mapping, name: str) -> pd.DataFrame | None:
    t = tables.get(name)
    return t if isinstance(t, pd.DataFrame) and not t.empty else None


def _frame_rows(codes: pd.DataFrame, tables: Mapping, level: str, labels: dict) -> list[dict]:
    name, key = MATCH_TABLES[level]
    matched = _table(tables, name)
    both = None
    if matched is not None and key in matched:
        hits = matched.loc[matched["matched"].astype(bool), [key, "frame_id"]]
        both = set(zip(hits[key], hits["frame_id"]))
    rows = []
    n_items = codes[key].nunique()
    for fid, g in codes.groupby("frame_id", sort=False):
        yes = g[g["matched"].astype(bool)]
        quote = next((q for q in yes["quote"] if isinstance(q, str) and q), None)
        row = {"frame_id": str(fid), "label": labels.get(fid, str(fid)), "coded": int(len(yes)),
               "share": len(yes) / n_items if n_items else 0.0, "quote": quote,
               "also_embedding": None if both is None else int(sum((k, fid) in both for k in yes[key]))}
        rows.append(row)
    return rows


def llm_view(tables: Mapping[str, pd.DataFrame], meta: Mapping) -> dict | None:
    """The section's data; None when the run holds no language-model codes or topic names.

    Returns
    -------
    dict with ``codings`` (one per level and model: model, level, items, frames rows, seconds, tokens,
    server), ``topics`` (topic, name, description, model) and ``agreement`` (rows of llm_agreement).
    """
    codes = _table(tables, "llm_codes")
    topics = _table(tables, "llm_topics")
    if codes is None and topics is None:
        return None
    frames = _table(tables, "frames")
    labels = dict(zip(frames["frame_id"], frames["label"])) if frames is not None and "label" in frames else {}
    runs = {(r.get("level"), r.get("model")): r for r in meta.get("llm", []) if isinstance(r, dict)} \
        if isinstance(meta.get("llm"), list) else {}
    codings = []
    if codes is not None:
        for (level, model), g in codes.groupby(["level", "model"], sort=False):
            key = MATCH_TABLES[level][1]
            info = runs.get((level, model), {})
            stage = (info.get("stages") or {}).get("code", {})
            codings.append({"model": str(model), "level": str(level), "items": int(g[key].nunique()),
                            "frames": _frame_rows(g, tables, level, labels), "server": info.get("server"),
                            "select": info.get("select"), "seconds": stage.get("seconds"),
                            "tokens": (stage.get("prompt_tokens") or 0) + (stage.get("completion_tokens") or 0),
                            "quotes_discarded": stage.get("quotes_discarded")})
    agreement = _table(tables, "llm_agreement")
    return {"codings": codings,
            "topics": [] if topics is None else topics.to_dict("records"),
            "agreement": [] if agreement is None else agreement.to_dict("records")}


def view(ctx: ReportContext) -> dict | None:
    return llm_view(ctx.tables, ctx.meta)


SECTION = Section("llm", "sections/llm.html.j2", view, label="Coded by a model", shown=lambda v: v is not None)
