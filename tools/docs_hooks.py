"""MkDocs hooks: the reference pages generated from the code, so they cannot drift from it.

A page holds a marker where the generated text goes:

- ``<!-- framing:cli -->``: every command of the typer app with its arguments and options;
- ``<!-- framing:config-keys -->``: every config key with its type and default, from the pydantic models;
- ``<!-- framing:default-config -->``: ``configs/default.yaml`` as shipped;
- ``<!-- framing:columns -->``: the columns of every table, from the golden files of the tests;
- ``<!-- framing:walkthrough -->``: ``docs/walkthrough.py``, the tour the tests run.

``mkdocs build --strict`` (``make docs``, part of ``make test``) runs them.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _is_argument(param) -> bool:
    # typer ships its own copy of click: compare by what the objects say, not by class.
    return getattr(param, "param_type_name", "") == "argument"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _command_markdown(cmd, path: list[str], level: int) -> list[str]:
    out: list[str] = []
    if hasattr(cmd, "commands"):
        if path[1:]:
            out += [f"{'#' * level} `{' '.join(path)}`", "", _cell(cmd.help or ""), ""]
        for name in sorted(cmd.commands):
            out += _command_markdown(cmd.commands[name], [*path, name], level + (1 if path[1:] else 0))
        return out
    ctx = cmd.context_class(cmd, info_name=" ".join(path))
    usage = re.sub(r"\{(\w+)\}", lambda m: m.group(1).upper(), " ".join(cmd.collect_usage_pieces(ctx)))
    usage = re.sub(r"\[([a-z_]+)\]", lambda m: f"[{m.group(1).upper()}]", usage)
    out += [f"{'#' * level} `{' '.join(path)}`", "", "```", f"{' '.join(path)} {usage}", "```", ""]
    if cmd.help:
        out += [cmd.help.strip().replace("\b\n", ""), ""]
    rows = []
    for param in cmd.params:
        record = None if getattr(param, "hidden", False) else param.get_help_record(ctx)
        if record:
            rows.append(f"| `{_cell(record[0])}` | {_cell(record[1]).replace('<', '&lt;')} |")
    if rows:
        out += ["| argument / option | what it does |", "|---|---|", *rows, ""]
    return out


def cli_reference() -> str:
    """Markdown for every command of ``framing``, from the typer app."""
    import typer

    from framing.cli import app

    return "\n".join(_command_markdown(typer.main.get_command(app), ["framing"], 2))


def default_config() -> str:
    text = (ROOT / "configs" / "default.yaml").read_text(encoding="utf-8")
    return f"```yaml\n{text.rstrip()}\n```\n"


def _type_name(annotation) -> str:
    text = getattr(annotation, "__name__", None) if isinstance(annotation, type) else None
    text = text or str(annotation)
    return re.sub(r"\b(typing|pathlib|framing(\.\w+)*)\.", "", text).replace("NoneType", "None")


def config_keys() -> str:
    """Every key of the configuration with its type and default, from the pydantic models."""
    import json

    from framing.config import Config

    rows = ["| key | type | default |", "|---|---|---|"]

    def walk(model, instance, prefix: str) -> None:
        for name, field in model.model_fields.items():
            value = getattr(instance, name)
            ann = field.annotation
            if isinstance(ann, type) and hasattr(ann, "model_fields"):
                walk(ann, value, f"{prefix}{name}.")
                continue
            shown = json.dumps(value.model_dump() if hasattr(value, "model_dump") else value, default=str)
            if len(shown) > 80:
                shown = shown[:77] + "..."
            rows.append(f"| `{prefix}{name}` | {_cell(_type_name(ann))} | `{_cell(shown)}` |")

    walk(Config, Config(), "")
    return "\n".join(rows) + "\n"


def table_columns() -> str:
    golden = ROOT / "tests" / "data" / "golden"
    rows = ["| table | written by | columns |", "|---|---|---|"]
    for path in sorted(golden.glob("*.csv")):
        step, _, table = path.stem.partition("_")
        with path.open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh), [])
        rows.append(f"| `{table}` | {'ingest' if step == 'tiny' else 'analyze'} | {', '.join(header)} |")
    return "\n".join(rows) + "\n"


def walkthrough() -> str:
    text = (ROOT / "docs" / "walkthrough.py").read_text(encoding="utf-8")
    return f"```python\n{text.rstrip()}\n```\n"


MARKERS = {
    "<!-- framing:config-keys -->": config_keys,
    "<!-- framing:walkthrough -->": walkthrough,
    "<!-- framing:cli -->": cli_reference,
    "<!-- framing:default-config -->": default_config,
    "<!-- framing:columns -->": table_columns,
}


def on_page_markdown(markdown: str, page, config, files) -> str:
    for marker, make in MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, make())
    return markdown
