"""New data, same model: ``framing apply RUN_DIR NEW_PATH...``.

Reads new documents with the parent run's config, embeds them with the
parent's embedder (another embedder is refused: its vectors would not live
in the space of the saved topics), assigns them to the parent's topics with
the saved topic model (no refitting) and matches the parent's frames with
the parent's thresholds. The result is a new run folder whose run.json
names its parent (``parent``); it keeps a copy of the topic model, so the
next week's data can be applied to it in turn.

The parent run is untrusted input (:mod:`framing.runfolder.received`): no link in it
is followed, only the files framing writes are copied (inside the new run's
staged folder, before its run.json), nothing is unpickled or downloaded,
and its config cannot choose the embedding cache or the output folder.

Examples
--------
>>> default_apply_dir("reports/seeds", ["new/week-12"])
PosixPath('reports/seeds-apply-week-12')
"""

from __future__ import annotations

import warnings

from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from .. import store
from ..config import Config, apply_mapping, parse_override
from ..errors import EmbeddingError, LanguageWarning, RunStoreError


def default_apply_dir(parent: str | Path, paths: Sequence[str | Path]) -> Path:
    """``<parent>-apply-<new corpus name>`` beside the parent run."""
    from .common import corpus_name

    parent = Path(parent)
    return parent.parent / f"{parent.name}-apply-{corpus_name(paths)}"


def _config(meta: dict, info: dict, overrides: Sequence[str], parent: Path) -> Config:
    """The parent's config (what only the user may choose reset: :func:`framing.runfolder.io.run_config`),
    the parent's embedding model, then the ``--set`` items."""
    cfg = store.run_config(meta, f"run.json in {parent}", received=True)
    cfg.embedding.model = info["embedder"]["model"] or cfg.embedding.model
    for item in overrides:
        cfg = apply_mapping(cfg, parse_override(item), f"--set {item}")
    return cfg


def _check_embedder(cfg: Config, info: dict, parent: Path, model_from_user: bool):
    from ..embed import get_embedder
    from ..embed.from_run import check_model_name

    if model_from_user:
        embedder = get_embedder(cfg.embedding.model, cfg.embedding)
    else:  # a name the run chose: found on this machine or refused, never fetched
        embedder = check_model_name(cfg.embedding.model, f"{parent}/{store.TOPIC_MODEL_DIR}/framing.json "
                                    "('embedder.model')", cfg.embedding, run_dir=parent)
    saved = info["embedder"].get("name")
    if embedder.name != saved:
        raise EmbeddingError(
            f"The topic model of {parent} was fitted on embeddings of {saved}, but {embedder.name} was asked for "
            f"(embedding.model={cfg.embedding.model}). Topics and frames can only be applied with the same embedder: "
            f"drop the --set embedding.model override, install the model the run used, or analyze the new data afresh.")
    return embedder


def language_mismatch(meta_parent: dict, sentences: pd.DataFrame, min_share: float = 0.1) -> str | None:
    """A warning when the new documents are in a language the parent run's topics were not fitted on.

    Languages holding at least ``min_share`` of the new sentences are compared with the parent's
    (run.json ``counts.languages``, languages of at least 1% of its sentences); the topics' keywords
    and labels are in the parent's languages, and a multilingual model places other languages less
    well. None when every main language of the new documents was in the parent run.

    >>> language_mismatch({"counts": {"languages": {"nl": 900}}}, pd.DataFrame({"lang": ["en"] * 5}))[:59]
    'The topic model was fitted on nl sentences; these documents'
    """
    counts = ((meta_parent.get("counts") or {}).get("languages") or {})
    total = sum(int(v) for v in counts.values() if isinstance(v, (int, float))) or 0
    fitted = {str(k) for k, v in counts.items() if total and isinstance(v, (int, float)) and v / total >= 0.01}
    if not fitted or "lang" not in sentences.columns or not len(sentences):
        return None
    shares = sentences["lang"].astype(str).value_counts(normalize=True)
    new = [f"{lang} ({share:.0%})" for lang, share in shares.items()
           if share >= min_share and lang not in fitted and lang not in ("und", "None", "nan")]
    if not new:
        return None
    return (f"The topic model was fitted on {', '.join(sorted(fitted))} sentences; these documents are in "
            f"{', '.join(new)}. Their topics will carry the parent's keywords and labels in "
            f"{', '.join(sorted(fitted))}, and a topic model places a language it was not fitted on less well: "
            "check the assignments, or analyze these documents on their own.")


def _check_trained_catalogs(meta_parent: dict, info: dict) -> None:
    """Stop before any work when a catalog's trained model was fitted on another embedder than the parent run's."""
    from ..frames.catalog import resolve_catalog_path
    from ..frames.train import check_trained_embedder, trained_for_catalogs

    catalogs = (meta_parent.get("frames") or {}).get("catalogs") or []
    if catalogs:
        emb = info["embedder"]
        check_trained_embedder(trained_for_catalogs([resolve_catalog_path(c) for c in catalogs]), emb.get("name"),
                               emb.get("model") or emb.get("name"), emb.get("dim"))


