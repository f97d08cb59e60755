"""Saving and loading a fitted BERTopic model: safetensors only, never pickle.

:func:`save_bertopic` writes topics, topic embeddings, c-TF-IDF and config;
:func:`load_bertopic` reads a saved folder that may come from someone else
(see :mod:`framing.runfolder.received`). The run folder's ``topic_model/`` (with
framing's own ``framing.json``) is written by :mod:`framing.topic_model`.
"""

from __future__ import annotations

import logging
import warnings
from contextlib import contextmanager

from .lean_import import import_bertopic


def save_bertopic(model, folder) -> None:
    """Save a fitted BERTopic model with safetensors (never pickle): topics, topic embeddings, c-TF-IDF, config.

    The embedding model is not saved: framing records the embedder's identity beside it.
    """
    with _bertopic_quiet():  # it warns that no embedding model is saved; framing records its identity
        model.save(str(folder), serialization="safetensors", save_ctfidf=True, save_embedding_model=False)


def load_bertopic(folder):
    """Load a BERTopic model saved by :func:`save_bertopic`; it assigns topics by cosine similarity.

    The folder may come from someone else, so it is read as :mod:`framing.runfolder.received` reads a run:
    a link, a device or a pickle/torch file (``topic_embeddings.bin``) in it is refused, and only
    the files of BERTopic's safetensors serialization are handed to ``BERTopic.load``, from a
    private copy whose ``config.json`` names no embedding model (BERTopic would build, and
    download, the model it names). The model gets no embedding model: pass embeddings.

    Raises
    ------
    RunStoreError
        Naming the file that was refused, missing or damaged.
    """
    import json
    import tempfile
    from pathlib import Path

    from ..runfolder import received
    from ..errors import RunStoreError

    folder = Path(folder)
    names = received.topic_model_files(folder.parent, folder.name)
    for needed in ("config.json", "topics.json", received.EMBEDDINGS_FILE):
        if needed not in names:
            raise RunStoreError(f"{folder} has no {needed}: it is not a BERTopic model saved with safetensors.")
    config = received.read_json(folder.parent, f"{folder.name}/config.json")
    if not isinstance(config, dict):
        raise RunStoreError(f"{folder / 'config.json'} holds no JSON object; the model is damaged.")
    config.pop("embedding_model", None)
    for name in names:
        if name.endswith(".json"):
            received.read_json(folder.parent, f"{folder.name}/{name}")
    received.read_topic_embeddings(folder.parent, folder.name)
    with tempfile.TemporaryDirectory(prefix="framing-bertopic-") as tmp:
        copy = Path(tmp) / "model"
        received.copy_topic_model(folder.parent, copy, names, folder=folder.name,
                                  replace={"config.json": json.dumps(config).encode("utf-8")})
        with _bertopic_quiet():  # it warns that no embedding model is given: framing passes embeddings
            try:
                return import_bertopic().BERTopic.load(str(copy))
            except (KeyError, TypeError, ValueError) as exc:
                raise RunStoreError(f"{folder} is not a BERTopic model framing can read ({type(exc).__name__}: "
                                    f"{exc}); the model is damaged.") from None


class _ErrorsOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR


@contextmanager
def _bertopic_quiet():
    """BERTopic resets its logger's level when a model is built, so a filter (removed afterwards) quiets it."""
    bertopic_logger = logging.getLogger("BERTopic")
    quiet = _ErrorsOnly()
    bertopic_logger.addFilter(quiet)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        bertopic_logger.removeFilter(quiet)
