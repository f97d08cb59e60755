"""Reading inputs: folders of text / HTML files with a manifest, and record files.

``read_inputs`` takes what the user gave on the command line (folders and
files) and returns every ``Page`` read, every item skipped (with why), and
every input file with its sha256. Nothing is dropped silently: a file with
an extension that is not read, an empty file, a bad record and a manifest
row without its file each become a ``Skipped`` entry.

Symbolic links inside a folder, to files or to folders, are not followed:
each is a ``Skipped`` entry (a corpus someone sends you must not read
files elsewhere on your disk). A path named directly is read even if it is
a link.

Paths in page ids are relative to the parent of the input argument
(``seeds/000.txt`` for the input ``/any/where/seeds``), so ids do not
depend on where the corpus lives.
"""

from __future__ import annotations

import hashlib
import logging
import os
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..config import CorpusConfig
from ..errors import InputError, InputWarning
from .encoding import CHAOS_WARN, chaos, decode_bytes, legacy_decoded, non_text_reason
from .html import html_to_text
from .manifest import MANIFEST_NAMES, Manifest, find_manifest, read_manifest
from .model import EXTRA_KEY, InputFile, Page, Skipped, stable_id
from .read_meta import build_meta, merge_meta
from .read_records import RECORD_FORMATS, read_record_file

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED = TEXT_SUFFIXES + HTML_SUFFIXES + tuple(RECORD_FORMATS)
LINK_REASON = "symbolic link: not followed; give the target's path to read it"
FOLDER_LINK_REASON = "symbolic link to a folder: not followed; give the target's path to read it"


@dataclass(frozen=True)
class ReadResult:
    """Everything read from the inputs.

    Attributes
    ----------
    pages : list of Page
        One per text/HTML file and one per usable record, in input order
        (files sorted by path inside a folder).
    skipped : list of Skipped
        Items not read, each with its reason.
    inputs : list of InputFile
        Every file opened (documents, record files and manifests).
    """

    pages: list[Page]
    skipped: list[Skipped]
    inputs: list[InputFile]


@dataclass
class _Source:
    """One file to read and how to name it."""

    path: Path
    rel_id: str  # relative to the input argument's parent: goes into page ids
    shown: str  # the path as the user would type it
    folder_source: str | None  # first sub-folder under the input folder


@dataclass
class _Acc:
    pages: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    inputs: list = field(default_factory=list)
    done: set = field(default_factory=set)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _dotted(extension: str) -> str:
    extension = extension.lower().strip()
    return extension if extension.startswith(".") else f".{extension}"


def _walk(folder: Path, recursive: bool) -> tuple[list[str], dict[str, str]]:
    """Posix paths of the non-hidden files under ``folder``, sorted; and the symbolic links met, with why.

    Links are not followed, to files or to folders (links to folders only count when ``recursive``).
    """
    found, links = [], {}
    for root, dirs, files in os.walk(folder):
        base = Path(root).relative_to(folder)
        visible = [d for d in dirs if not d.startswith(".")] if recursive else []
        links.update({(base / d).as_posix(): FOLDER_LINK_REASON for d in visible if os.path.islink(os.path.join(root, d))})
        dirs[:] = [d for d in visible if not os.path.islink(os.path.join(root, d))]
        for name in files:
            if name.startswith("."):
                continue
            if os.path.islink(os.path.join(root, name)):
                links[(base / name).as_posix()] = LINK_REASON
            else:
                found.append((base / name).as_posix())
    return sorted(found), dict(sorted(links.items()))


def _text_meta(src: _Source, raw: dict | None, cfg: CorpusConfig) -> dict:
    meta = build_meta(raw or {}, where=src.shown)
    meta["source"] = meta["source"] or cfg.default_source or src.folder_source or src.path.stem
    meta[EXTRA_KEY] = dict((raw or {}).get(EXTRA_KEY) or {})
    return meta


