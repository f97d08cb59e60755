"""Technique catalogs: YAML files of propaganda techniques, in the format of the frame catalogs.

A technique catalog is a frame catalog whose list is called ``techniques``
and whose entries may say where the technique is usually located::

    catalog: propaganda
    languages: [en, nl]
    techniques:
      - id: loaded-language
        label: Loaded language
        span: word                  # word | clause | document (default clause)
        description: ...
        aliases: [Loaded_Language]  # names in coded data (PTC labels)
        keywords: [horrific, ...]   # cue words (locate word-level spans without a trained model)
        examples: {en: [...], nl: [...]}
        negatives: {en: [...]}

Every other key, and every check, is the frame catalog's
(:mod:`framing.frames.catalog`): so a technique catalog is scored zero-shot
exactly like a frame catalog (:class:`framing.frames.FrameMatcher`), and its
errors name the file, line, technique and field.

Bundled catalogs live in ``configs/techniques`` (``propaganda``).

Examples
--------
>>> cat = load_technique_catalog("propaganda")
>>> cat.span_of("loaded-language"), cat.span_of("doubt"), len(cat.ids)
('word', 'clause', 14)
>>> cat.resolve_id("Name_Calling,Labeling")
'name-calling'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import CatalogError
from ..frames.catalog import FrameCatalog, _LineLoader, parse_catalog
from ..resources import configs_dir

TECHNIQUE_CATALOG_DIR = configs_dir() / "techniques"
SPAN_KINDS = ("word", "clause", "document")
DEFAULT_SPAN = "clause"


@dataclass(frozen=True)
class TechniqueCatalog:
    """A catalog of techniques: the frame catalog it is scored as, and where each technique is located.

    Attributes
    ----------
    frames : FrameCatalog
        The techniques as frames (ids, labels, descriptions, anchors, aliases, keywords).
    spans : dict of str to str
        Per technique id: ``word``, ``clause`` or ``document``.
    path : str
        The file it was read from.
    """

    frames: FrameCatalog
    spans: dict = field(default_factory=dict)
    path: str = ""

    @property
    def name(self) -> str:
        return self.frames.name

    @property
    def ids(self) -> list[str]:
        return self.frames.ids

    def get(self, technique_id: str):
        return self.frames.get(technique_id)

    def label(self, technique_id: str) -> str:
        return self.frames.get(technique_id).label

    def span_of(self, technique_id: str) -> str:
        """Where the technique is located: ``word``, ``clause`` or ``document``."""
        return self.spans.get(technique_id, DEFAULT_SPAN)

    def resolve_id(self, name: str) -> str | None:
        """The technique id for an id, an alias or another spelling of one (None when none)."""
        return self.frames.resolve_id(name)

    def __len__(self) -> int:
        return len(self.frames)


def _technique_error(exc: CatalogError) -> CatalogError:
    return CatalogError(str(exc).replace("Frame catalog", "Technique catalog").replace("frame '", "technique '"))


def parse_technique_catalog(data, path="<catalog>") -> TechniqueCatalog:
    """Validate a parsed YAML document and build its :class:`TechniqueCatalog`.

    >>> cat = parse_technique_catalog({"techniques": [{"id": "slogans", "label": "Slogans", "description": "d",
    ...                                                "span": "clause", "examples": ["Build the wall!"]}]})
    >>> cat.ids, cat.span_of("slogans")
    (['slogans'], 'clause')
    """
    if not isinstance(data, dict) or not isinstance(data.get("techniques"), list) or not data["techniques"]:
        raise CatalogError(f"Technique catalog {path} / field 'techniques': a technique catalog must be a mapping "
                           "with a non-empty 'techniques' list (see configs/techniques/propaganda.yaml).")
    data = dict(data)
    entries, spans, problems = [], {}, []
    for i, raw in enumerate(data.pop("techniques")):
        if isinstance(raw, dict):
            raw = dict(raw)
            span = raw.pop("span", DEFAULT_SPAN)
            if span not in SPAN_KINDS and isinstance(raw.get("id"), str):
                line = raw.get("__line__")
                problems.append(f"Technique catalog {path}{f', line {line}' if line else ''} / technique "
                                f"'{raw['id']}' / field 'span': must be one of {', '.join(SPAN_KINDS)}; got {span!r}.")
            if isinstance(raw.get("id"), str):
                spans[raw["id"]] = span
        entries.append(raw)
    if problems:
        raise CatalogError("\n".join(problems))
    if "frames" in data:
        raise CatalogError(f"Technique catalog {path} / field 'frames': a technique catalog lists 'techniques', "
                           "not 'frames'; a frame catalog belongs in configs/frames and --frames.")
    data["frames"] = entries
    try:
        frames = parse_catalog(data, path)
    except CatalogError as exc:
        raise _technique_error(exc) from None
    return TechniqueCatalog(frames=frames, spans=spans, path=str(path))


def resolve_technique_catalog_path(path: str | Path) -> Path:
    """A path as given, or a bare catalog name looked up in ``configs/techniques``."""
    p = Path(path)
    if p.is_file():
        return p
    for candidate in (TECHNIQUE_CATALOG_DIR / p, TECHNIQUE_CATALOG_DIR / f"{p}.yaml"):
        if candidate.is_file():
            return candidate
    names = ", ".join(sorted(x.stem for x in TECHNIQUE_CATALOG_DIR.glob("*.yaml"))) or "none"
    raise CatalogError(f"Technique catalog {path} not found. Give a YAML file path or one of: {names}.")


def load_technique_catalog(path: str | Path) -> TechniqueCatalog:
    """Read and validate one technique catalog (a file, or the name of a bundled one such as ``propaganda``).

    Raises
    ------
    CatalogError
        Naming the file, line, technique and field that is wrong.
    """
    p = resolve_technique_catalog_path(path)
    try:
        data = yaml.load(p.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{p}, line {mark.line + 1}" if mark else str(p)
        raise CatalogError(f"Technique catalog {where}: not valid YAML: {getattr(exc, 'problem', exc)}.") from None
    if isinstance(data, dict):
        data.pop("__line__", None)
    return parse_technique_catalog(data, p)


def bundled_technique_catalogs() -> list[Path]:
    """The catalogs shipped in ``configs/techniques``."""
    return sorted(TECHNIQUE_CATALOG_DIR.glob("*.yaml"))
