"""The fitted topic model kept in a run folder, for ``framing apply``.

``RUN/topic_model/`` holds the BERTopic model in its safetensors
serialization (topics, topic embeddings, c-TF-IDF and config; no pickle, so
loading it runs no code) and ``framing.json``: the embedder identity the
topic embeddings live in, the words a sentence needs to be clustered, and
``min_similarity``. A saved BERTopic model assigns a new sentence to the
topic whose embedding is most similar (cosine); framing keeps it an outlier
(-1) when that similarity is below what 95% of the fitted members of their
own topic reach (:data:`SIMILARITY_QUANTILE`), so unrelated text does not
fill the topics.

Examples
--------
>>> import numpy as np
>>> emb = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], dtype=np.float32)
>>> float(round(own_topic_similarity(emb, np.array([0, 0, 1, -1]), np.array([[1, 0], [0, 1]]), 0)[2], 3))
1.0
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import numpy as np

from . import store
from .errors import RunStoreError, TopicWarning

INFO_FILE = "framing.json"
SIMILARITY_QUANTILE = 0.05
FORMAT = 1


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


def own_topic_similarity(embeddings: np.ndarray, labels: np.ndarray, topic_embeddings: np.ndarray,
                         outlier_offset: int) -> np.ndarray:
    """Cosine similarity of each clustered sentence to its own topic's embedding (NaN for outliers)."""
    out = np.full(len(labels), np.nan)
    members = labels >= 0
    if members.any():
        rows = _unit(embeddings[members])
        centers = _unit(np.asarray(topic_embeddings))[labels[members] + outlier_offset]
        out[members] = (rows * centers).sum(axis=1)
    return out


def save_run_topic_model(run_dir: str | Path, modeler, embeddings: np.ndarray, embedding_info: dict) -> dict:
    """Save ``modeler.model_`` into ``RUN/topic_model/`` with its embedder identity; returns run.json's summary."""
    from .topics import save_bertopic

    folder = Path(run_dir) / store.TOPIC_MODEL_DIR
    if folder.exists():
        shutil.rmtree(folder)
    model = modeler.model_
    labels = np.asarray(modeler.labels_)
    ours = {int(t) for t in labels.tolist() if t >= 0}
    theirs = {int(t) for t in getattr(model, "topic_labels_", {}) if int(t) >= 0}
    if ours != theirs:
        # The run's topic ids are not BERTopic's (topics renumbered or merged after fitting): the saved model
        # would assign new sentences to the wrong topics, so none is kept.
        warnings.warn(f"The topic model is not kept with the run: its topics ({sorted(theirs)}) are not the run's "
                      f"({sorted(ours)}); framing apply cannot use this run.", TopicWarning, stacklevel=2)
        return {"dir": None, "reason": "topic ids of the run differ from the fitted BERTopic model's"}
    save_bertopic(model, folder)
    sims = own_topic_similarity(embeddings, labels, model.topic_embeddings_, int(getattr(model, "_outliers", 0)))
    sims = sims[~np.isnan(sims)]
    info = {
        "format": FORMAT, "serialization": "safetensors",
        "embedder": {k: embedding_info.get(k) for k in ("model", "name", "dim")},
        "min_sentence_words": int(modeler.config.min_sentence_words),
        "min_similarity": round(float(np.quantile(sims, SIMILARITY_QUANTILE)), 6) if len(sims) else 0.0,
        "similarity_quantile": SIMILARITY_QUANTILE,
        "topics": sorted(int(t) for t in set(labels.tolist()) if t >= 0),
        "created": store.utc_now(),
    }
    (folder / INFO_FILE).write_text(json.dumps(info, indent=2), encoding="utf-8")
    return {"dir": store.TOPIC_MODEL_DIR, **{k: info[k] for k in ("serialization", "embedder", "min_similarity", "topics")}}


def read_topic_model_info(run_dir: str | Path) -> dict:
    """``RUN/topic_model/framing.json``, or a clear error when the run kept no topic model."""
    folder = Path(run_dir) / store.TOPIC_MODEL_DIR
    path = folder / INFO_FILE
    if not path.is_file():
        raise RunStoreError(f"Run {run_dir} holds no saved topic model ({store.TOPIC_MODEL_DIR}/): it found no topics, "
                            "its model could not be kept (run.json 'topic_model' says why), or it was made by an "
                            "older framing. Run `framing rerun` on it, then apply to the new run.")
    info = json.loads(path.read_text(encoding="utf-8"))
    if info.get("format") != FORMAT:
        raise RunStoreError(f"{path} has format {info.get('format')}; this framing reads format {FORMAT}. Rerun the analysis.")
    return info


def assign_topics(run_dir: str | Path, texts: list[str], embeddings: np.ndarray, info: dict) -> tuple[np.ndarray, np.ndarray]:
    """Topics of new sentences from the run's saved model, without refitting.

    Returns
    -------
    topics : ndarray of shape (n,), int
        -1 where the best similarity is below ``info["min_similarity"]``.
    similarity : ndarray of shape (n,), float
        Cosine similarity to the assigned (or nearest) topic.
    """
    from .topics import load_bertopic

    if not len(texts):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    model = load_bertopic(Path(run_dir) / store.TOPIC_MODEL_DIR)
    topics, sims = model.transform(list(texts), embeddings=np.asarray(embeddings, dtype=np.float32))
    topics = np.asarray(topics, dtype=np.int64)
    sims = np.asarray(sims, dtype=np.float64).reshape(len(texts), -1).max(axis=1)
    topics[sims < float(info.get("min_similarity", 0.0))] = -1
    return topics, sims