def new_filler(sentences: pd.DataFrame, cfg: Config, parent_topics: pd.DataFrame | None = None,
               parent_boilerplate: dict[str, frozenset] | None = None) -> np.ndarray:
    """The filler and boilerplate rules of analyze (:func:`framing.topics.rules.sentence_rules`) on new sentences.

    Stop words are those of the languages of the new sentences (each with at least the smallest
    topic's number of sentences, :func:`framing.words.corpus_languages`) and of the parent's
    topics, as ``analyze`` takes those of the corpus it clusters; the rule's settings are the parent run's.
    Boilerplate is what the new batch repeats per source (the rule of analyze) and the lines the
    parent run found boilerplate in the same source (``parent_boilerplate``: source -> normalised
    lines, from the saved topic model), so a line learned there is dropped even when the new
    batch prints it once.

    Returns
    -------
    ndarray of shape (len(sentences),), bool
    """
    from ..topics.rules import filler_stop_words, sentence_rules
    from ..topics.sizing import resolve_params
    from ..words import corpus_languages

    langs = list(sentences["lang"]) if "lang" in sentences.columns else []
    # As analyze: a language of a stray sentence or two gives no stop words to the others.
    langs = corpus_languages(langs, resolve_params(cfg.topics, len(sentences)).min_cluster_size)
    if parent_topics is not None and "languages" in parent_topics.columns:
        langs += [lang for value in parent_topics["languages"] if isinstance(value, (list, tuple, np.ndarray))
                  for lang in value]
    texts = sentences["text"].astype(str).tolist()
    docs = sentences["doc_id"].tolist() if "doc_id" in sentences.columns else list(range(len(texts)))
    sources = sentences["source"].tolist() if "source" in sentences.columns else None
    return sentence_rules(texts, cfg.topics, filler_stop_words(cfg.topics, langs), docs, sources,
                          learned=parent_boilerplate).unclustered


def parent_lines_mask(texts: list[str], sources: list | None, lines: dict[str, frozenset]) -> np.ndarray:
    """True for each sentence whose source's saved boilerplate holds its normalised form
    (:func:`framing.topics.rules.learned_mask`).

    >>> parent_lines_mask(["Subscribe now!", "Subscribe now", "Troops left."], ["sf", "other", "sf"],
    ...                   {"sf": frozenset({"subscribe now"})}).tolist()
    [True, False, False]
    """
    from ..topics.rules import learned_mask

    return learned_mask(texts, sources, lines)


def new_boilerplate(sentences: pd.DataFrame, cfg: Config) -> dict[str, list[str]]:
    """The lines the new batch itself repeats per source (the boilerplate rule of analyze), normalised."""
    from ..topics.rules import boilerplate_lines, repeated_mask

    texts = sentences["text"].astype(str).tolist()
    docs = sentences["doc_id"].tolist() if "doc_id" in sentences.columns else list(range(len(texts)))
    sources = sentences["source"].tolist() if "source" in sentences.columns else [None] * len(texts)
    return boilerplate_lines(texts, sources, repeated_mask(texts, docs, sources, cfg.topics.boilerplate_min_documents))


def _with_boilerplate(learned: dict, new: dict, info: dict) -> dict:
    """framing.json of the applied run's copy of the model: the parent's boilerplate lines and the new
    batch's, so a chain of applies (week after week) keeps every line learned so far."""
    from ..topic_model import boilerplate_record

    lines = {k: set(v) for k, v in learned.items()}
    for k, v in new.items():
        lines.setdefault(k, set()).update(v)
    min_documents = (info.get("boilerplate") or {}).get("min_documents")
    return {**info, "boilerplate": boilerplate_record(lines, min_documents)}


