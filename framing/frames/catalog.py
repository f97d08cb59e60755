"""Frame catalogs: YAML files of frames with multilingual anchor statements.

A catalog file looks like this::

    catalog: us-middle-east            # name (defaults to the file stem)
    description: Frames of ...          # optional
    languages: [en, nl]                 # every frame needs examples in each
    frames:
      - id: us-withdrawal-as-defeat     # lowercase slug, unique across catalogs
        label: US withdrawal is a defeat
        description: What the frame asserts.
        parent: null                    # optional id of a narrative (two levels)
        keywords: [withdrawal, defeat]  # optional
        aliases: [defeat]               # optional other names (label names in coded data)
        counters: [us-withdrawal-as-strategy]  # optional ids of frames that rebut this one
        examples:                       # positive anchors, per language
          en: [...]
          nl: [...]
        negatives:                      # optional near misses, per language
          en: [...]

``examples`` and ``negatives`` may also be a plain list (language ``und``;
the per-language check of ``languages`` then does not apply). ``name`` is
accepted for ``catalog``.
A frame that is the parent of other frames may omit ``examples``: it is then
a narrative whose matches are the union of its sub-narratives'.
``counters`` declares opposition (a frame and its rebuttal): it names frames
of this file or of another catalog used with it (a file of rebuttals beside a
bundled catalog), checked when catalogs are loaded together
(:func:`merge_catalogs`); the relation is symmetric (declare it on either side).
Outlet-against-audience comparisons use it to tell comments that *contest*
an article's frame from comments that take it up (:mod:`framing.compare.audience`).

Examples
--------
>>> cat = load_catalog("policy-frames")
>>> cat.get("economic").label
'Economic'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import CatalogError
from ..resources import configs_dir

CATALOG_DIR = configs_dir() / "frames"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
FRAME_KEYS = {"id", "label", "description", "examples", "negatives", "keywords", "parent", "aliases", "counters"}
TOP_KEYS = {"catalog", "name", "description", "languages", "frames"}
UNDEFINED_LANG = "und"


@dataclass(frozen=True)
class Frame:
    """One frame: an interpretation a text promotes.

    ``examples`` and ``negatives`` map a language code to its statements.
    """

    id: str
    label: str
    description: str
    examples: dict[str, tuple[str, ...]] = field(default_factory=dict)
    negatives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    keywords: tuple[str, ...] = ()
    parent: str | None = None
    catalog: str = ""
    aliases: tuple[str, ...] = ()
    counters: tuple[str, ...] = ()

    @property
    def anchors(self) -> list[str]:
        """All positive examples, every language, in file order."""
        return [t for texts in self.examples.values() for t in texts]

    @property
    def near_misses(self) -> list[str]:
        """All negative examples, every language."""
        return [t for texts in self.negatives.values() for t in texts]


_FILLER_WORDS = {"and", "of"}


def spelling_key(name: str) -> tuple[str, ...]:
    """A frame name's words, lower case, without "and" / "of": how a label file may spell an id.

    >>> spelling_key("Legality_Constitutionality_and_jurisprudence")
    ('legality', 'constitutionality', 'jurisprudence')
    """
    return tuple(w for w in re.split(r"[^0-9a-z]+", str(name).lower()) if w and w not in _FILLER_WORDS)


@dataclass(frozen=True)
class FrameCatalog:
    """An ordered set of frames with unique ids (one file or several merged)."""

    name: str
    frames: tuple[Frame, ...]
    languages: tuple[str, ...] = ()
    description: str = ""
    paths: tuple[str, ...] = ()

    @property
    def ids(self) -> list[str]:
        return [f.id for f in self.frames]

    def get(self, frame_id: str) -> Frame:
        for frame in self.frames:
            if frame.id == frame_id:
                return frame
        raise KeyError(f"No frame {frame_id!r} in catalog {self.name!r}; frames: {', '.join(self.ids)}.")

    def resolve_id(self, name: str) -> str | None:
        """The frame id for a frame id or one of a frame's ``aliases`` (None when neither).

        Another spelling of an id or alias is accepted when it names one frame
        only: case, ``_`` / ``-`` / spaces and the words "and", "of" do not
        count, so the Media Frames Corpus's ``Quality_of_life`` or
        ``Legality_Constitutionality_and_jurisprudence`` name ``quality-of-life``
        and ``legality-constitutionality-jurisprudence``.

        >>> cat = parse_catalog({"frames": [{"id": "quality-of-life", "label": "Q", "description": "d",
        ...                                  "examples": ["x"]}]})
        >>> cat.resolve_id("Quality_of_life"), cat.resolve_id("quality")
        ('quality-of-life', None)
        """
        for frame in self.frames:
            if name == frame.id or name in frame.aliases:
                return frame.id
        key = spelling_key(name)
        found = {frame.id for frame in self.frames if key in {spelling_key(n) for n in (frame.id, *frame.aliases)}}
        return found.pop() if len(found) == 1 else None

    def counters_of(self, frame_id: str) -> list[str]:
        """Ids of the frames that counter ``frame_id``: declared on either side (the relation is symmetric).

        >>> cat = parse_catalog({"frames": [{"id": "a", "label": "A", "description": "a", "examples": ["x"],
        ...                                  "counters": ["b"]}, {"id": "b", "label": "B", "description": "b",
        ...                                                       "examples": ["y"]}]})
        >>> cat.counters_of("b"), cat.counters_of("a")
        (['a'], ['b'])
        """
        out = set(self.get(frame_id).counters) | {f.id for f in self.frames if frame_id in f.counters}
        return [i for i in self.ids if i in out]

    def has_counters(self) -> bool:
        """Whether any frame declares a counter-frame."""
        return any(f.counters for f in self.frames)

    def external_counters(self) -> list[tuple[str, str]]:
        """(frame id, counter id) pairs whose counter-frame is not in this catalog (another catalog must define it)."""
        ids = set(self.ids)
        return [(f.id, c) for f in self.frames for c in f.counters if c not in ids]

    def children(self, frame_id: str) -> list[Frame]:
        return [f for f in self.frames if f.parent == frame_id]

    def matchable(self) -> list[Frame]:
        """Frames with anchors of their own (narratives without examples are rolled up)."""
        return [f for f in self.frames if f.anchors]

    def __len__(self) -> int:
        return len(self.frames)


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records the line of every mapping under ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _fail(path, message: str, frame_id: str | None = None, field_name: str | None = None, line=None) -> CatalogError:
    where = [str(path)]
    if line:
        where[0] += f", line {line}"
    if frame_id:
        where.append(f"frame '{frame_id}'")
    if field_name:
        where.append(f"field '{field_name}'")
    return CatalogError(f"Frame catalog {' / '.join(where)}: {message}")


def _texts(value, path, frame_id, name, line) -> dict[str, tuple[str, ...]]:
    """Normalise ``examples`` / ``negatives`` to {lang: (text, ...)}."""
    if value is None:
        return {}
    if isinstance(value, list):
        value = {UNDEFINED_LANG: value}
    if not isinstance(value, dict):
        raise _fail(path, "must be a list of statements or a mapping of language code to a list.", frame_id, name, line)
    out: dict[str, tuple[str, ...]] = {}
    for lang, texts in value.items():
        if lang == "__line__":
            continue
        if not isinstance(texts, list) or not all(isinstance(t, str) and t.strip() for t in texts):
            raise _fail(path, f"'{name}.{lang}' must be a list of non-empty strings.", frame_id, name, line)
        out[str(lang)] = tuple(t.strip() for t in texts)
    return out


def _frame(raw, path, catalog: str, index: int) -> Frame:
    if not isinstance(raw, dict):
        raise _fail(path, f"frame #{index + 1} must be a mapping with id, label, description and examples.")
    line = raw.pop("__line__", None)
    frame_id = raw.get("id")
    if not isinstance(frame_id, str) or not ID_PATTERN.match(frame_id):
        raise _fail(path, f"frame #{index + 1} needs an 'id' of lowercase letters, digits, '-' or '_'; got {frame_id!r}.",
                    None, "id", line)
    unknown = sorted(set(raw) - FRAME_KEYS)
    if unknown:
        raise _fail(path, f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(FRAME_KEYS))}.",
                    frame_id, unknown[0], line)
    for name in ("label", "description"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise _fail(path, f"'{name}' is required and must be a non-empty string.", frame_id, name, line)
    keywords = raw.get("keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise _fail(path, "'keywords' must be a list of strings.", frame_id, "keywords", line)
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise _fail(path, "'aliases' must be a list of other names of the frame (label names in coded data).",
                    frame_id, "aliases", line)
    counters = raw.get("counters") or []
    if not isinstance(counters, list) or not all(isinstance(c, str) and ID_PATTERN.match(c.strip()) for c in counters):
        raise _fail(path, "'counters' must be a list of ids of frames that rebut this one.", frame_id, "counters", line)
    parent = raw.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise _fail(path, "'parent' must be the id of another frame.", frame_id, "parent", line)
    return Frame(
        id=frame_id, label=raw["label"].strip(), description=" ".join(raw["description"].split()),
        examples=_texts(raw.get("examples"), path, frame_id, "examples", line),
        negatives=_texts(raw.get("negatives"), path, frame_id, "negatives", line),
        keywords=tuple(keywords), parent=parent, catalog=catalog, aliases=tuple(a.strip() for a in aliases),
        counters=tuple(dict.fromkeys(c.strip() for c in counters)),
    )


def _structure_problems(frames: list[tuple[Frame, int | None]], languages: list[str], path) -> list[str]:
    """Every problem across frames: duplicate ids, parents, missing examples (with lines)."""
    problems: list[str] = []
    seen: set[str] = set()
    for frame, line in frames:
        if frame.id in seen:
            problems.append(str(_fail(path, "duplicate id; every frame id must be unique.", frame.id, "id", line)))
        seen.add(frame.id)
    names: dict[str, str] = {f.id: f.id for f, _ in frames}
    for frame, line in frames:
        for alias in frame.aliases:
            if names.get(alias, frame.id) != frame.id:
                problems.append(str(_fail(path, f"alias '{alias}' is already a name of frame '{names[alias]}'.",
                                          frame.id, "aliases", line)))
            names.setdefault(alias, frame.id)
    parents = {f.parent for f, _ in frames if f.parent}
    by_id = {f.id: f for f, _ in frames}
    for frame, line in frames:
        if frame.parent is not None:
            if frame.parent == frame.id:
                problems.append(str(_fail(path, "a frame cannot be its own parent.", frame.id, "parent", line)))
            elif frame.parent not in by_id:
                problems.append(str(_fail(path, f"parent '{frame.parent}' is not a frame of this catalog.",
                                          frame.id, "parent", line)))
            elif by_id[frame.parent].parent is not None:
                problems.append(str(_fail(path, "the taxonomy has two levels: a parent cannot itself have a parent.",
                                          frame.id, "parent", line)))
        if frame.id in frame.counters:
            problems.append(str(_fail(path, "a frame cannot counter itself.", frame.id, "counters", line)))
        if not frame.anchors and frame.id not in parents:
            problems.append(str(_fail(path, "missing examples: add positive anchor statements (several per language).",
                                      frame.id, "examples", line)))
        if frame.anchors and set(frame.examples) != {UNDEFINED_LANG}:
            missing = [lang for lang in languages if not frame.examples.get(lang)]
            if missing:
                problems.append(str(_fail(path, f"missing examples in language(s) {', '.join(missing)} declared by "
                                                "the catalog.", frame.id, "examples", line)))
    return problems


def parse_catalog(data, path="<catalog>") -> FrameCatalog:
    """Validate a parsed YAML document and build its :class:`FrameCatalog`.

    Every problem of every frame is reported at once, each with its line,
    frame id and field, so a catalog can be fixed in one pass.
    """
    if not isinstance(data, dict) or not isinstance(data.get("frames"), list) or not data["frames"]:
        raise _fail(path, "a catalog must be a mapping with a non-empty 'frames' list.", None, "frames")
    data = dict(data)
    data.pop("__line__", None)
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise _fail(path, f"unknown top-level key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(TOP_KEYS))}.",
                    None, unknown[0])
    name = str(data.get("catalog") or data.get("name") or Path(str(path)).stem)
    languages = data.get("languages") or []
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        raise _fail(path, "'languages' must be a list of language codes such as [en, nl].", None, "languages")
    frames, problems = [], []
    for i, raw in enumerate(data["frames"]):
        line = raw.get("__line__") if isinstance(raw, dict) else None
        try:
            frames.append((_frame(dict(raw) if isinstance(raw, dict) else raw, path, name, i), line))
        except CatalogError as exc:
            problems.append(str(exc))
    problems += _structure_problems(frames, languages, path)
    if len(problems) == 1:
        raise CatalogError(problems[0])
    if problems:
        raise CatalogError(f"Frame catalog {path} has {len(problems)} problems:\n  - " + "\n  - ".join(problems))
    return FrameCatalog(name=name, frames=tuple(f for f, _ in frames), languages=tuple(languages),
                        description=str(data.get("description") or "").strip(), paths=(str(path),))


def resolve_catalog_path(path: str | Path) -> Path:
    """A path as given, or a bare catalog name looked up in ``configs/frames``."""
    p = Path(path)
    if p.exists():
        return p
    for candidate in (CATALOG_DIR / p, CATALOG_DIR / f"{p}.yaml"):
        if candidate.exists():
            return candidate
    raise CatalogError(f"Frame catalog {path} not found. Give a YAML file path or one of: "
                       f"{', '.join(sorted(x.stem for x in CATALOG_DIR.glob('*.yaml')))}.")


def load_catalog(path: str | Path) -> FrameCatalog:
    """Read and validate one catalog file.

    Parameters
    ----------
    path : str or Path
        A YAML file, or the name of a bundled catalog (``us-middle-east``).

    Raises
    ------
    CatalogError
        Naming the file, line, frame id and field that is wrong.
    """
    p = resolve_catalog_path(path)
    try:
        data = yaml.load(p.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _fail(p, f"not valid YAML: {getattr(exc, 'problem', exc)}.", line=mark.line + 1 if mark else None) from None
    return parse_catalog(data, p)


def merge_catalogs(catalogs: list[FrameCatalog]) -> FrameCatalog:
    """One catalog from several; a frame id used twice is an error."""
    owner: dict[str, str] = {}
    for cat in catalogs:
        for frame in cat.frames:
            if frame.id in owner:
                raise CatalogError(f"Frame id '{frame.id}' is defined in both {owner[frame.id]} and "
                                   f"{', '.join(cat.paths) or cat.name}; rename one of them.")
            owner[frame.id] = ", ".join(cat.paths) or cat.name
    for cat in catalogs:
        for frame_id, other in cat.external_counters():
            if other not in owner:
                raise CatalogError(f"Frame catalog {', '.join(cat.paths) or cat.name} / frame '{frame_id}' / field "
                                   f"'counters': counter-frame '{other}' is in none of the catalogs used "
                                   f"({', '.join(c.name for c in catalogs)}); fix the id or load the catalog "
                                   "that defines it too.")
    if len(catalogs) == 1:
        return catalogs[0]
    langs = tuple(dict.fromkeys(lang for c in catalogs for lang in c.languages))
    return FrameCatalog(name="+".join(c.name for c in catalogs), frames=tuple(f for c in catalogs for f in c.frames),
                        languages=langs, paths=tuple(p for c in catalogs for p in c.paths))


def load_catalogs(paths) -> FrameCatalog:
    """Read several catalogs and merge them (duplicate ids across files are an error)."""
    paths = list(paths)
    if not paths:
        raise CatalogError("No frame catalog given; pass --frames FILE or list files in frames.catalogs.")
    return merge_catalogs([load_catalog(p) for p in paths])


def bundled_catalogs() -> list[Path]:
    """The catalogs shipped in ``configs/frames``."""
    return sorted(CATALOG_DIR.glob("*.yaml"))
