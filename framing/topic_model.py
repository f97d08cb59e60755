"""The fitted topic model kept in a run folder, for ``framing apply``.

``RUN/topic_model/`` holds the BERTopic model in its safetensors
serialization (topics, topic embeddings, c-TF-IDF and config; no pickle) and
``framing.json``. ``framing apply`` reads only ``framing.json`` and the topic
embeddings, through :mod:`framing.runfolder.received` (the run may come from someone
else: no link is followed, a pickle is refused, and ``BERTopic.load``, which
builds and downloads the embedding model its ``config.json`` names, is never
called). ``framing.json`` holds the embedder identity the
topic embeddings live in, the words a sentence needs to be clustered,
``min_similarity``, and ``boilerplate``: the lines each source repeated across
its documents in the fitted corpus (the boilerplate rule,
``topics.boilerplate_min_documents``; normalised as
:func:`framing.words.normalize_sentence`), which ``framing apply`` keeps
out of the topics in new batches as analyze kept them out of the fit. A saved BERTopic model assigns a new sentence to the
topic whose embedding is most similar (cosine); framing keeps it an outlier
(-1) when that similarity is below what 95% of the fitted members of their
own topic reach (:data:`SIMILARITY_QUANTILE`), so unrelated text does not
fill the topics.

Examples
--------
>>> import numpy as np
>>> emb = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]])
>>> centers, row_topics = topic_centroids(emb, np.array([0, 0, 1, 1]))
>>> nearest_topics(np.array([[0.2, 1.0]]), centers, row_topics)[0].tolist()
[1]
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np

from . import store
from .errors import RunStoreError

INFO_FILE = "framing.json"
SIMILARITY_QUANTILE = 0.05
FORMAT = 1


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


def topic_centroids(embeddings: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """The mean embedding of each topic's sentences (BERTopic's topic embeddings), rows in topic order.

    Returns the centroids and the topic of each row (-1 first when there are outliers).

    >>> c, ids = topic_centroids(np.array([[1.0, 0], [3, 0], [0, 2]]), np.array([0, 0, -1]))
    >>> ids, c.tolist()
    ([-1, 0], [[0.0, 2.0], [2.0, 0.0]])
    """
    labels = np.asarray(labels)
    embeddings = np.asarray(embeddings)
    ids = sorted(int(t) for t in set(labels.tolist()))
    # Each topic's rows only, summed in float64 (a float64 copy of every row is ~350 MB at 113k sentences).
    centers = np.array([embeddings[labels == t].mean(axis=0, dtype=np.float64) for t in ids])
    return centers, ids


def _own_topic_similarity(embeddings: np.ndarray, centers: np.ndarray, rows: np.ndarray,
                          chunk: int = 8192) -> np.ndarray:
    """Cosine of each embedding to ``centers[rows]`` (its own topic), a chunk of rows at a time."""
    unit_centers = _unit(centers)
    out = np.empty(len(embeddings), dtype=np.float64)
    for start in range(0, len(embeddings), chunk):
        part = _unit(embeddings[start:start + chunk])
        out[start:start + chunk] = (part * unit_centers[rows[start:start + chunk]]).sum(axis=1)
    return out


def nearest_topics(embeddings: np.ndarray, centers: np.ndarray, row_topics: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The topic whose embedding is most similar (cosine) to each row, and that similarity."""
    sims = _unit(embeddings) @ _unit(centers).T
    best = sims.argmax(axis=1)
    return np.asarray(row_topics, dtype=np.int64)[best], sims[np.arange(len(best)), best]


def save_run_topic_model(run_dir: str | Path, modeler, embeddings: np.ndarray, embedding_info: dict) -> dict:
    """Save ``modeler.model_`` into ``RUN/topic_model/`` with its embedder identity; returns run.json's summary.

    The model's topic embeddings are set to the centroids of the run's own topics (``labels_``), as
    BERTopic computes them when it fits, so that topics merged or dropped after fitting are right too;
    ``framing.json`` lists the topic of each row (``row_topics``). The same as
    :func:`prepare_topic_model` followed by :func:`write_topic_model`.
    """
    return write_topic_model(run_dir, modeler, prepare_topic_model(modeler, embeddings, embedding_info))


