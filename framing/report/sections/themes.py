"""The themes table of the topics section: the topics grouped (``topics.theme``, :mod:`framing.topics.themes`)."""

from __future__ import annotations

import pandas as pd

from ..common import is_missing, text

__all__ = ["theme_rows"]


def theme_rows(table: pd.DataFrame | None, rows: list[dict]) -> list[dict]:
    """One row per theme (``topics.theme``, :mod:`framing.topics.themes`): its label, topics (largest first),
    sentences and the documents whose main topic is one of them; [] when the run has no themes.

    >>> t = pd.DataFrame({"topic": [0, 1, 2], "theme": pd.array([0, 1, 0], dtype="Int64"),
    ...                   "theme_label": ["tax, budget", "war", "tax, budget"]})
    >>> rows = [{"topic": 0, "name": "0: tax", "size": 5, "main_in": 2, "theme": 0},
    ...         {"topic": 2, "name": "2: budget", "size": 3, "main_in": 1, "theme": 0},
    ...         {"topic": 1, "name": "1: war", "size": 4, "main_in": None, "theme": 1}]
    >>> [(r["theme"], r["label"], r["size"], r["main_in"], [x["topic"] for x in r["topics"]])
    ...  for r in theme_rows(t, rows)]
    [(0, 'tax, budget', 8, 3, [0, 2]), (1, 'war', 4, None, [1])]
    """
    if table is None or "theme" not in table.columns or table["theme"].isna().all():
        return []
    labels = {int(th): text(lab) for th, lab in zip(table["theme"], table["theme_label"]) if not is_missing(th)}
    themes: dict[int, dict] = {}
    for r in rows:
        if r.get("theme") is None:
            continue
        th = themes.setdefault(r["theme"], {"theme": r["theme"], "label": labels.get(r["theme"], ""), "topics": [],
                                            "size": 0, "main_in": None})
        th["topics"].append({"topic": r["topic"], "name": r["name"]})
        th["size"] += int(r["size"])
        if r.get("main_in") is not None:
            th["main_in"] = (th["main_in"] or 0) + int(r["main_in"])
    return [themes[k] for k in sorted(themes)]
