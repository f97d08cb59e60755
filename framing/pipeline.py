"""The main jobs, ``ingest`` and ``analyze``, from paths to a written run folder.

Each step takes plain data and returns plain data; this module only wires
them and records what happened in run.json.

Examples
--------
>>> from framing.config import load_config
>>> cfg = load_config(overrides=["embedding.model=hashing", "topics.reducer=pca"])
>>> run = analyze(["tests/data/tiny"], cfg, out="/tmp/tiny-run")   # doctest: +SKIP
>>> sorted(run.tables)[:4]                                         # doctest: +SKIP
['compare_audience', 'compare_divergence', 'compare_prevalence', 'compare_terms']
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from . import store
from .config import Config, config_to_dict, load_config
from .corpus.ingest import CORPUS_CONFIG_NAME, IngestResult
from .segment.step import ingest
from .errors import InputError
from .runlog import RunLog

log = logging.getLogger(__name__)

Say = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class RunResult:
    """A written run: its folder, its tables and its run.json content."""

    run_dir: Path
    tables: dict[str, pd.DataFrame]
    meta: dict


def corpus_name(paths: Sequence[str | Path]) -> str:
    """A short name for the corpus, used for the default run folder.

    >>> corpus_name(["seeds/"]), corpus_name(["../shared/data/basil/articles.jsonl"])
    ('seeds', 'basil-articles')
    """
    names = []
    for raw in paths:
        p = Path(raw)
        if p.suffix and not p.is_dir():
            parent = p.resolve().parent.name
            names.append(f"{parent}-{p.stem}" if parent else p.stem)
        else:
            names.append(p.resolve().name or "corpus")
    name = "+".join(names)
    return name if len(name) <= 80 else name[:80]


def default_run_dir(paths: Sequence[str | Path], cfg: Config) -> Path:
    """``output.dir`` when set, else ``reports/<corpus name>/``."""
    return Path(cfg.output.dir) if cfg.output.dir else Path("reports") / corpus_name(paths)


def corpus_config_files(paths: Sequence[str | Path]) -> list[Path]:
    """``framing.yaml`` files inside the input folders (corpus-level overrides).

    A ``framing.yaml`` that is a symbolic link is not read (links inside a corpus are never
    followed), with an :class:`~framing.errors.InputWarning`; pass its target with ``--config``.
    """
    import warnings

    from .errors import InputWarning

    found = []
    for p in paths:
        path = Path(p) / CORPUS_CONFIG_NAME
        if path.is_symlink():
            warnings.warn(f"{path} is a symbolic link: not followed (links inside a corpus are never read); "
                          "pass the file it points to with --config to use it.", InputWarning, stacklevel=2)
        elif path.is_file():
            found.append(path)
    return found


def _same_file(a: Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def load_run_config(paths: Sequence[str | Path], config: str | Path | None = None,
                    overrides: Sequence[str] = ()) -> Config:
    """default.yaml, then each input folder's framing.yaml, then ``--config``, then ``--set``.

    A corpus's own framing.yaml is untrusted: what it may not set (``output.*``, ``embedding.cache_dir``,
    files outside the corpus: :func:`framing.config.corpus_config_layer`) is ignored with a warning,
    unless the user passes that same file with ``--config``, which trusts all of it.
    """
    corpus = [f for f in corpus_config_files(paths) if config is None or not _same_file(f, config)]
    return load_config(config, list(overrides), corpus_files=corpus)


def _skipped_dicts(result: IngestResult) -> list[dict]:
    return [{"item": s.item, "reason": s.reason, "stage": s.stage} for s in result.skipped]


def base_meta(paths: Sequence[str | Path], cfg: Config, result: IngestResult, command: str,
              base: str | Path | None = None) -> dict:
    """The part of run.json every job writes; ``cwd`` is ``base`` when the paths were read relative to it."""
    return {
        "corpus": corpus_name([Path(base) / p if base else p for p in paths]),
        "created": store.utc_now(),
        "command": command,
        "seed": cfg.seed,
        "paths": [str(p) for p in paths],
        "cwd": str(base or Path.cwd()),  # relative paths above are relative to it (framing rerun)
        "inputs": [vars(i) for i in result.inputs],
        "counts": result.counts(),
        "skipped": _skipped_dicts(result),
        "config": config_to_dict(cfg),
        "versions": store.package_versions(),
    }


def run_ingest(paths: Sequence[str | Path], cfg: Config, out: str | Path | None = None,
               command: str = "framing ingest", say: Say = _quiet, progress: bool = False,
               warn: Say | None = None, base: str | Path | None = None) -> RunResult:
    """Ingest and write ``documents`` and ``sentences`` with run.json.

    ``warn`` receives one line per warning (None: Python shows them); every
    warning is also recorded in run.json's ``warnings``. ``base``: the folder relative
    paths are read from (``framing rerun``), see :func:`framing.segment.step.ingest`.
    """
    with RunLog(echo=warn) as log:
        run_dir = prepare_run_dir(paths, cfg, out)
        log.stage = "ingest"
        say(f"Reading {', '.join(map(str, paths))}")
        result = ingest(paths, cfg, progress=progress, base=base)
        _check_documents(result, paths)
        tables = {"documents": result.documents, "sentences": result.sentences}
        meta = base_meta(paths, cfg, result, command, base)
        log.stage = "write"
        with store.staged_run(run_dir) as tmp:
            store.write_tables(tmp, tables)
            meta["warnings"] = log.records
            store.write_run_json(tmp, meta)
    return RunResult(run_dir, tables, meta)


def prepare_run_dir(paths: Sequence[str | Path], cfg: Config, out: str | Path | None) -> Path:
    """The run folder to write, checked before any work; an earlier run there stays until the new one is complete.

    Raises ``RunStoreError`` when the folder cannot be written, is a folder that is not
    a framing run (without ``--force``: :func:`framing.store.allow_replacing`), or holds a
    run and ``output.overwrite`` is false.
    """
    _check_paths(paths)
    run_dir = Path(out) if out else default_run_dir(paths, cfg)
    return store.check_run_target(run_dir, overwrite=cfg.output.overwrite)


def check_resources(cfg: Config) -> None:
    """Fail before reading the corpus when a frame catalog or the embedding model cannot be found.

    Catalogs are resolved and parsed; a named model is located (not loaded).
    """
    from .embed import get_embedder
    from .frames import load_catalogs
    from .frames.catalog import resolve_catalog_path

    if cfg.frames.catalogs:
        load_catalogs([resolve_catalog_path(c) for c in cfg.frames.catalogs])
    if cfg.embedding.model.strip() != "auto":
        get_embedder(cfg.embedding.model, cfg.embedding)


def _check_documents(result: IngestResult, paths: Sequence[str | Path]) -> None:
    if len(result.documents):
        return
    reasons = "; ".join(f"{s.item}: {s.reason}" for s in result.skipped[:5]) or "no readable files"
    raise InputError(f"No documents were read from {', '.join(map(str, paths))} ({reasons}). Give a folder of "
                     ".txt/.md/.html files or a .jsonl/.json/.csv/.parquet file with a text field.")


def _check_paths(paths: Sequence[str | Path]) -> None:
    if not paths:
        raise InputError("No input given: name a folder of .txt/.md/.html files or a .jsonl/.json/.csv/.parquet file.")


def embed_step(sentences: pd.DataFrame, cfg: Config, say: Say, progress: bool,
               choice: tuple[str, str] | None = None) -> tuple[np.ndarray, np.ndarray, dict, object]:
    """Embed the non-fragment sentences.

    ``choice`` (model, reason) replaces the choice of ``embedding.model``
    (see :func:`trained_catalog_model`).

    Returns
    -------
    embeddings : ndarray of shape (n_embedded, dim)
    rows : ndarray of shape (n_embedded,)
        Positions in ``sentences`` of the embedded rows.
    info : dict
        Model, the reason it was chosen, dim and cache statistics (for run.json).
    embedder : Embedder
        The loaded embedder (frames are matched in the same space).
    """
    from .embed import cache_from_config, embed_texts, get_embedder, resolve_model

    rows = np.flatnonzero(~sentences.is_fragment.to_numpy(dtype=bool))
    spec, reason = choice or resolve_model(cfg.embedding.model, sentences.lang.iloc[rows].tolist(), cfg.embedding)
    say(f"Embedding model: {spec} ({reason})")
    embedder = get_embedder(spec, cfg.embedding)
    cache = cache_from_config(cfg.embedding)
    texts = sentences.text.iloc[rows].tolist()
    vectors, stats = embed_texts(texts, embedder, cache, batch_size=cfg.embedding.batch_size, progress=progress)
    share = stats.hit_rate
    say(f"Embedded {stats.total} sentences ({stats.unique} distinct): cache hits {stats.hits}, "
        f"misses {stats.misses} ({share:.0%} hits)")
    info = {"model": spec, "name": embedder.name, "dim": int(embedder.dim), "reason": reason,
            "cache": {"enabled": cache is not None, "dir": str(cache.directory) if cache else None,
                      "hits": stats.hits, "misses": stats.misses, "unique": stats.unique, "total": stats.total,
                      "hit_share": round(share, 4)}}
    return vectors, rows, info, embedder


def _cached_encoder(embedder, cfg: Config) -> Callable[[list[str]], np.ndarray]:
    """``encode(texts)`` through the embedding cache (topic keywords are embedded like sentences)."""
    from .embed import cache_from_config, embed_texts

    cache = cache_from_config(cfg.embedding)

    def encode(texts: list[str]) -> np.ndarray:
        return embed_texts(texts, embedder, cache, batch_size=cfg.embedding.batch_size)[0]

    return encode


def topic_step(sentences: pd.DataFrame, vectors: np.ndarray, rows: np.ndarray, cfg: Config,
               say: Say, fitted: dict | None = None, embedder=None,
               cache: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Cluster the embedded sentences that have enough words; add topic columns.

    Returns the sentences with ``topic``, ``topic_prob``, ``map_x``, ``map_y``,
    the topics table (with the sources of each topic) and run.json info.
    ``fitted``, when given, receives the fitted ``model``, the clustered ``embeddings``
    (to save the topic model with the run) and the ``hierarchy`` table.
    ``embedder`` gives the readable keywords (KeyBERTInspired + MMR); without it they are c-TF-IDF's.
    ``cache`` reads the results of the same fit from the topic cache (:mod:`framing.topics.step_cache`);
    ``fitted`` then receives the cached ``model_dir`` instead of the model, and on a miss a ``store``
    callback that keeps the results once the run has saved its topic model.
    """
    from .topics.step_cache import OUTPUT_COLUMNS, read_entry, topic_cache_dir, topic_step_key, write_entry

    n_words = sentences.n_words.to_numpy()[rows]
    keep = n_words >= cfg.topics.min_sentence_words
    sel = rows[keep]
    # One array for the model and for saving it with the run: at 140k sentences each copy is ~200 MB.
    clustered = vectors if keep.all() else vectors[keep]
    folder = None
    directory = topic_cache_dir(cfg.embedding) if cache else None
    if directory is not None:
        name = getattr(embedder, "name", None) if embedder is not None else None
        folder = directory / topic_step_key(sentences.iloc[sel], clustered, name, cfg)
        found = read_entry(folder)
        if found is not None:
            say(f"Topics of these {len(sel)} sentences read from the topic cache (same sentences, embeddings, "
                "settings and code)")
            cached = found["assign"]
            if fitted is not None:
                fitted.update(hierarchy=found["hierarchy"], model_dir=found["model_dir"])
            return (_with_topic_columns(sentences, sel, cached.topic, cached.topic_prob, cached.map_x, cached.map_y),
                    found["topics"], found["info"])
    out, topics, info, model = _fit_topic_step(sentences, clustered, sel, cfg, say, embedder)
    if fitted is not None:
        fitted.update(model=model, embeddings=clustered, hierarchy=model.hierarchy_)
        if folder is not None:
            assign = out.iloc[sel][list(OUTPUT_COLUMNS)].reset_index(drop=True)
            fitted["store"] = lambda model_dir: write_entry(folder, assign, topics, model.hierarchy_, info, model_dir)
    return out, topics, info