def _read_document(src: _Source, raw_meta: dict | None, cfg: CorpusConfig, acc: _Acc) -> None:
    """Read one text, HTML or record file into ``acc``."""
    key = src.path.resolve()
    if key in acc.done:
        logger.info("%s was already read; reading it once.", src.shown)
        return
    acc.done.add(key)
    try:
        data = src.path.read_bytes()
    except OSError as exc:
        # A file that vanished or cannot be opened is one lost item, not a lost run.
        why = ("the file disappeared before it could be read" if isinstance(exc, FileNotFoundError)
               else f"cannot be read ({exc.strerror}); check its permissions")
        acc.skipped.append(Skipped(src.shown, why))
        warnings.warn(f"{src.shown}: {why}; it is skipped.", InputWarning, stacklevel=3)
        return
    suffix = src.path.suffix.lower()
    fmt = RECORD_FORMATS.get(suffix) or ("html" if suffix in HTML_SUFFIXES else suffix.lstrip(".") or "txt")
    if not data.strip():
        acc.skipped.append(Skipped(src.shown, "empty file"))
        acc.inputs.append(InputFile(src.shown, _sha(data), fmt, 0))
        return
    if suffix in RECORD_FORMATS:
        pages, skipped, count = read_record_file(src.path, data, src.rel_id, src.shown, cfg)
        acc.pages.extend(pages)
        acc.skipped.extend(skipped)
        acc.inputs.append(InputFile(src.shown, _sha(data), fmt, count))
        return
    text, encoding = decode_bytes(data, cfg.encodings)
    if "+" in encoding:
        warnings.warn(f"{src.shown} mixes encodings ({encoding}): each line was decoded with the one that fits; "
                      "check accented characters, and save the file as UTF-8.", InputWarning, stacklevel=3)
    if "\x00" in text:
        # NUL characters do not occur in text (UTF-16 is decoded by its BOM): this is a binary file.
        acc.skipped.append(Skipped(src.shown, "binary file (NUL bytes), not text; convert it to .txt or .html first"))
        acc.inputs.append(InputFile(src.shown, _sha(data), fmt, 0))
        return
    if (why := non_text_reason(text)) is not None:
        # Random or compressed bytes without a NUL still decode (latin-1 takes any byte): as garbage sentences.
        acc.skipped.append(Skipped(src.shown, why))
        acc.inputs.append(InputFile(src.shown, _sha(data), fmt, 0))
        warnings.warn(f"{src.shown} is {why}; it is skipped.", InputWarning, stacklevel=3)
        return
    meta = _text_meta(src, raw_meta, cfg)
    markup = None
    if suffix in HTML_SUFFIXES:
        markup = text
        text, html_meta = html_to_text(text)
        meta = merge_meta(meta, build_meta(html_meta, date_source="inferred", where=src.shown))
    acc.inputs.append(InputFile(src.shown, _sha(data), fmt, 1))
    if legacy_decoded(encoding) and (measure := chaos(text)) >= CHAOS_WARN:
        warnings.warn(f"{src.shown} was decoded as {encoding}, but its text reads as garbled (chaos {measure:.2f}; "
                      "clean text stays below 0.05): if it is text in another encoding, add that encoding to "
                      "corpus.encodings (cp1250, cp1251 ...) or save the file as UTF-8.", InputWarning, stacklevel=3)
    if not text.strip():
        acc.skipped.append(Skipped(src.shown, "empty file" if fmt != "html" else "no text in HTML page"))
        return
    acc.pages.append(Page(stable_id(src.rel_id, None, text), src.shown, None, text, encoding, meta,
                          text_is_input=suffix not in HTML_SUFFIXES, markup=markup))


def _manifest_input(manifest: Manifest, shown: str, acc: _Acc) -> None:
    if not any(f.path == shown for f in acc.inputs):
        acc.inputs.append(InputFile(shown, manifest.sha256, "manifest", len(manifest.rows)))


