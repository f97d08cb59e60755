"""The topic step of unchanged sentences, read back instead of fitted again.

A warm run reads its embeddings and UMAP coordinates from their caches, but
still fits HDBSCAN, c-TF-IDF, the readable keywords, the topic rules and the
hierarchy (12 s of BASIL's 24 s warm run; about 110 s at 140k sentences).
These are deterministic too: the same clustered sentences (text, id, language,
document, source), the same embeddings, the same embedder (keywords are
embedded with it), the same ``topics`` settings and seed, the same framing
code and library versions give the same topics. So the topic step's results
are kept under the sha256 of all of these, and an unchanged re-run -- e.g.
with another frame catalog, which the topic step does not read -- takes them
from disk: the sentences' topic columns, the ``topics`` and
``topic_hierarchy`` tables, run.json's ``topics`` record and the saved topic
model (``topic_model/``, copied into the new run).

Entries live beside the embedding cache (``<embedding.cache_dir>/topics/<key>/``),
written into a temporary folder and renamed into place; ``entry.json`` is
signed with the user's own cache key (:mod:`framing.diskcache`) and every
file's sha256 is checked when read, so an entry someone else wrote or changed,
or a damaged one, is fitted again and overwritten, with a
:class:`~framing.errors.CacheWarning`. ``embedding.cache: false`` turns
it off with the other caches.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..diskcache import cache_subdir, code_digest, folder_written_whole, read_checked_entry, versions, write_signed_entry
from ..errors import CacheWarning

logger = logging.getLogger(__name__)

FORMAT = 2  # 2: signed with the user's cache key
SUBDIR = "topics"
_VERSIONED = ("bertopic", "hdbscan", "umap-learn", "pynndescent", "numba", "numpy", "scipy", "scikit-learn",
              "pandas", "pyarrow")
#: The sentence columns the topic step reads, and the ones it adds.
INPUT_COLUMNS = ("sentence_id", "text", "lang", "doc_id", "source")
OUTPUT_COLUMNS = ("topic", "topic_prob", "map_x", "map_y")
_TABLES = ("assign", "topics", "hierarchy")


def topic_step_key(clustered: pd.DataFrame, embeddings: np.ndarray, embedder_name: str | None, cfg) -> str:
    """The key of fitting topics on ``clustered`` (the selected sentence rows) with ``embeddings``."""
    from ..config import config_to_dict

    digest = hashlib.sha256()
    for column in INPUT_COLUMNS:
        values = clustered[column].tolist() if column in clustered else []
        digest.update(json.dumps([column, values], default=str).encode())
    vectors = np.ascontiguousarray(embeddings, dtype=np.float32)
    digest.update(repr(vectors.shape).encode())
    digest.update(vectors.tobytes())
    settings = {"format": FORMAT, "topics": config_to_dict(cfg)["topics"], "seed": cfg.seed,
                "embedder": embedder_name, "versions": versions(_VERSIONED), "code": code_digest()}
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def topic_cache_dir(embedding_cfg) -> Path | None:
    """``<embedding.cache_dir>/topics``; None when caching is off or the folder is not the user's own."""
    return cache_subdir(embedding_cfg, SUBDIR)


def _as_lists(df: pd.DataFrame) -> pd.DataFrame:
    """Parquet gives list columns back as arrays; the topic step made Python lists."""
    for column in df.columns:
        if df[column].dtype == object and any(isinstance(v, np.ndarray) for v in df[column]):
            df[column] = [v.tolist() if isinstance(v, np.ndarray) else v for v in df[column]]
    return df


def read_entry(folder: Path) -> dict | None:
    """The stored results in ``folder``; None when missing, or damaged (with a warning)."""
    try:
        entry = read_checked_entry(folder, FORMAT, SUBDIR)
        if entry is None:
            return None
        tables = {name: _as_lists(pd.read_parquet(folder / f"{name}.parquet")) for name in _TABLES}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        warnings.warn(f"The cached topics in {folder} are damaged ({exc}); the topics are fitted again and the "
                      "entry overwritten.", CacheWarning, stacklevel=3)
        return None
    model_dir = folder / "topic_model"
    return {**tables, "info": entry["info"], "model_dir": model_dir if model_dir.is_dir() else None}


def write_entry(folder: Path, assign: pd.DataFrame, topics: pd.DataFrame, hierarchy: pd.DataFrame, info: dict,
                model_dir: Path | None) -> None:
    """Write an entry whole or not at all (a temporary folder renamed into place)."""
    try:
        with folder_written_whole(folder) as tmp:
            for name, table in zip(_TABLES, (assign, topics, hierarchy)):
                table.to_parquet(tmp / f"{name}.parquet", index=False)
            if model_dir is not None:
                shutil.copytree(model_dir, tmp / "topic_model")
            write_signed_entry(tmp, folder.name, SUBDIR, {"format": FORMAT, "info": info})
    except (OSError, ValueError) as exc:
        warnings.warn(f"Could not store the topics in {folder} ({exc}); the next run fits them again.",
                      CacheWarning, stacklevel=3)