def _with_topic_columns(sentences: pd.DataFrame, sel: np.ndarray, topic, prob, map_x, map_y) -> pd.DataFrame:
    """``sentences`` with ``topic``, ``topic_prob``, ``map_x``, ``map_y``: the values at rows ``sel``, -1/0/NaN elsewhere."""
    n = len(sentences)
    columns = {"topic": np.full(n, -1, dtype=np.int64), "topic_prob": np.zeros(n, dtype=np.float64),
               "map_x": np.full(n, np.nan), "map_y": np.full(n, np.nan)}
    for name, values in zip(columns, (topic, prob, map_x, map_y)):
        columns[name][sel] = np.asarray(values)
    return sentences.assign(**columns)


def _fit_topic_step(sentences: pd.DataFrame, clustered: np.ndarray, sel: np.ndarray, cfg: Config, say: Say,
                    embedder) -> tuple[pd.DataFrame, pd.DataFrame, dict, object]:
    from .topics import TopicModeler
    from .topics.reduction_cache import reduction_cache_from_config

    say(f"Clustering {len(sel)} sentences into topics (UMAP + HDBSCAN + c-TF-IDF)")
    encode = _cached_encoder(embedder, cfg) if embedder is not None else None
    model = TopicModeler(cfg.topics, seed=cfg.seed, encode=encode,
                         reduction_cache=reduction_cache_from_config(cfg.embedding)).fit(
        sentences.text.iloc[sel].tolist(), clustered, sentences.lang.iloc[sel].tolist(),
        sentences.sentence_id.iloc[sel].tolist(), doc_ids=sentences.doc_id.iloc[sel].tolist(),
        sources=sentences.source.iloc[sel].tolist() if "source" in sentences else None,
    )
    sentences = _with_topic_columns(sentences, sel, model.labels_, model.probs_, model.coords_[:, 0], model.coords_[:, 1])
    topic = sentences.topic.to_numpy()
    topics = model.topics_.copy()
    by_topic = sentences[sentences.topic >= 0].groupby("topic").source.agg(lambda s: sorted(s.dropna().unique()))
    topics["sources"] = [list(by_topic.get(t, [])) for t in topics.topic]
    n_topics = int((topics.topic >= 0).sum())
    outliers = float((topic[sel] < 0).mean()) if len(sel) else 0.0
    filler = int(model.filler_.sum())
    say(f"Found {n_topics} topics; {outliers:.0%} of clustered sentences are outliers or filler "
        f"({filler} filler, {model.outliers_} HDBSCAN outliers, {len(model.unanchored_)} topics no document "
        "is about left out: docs/tuning-topics.md)")
    info = {"clustered": int(len(sel)), "topics": n_topics, "outlier_share": round(outliers, 4),
            "filler": filler, "boilerplate": int(model.boilerplate_.sum()), "hdbscan_outliers": int(model.outliers_),
            "merged_by_documents": [list(map(int, g)) for g in model.merged_], "narrow_topics_dropped": model.dropped_,
            "unanchored_topics_dropped": model.unanchored_,
            "min_cluster_size": model.params_.min_cluster_size if model.params_ else None,
            "quality": model.quality_}
    return sentences, topics, info, model


