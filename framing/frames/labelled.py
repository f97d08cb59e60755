"""Coded examples: read label files (CSV, JSONL, Label Studio JSON) and prepare them like ``analyze`` does.

A labelled item is named by its ``text`` (a document or a sentence), or by a
``doc_id`` / ``sentence_id`` of a run folder. Items given as text go through
the same ingest as ``framing analyze`` (language identification, the
pipeline's sentence splitter), and the embedding model is chosen from their
languages like ``analyze`` chooses it (or taken from the run's run.json).
Every text is embedded through the embedding cache.

Examples
--------
>>> labels = read_labels("tests/data/frames/coded-docs.jsonl")
>>> labels["frames"].tolist()[:2]
[['us-there-for-oil'], ['us-there-for-oil']]
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..runfolder.layout import table_file, table_path

_SEP = re.compile(r"[;|,]")
NO_FRAME = "none"  # the code for "no frame" in a coded sample (framing validate reads the same constant)


@dataclass(frozen=True)
class LabelledCorpus:
    """Labelled items with their sentences and embeddings.

    items : DataFrame with item (0..n-1), key (the item's text index or id), frames (list of frame ids).
    sentences : DataFrame with sentence_id, item, doc_id, text, lang (non-fragment sentences only).
    vectors : ndarray of shape (len(sentences), dim), rows aligned with ``sentences``.
    embedder : the Embedder used; model : its spec; reason : why it was chosen.
    level : "sentence" or "document".
    """

    items: pd.DataFrame
    sentences: pd.DataFrame
    vectors: np.ndarray
    embedder: object
    model: str
    reason: str
    level: str

    def item_vectors(self) -> np.ndarray:
        """One vector per item: the normalised mean of its sentences' normalised vectors.

        Returns
        -------
        ndarray of shape (n_items, dim)
        """
        return mean_vectors(self.vectors, self.sentences["item"].to_numpy(), len(self.items))


def mean_vectors(vectors: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """Normalised mean of L2-normalised rows per owner (0..n-1); an owner without rows gets zeros."""
    v = np.asarray(vectors, dtype=np.float64)
    v = v / np.where(np.linalg.norm(v, axis=1, keepdims=True) > 0, np.linalg.norm(v, axis=1, keepdims=True), 1.0)
    out = np.zeros((n, v.shape[1]))
    np.add.at(out, owner, v)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return (out / np.where(norms > 0, norms, 1.0)).astype(np.float32)


# -- reading -------------------------------------------------------------------------------------

def _parse_frames(value, path, line) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, list):
        ids = [str(v).strip() for v in value if str(v).strip()]
        return [] if [i.lower() for i in ids] == [NO_FRAME] else ids
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            return _parse_frames(json.loads(value), path, line)
        except json.JSONDecodeError:
            raise InputError(f"Label file {path}, line {line}, field 'frames': {value!r} looks like a JSON list "
                             "but is not valid JSON; write [\"id-a\", \"id-b\"] or id-a;id-b.") from None
    if isinstance(value, str):
        ids = [v.strip() for v in _SEP.split(value) if v.strip()]
        return [] if [i.lower() for i in ids] == [NO_FRAME] else ids   # 'none': coded, no frame
    raise InputError(f"Label file {path}, line {line}, field 'frames': expected a list of frame ids or a "
                     f"';'-separated string, got {type(value).__name__}.")


def _read_table(path: Path, catalog=None) -> tuple[pd.DataFrame, int]:
    from ..labels import is_label_studio_export, read_label_studio

    suffix = path.suffix.lower()
    if suffix == ".parquet":  # a run's table of codes, e.g. tables/llm_codes.parquet written by framing code
        return codes_labels(pd.read_parquet(path), path), 1
    if is_label_studio_export(path):  # coders' majority per task; frame labels accepted for ids
        return read_label_studio(path, catalog), 1
    if suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, list):
            raise InputError(f"Label file {path}: a .json label file must be a list of records or a Label Studio export.")
        return pd.DataFrame.from_records(data), 1
    if suffix in (".jsonl", ".ndjson"):
        records = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise InputError(f"Label file {path}, line {n}: not valid JSON ({exc.msg}).") from None
        return pd.DataFrame.from_records(records), 1
    from ..spreadsheet import read_csv  # a coded sample.csv: the ' framing put before = + - @ is taken off

    return read_csv(path, dtype=str, keep_default_na=False, index_col=False, on_bad_lines="error"), 2


def codes_labels(table: pd.DataFrame, path="the codes table") -> pd.DataFrame:
    """A table of codes (one row per item and frame: ``frame_id``, ``matched``) as labels: each item's frames.

    The item is the ``doc_id``, or the ``sentence_id`` when the codes are of sentences (``level``
    ``sentence`` in ``llm_codes``; a ``sentence_id`` column without ``level``).

    >>> t = pd.DataFrame({"level": ["document"] * 3, "doc_id": ["a", "a", "b"], "sentence_id": [None] * 3,
    ...                   "frame_id": ["f", "g", "f"], "matched": [True, False, False]})
    >>> codes_labels(t).to_dict("records")
    [{'doc_id': 'a', 'frames': ['f']}, {'doc_id': 'b', 'frames': []}]

    Raises
    ------
    InputError
        When the table has no ``frame_id`` / ``matched`` / item id, or holds codes of two levels.
    """
    if not {"frame_id", "matched"} <= set(table.columns) or not {"doc_id", "sentence_id"} & set(table.columns):
        raise InputError(f"Label file {path} is a table but not a table of codes: it needs 'frame_id', 'matched' and "
                         f"'doc_id' or 'sentence_id' (columns: {', '.join(map(str, table.columns))}). Give a run's "
                         "tables/llm_codes.parquet, or a CSV / JSONL label file.")
    if "level" in table:
        levels = sorted(set(table["level"]))
        if len(levels) > 1:
            raise InputError(f"Label file {path} holds {' and '.join(levels)} codes: write one level's labels with "
                             "`framing code RUN --level LEVEL --labels-out FILE` and pass that file.")
        key = "sentence_id" if levels == ["sentence"] else "doc_id"
    else:
        key = "sentence_id" if "sentence_id" in table else "doc_id"
    grouped = table.groupby(key, sort=False)
    return pd.DataFrame({key: list(grouped.groups),
                         "frames": [sorted(g.loc[g["matched"].astype(bool), "frame_id"]) for _, g in grouped]})


def read_labels(path: str | Path, catalog=None) -> pd.DataFrame:
    """Read coded examples into a table with a ``frames`` list column.

    ``none`` codes an item with no frame. In a sample written by ``framing sample`` (it has a
    ``sample_id`` column) a row whose ``frames`` cell is empty is not coded yet and is left out, as
    ``framing validate`` does; in other label files an empty cell means no frame.

    Accepts CSV, JSONL and JSON (a list of records, or a Label Studio export,
    read by :func:`framing.labels.read_label_studio`: the majority of the
    coders of each task; with ``catalog``, frame labels are accepted for ids),
    and a run's Parquet table of codes such as ``tables/llm_codes.parquet``
    (:func:`codes_labels`).

    Raises
    ------
    InputError
        When the file cannot be read, has no ``frames`` field, or names no item.
    """
    path = Path(path)
    try:
        table, offset = _read_table(path, catalog)
    except InputError:
        raise
    except (OSError, ValueError) as exc:  # pandas' ParserError and JSONDecodeError are ValueErrors
        raise InputError(f"Cannot read label file {path}: {str(exc).strip()}. Use CSV (quote texts holding commas), "
                         "JSONL with a 'frames' field, or a Label Studio JSON export.") from None
    if "frames" not in table:
        raise InputError(f"Label file {path} has no 'frames' field (columns: {', '.join(map(str, table.columns))}).")
    if not {"text", "sentence_id", "doc_id"} & set(table.columns):
        raise InputError(f"Label file {path} must name each item by 'text', 'sentence_id' or 'doc_id'.")
    table = table.reset_index(drop=True)
    lines = table.index + offset
    if "sample_id" in table.columns:  # a sample of `framing sample`: an empty 'frames' cell is not coded yet
        coded = table["frames"].astype(str).str.strip() != ""
        if not coded.any():
            raise InputError(f"Label file {path} is a sample drawn by `framing sample` with no coded row yet: fill in "
                             "its 'frames' column (frame ids separated by ';', 'none' for no frame).")
        table, lines = table[coded.to_numpy()], lines[coded.to_numpy()]
    table = table.assign(frames=[_parse_frames(v, path, n) for n, v in zip(lines, table["frames"])])
    return table.reset_index(drop=True)


def resolve_label_ids(labels: pd.DataFrame, catalog) -> list[set[str]]:
    """The catalog frame ids of each item's labels (a frame's ``aliases`` count as its id).

    Raises
    ------
    InputError
        When a label names no frame of the catalog.
    """
    unknown = sorted({f for fs in labels["frames"] for f in fs if catalog.resolve_id(f) is None})
    if unknown:
        raise InputError(f"The labels use frame ids that are not in the catalog: {', '.join(unknown)}. "
                         f"Catalog ids: {', '.join(catalog.ids)} (a frame's 'aliases' are accepted too).")
    return [{catalog.resolve_id(f) for f in fs} for fs in labels["frames"]]


def infer_level(labels: pd.DataFrame, level: str) -> str:
    """``auto``: document level when items are named by ``doc_id`` only, else sentence level.

    Items given as text are judged again once split (:func:`prepare_labelled`): texts of several
    sentences each are documents.
    """
    if level not in ("auto", "sentence", "document"):
        raise InputError(f"The 'level' must be auto, sentence or document. Got {level!r} instead.")
    if level != "auto":
        return level
    return "document" if "doc_id" in labels and not {"text", "sentence_id"} & set(labels.columns) else "sentence"


# -- preparing like analyze -------------------------------------------------------------------------

def _has_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _ingest_texts(texts: list[str], cfg) -> pd.DataFrame:
    """Sentences of each text through framing's own ingest (language id, sentence splitter); ``item`` = text index."""
    from ..segment.step import ingest

    cfg = cfg.model_copy(deep=True)
    cfg.structure.split = "none"   # one labelled item is one document
    cfg.corpus.fields.text, cfg.corpus.fields.id = "text", "id"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "labelled-items.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for i, text in enumerate(texts):
                fh.write(json.dumps({"id": f"item-{i}", "text": text}, ensure_ascii=False) + "\n")
        result = ingest([path], cfg)
    item_of = {doc: int(str(rid).split("-", 1)[1]) for doc, rid in zip(result.documents.doc_id, result.documents.record_id)}
    sents = result.sentences.assign(item=result.sentences.doc_id.map(item_of))
    return sents


