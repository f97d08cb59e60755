"""Topic stability: ``framing stability RUN_DIR --seeds 5``.

UMAP and HDBSCAN results move with the seed; a topic a researcher reports
should not. The run's sentences are clustered again with ``--seeds`` other
seeds (the run's seed + 1, + 2, ...), with the same embeddings and config.
Each topic of the run is aligned, in every refit, with the refit topic that
shares the most of its sentences (Jaccard overlap of their sentence sets).

Per topic (table ``topic_stability``, and the columns ``stability`` and
``stable`` added to ``topics``):

- ``stability``: the mean best Jaccard overlap over the refits (0 to 1);
- ``reappearance``: the share of refits in which a topic overlapping it by at
  least :data:`MATCH_JACCARD` exists;
- ``stable``: it reappears in at least :data:`STABLE_SHARE` of the refits
  (the stable core); the others are fragile;
- ``core_ids`` / ``core_share``: the sentences that stay with the topic's
  match in every refit (its members that are not in doubt).

Examples
--------
>>> import numpy as np
>>> ref = np.array([0, 0, 0, 1, 1, 1, -1])
>>> fits = [np.array([5, 5, 5, 2, 2, -1, -1]), np.array([1, 1, 1, 1, 1, 1, -1])]
>>> table = align_topics(ref, fits, ids=[f"s{i}" for i in range(7)])
>>> table[["topic", "stability", "reappearance", "core_size"]].to_dict("records")[1]
{'topic': 1, 'stability': 0.58, 'reappearance': 1.0, 'core_size': 2}
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from .. import store
from ..config import Config
from ..errors import InputError, RunStoreError

MATCH_JACCARD = 0.5
"""A refit topic 'is' the run's topic when their sentence sets overlap at least this much (Jaccard)."""
STABLE_SHARE = 0.8
"""A topic is stable when it reappears in at least this share of the refits (4 of 5)."""
TABLE = "topic_stability"


def align_topics(reference: np.ndarray, refits: Sequence[np.ndarray], ids: Sequence[str]) -> pd.DataFrame:
    """Align every reference topic with its best-overlapping topic in each refit.

    Parameters
    ----------
    reference : ndarray of shape (n_sentences,)
        The run's topic per clustered sentence (-1 outlier).
    refits : sequence of ndarray of shape (n_sentences,)
        Topics of the same sentences in each refit.
    ids : sequence of str
        The sentence ids, in the same order.

    Returns
    -------
    DataFrame with topic, size, stability, reappearance, stable, core_size, core_share,
    core_ids, overlaps (best Jaccard per refit)
    """
    ids = np.asarray(ids, dtype=object)
    rows = []
    for topic in sorted(int(t) for t in set(reference.tolist()) if t >= 0):
        members = reference == topic
        overlaps, kept = [], np.ones(len(reference), dtype=bool) & members
        for fit in refits:
            best, best_members = 0.0, np.zeros(len(reference), dtype=bool)
            for other in set(fit[members].tolist()) - {-1}:
                theirs = fit == other
                jac = float((members & theirs).sum() / (members | theirs).sum())
                if jac > best:
                    best, best_members = jac, theirs
            overlaps.append(round(best, 4))
            kept &= best_members
        reappear = float(np.mean([o >= MATCH_JACCARD for o in overlaps])) if overlaps else 0.0
        rows.append({"topic": topic, "size": int(members.sum()),
                     "stability": round(float(np.mean(overlaps)) if overlaps else 0.0, 2),
                     "reappearance": round(reappear, 2), "stable": bool(reappear >= STABLE_SHARE),
                     "core_size": int(kept.sum()), "core_share": round(float(kept.sum() / members.sum()), 2),
                     "core_ids": ids[kept].tolist(), "overlaps": overlaps})
    return pd.DataFrame(rows, columns=["topic", "size", "stability", "reappearance", "stable", "core_size",
                                       "core_share", "core_ids", "overlaps"])


def _run_config(meta: dict) -> Config:
    cfg = Config.model_validate(meta["config"])
    model = meta.get("embedding", {}).get("model")
    if model:
        cfg.embedding.model = model  # the model the run used, not 'auto' again
    return cfg