def trained_catalog_model(cfg: Config) -> tuple[str, str] | None:
    """The model the run must embed with because its catalog carries a trained model (before any work).

    With ``embedding.model: auto`` that is the trained model's embedder;
    a named model that is not it stops the run with the command that trains
    the catalog for it (:func:`framing.frames.train.model_for_trained_catalog`).
    """
    from .frames.catalog import resolve_catalog_path
    from .frames.train import model_for_trained_catalog

    catalogs = list(cfg.frames.catalogs) or ([cfg.frames.default_catalog] if cfg.frames.default_catalog else [])
    if not catalogs:
        return None
    return model_for_trained_catalog(cfg.embedding.model, [resolve_catalog_path(c) for c in catalogs], cfg.embedding)


def frame_step(sentences: pd.DataFrame, vectors: np.ndarray, rows: np.ndarray, topics: pd.DataFrame,
               embedder, catalogs: Sequence[str], cfg: Config, say: Say,
               thresholds: dict[str, float] | None = None) -> tuple[dict, dict]:
    """Match frames from the catalogs; returns the frame tables and run.json info.

    ``thresholds`` (frame id -> threshold) fixes the decisions, e.g. to those of an earlier run.
    """
    from .frames import FrameMatcher, frame_rollups, load_catalogs, topic_frame_labels
    from .frames.catalog import resolve_catalog_path

    paths = [resolve_catalog_path(c) for c in catalogs]
    catalog = load_catalogs(paths)
    from .embed import cache_from_config
    from .frames.train import load_trained_for

    say(f"Matching {len(catalog.frames)} frames from {', '.join(p.name for p in paths)}")
    scored = sentences.iloc[rows].reset_index(drop=True)
    matcher = FrameMatcher(catalog, embedder, threshold=thresholds or cfg.frames.threshold,
                           negative_weight=cfg.frames.negative_weight,
                           calibration=cfg.frames.calibration, specificity=cfg.frames.specificity,
                           exclusive=cfg.frames.exclusive, reference_quantile=cfg.frames.reference_quantile,
                           near_miss_floor=cfg.frames.near_miss_floor,
                           cache=cache_from_config(cfg.embedding)).fit(scored, vectors)
    sentence_frames = matcher.transform(scored, vectors)
    trained = load_trained_for(paths, embedder, say)
    decisions = trained.predict_documents(scored, vectors) if trained is not None else None
    rolled = frame_rollups(sentence_frames, sentences, topics, catalog, cfg.frames,
                           document_thresholds=matcher.document_thresholds(), document_decisions=decisions,
                           seed=cfg.seed)
    # Topic labels show the frames their sentences express.
    labels = topic_frame_labels(rolled.topic_frames, catalog)
    expressed = rolled.topic_frames[rolled.topic_frames.expresses.astype(bool)].sort_values("share", ascending=False)
    ids = expressed.groupby("topic").frame_id.agg(list)
    topics = topics.assign(frames=[list(ids.get(t, [])) for t in topics.topic],
                           frame_labels=[labels.get(int(t), []) for t in topics.topic])
    tables = {"topics": topics, "sentence_frames": sentence_frames, "frames": rolled.frames,
              "topic_frames": rolled.topic_frames,
              "document_frames": rolled.document_frames,
              "frame_candidates": rolled.candidates}
    matched = int(sentence_frames.matched.sum())
    n_docs = int(rolled.document_frames.matched.astype(bool).sum())
    say(f"{matched} sentence-frame matches, {n_docs} document-frame matches; "
        f"{len(rolled.candidates)} candidate new frames")
    info = {"catalogs": [str(p) for p in paths], "frames": len(catalog.frames), "matches": matched,
            "document_matches": n_docs,
            "thresholds": {k: round(float(v), 4) for k, v in matcher.thresholds_.items()},
            "calibration": calibration_mode(cfg.frames),
            "frame_calibration": frame_calibration_info(matcher, rolled.document_frames),
            "trained": trained.info() if trained is not None else None}
    return tables, info


