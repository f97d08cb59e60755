"""The documents and sentences of an unchanged corpus, read back instead of split again.

Reading a corpus is quick; splitting it into units and sentences and
identifying the language of every sentence is not (161 s of a 140k-sentence
run, 7 s of BASIL's 300 articles). Both are deterministic: the same input
files, the same ``corpus``, ``structure``, ``language`` and ``segment``
settings, the same framing code and the same versions of the libraries that
split and identify give the same tables. So :func:`cached_split` keys the
result by the sha256 of all of these together -- each input file by the sha256
of its bytes, which reading computes anyway -- and a re-run reads the two
tables from disk. A changed file, setting, line of framing or library version
is a different key: a miss, split again.

Entries live beside the embedding cache (``<embedding.cache_dir>/ingest/<key>/``:
``documents.parquet``, ``sentences.parquet`` and ``entry.json`` with what was
skipped while splitting and the sha256 of both files). An entry is written
into a temporary folder and renamed into place, so a killed run leaves no half
entry. ``entry.json`` is signed with the user's own cache key
(:mod:`framing.diskcache`): an entry whose signature does not verify (written
by someone else, or changed) or whose files do not match their sha256 is split
again and overwritten, with a :class:`~framing.errors.CacheWarning`, never used.
``embedding.cache: false`` turns it off with the other caches.
"""

from __future__ import annotations

import hashlib
import json
import logging
import warnings
from pathlib import Path
from typing import Callable

import pandas as pd

from ..diskcache import cache_subdir, code_digest, folder_written_whole, read_checked_entry, versions, write_signed_entry
from ..errors import CacheWarning, FramingWarning
from .model import Skipped

logger = logging.getLogger(__name__)

FORMAT = 3  # 2: checksums by file name; 3: signed with the user's cache key
SUBDIR = "ingest"
#: The config sections ingest reads.
SECTIONS = ("corpus", "structure", "language", "segment")
_VERSIONED = ("lingua-language-detector", "pysbd", "pandas", "pyarrow", "numpy", "charset-normalizer",
              "beautifulsoup4", "lxml")
_TABLES = ("documents", "sentences")


def ingest_key(inputs, cfg) -> str:
    """The cache key of splitting ``inputs`` (:class:`~framing.corpus.model.InputFile`) with ``cfg``."""
    from ..config import config_to_dict

    settings = config_to_dict(cfg)
    payload = {
        "format": FORMAT,
        "inputs": [[i.path, i.sha256, i.format, i.records] for i in inputs],
        "config": {name: settings[name] for name in SECTIONS},
        "versions": versions(_VERSIONED),
        "code": code_digest(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def ingest_cache_dir(embedding_cfg) -> Path | None:
    """``<embedding.cache_dir>/ingest``; None when caching is off or the folder is not the user's own."""
    return cache_subdir(embedding_cfg, SUBDIR)


def read_entry(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, list[Skipped], list[dict]] | None:
    """The tables, skipped items and kept warnings of the entry in ``folder``; None when missing, or damaged (with a warning)."""
    try:
        entry = read_checked_entry(folder, FORMAT, SUBDIR)
        if entry is None:
            return None
        tables = [pd.read_parquet(folder / f"{name}.parquet") for name in _TABLES]
        skipped = [Skipped(**s) for s in entry["skipped"]]
        kept = list(entry.get("warnings", []))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        warnings.warn(f"The cached split of the corpus in {folder} is damaged ({exc}); the corpus is split again "
                      "and the entry overwritten.", CacheWarning, stacklevel=3)
        return None
    return tables[0], tables[1], skipped, kept


def write_entry(folder: Path, documents: pd.DataFrame, sentences: pd.DataFrame, skipped: list[Skipped],
                raised: list[dict] | None = None) -> None:
    """Write an entry into ``folder`` whole or not at all (a temporary folder renamed into place)."""
    try:
        with folder_written_whole(folder) as tmp:
            for name, table in zip(_TABLES, (documents, sentences)):
                table.to_parquet(tmp / f"{name}.parquet", index=False)
            entry = {"format": FORMAT,
                     "skipped": [{"item": s.item, "reason": s.reason, "stage": s.stage} for s in skipped],
                     "warnings": list(raised or [])}
            write_signed_entry(tmp, folder.name, SUBDIR, entry)
    except (OSError, ValueError) as exc:
        warnings.warn(f"Could not store the split corpus in {folder} ({exc}); the next run splits it again.",
                      CacheWarning, stacklevel=3)


def _category(name: str) -> type[Warning]:
    from .. import errors

    found = getattr(errors, name, None)
    return found if isinstance(found, type) and issubclass(found, errors.FramingWarning) else errors.FramingWarning


def cached_split(inputs, cfg, split: Callable[[], tuple[pd.DataFrame, pd.DataFrame, list[Skipped]]]):
    """``split()``'s (documents, sentences, skipped), read from the cache when the same split was done before.

    framing's own warnings that ``split()`` raised are kept with the entry and raised again when it is
    read, so a re-run reports the same problems (run.json ``warnings``). Returns the three and whether they came
    from the cache.
    """
    directory = ingest_cache_dir(cfg.embedding)
    if directory is None or not inputs:
        return (*split(), False)
    folder = directory / ingest_key(inputs, cfg)
    found = read_entry(folder)
    if found is not None:
        logger.info("Documents and sentences read from %s (the same inputs, settings and code)", folder)
        documents, sentences, skipped, kept = found
        for record in kept:
            warnings.warn(record["message"], _category(record["category"]), stacklevel=3)
        return documents, sentences, skipped, True
    with warnings.catch_warnings(record=True) as raised:
        warnings.simplefilter("always")
        documents, sentences, skipped = split()
    kept = []
    for w in raised:  # raised again now, as if never caught; framing's own are kept for the next run
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if issubclass(w.category, FramingWarning):
            kept.append({"category": w.category.__name__, "message": str(w.message)})
    write_entry(folder, documents, sentences, skipped, kept)
    return documents, sentences, skipped, False