def refit_topics(sentences: pd.DataFrame, meta: dict, seeds: Sequence[int],
                 say: Callable[[str], None] = lambda _m: None) -> tuple[np.ndarray, list[np.ndarray], list[str]]:
    """Cluster the run's sentences again with each seed; returns (reference, refits, sentence ids) of the clustered rows."""
    from ..embed.step import embed_step
    from ..topics.step import topic_step

    cfg = _run_config(meta)
    vectors, rows, info, _ = embed_step(sentences, cfg, say, False)
    if meta.get("embedding", {}).get("name") and info["name"] != meta["embedding"]["name"]:
        raise RunStoreError(f"The run was embedded with {meta['embedding']['name']} but {info['name']} is installed now; "
                            "stability must be measured with the run's model. Rerun the analysis first.")
    base = sentences.drop(columns=[c for c in ("topic", "topic_prob", "map_x", "map_y") if c in sentences])
    fits = []
    for seed in seeds:
        say(f"Refitting topics with seed {seed}")
        cfg_s = cfg.model_copy(deep=True)
        cfg_s.seed = int(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the run already reported its own topic warnings
            refit, _, _ = topic_step(base, vectors, rows, cfg_s, lambda _m: None)
        fits.append(refit.topic.to_numpy())
    reference = sentences.topic.to_numpy()
    # The rows topic_step fits: embedded sentences with enough words (the others are -1 in every fit).
    fitted = np.zeros(len(sentences), dtype=bool)
    fitted[rows] = sentences.n_words.to_numpy()[rows] >= cfg.topics.min_sentence_words
    return reference[fitted], [f[fitted] for f in fits], sentences.sentence_id.to_numpy()[fitted].tolist()


def topic_stability(run_dir: str | Path, n_seeds: int = 5, say: Callable[[str], None] = lambda _m: None) -> pd.DataFrame:
    """Measure each topic's stability over ``n_seeds`` refits and write it into the run.

    Writes ``tables/topic_stability.parquet``, adds ``stability`` and ``stable`` to ``topics``,
    refreshes ``framing.duckdb`` and records the design in run.json (``stability``).
    """
    if n_seeds < 2:
        raise InputError(f"The '--seeds' option must be at least 2 to measure stability. Got {n_seeds} instead.")
    run_dir = Path(run_dir)
    meta = store.read_run_json(run_dir)
    tables = store.read_tables(run_dir)
    if "topics" not in tables or "topic" not in tables["sentences"]:
        raise RunStoreError(f"Run {run_dir} has no topics (it was only ingested); run framing analyze first.")
    seed = int(meta.get("seed", 42))
    seeds = [seed + i for i in range(1, n_seeds + 1)]
    reference, fits, ids = refit_topics(tables["sentences"], meta, seeds, say)
    table = align_topics(reference, fits, ids)
    labels = dict(zip(tables["topics"].topic, tables["topics"].label))
    table.insert(1, "label", [labels.get(t, "") for t in table.topic])
    table["seeds"] = [seeds] * len(table)
    topics = tables["topics"].drop(columns=[c for c in ("stability", "stable") if c in tables["topics"]])
    topics = topics.merge(table[["topic", "stability", "stable"]], on="topic", how="left")
    tables.update({"topics": topics, TABLE: table})
    store.write_tables(run_dir, {"topics": topics, TABLE: table})
    store.write_duckdb(run_dir, tables)
    meta["stability"] = {"seeds": seeds, "match_jaccard": MATCH_JACCARD, "stable_share": STABLE_SHARE,
                         "stable_topics": int(table.stable.sum()), "fragile_topics": int((~table.stable).sum()),
                         "created": store.utc_now()}
    meta.setdefault("tables", {})
    for name in ("topics", TABLE):
        meta["tables"][name] = {"rows": len(tables[name]), "columns": list(tables[name].columns)}
    store.write_run_json(run_dir, meta)
    from ..report import rebuild_report

    rebuild_report(run_dir)  # the report shows the topics table, now with stability
    return table