def calibration_mode(frames_cfg) -> str:
    """``reference`` when every decision is fixed by the catalog and the shipped reference sample;
    ``corpus`` when a threshold comes from the corpus at hand (decisions move with it); ``anchors``."""
    if frames_cfg.calibration == "corpus" or frames_cfg.document_calibration == "mixture":
        return "corpus"
    return frames_cfg.calibration


def frame_calibration_info(matcher, document_frames: pd.DataFrame) -> dict:
    """Per frame: how its threshold was set and how sure its decisions are (for run.json)."""
    cal = matcher.calibration_.set_index("frame_id")
    docs = document_frames.assign(matched=document_frames.matched.astype(bool))
    out = {}
    for fid, row in cal.iterrows():
        d = docs[docs.frame_id == fid]
        certainty = d.confidence.astype(float).mean() if len(d) else float("nan")
        out[fid] = {"source": row["source"], "threshold": round(float(row["threshold"]), 4),
                    "background": round(float(row["background"]), 4), "anchor_level": round(float(row["anchor_level"]), 4),
                    "separation": None if pd.isna(row["separation"]) else round(float(row["separation"]), 2),
                    "documents": int(d.matched.sum()), "document_share": round(float(d.matched.mean()), 4) if len(d) else 0.0,
                    "document_threshold": round(float(d.threshold.iloc[0]), 4) if len(d) else None,
                    "document_method": str(d.method.iloc[0]) if len(d) else None,
                    "document_certainty": None if pd.isna(certainty) else round(float(certainty), 3)}
    return out