def prepare_topic_model(modeler, embeddings: np.ndarray, embedding_info: dict) -> dict:
    """Everything :func:`write_topic_model` needs from the clustered embeddings, computed now.

    Sets the model's topic embeddings to the topics' centroids and returns ``framing.json``'s
    content (without ``created``). ``analyze`` calls it right after the topic step, so the
    clustered embeddings (about 200 MB at 140k sentences) need not be kept until the run is written.
    """
    model = modeler.model_
    labels = np.asarray(modeler.labels_)
    centers, row_topics = topic_centroids(embeddings, labels)
    model.topic_embeddings_ = centers  # framing maps rows to topics with row_topics, never by position
    clustered = labels >= 0
    rows = np.searchsorted(row_topics, labels[clustered])
    sims = _own_topic_similarity(np.asarray(embeddings)[clustered], centers, rows)  # to their own topic
    topics = [t for t in row_topics if t >= 0]
    return {
        "format": FORMAT, "serialization": "safetensors",
        "embedder": {k: embedding_info.get(k) for k in ("model", "name", "dim")},
        "min_sentence_words": int(modeler.config.min_sentence_words),
        "min_similarity": round(float(np.quantile(sims, SIMILARITY_QUANTILE)), 6) if len(sims) else 0.0,
        "similarity_quantile": SIMILARITY_QUANTILE,
        "topics": topics, "row_topics": row_topics,
        "bertopic_topics_match": sorted(int(t) for t in getattr(model, "topic_labels_", {}) if int(t) >= 0) == topics,
        "boilerplate": boilerplate_record(getattr(modeler, "boilerplate_by_source_", {}),
                                          modeler.config.boilerplate_min_documents),
    }


def write_topic_model(run_dir: str | Path, modeler, info: dict) -> dict:
    """Write the model prepared by :func:`prepare_topic_model` into ``RUN/topic_model/``; returns run.json's summary."""
    from .topics import save_bertopic

    folder = Path(run_dir) / store.TOPIC_MODEL_DIR
    if folder.exists():
        shutil.rmtree(folder)
    save_bertopic(modeler.model_, folder)
    info = {**info, "created": store.utc_now()}
    (folder / INFO_FILE).write_text(json.dumps(info, indent=2), encoding="utf-8")
    return {"dir": store.TOPIC_MODEL_DIR, **{k: info[k] for k in ("serialization", "embedder", "min_similarity", "topics")}}


def copy_topic_model(run_dir: str | Path, source: str | Path) -> dict:
    """Copy a topic model saved before (the topic cache's) into ``RUN/topic_model/``; returns run.json's summary.

    Only the files framing writes are copied, none through a link (:func:`framing.runfolder.received.copy_topic_model`).
    """
    from .runfolder import received

    source = Path(source)
    folder = Path(run_dir) / store.TOPIC_MODEL_DIR
    if folder.exists():
        shutil.rmtree(folder)
    info = _checked_info(received.read_json(source.parent, f"{source.name}/{INFO_FILE}"), source / INFO_FILE)
    info["created"] = store.utc_now()
    received.copy_topic_model(source.parent, folder, folder=source.name,
                              replace={INFO_FILE: json.dumps(info, indent=2).encode("utf-8")})
    return {"dir": store.TOPIC_MODEL_DIR, **{k: info[k] for k in ("serialization", "embedder", "min_similarity", "topics")}}


def copy_run_topic_model(parent_dir: str | Path, dest: str | Path, info: dict) -> None:
    """Copy the topic model of the run ``parent_dir`` into the folder ``dest`` with ``info`` as its framing.json.

    ``framing apply`` calls it inside the staged folder of the new run, so the model is complete
    before run.json is in place, and a failed write (a full disk) leaves no run.
    """
    from .runfolder import received

    received.copy_topic_model(parent_dir, dest, replace={INFO_FILE: json.dumps(info, indent=2).encode("utf-8")})


def boilerplate_record(lines: dict, min_documents: int | None) -> dict:
    """framing.json's ``boilerplate``: the rule's setting and the normalised lines per source (``""``: none).

    >>> boilerplate_record({"nyt": ["continue reading the main story"]}, 3)["lines"]
    {'nyt': ['continue reading the main story']}
    """
    return {"min_documents": min_documents,
            "lines": {str(k): sorted({str(x) for x in v}) for k, v in sorted(lines.items()) if len(v)}}


def saved_boilerplate(info: dict) -> dict[str, frozenset]:
    """The saved boilerplate lines per source from framing.json (empty for a model saved without them).

    A malformed entry is an error naming the file's key, not a silent skip.
    """
    record = info.get("boilerplate") or {}
    lines = record.get("lines", {}) if isinstance(record, dict) else None
    if not isinstance(lines, dict) or not all(isinstance(v, list) and all(isinstance(x, str) for x in v)
                                              for v in lines.values()):
        raise RunStoreError(f"{store.TOPIC_MODEL_DIR}/{INFO_FILE}: 'boilerplate.lines' must map each source to a list "
                            "of lines; rerun the analysis to write it again.")
    return {str(k): frozenset(v) for k, v in lines.items()}