def apply_run(parent_dir: str | Path, paths: Sequence[str | Path], out: str | Path | None = None,
              overrides: Sequence[str] = (), say: Callable[[str], None] = lambda _m: None,
              progress: bool = False):
    """Assign topics and frames of the run in ``parent_dir`` to new documents; write a new run.

    Parameters
    ----------
    parent_dir : str or Path
        A run written by ``framing analyze`` (it holds ``topic_model/``).
    paths : sequence of str or Path
        The new corpus (folders or record files).
    out : str or Path, optional
        Default ``<parent>-apply-<corpus name>`` beside the parent.
    overrides : sequence of str
        ``section.key=value`` items on top of the parent's config (reading options such as
        ``corpus.fields.text``; a different ``embedding.model`` is refused).

    Notes
    -----
    The parent run is read as untrusted data (:mod:`framing.runfolder.received`): no link in it is
    followed, nothing in it is unpickled, no model it names is downloaded, and its config
    cannot choose the embedding cache or the output folder. Its topic model is checked
    before the new corpus is read and copied into the new run before that run is in place.

    Returns
    -------
    RunResult
    """
    from ..compare import default_comparisons
    from ..runlog import RunLog
    from ..segment.step import ingest
    from ..embed.step import embed_step
    from ..frames.step import frame_step
    from .common import base_meta, check_documents, prepare_run_dir
    from .write import write_run
    from ..runfolder.received import read_tables
    from ..topic_model import assign_topics, copy_run_topic_model, read_topic_model_info, saved_boilerplate
    from ..topics.documents import attribute_to_main, document_topics
    from ..topics.table import applied_topics_table

    with RunLog() as log:  # every warning of the run into run.json, and to the terminal as usual
        log.stage = "apply"
        parent = Path(parent_dir)
        meta_parent = store.read_run_json(parent)  # checked for shape (RunMeta): a forged one is a clear error
        info = read_topic_model_info(parent)  # the whole topic model checked: no links, no pickles, no damage
        parent_topics = read_tables(parent, ["topics"])["topics"]
        cfg = _config(meta_parent, info, overrides, parent)
        _check_embedder(cfg, info, parent, model_from_user=any(
            item.split("=", 1)[0].strip() == "embedding.model" for item in overrides))
        _check_trained_catalogs(meta_parent, info)
        run_dir = prepare_run_dir(paths, cfg, out or default_apply_dir(parent, paths))
        if run_dir.resolve() == parent.resolve():
            raise RunStoreError("framing apply writes a new run; give an --out other than the parent run.")
        say(f"Reading {', '.join(map(str, paths))}")
        result = ingest(paths, cfg, progress=progress)
        check_documents(result, paths)
        language_note = language_mismatch(meta_parent, result.sentences)
        if language_note:
            warnings.warn(language_note, LanguageWarning, stacklevel=2)
        embedded = embed_step(result.sentences, cfg, say, progress)
        vectors, rows, emb_info, embedder = embedded.vectors, embedded.rows, embedded.info, embedded.embedder
        sentences = result.sentences
        long_enough = sentences.n_words.to_numpy()[rows] >= info["min_sentence_words"]
        learned = saved_boilerplate(info)
        parent_lines = parent_lines_mask(sentences.text.iloc[rows].astype(str).tolist(),
                                         sentences.source.iloc[rows].tolist() if "source" in sentences.columns else None,
                                         learned)
        filler = (new_filler(sentences.iloc[rows], cfg, parent_topics) | parent_lines) & long_enough
        from_parent = parent_lines & long_enough
        keep = long_enough & ~filler
        sel = rows[keep]
        say(f"Assigning {len(sel)} sentences to the {len(info['topics'])} topics of {parent} (no refitting; "
            f"{int(filler.sum())} filler sentences stay unclustered, as in analyze, {int(from_parent.sum())} of them "
            "boilerplate lines of the parent run)")
        topic = np.full(len(sentences), -1, dtype=np.int64)
        prob = np.zeros(len(sentences))
        topic[sel], prob[sel] = assign_topics(parent, sentences.text.iloc[sel].tolist(), vectors[keep], info)
        if cfg.topics.filler_topic == "document":  # as analyze does: filler takes its document's main topic
            mask = np.zeros(len(sentences), dtype=bool)
            mask[rows[filler]] = True
            topic = attribute_to_main(sentences.doc_id.to_numpy(object), topic, mask, prob)
        sentences = sentences.assign(topic=topic, topic_prob=np.where(topic >= 0, prob, 0.0),
                                     map_x=np.nan, map_y=np.nan)
        topics = applied_topics_table(parent_topics, sentences, cfg.topics.n_representative)
        tables = {"documents": result.documents, "sentences": sentences, "topics": topics,
                  "document_topics": document_topics(sentences)}
        meta = base_meta(paths, cfg, result, f"framing apply {parent} {' '.join(map(str, paths))}")
        outliers = float((topic[sel] < 0).mean()) if len(sel) else 0.0
        meta.update(embedding=emb_info, topics={"clustered": int(len(sel)), "topics": len(info["topics"]),
                                                "outlier_share": round(outliers, 4), "filler": int(filler.sum()),
                                                "parent_boilerplate": int(from_parent.sum()),
                                                "applied_from": str(parent)})
        frames_parent = meta_parent.get("frames")
        if frames_parent and not frames_parent.get("catalogs"):  # the parent matched no frames: neither does its child
            meta["frames"] = {"catalogs": [], "note": f"The parent run {parent} matched no frames, so this run has none."}
        elif frames_parent:
            frame_tables, meta["frames"] = frame_step(sentences, vectors, rows, topics, embedder, frames_parent["catalogs"],
                                                      cfg, say, thresholds=frames_parent.get("thresholds"))
            tables.update(frame_tables)
        tables.update(default_comparisons(tables, cfg.compare, cfg.seed, say))
        meta["parent"] = {"run": str(parent.resolve()), "corpus": meta_parent.get("corpus"),
                          "created": meta_parent.get("created")}
        meta["topic_model"] = {**meta_parent.get("topic_model", {}), "applied_from": str(parent.resolve())}
        child_info = _with_boilerplate(learned, new_boilerplate(sentences.iloc[rows], cfg), info)
        # The model goes into the staged run before run.json: a failed copy (a full disk) leaves no run.
        done = write_run(run_dir, tables, meta, cfg, say, log=log,
                         extra=lambda tmp, _meta: copy_run_topic_model(parent, tmp / store.TOPIC_MODEL_DIR, child_info))
        say(f"{len(sel)} sentences assigned; {outliers:.0%} below the topics' similarity floor (topic -1)")
        return done