def analyze(paths: Sequence[str | Path], cfg: Config, out: str | Path | None = None,
            frames: Sequence[str] | None = None, command: str = "framing analyze",
            say: Say = _quiet, progress: bool = False, warn: Say | None = None,
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
    from .compare import default_comparisons
    from .memory import release_memory
    from .topics.documents import document_topics

    catalogs = list(cfg.frames.catalogs)
    say(f"Reading {', '.join(map(str, paths))}")
    result = ingest(paths, cfg, progress=progress, base=base)
    _check_documents(result, paths)
    counts = result.counts()
    say(f"{counts['documents']} documents ({_roles(counts)}), {counts['sentences']} sentences, "
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
    from .topic_model import prepare_topic_model

    embeddings = fitted.pop("embeddings", None)
    if embeddings is not None and getattr(fitted.get("model"), "model_", None) is not None:
        fitted["info"] = prepare_topic_model(fitted["model"], embeddings, emb_info)


def _roles(counts: dict) -> str:
    return ", ".join(f"{n} {role}s" for role, n in counts["documents_by_role"].items()) or "none"


def write_run(run_dir: Path, tables: dict[str, pd.DataFrame], meta: dict, cfg: Config, say: Say,
              log: RunLog | None = None, topic_model: dict | None = None,
              extra: Callable[[Path], None] | None = None) -> RunResult:
    """Write tables, DuckDB, the topic model, the report and run.json into ``run_dir``, all or nothing.

    The run is written into a folder beside ``run_dir`` that replaces it only
    when complete (see :func:`framing.store.staged_run`); run.json is written
    last and holds every warning ``log`` recorded. ``topic_model`` (``model``
    and ``embeddings`` from :func:`topic_step`, or ``info`` already prepared from them) is saved in ``RUN/topic_model/``
    (BERTopic safetensors + embedder identity) for ``framing apply``. ``extra(folder)`` writes a job's own
    files into the staged folder (apply: the parent's topic model), so they are in place before run.json.
    """
    from .report import write_report
    from .topic_model import copy_topic_model, save_run_topic_model, write_topic_model

    if log is not None:
        log.stage = "write"
    meta["tables"] = {name: {"rows": len(df), "columns": list(df.columns)} for name, df in tables.items()}
    meta["warnings"] = log.records if log is not None else []
    with store.staged_run(run_dir) as tmp:
        topic_model = topic_model or {}
        if topic_model.get("model_dir") is not None:  # read from the topic cache (analyze)
            meta["topic_model"] = copy_topic_model(tmp, topic_model["model_dir"])
        elif getattr(topic_model.get("model"), "model_", None) is not None:  # None: too little to cluster
            if "info" in topic_model:  # prepared right after the topic step (analyze)
                meta["topic_model"] = write_topic_model(tmp, topic_model["model"], topic_model["info"])
            else:
                meta["topic_model"] = save_run_topic_model(tmp, topic_model["model"], topic_model["embeddings"],
                                                           meta.get("embedding", {}))
        if extra is not None:
            extra(tmp)
        if "store" in topic_model:  # a topic-cache miss: keep the results with the model just saved
            saved = tmp / store.TOPIC_MODEL_DIR
            topic_model["store"](saved if saved.is_dir() else None)
        store.write_tables(tmp, tables)
        store.write_duckdb(tmp, tables)
        write_report(tables, meta, tmp / store.REPORT_FILE, title=cfg.report.title,
                     seed=cfg.seed, max_points=cfg.report.max_points)
        if log is not None:
            meta["stage_seconds"] = log.stage_seconds()  # wall time per stage (benchmarks/vs_bertopic.py)
        store.write_run_json(tmp, meta)
    say(f"Wrote {run_dir}/tables/*.parquet, framing.duckdb, run.json and {Path(run_dir) / store.REPORT_FILE}")
    return RunResult(Path(run_dir), tables, meta)


def command_line() -> str:
    """The command as typed, for run.json."""
    return " ".join(["framing", *sys.argv[1:]])