def _report_unmatched(manifest: Manifest, folder: Path, used: set, acc: _Acc, shown: Path | None = None) -> None:
    shown = folder if shown is None else shown
    for key, (label, _) in manifest.rows.items():
        if key in used:
            continue
        exists = (folder / key).is_file()
        if (folder / key).is_symlink():
            why = "it is a symbolic link, which is not followed"
        elif not (folder / key).resolve().is_relative_to(folder.resolve()):
            why = "that path is outside the corpus folder, so it is not read"
        elif exists:
            why = "the file is not read (hidden or extension not in corpus.extensions)"
        else:
            why = "the file does not exist"
        item = (shown / key).as_posix()
        acc.skipped.append(Skipped(item, f"listed in manifest {manifest.path.name} ({label}) but {why}"))
        warnings.warn(f"Manifest {manifest.path} {label} names {key}, but {why} in {shown.as_posix()}.", InputWarning, stacklevel=4)


def _read_folder(arg: str | Path, cfg: CorpusConfig, explicit: Manifest | None, acc: _Acc, real: Path | None = None) -> set:
    """Read a folder; return the explicit manifest's keys it used.

    ``real`` is where the folder is read from when that is not ``arg`` (a rerun reads ``arg`` relative to the
    folder the run started in); names shown and recorded keep ``arg`` as given.
    """
    shown_folder = Path(arg)
    folder = Path(real) if real is not None else shown_folder
    base = folder.resolve().name
    manifest = explicit or (read_manifest(found, cfg.encodings, cfg.fields.keep) if (found := find_manifest(folder)) else None)
    manifest_path = manifest.path.resolve() if manifest else None
    if manifest is not None and manifest.path.resolve().parent == folder.resolve():
        _manifest_input(manifest, (shown_folder / manifest.path.name).as_posix(), acc)
    elif manifest is not None:
        _manifest_input(manifest, manifest.path.as_posix(), acc)
    files, links = _walk(folder, cfg.recursive)
    for rel, why in links.items():
        acc.skipped.append(Skipped((shown_folder / rel).as_posix(), why))
    if links:
        first = next(iter(links))
        warnings.warn(f"{shown_folder.as_posix()}: {len(links)} symbolic link(s) not followed (first: {first}); give a "
                      "link's target path as an input to read it.", InputWarning, stacklevel=3)
    names = Counter(rel.rsplit("/", 1)[-1] for rel in files)
    unique = {name for name, n in names.items() if n == 1}
    extensions = {_dotted(e) for e in cfg.extensions}
    used: set = set()
    for rel in files:
        path = folder / rel
        if rel in MANIFEST_NAMES or path.resolve() == manifest_path:
            continue
        shown = (shown_folder / rel).as_posix()
        if path.suffix.lower() not in extensions:
            acc.skipped.append(Skipped(shown, f"unsupported extension (corpus.extensions: {', '.join(cfg.extensions)})"))
            continue
        row = manifest.lookup(rel, unique) if manifest else None
        if row:
            used.add(row[0])
        parts = rel.split("/")
        src = _Source(path, f"{base}/{rel}", shown, parts[0] if len(parts) > 1 else None)
        _read_document(src, row[1] if row else None, cfg, acc)
    if manifest is not None and explicit is None:
        _report_unmatched(manifest, folder, used, acc, shown_folder)
    return used


def _key_for(path: Path, manifest: Manifest) -> str:
    """The file's manifest key: its path relative to the manifest's folder, else its name."""
    try:
        return path.resolve().relative_to(manifest.path.resolve().parent).as_posix()
    except ValueError:
        return path.name


