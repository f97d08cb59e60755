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

from pathlib import Path
from typing import Sequence

from ..config import Config
from ..segment.step import ingest
from ..embed.step import embed_step
from ..frames.step import frame_step, trained_catalog_model
from ..runlog import RunLog
from ..topics.step import topic_step
from .common import RunResult, Say, base_meta, check_documents, check_resources, prepare_run_dir, quiet, roles
from .write import write_run


def analyze(paths: Sequence[str | Path], cfg: Config, out: str | Path | None = None,
            frames: Sequence[str] | None = None, command: str = "framing analyze",
            say: Say = quiet, progress: bool = False, warn: Say | None = None,
            base: str | Path | None = None) -> RunResult:
    """Ingest, embed, cluster topics, match frames, and write the run folder with its report.

    Parameters
    ----------
    paths : sequence of str or Path
    cfg : Config
    out : str or Path, optional
        The run folder; default ``reports/<corpus name>/``.
    frames : sequence of str, optional
        Catalog paths or built-in names, added to ``cfg.frames.catalogs``.
    warn : callable, optional
        Receives one line per warning (None: Python shows them). Every warning
        is recorded in run.json's ``warnings`` with its stage.
    base : str or Path, optional
        The folder relative ``paths`` are read from (``framing rerun``); recorded paths stay as given.

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
        # Everything that can fail without the corpus fails now, not after minutes of embedding.
        check_resources(cfg)
        choice = trained_catalog_model(cfg)
        log.stage = "ingest"
        return _analyze(paths, cfg, run_dir, command, say, progress, log, base, choice=choice)


def _analyze(paths, cfg: Config, run_dir: Path, command: str, say: Say, progress: bool, log: RunLog,
             base: str | Path | None = None, choice: tuple[str, str] | None = None) -> RunResult:
    from ..compare import default_comparisons
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
    vectors, rows, emb_info, embedder = embed_step(result.sentences, cfg, say, progress, choice=choice)
    release_memory()  # at 140k sentences the embedding stage leaves ~0.2 GiB of freed heap behind
    fitted: dict = {}
    log.stage = "topics"
    sentences, topics, topic_info = topic_step(result.sentences, vectors, rows, cfg, say, fitted=fitted, embedder=embedder,
                                               cache=True)
    _prepare_topic_model(fitted, emb_info)
    release_memory()
    tables = {"documents": result.documents, "sentences": sentences, "topics": topics,
              "document_topics": document_topics(sentences)}
    if cfg.topics.hierarchy and "hierarchy" in fitted:
        tables["topic_hierarchy"] = fitted["hierarchy"]
    meta = base_meta(paths, cfg, result, command, base)
    meta.update(embedding=emb_info, topics=topic_info)
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
    # Nothing after the frames embeds or reads the vectors: at 140k sentences ~200 MB and the model's weights.
    getattr(embedder, "release", lambda: None)()
    del vectors
    release_memory()
    log.stage = "compare"
    tables.update(default_comparisons(tables, cfg.compare, cfg.seed, say, ngram_max=cfg.topics.ngram_max))
    return write_run(run_dir, tables, meta, cfg, say, log, topic_model=fitted)


def _prepare_topic_model(fitted: dict, emb_info: dict) -> None:
    """Compute what saving the topic model needs now, and let go of the clustered embeddings."""
    from ..topic_model import prepare_topic_model

    embeddings = fitted.pop("embeddings", None)
    if embeddings is not None and getattr(fitted.get("model"), "model_", None) is not None:
        fitted["info"] = prepare_topic_model(fitted["model"], embeddings, emb_info)