def _run_sentences(run: Path | None) -> pd.DataFrame:
    if run is None:
        raise InputError("Labels name their items by id; pass --run RUN_DIR (the run they come from) so their text can be found.")
    path = table_path(run, "sentences")
    if not path.exists():
        raise InputError(f"Run folder {run} has no {table_file('sentences')}; give a folder written by framing analyze.")
    return pd.read_parquet(path)


def _id_sentences(labels: pd.DataFrame, level: str, run: Path | None, sentences: pd.DataFrame | None) -> pd.DataFrame:
    sentences = _run_sentences(run) if sentences is None else sentences
    parts = []
    for i, row in labels.iterrows():
        key = "sentence_id" if level == "sentence" and _has_text(row.get("sentence_id")) else "doc_id"
        if not _has_text(row.get(key)):
            raise InputError(f"Label row {i + 1} names its item neither by text nor by {key}.")
        found = sentences.loc[sentences[key] == row[key]]
        if found.empty:
            raise InputError(f"Label row {i + 1}: {key} {row[key]!r} is not in the sentences of {run}.")
        parts.append(found.assign(item=i))
    return pd.concat(parts, ignore_index=True)


def prepare_labelled(labels: pd.DataFrame, level: str, cfg, run: str | Path | None = None,
                     model: str | None = None, say=lambda _m: None, embedder=None,
                     sentences: pd.DataFrame | None = None, choice: tuple[str, str] | None = None) -> LabelledCorpus:
    """Split, identify languages, choose the model and embed the labelled items as ``analyze`` would.

    Parameters
    ----------
    labels : DataFrame from :func:`read_labels`
    level : "auto", "sentence" or "document"
    cfg : Config
        The run configuration (language, segment, embedding sections).
    run : path, optional
        The run folder the ids come from; its run.json names the model.
    model : str, optional
        Overrides the model (``auto`` chooses from the languages).
    say : callable
        Receives the sentence saying which model was chosen and why.
    embedder : Embedder, optional
        Use this embedder instead of choosing one.
    sentences : DataFrame, optional
        A run's sentences table (instead of reading ``run``'s).
    choice : (model, reason), optional
        The model to use and why, decided by the caller (a trained catalog's embedder).
    """
    from ..embed import cache_from_config, embed_texts, get_embedder, resolve_model

    asked, level = level, infer_level(labels, level)
    has_text = [_has_text(t) for t in labels.get("text", pd.Series([None] * len(labels)))]
    if all(has_text):
        sents = _ingest_texts(labels["text"].tolist(), cfg)
        if asked == "auto" and sents.groupby("item").size().median() > 1:
            level = "document"  # coded texts of several sentences each (articles) are documents, not sentences
    elif not any(has_text):
        sents = _id_sentences(labels, level, Path(run) if run else None, sentences)
    else:
        raise InputError("Some label rows name their item by text and others by id; use one or the other in a file.")
    frag = sents["is_fragment"].astype(bool) if "is_fragment" in sents else pd.Series(False, index=sents.index)
    sents = sents[~frag.to_numpy()].reset_index(drop=True)
    missing = sorted(set(range(len(labels))) - set(sents["item"].astype(int)))
    if missing:
        raise InputError(f"Label row(s) {', '.join(str(m + 1) for m in missing[:10])} have no text to score "
                         "(empty or only fragments).")
    if embedder is not None:
        spec, reason = embedder.name, "the embedder given"
    elif choice is not None:
        spec, reason = choice
        say(f"Embedding model: {spec} ({reason})")
        embedder = get_embedder(spec, cfg.embedding)
    else:
        spec = model or cfg.embedding.model
        if run is not None and model in (None, "auto"):
            from ..store import read_run_json

            spec = (read_run_json(run).get("embedding") or {}).get("model") or spec
        spec, reason = resolve_model(spec, sents["lang"].tolist(), cfg.embedding)
        say(f"Embedding model: {spec} ({reason})")
        embedder = get_embedder(spec, cfg.embedding)
    vectors, _ = embed_texts(sents["text"].tolist(), embedder, cache_from_config(cfg.embedding),
                             batch_size=cfg.embedding.batch_size)
    items = pd.DataFrame({"item": np.arange(len(labels)), "frames": labels["frames"].tolist()})
    return LabelledCorpus(items=items, sentences=sents[["sentence_id", "item", "doc_id", "text", "lang"]],
                          vectors=vectors, embedder=embedder, model=spec, reason=reason, level=level)


