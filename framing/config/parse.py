"""Reading config layers: YAML files, ``--set section.key=value`` items, merging, and errors that name the key."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import ConfigError
from .sections import Config


def _deep_merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"Cannot read config file {path}: {exc.strerror}. Check the path.") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"Config file {path} is not valid YAML{where}: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"Config file {path} must hold a mapping of sections, got {type(data).__name__}.")
    return data


def _parse_value(raw: str) -> Any:
    """A ``--set`` value: YAML for numbers, booleans, null and [lists] / {maps}; otherwise the text as typed.

    >>> _parse_value("5"), _parse_value("[a, b]"), _parse_value("Syria: the war"), _parse_value("#body")
    (5, ['a', 'b'], 'Syria: the war', '#body')
    """
    text = raw.strip()
    if not text:
        return None
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return raw
    if isinstance(value, (list, dict)) and not text.startswith(("[", "{")):
        return raw  # "a: b" is a title with a colon, not a mapping
    if value is None and text not in ("null", "~", "Null", "NULL"):
        return raw  # "#body" is a field name, not a YAML comment
    return value


def parse_override(item: str) -> dict:
    """Turn ``section.key=value`` into a nested dict; the value is parsed as YAML.

    >>> parse_override("topics.min_cluster_size=5")
    {'topics': {'min_cluster_size': 5}}
    """
    if "=" not in item:
        raise ConfigError(f"Override {item!r} must look like section.key=value (for example topics.min_cluster_size=5).")
    dotted, raw = item.split("=", 1)
    keys = [k.strip() for k in dotted.strip().split(".")]
    if not all(keys):
        raise ConfigError(f"Override {item!r} has an empty key; use section.key=value.")
    value = _parse_value(raw)
    nested: Any = value
    for key in reversed(keys):
        nested = {key: nested}
    return nested


def _allowed_keys(model: type[BaseModel], path: tuple) -> list[str]:
    for part in path:
        field = model.model_fields.get(str(part))
        if field is None:
            return []
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            model = ann
        else:
            return []
    return sorted(model.model_fields)


def _format_validation_error(exc: ValidationError, origin: str) -> str:
    lines = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        dotted = ".".join(str(p) for p in loc) or "(top level)"
        if err["type"] == "extra_forbidden":
            allowed = _allowed_keys(Config, loc[:-1])
            lines.append(f"Unknown config key '{dotted}'. Allowed keys here: {', '.join(allowed)}.")
        else:
            got = err.get("input")
            lines.append(f"Config value '{dotted}' is invalid: {err['msg']}. Got {got!r} instead.")
    return f"Invalid configuration ({origin}):\n  " + "\n  ".join(lines)


def config_to_dict(cfg: Config) -> dict:
    """The resolved config as plain data (for run.json and the report)."""
    return cfg.model_dump(mode="json")
