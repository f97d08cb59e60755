"""Human coding with Label Studio: the labelling config and codebook from a catalog, and the export read back.

``framing sample`` writes a Label Studio project (tasks + labelling config)
and a codebook; coders choose, per item, every frame it expresses or "none".
:func:`read_label_studio` turns the project's JSON export back into the
label table that ``framing evaluate`` and frame training read: one row per
item with ``sentence_id`` / ``doc_id`` / ``text`` and ``frames`` (a list of
frame ids, empty for "none").

Examples
--------
>>> from framing.frames.catalog import parse_catalog
>>> cat = parse_catalog({"name": "t", "languages": ["en"], "frames": [
...     {"id": "oil", "label": "There for the oil", "description": "Troops guard oil.",
...      "examples": ["They stay for the oil."]}]})
>>> print(label_config(cat).splitlines()[4])
    <Choice value="There for the oil" alias="oil" hint="Troops guard oil."/>
>>> export = [{"id": 7, "data": {"text": "They stay for the oil.", "sentence_id": "s1"},
...            "annotations": [{"completed_by": 1, "was_cancelled": False,
...                             "result": [{"from_name": "frames", "type": "choices",
...                                         "value": {"choices": ["oil"]}}]}]}]
>>> labels_from_tasks(export, cat)[["sentence_id", "frames", "annotators"]].values.tolist()
[['s1', ['oil'], 1]]
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable
from xml.sax.saxutils import quoteattr

import pandas as pd

from .errors import InputError

FRAMES_CONTROL = "frames"
TOPIC_CONTROL = "topic_fit"
NONE_CHOICE = "none"
NONE_LABEL = "None of these frames"
TOPIC_FITS = ("fits the topic", "does not fit the topic")


def _frame_choices(catalog) -> list[str]:
    lines = []
    for frame in catalog.frames:
        hint = " ".join(str(frame.description or frame.label).split())
        lines.append(f"    <Choice value={quoteattr(frame.label)} alias={quoteattr(frame.id)} hint={quoteattr(hint)}/>")
    lines.append(f"    <Choice value={quoteattr(NONE_LABEL)} alias={quoteattr(NONE_CHOICE)}/>")
    return lines


def label_config(catalog=None, topics: bool = False) -> str:
    """The Label Studio labelling config (XML) for coding frames (and, with ``topics``, topic fit).

    Each frame is a checkbox shown with its label and exported as its id (``alias``);
    "None of these frames" exports ``none``. A choice is required, so an item
    coded "none" differs from one skipped.
    """
    if catalog is None and not topics:
        raise InputError("A labelling config needs a frame catalog or topics to code.")
    lines = ["<View>", '  <Text name="text" value="$text"/>']
    if catalog is not None:
        lines.insert(1, '  <Header value="Which frames does the highlighted text express? Tick every one, or none."/>')
        lines += [f'  <Choices name="{FRAMES_CONTROL}" toName="text" choice="multiple" required="true">',
                  *_frame_choices(catalog), "  </Choices>"]
    lines += ['  <Header value="Context (not to be coded)" size="6"/>',
              '  <Text name="context_before" value="$context_before"/>',
              '  <Text name="context_after" value="$context_after"/>']
    if topics:
        lines += ['  <Header value="$topic_label" size="5"/>',
                  f'  <Choices name="{TOPIC_CONTROL}" toName="text" choice="single-radio" required="true">',
                  *[f"    <Choice value={quoteattr(v)}/>" for v in TOPIC_FITS], "  </Choices>"]
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def codebook(catalog, title: str = "Codebook") -> str:
    """A Markdown codebook from the catalog: the coding rule, then each frame with examples and non-examples."""
    out = [f"# {title}", "",
           f"Catalog: {catalog.name} ({len(catalog.frames)} frames; languages {', '.join(catalog.languages) or 'any'}).",
           "", "## How to code", "",
           "- Read the text (the sentence or document); the context around it helps you understand it, "
           "but code only the text itself.",
           "- Tick every frame the text expresses, explicitly or by clear implication. A text can express several.",
           f"- Tick \"{NONE_LABEL}\" when it expresses none. Do not leave an item without a choice.",
           "- Mentioning a topic is not expressing a frame: the text must present the issue in the frame's way.",
           "- When unsure, decide by the frame's description and its examples and non-examples below; write "
           "the doubt in a comment.", ""]
    for frame in catalog.frames:
        out += [f"## {frame.label}", "", f"- id: `{frame.id}`"]
        if frame.parent:
            out.append(f"- part of: `{frame.parent}`")
        out += ["", " ".join(str(frame.description).split()), ""]
        examples = _texts(frame.examples)
        if examples:
            out += ["Examples (the frame is present):", "", *[f"- {t}" for t in examples], ""]
        negatives = _texts(getattr(frame, "negatives", {}))
        if negatives:
            out += ["Not this frame:", "", *[f"- {t}" for t in negatives], ""]
        keywords = _texts(getattr(frame, "keywords", {}))
        if keywords:
            out += [f"Typical words: {', '.join(keywords)}", ""]
    return "\n".join(out)


def _texts(value) -> list[str]:
    """Catalog texts are either a tuple or a mapping of language -> tuple."""
    if not value:
        return []
    if isinstance(value, dict):
        return [f"{t} ({lang})" if lang != "und" else str(t) for lang, items in value.items() for t in items]
    return [str(t) for t in value]


def _choices(result: Iterable[dict], control: str) -> list[str] | None:
    picked = None
    for item in result or []:
        if item.get("from_name") == control and item.get("type", "choices") == "choices":
            picked = (picked or []) + [str(c) for c in (item.get("value") or {}).get("choices", [])]
    return picked


def _ids(values: Iterable[str], lookup: dict[str, str], where: str) -> list[str]:
    out = []
    for value in values:
        key = lookup.get(value, lookup.get(value.strip().lower()))
        if key is None:
            known = ", ".join(sorted(v for v in lookup if v == lookup[v]))
            raise InputError(f"Label Studio export, {where}: choice {value!r} is neither a frame id nor a frame label of "
                             f"the catalog (ids: {known}). Code with the config `framing sample` wrote, or pass the "
                             "catalog the project used.")
        if key != NONE_CHOICE and key not in out:
            out.append(key)
    return out


def _lookup(catalog) -> dict[str, str]:
    table = {NONE_CHOICE: NONE_CHOICE, NONE_LABEL: NONE_CHOICE, NONE_LABEL.lower(): NONE_CHOICE}
    if catalog is not None:
        for frame in catalog.frames:
            table[frame.id] = frame.id
            table[frame.label] = frame.id
            table[frame.label.lower()] = frame.id
    return table


def labels_from_tasks(tasks: list[dict], catalog=None, agreement: str = "majority") -> pd.DataFrame:
    """Label rows from Label Studio tasks (its full JSON export).

    Parameters
    ----------
    tasks : list of dict
        The export: each task has ``data`` and ``annotations`` (each with ``result``).
    catalog : FrameCatalog, optional
        Maps exported labels back to ids (when a config had no ``alias``) and checks them.
        Without it, choices are taken as frame ids.
    agreement : {"majority", "all"}
        ``majority``: one row per task; a frame is kept when at least half of the task's
        coders chose it. ``all``: one row per annotation, with ``annotator``.

    Returns
    -------
    DataFrame
        The task's data fields (``text``, ``sentence_id``, ``doc_id``, ``sample_id`` ...),
        ``task_id``, ``frames`` (list of ids), ``annotators`` (or ``annotator``) and,
        when topics were coded, ``topic_fit``. Tasks nobody coded are left out.
    """
    if agreement not in ("majority", "all"):
        raise InputError(f"agreement must be 'majority' or 'all'; got {agreement!r}.")
    lookup = _lookup(catalog) if catalog is not None else None
    rows = []
    for number, task in enumerate(tasks, start=1):
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise InputError(f"Label Studio export, task {number}: expected an object with 'data' and 'annotations'.")
        where = f"task {task.get('id', number)}"
        coded = []
        for ann in task.get("annotations") or []:
            if ann.get("was_cancelled"):
                continue
            picked = _choices(ann.get("result"), FRAMES_CONTROL)
            fit = _choices(ann.get("result"), TOPIC_CONTROL)
            if picked is None and fit is None:
                continue
            frames = _ids(picked or [], lookup, where) if lookup else [p for p in (picked or []) if p != NONE_CHOICE]
            coded.append((ann.get("completed_by"), frames, fit[0] if fit else None))
        if not coded:
            continue
        base = {**task["data"], "task_id": task.get("id")}
        if agreement == "all":
            rows += [{**base, "annotator": who, "frames": frames, "topic_fit": fit} for who, frames, fit in coded]
            continue
        votes = Counter(f for _, frames, _ in coded for f in frames)
        keep = [f for f, k in votes.items() if 2 * k >= len(coded)]
        fits = Counter(fit for _, _, fit in coded if fit)
        rows.append({**base, "frames": keep, "annotators": len(coded),
                     "topic_fit": fits.most_common(1)[0][0] if fits else None})
    table = pd.DataFrame(rows)
    if not len(table):
        raise InputError("The Label Studio export holds no coded task (every task is empty or cancelled).")
    if table["topic_fit"].isna().all():
        table = table.drop(columns="topic_fit")
    return table


def is_label_studio_export(path: str | Path) -> bool:
    """True for a .json file holding a list of Label Studio tasks (objects with ``data`` and ``annotations``)."""
    path = Path(path)
    if path.suffix.lower() != ".json":
        return False
    try:
        head = path.read_text(encoding="utf-8")[:200000].lstrip()
    except (OSError, UnicodeDecodeError):
        return False
    if not head.startswith("["):
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return False
    return isinstance(data, list) and any(isinstance(t, dict) and "annotations" in t and "data" in t for t in data)


def read_label_studio(path: str | Path, catalog=None, agreement: str = "majority") -> pd.DataFrame:
    """Read a Label Studio JSON export (Export -> JSON) into label rows; see :func:`labels_from_tasks`."""
    path = Path(path)
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read the Label Studio export {path}: {exc}.") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"Label Studio export {path} is not valid JSON (line {exc.lineno}): export it again as JSON.") from None
    if not isinstance(data, list):
        raise InputError(f"Label Studio export {path} must be a JSON list of tasks (Export -> JSON, not JSON-MIN or CSV).")
    try:
        return labels_from_tasks(data, catalog, agreement)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