def subset_corpus(corpus: LabelledCorpus, items) -> LabelledCorpus:
    """The labelled items ``items`` (indices) of a prepared corpus, renumbered ``0 .. len(items) - 1``.

    Sentences and vectors follow their items, so a model can be trained on
    one part of a coded corpus and checked on another without embedding again.

    Examples
    --------
    >>> part = subset_corpus(corpus, [2, 0])          # doctest: +SKIP
    >>> part.items["item"].tolist()                   # doctest: +SKIP
    [0, 1]
    """
    items = np.asarray(items, dtype=int)
    remap = np.full(len(corpus.items), -1)
    remap[items] = np.arange(len(items))
    new_item = remap[corpus.sentences["item"].to_numpy(dtype=int)]
    keep = new_item >= 0
    sents = corpus.sentences.loc[keep].assign(item=new_item[keep])
    order = np.argsort(sents["item"].to_numpy(), kind="stable")
    frames = corpus.items["frames"].to_numpy(dtype=object)[items]
    return LabelledCorpus(items=pd.DataFrame({"item": np.arange(len(items)), "frames": list(frames)}),
                          sentences=sents.iloc[order].reset_index(drop=True),
                          vectors=np.asarray(corpus.vectors)[np.flatnonzero(keep)[order]],
                          embedder=corpus.embedder, model=corpus.model, reason=corpus.reason, level=corpus.level)