def _read_file(arg: str | Path, cfg: CorpusConfig, explicit: Manifest | None, acc: _Acc, real: Path | None = None) -> None:
    path = Path(real) if real is not None else Path(arg)
    suffix = path.suffix.lower()
    supported = sorted(set(SUPPORTED) | {_dotted(e) for e in cfg.extensions})
    if path.name in MANIFEST_NAMES:
        raise InputError(f"{path} is a manifest; give the folder that holds it ({path.parent}) as the input.")
    if suffix not in supported:
        raise InputError(
            f"{path} has an unsupported extension '{path.suffix}'. Supported: {', '.join(supported)} (or a folder)."
        )
    row = None
    if suffix not in RECORD_FORMATS:
        manifest = explicit or (read_manifest(found, cfg.encodings, cfg.fields.keep) if (found := find_manifest(path.parent)) else None)
        row = manifest.lookup(_key_for(path, manifest), {path.name}) if manifest else None
        if row and manifest is not None:
            _manifest_input(manifest, manifest.path.as_posix(), acc)
    _read_document(_Source(path, path.resolve().name, Path(arg).as_posix(), None), row[1] if row else None, cfg, acc)


def located(path: str | Path, base: str | Path | None) -> Path:
    """Where ``path`` is read from: relative to ``base`` when it is relative and ``base`` is given.

    >>> located("seeds", "/data").as_posix(), located("/abs/seeds", "/data").as_posix(), located("seeds", None).as_posix()
    ('/data/seeds', '/abs/seeds', 'seeds')
    """
    path = Path(path)
    return path if base is None or path.is_absolute() else Path(base) / path


def read_inputs(paths: Sequence[str | Path] | str | Path, cfg: CorpusConfig, base: str | Path | None = None) -> ReadResult:
    """Read folders and files into pages.

    Parameters
    ----------
    paths : sequence of str or Path
        Folders of ``.txt`` / ``.md`` / ``.html`` files (with an optional
        manifest), or single ``.txt``, ``.md``, ``.html``, ``.jsonl``,
        ``.json``, ``.csv`` or ``.parquet`` files.
    cfg : CorpusConfig
        Field mapping, manifest, extensions, encodings, default source.
    base : str or Path, optional
        The folder relative paths (and a relative ``corpus.manifest``) are read from; default the
        working directory. Paths in pages, skipped items and inputs stay as given, so a rerun from
        elsewhere (``framing rerun``) records the same ``documents.file`` as the run it repeats.

    Returns
    -------
    ReadResult
        ``pages``, ``skipped`` and ``inputs``.

    Raises
    ------
    InputError
        A path does not exist, has an unsupported extension, or a file or
        manifest cannot be parsed at all.
    FieldMappingError
        The text field, or a field the user mapped, is in no record of a file.

    Examples
    --------
    >>> from framing.config import CorpusConfig
    >>> result = read_inputs(["seeds"], CorpusConfig())  # doctest: +SKIP
    >>> len(result.pages), result.pages[0].meta["source"]  # doctest: +SKIP
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for arg in paths:
        if not located(arg, base).exists():
            raise InputError(
                f"{arg} does not exist; give a folder or a {'/'.join(SUPPORTED)} file."
            )
    explicit = None
    if cfg.manifest:
        if not located(cfg.manifest, base).is_file():
            raise InputError(f"Manifest {cfg.manifest} (corpus.manifest) does not exist. Fix the path or unset it.")
        explicit = read_manifest(located(cfg.manifest, base), cfg.encodings, cfg.fields.keep)
    acc = _Acc()
    used: set = set()
    folders = [Path(a) for a in paths if located(a, base).is_dir()]
    for arg in paths:
        real = located(arg, base) if base is not None else None
        if located(arg, base).is_dir():
            used |= _read_folder(arg, cfg, explicit, acc, real)
        else:
            _read_file(arg, cfg, explicit, acc, real)
    if explicit is not None and folders:
        _report_unmatched(explicit, located(folders[0], base), used, acc, folders[0])
    logger.info("Read %d pages from %d files; skipped %d items.", len(acc.pages), len(acc.inputs), len(acc.skipped))
    return ReadResult(acc.pages, acc.skipped, acc.inputs)
