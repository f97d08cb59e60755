"""The ``analyze`` job: ingest, embed, cluster topics, match frames, compare, and write the run folder.

Each stage step takes plain data and returns plain data (:mod:`framing.embed.step`,
:mod:`framing.topics.step`, :mod:`framing.frames.step`); this module only wires them
and records what happened in run.json.

Examples
--------
>>> from framing.config import load_config
>>> cfg = load_config(overrides=["embedding.model=hashing", "topics.reducer=pca"])
>>> run = analyze(["tests/data/tiny"], cfg, out="/tmp/tiny-run")   # doctest: +SKIP
>>> sorted(run.tables)[:4]                                         # doctest: +SKIP
['compare_audience', 'compare_divergence', 'compare_prevalence', 'compare_terms']
"""

from __future__ import annotations

from dataclasses import replace

from pathlib import Path
from typing import Sequence

from ..config import Config
from ..segment.step import ingest
from ..embed.step import embed_step
from ..frames.step import frame_step, trained_catalog_model
from ..runlog import RunLog
from ..topics.step import TopicResult, topic_step
from .common import RunResult, Say, base_meta, check_documents, check_resources, prepare_run_dir, quiet, roles
from .write import Amend, Extra, write_run


def analyze(paths: Sequence[str | Path], cfg: Config, out: str | Path | None = None,
            frames: Sequence[str] | None = None, command: str = "framing analyze",
            techniques: Sequence[str] | None = None,
            say: Say = quiet, progress: bool = False, warn: Say | None = None,
            base: str | Path | None = None, extra: Extra | None = None, amend: Amend | None = None) -> RunResult:
    """Ingest, embed, cluster topics, match frames, and write the run folder with its report.

    Parameters
    ----------
    paths : sequence of str or Path
    cfg : Config
    out : str or Path, optional
        The run folder; default ``reports/<corpus name>/``.
    frames : sequence of str, optional
        Catalog paths or built-in names, added to ``cfg.frames.catalogs``.
    techniques : sequence of str, optional
        A technique catalog (path or built-in name such as ``propaganda``): replaces ``cfg.techniques.catalogs``.
    warn : callable, optional
        Receives one line per warning (None: Python shows them). Every warning
        is recorded in run.json's ``warnings`` with its stage.
    base : str or Path, optional
        The folder relative ``paths`` are read from (``framing rerun``); recorded paths stay as given.
    extra, amend : callable, optional
        A job's own files and run.json record, written with the run (:func:`framing.jobs.write.write_run`).

    Returns
    -------
    RunResult
    """
    with RunLog(echo=warn) as log:
        run_dir = prepare_run_dir(paths, cfg, out)
        if frames:
            # --frames adds catalogs; record them in the config so run.json can repeat the run.
            cfg = cfg.model_copy(deep=True)
            cfg.frames.catalogs = list(dict.fromkeys([*cfg.frames.catalogs, *frames]))
        if techniques:
            cfg = cfg.model_copy(deep=True)
            cfg.techniques.catalogs = list(dict.fromkeys(techniques))
        # Everything that can fail without the corpus fails now, not after minutes of embedding.
        check_resources(cfg)
        if cfg.techniques.catalogs:
            from ..techniques.step import check_techniques

            check_techniques(cfg.techniques.catalogs, cfg.techniques.scorer)
        choice = trained_catalog_model(cfg)
        log.stage = "ingest"
        return _analyze(paths, cfg, run_dir, command, say, progress, log, base, choice=choice, extra=extra,
                        amend=amend)