def read_topic_model_info(run_dir: str | Path) -> dict:
    """``RUN/topic_model/framing.json``, or a clear error when the run kept no topic model.

    The run may come from someone else: the whole topic model is checked first
    (:func:`framing.runfolder.received.check_topic_model`: no links, no pickles, every JSON file and the
    topic embeddings readable), so a tampered or damaged model is one RunStoreError naming the file.
    """
    from .runfolder import received

    folder = Path(run_dir) / store.TOPIC_MODEL_DIR
    if not os.path.lexists(folder) and not store.table_path(run_dir, "topics").is_file():
        raise RunStoreError(f"Run {run_dir} has no topics (it was only ingested): there is nothing to apply. Run "
                            f"`framing analyze CORPUS --out {run_dir}` first, then apply it to the new documents.")
    if not os.path.lexists(folder) or (folder.is_dir() and not os.path.lexists(folder / INFO_FILE)):
        raise RunStoreError(f"Run {run_dir} holds no saved topic model ({store.TOPIC_MODEL_DIR}/): it found no topics, "
                            "its model could not be kept (run.json 'topic_model' says why), or it was made by an "
                            "older framing. Run `framing rerun` on it, then apply to the new run.")
    received.check_topic_model(run_dir)
    return _checked_info(received.read_json(run_dir, f"{store.TOPIC_MODEL_DIR}/{INFO_FILE}"), folder / INFO_FILE)


def _checked_info(info, path: Path) -> dict:
    """framing.json's content, its format and the fields apply reads checked (a RunStoreError naming the field)."""
    if not isinstance(info, dict):
        raise RunStoreError(f"{path} holds a JSON {type(info).__name__}, not an object; rerun the analysis.")
    if info.get("format") != FORMAT:
        raise RunStoreError(f"{path} has format {info.get('format')}; this framing reads format {FORMAT}. Rerun the analysis.")
    embedder = info.get("embedder")
    checks = {
        "embedder": isinstance(embedder, dict) and all(isinstance(embedder.get(k), (str, type(None)))
                                                       for k in ("model", "name")),
        "topics": isinstance(info.get("topics"), list) and all(type(t) is int for t in info["topics"]),
        "row_topics": isinstance(info.get("row_topics"), list) and all(type(t) is int for t in info["row_topics"]),
        "min_similarity": type(info.get("min_similarity", 0.0)) in (int, float),
        "min_sentence_words": type(info.get("min_sentence_words")) is int,
    }
    bad = [k for k, ok in checks.items() if not ok]
    if bad:
        raise RunStoreError(f"{path}: the field(s) {', '.join(repr(k) for k in bad)} are missing or of the wrong type; "
                            "the topic model is damaged. Rerun the analysis to write it again.")
    return info


def assign_topics(run_dir: str | Path, texts: list[str], embeddings: np.ndarray, info: dict) -> tuple[np.ndarray, np.ndarray]:
    """Topics of new sentences from the run's saved model, without refitting.

    Returns
    -------
    topics : ndarray of shape (n,), int
        The topic whose embedding is most similar; -1 where that similarity is below
        ``info["min_similarity"]`` (or the nearest is the outliers' centroid).
    similarity : ndarray of shape (n,), float
        Cosine similarity to the nearest topic embedding.
    """
    from .runfolder.received import read_topic_embeddings

    if not len(texts):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    # The embeddings only, parsed from the safetensors file: BERTopic.load would build the embedding model
    # its config.json names (a download) and would unpickle a topic_embeddings.bin.
    centers = read_topic_embeddings(run_dir)
    row_topics = info.get("row_topics")
    if centers.shape[1] != np.shape(embeddings)[1]:
        raise RunStoreError(f"{run_dir}/{store.TOPIC_MODEL_DIR} holds topic embeddings of {centers.shape[1]} dimensions, "
                            f"but the embedder gives {np.shape(embeddings)[1]}; the model is damaged: rerun the analysis.")
    if row_topics is None or len(row_topics) != len(centers):
        raise RunStoreError(f"{run_dir}/{store.TOPIC_MODEL_DIR} is inconsistent ({len(centers)} topic embeddings, "
                            f"{len(row_topics or [])} topics listed); rerun the analysis.")
    from .parallel import nearest_topics as partitioned  # on the Dask workers under --scheduler, else here

    topics, sims = partitioned(np.asarray(embeddings, dtype=np.float64), centers, row_topics, nearest_topics)
    topics[sims < float(info.get("min_similarity", 0.0))] = -1
    return topics, sims
