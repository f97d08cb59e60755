"""The ingest stage: files -> pages -> units (documents) -> sentences.

It composes the corpus layer (readers, page structure, language id, the
documents table) and segmentation; the per-unit splitting runs on the Dask
workers under ``--scheduler`` (:mod:`framing.segment.partitioned`).

Examples
--------
>>> from framing.config import load_config
>>> result = ingest(["tests/data/tiny"], load_config())      # doctest: +SKIP
>>> sorted(result.documents.source.unique())                 # doctest: +SKIP
['alpha', 'beta', 'gamma']
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Sequence

from ..config import Config
from ..corpus.ingest import CORPUS_CONFIG_NAME, IngestResult, _input_source, documents_table
from ..corpus.ingest_cache import cached_split
from ..corpus.inputmap import input_offsets
from ..corpus.langid import LanguageIdentifier
from ..corpus.readers import located, read_inputs
from .partitioned import build_sentences  # on the Dask workers under --scheduler, else here

__all__ = ["IngestResult", "ingest"]

log = logging.getLogger("framing.corpus.ingest")  # the logger name users filter on stays the same


def ingest(paths: Sequence[str | Path], cfg: Config, progress: bool = False, base: str | Path | None = None) -> IngestResult:
    """Read inputs, split pages into units, identify languages, split sentences.

    Parameters
    ----------
    paths : sequence of str or Path
        Folders of .txt/.md/.html files (with an optional manifest) or
        .jsonl/.json/.csv/.parquet files.
    cfg : Config
    progress : bool
        Show progress bars on the long steps.
    base : str or Path, optional
        The folder relative ``paths`` are read from (default: the working directory); the paths
        recorded (``documents.file``, inputs, skipped) stay as given.

    Returns
    -------
    IngestResult
    """

    read = read_inputs(paths, cfg.corpus, base=base)
    corpus_configs = {(located(p, base) / CORPUS_CONFIG_NAME).resolve() for p in paths}
    skipped = [s for s in read.skipped if located(s.item, base).resolve() not in corpus_configs]

    def split():
        docs, split_skipped = documents_table(read.pages, cfg)
        identifier = LanguageIdentifier(
            cfg.language.languages, cfg.language.min_confidence, cfg.language.min_chars
        )
        sentences, unit_lang, unit_conf = build_sentences(docs, cfg, identifier, progress=progress)
        docs = docs.assign(language=unit_lang.values, lang_confidence=unit_conf.values)
        docs, sentences = input_offsets(docs, sentences, {p.page_id: _input_source(p) for p in read.pages})
        return docs, sentences, split_skipped

    # An unchanged corpus (same files, settings, code and library versions) is read back, not split again.
    docs, sentences, split_skipped, _ = cached_split(read.inputs, cfg, split)
    skipped += split_skipped
    log.info("ingest: %d pages, %d documents, %d sentences, %d skipped",
             len(read.pages), len(docs), len(sentences), len(skipped))
    return IngestResult(docs, sentences, skipped, list(read.inputs))