def _analyze(paths, cfg: Config, run_dir: Path, command: str, say: Say, progress: bool, log: RunLog,
             base: str | Path | None = None, choice: tuple[str, str] | None = None, extra: Extra | None = None,
             amend: Amend | None = None) -> RunResult:
    from ..compare import default_comparisons
    from ..compare.counts import COUNTS_TABLE, corpus_counts
    from ..memory import release_memory
    from ..topics.documents import document_topics

    catalogs = list(cfg.frames.catalogs)
    say(f"Reading {', '.join(map(str, paths))}")
    result = ingest(paths, cfg, progress=progress, base=base)
    check_documents(result, paths)
    counts = result.counts()
    say(f"{counts['documents']} documents ({roles(counts)}), {counts['sentences']} sentences, "
        f"{counts['skipped']} skipped")
    log.stage = "embed"
    embedded = embed_step(result.sentences, cfg, say, progress, choice=choice)
    vectors, rows, emb_info, embedder = embedded.vectors, embedded.rows, embedded.info, embedded.embedder
    del embedded  # the vectors are released below, once the frames are matched
    release_memory()  # at 140k sentences the embedding stage leaves ~0.2 GiB of freed heap behind
    log.stage = "topics"
    fitted = _prepare_topic_model(topic_step(result.sentences, vectors, rows, cfg, say, keep_model=True,
                                             embedder=embedder, cache=True), emb_info)
    sentences, topics = fitted.sentences, fitted.topics
    release_memory()
    tables = {"documents": result.documents, "sentences": sentences, "topics": topics,
              "document_topics": document_topics(sentences)}
    if cfg.topics.hierarchy and fitted.hierarchy is not None:
        tables["topic_hierarchy"] = fitted.hierarchy
    meta = base_meta(paths, cfg, result, command, base)
    meta.update(embedding=emb_info, topics=fitted.info)
    if not catalogs and cfg.frames.default_catalog:
        catalogs = [cfg.frames.default_catalog]
        say(f"No frame catalog named: applying the default catalog '{cfg.frames.default_catalog}' "
            "(frames.default_catalog; name one with --frames, or set frames.default_catalog=null for none).")
    if catalogs:
        log.stage = "frames"
        frame_tables, meta["frames"] = frame_step(sentences, vectors, rows, topics, embedder, catalogs, cfg, say)
        tables.update(frame_tables)
    else:
        note = ("No frame catalog named and frames.default_catalog is null: frames were not matched, so the run "
                "has no frame tables. Name a catalog with --frames (e.g. news-frames).")
        say(note)
        meta["frames"] = {"catalogs": [], "note": note}
    if cfg.techniques.catalogs:
        log.stage = "techniques"
        tables.update(_technique_tables(sentences, vectors, rows, embedder, cfg, say, result.documents, meta))
    # Nothing after the frames embeds or reads the vectors: at 140k sentences ~200 MB and the model's weights.
    getattr(embedder, "release", lambda: None)()
    del vectors
    release_memory()
    log.stage = "compare"
    tables.update(default_comparisons(tables, cfg.compare, cfg.seed, say, ngram_max=cfg.topics.ngram_max))
    tables[COUNTS_TABLE] = corpus_counts(tables)  # the report's counts, in one table
    return write_run(run_dir, tables, meta, cfg, say, log, topic_model=fitted, extra=extra, amend=amend)


def _technique_tables(sentences, vectors, rows, embedder, cfg: Config, say: Say, documents, meta: dict) -> dict:
    """The techniques step (:mod:`framing.techniques.step`): its four tables; its run.json info into ``meta``."""
    from ..embed import cache_from_config
    from ..techniques.step import technique_step

    tables, meta["techniques"] = technique_step(sentences, vectors, rows, embedder, cfg.techniques.catalogs,
                                                scorer=cfg.techniques.scorer, cache=cache_from_config(cfg.embedding),
                                                seed=cfg.seed, say=say, documents=documents,
                                                corroborate=cfg.techniques.corroborate)
    return tables


def _prepare_topic_model(fitted: TopicResult, emb_info: dict) -> TopicResult:
    """Compute what saving the topic model needs now, and let go of the clustered embeddings."""
    from ..topic_model import prepare_topic_model

    record = None
    if fitted.embeddings is not None and getattr(fitted.model, "model_", None) is not None:
        record = prepare_topic_model(fitted.model, fitted.embeddings, emb_info)
    return replace(fitted, embeddings=None, record=record)
