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


def _spread(ari: list[float], seeds: Sequence[int]) -> dict:
    return {"ari": {str(s): a for s, a in zip(seeds, ari)}, "mean": round(float(np.mean(ari)), 4) if ari else None,
            "min": min(ari) if ari else None, "max": max(ari) if ari else None}


def main_topic_per_document(topics: np.ndarray, doc_ids: Sequence[str]) -> list[str]:
    """Each document's main topic as the report shows it (:func:`~framing.topics.documents.document_topics`, rows in
    reading order), ``"none:<doc>"`` (a group of its own) for a document with no clustered sentence; documents sorted.

    >>> main_topic_per_document(np.array([3, 3, 1, -1, -1]), ["a", "a", "a", "b", "b"])
    ['3', 'none:b']
    """
    from ..topics.documents import main_topics

    frame = pd.DataFrame({"doc_id": np.asarray(doc_ids, dtype=object), "topic": np.asarray(topics)})
    main = main_topics(frame)
    return [str(main[d]) if d in main else f"none:{d}" for d in sorted(set(frame.doc_id))]


def seed_agreement(reference: np.ndarray, refits: Sequence[np.ndarray], seeds: Sequence[int],
                   doc_ids: Sequence[str] | None = None) -> dict:
    """The spread across seeds: adjusted Rand index of each refit's topics against the run's.

    Every clustered sentence counts, outliers (-1) as one group; 1 is the same partition. With
    ``doc_ids`` (one per sentence), ``documents`` gives the same for the documents' main topics
    (what the report and the document tables show of a document).

    >>> seed_agreement(np.array([0, 0, 1, 1]), [np.array([5, 5, 2, 2]), np.array([0, 1, 0, 1])], [2, 3])["ari"]
    {'2': 1.0, '3': -0.5}
    """
    from sklearn.metrics import adjusted_rand_score

    ari = [round(float(adjusted_rand_score(reference, fit)), 4) for fit in refits]
    out = {"measure": "adjusted Rand index of the sentence topics against the run's (outliers as one group)",
           **_spread(ari, seeds)}
    if doc_ids is not None:
        ref_main = main_topic_per_document(reference, doc_ids)
        doc_ari = [round(float(adjusted_rand_score(ref_main, main_topic_per_document(fit, doc_ids))), 4)
                   for fit in refits]
        out["documents"] = {"measure": "adjusted Rand index of the documents' main topics against the run's "
                                       "(documents without a clustered sentence each a group of their own)",
                            **_spread(doc_ari, seeds)}
    return out


def _run_config(meta: dict) -> Config:
    cfg = store.run_config(meta, "run.json")
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
    embedded = embed_step(sentences, cfg, say, False)
    vectors, rows, info = embedded.vectors, embedded.rows, embedded.info
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
            refit = topic_step(base, vectors, rows, cfg_s, lambda _m: None).sentences
        fits.append(refit.topic.to_numpy())
    reference = sentences.topic.to_numpy()
    # The rows topic_step fits: embedded sentences with enough words (the others are -1 in every fit).
    fitted = np.zeros(len(sentences), dtype=bool)
    fitted[rows] = sentences.n_words.to_numpy()[rows] >= cfg.topics.min_sentence_words
    return reference[fitted], [f[fitted] for f in fits], sentences.sentence_id.to_numpy()[fitted].tolist()


def _doc_ids_of(sentences: pd.DataFrame, ids: Sequence[str]) -> list[str]:
    """The document of each of ``ids`` (the clustered rows refit_topics returns)."""
    by_id = dict(zip(sentences.sentence_id, sentences.doc_id.astype(str)))
    return [by_id[i] for i in ids]


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
    from ..topics.table import with_stability

    topics = with_stability(tables["topics"], table)
    tables.update({"topics": topics, TABLE: table})
    store.write_tables(run_dir, {"topics": topics, TABLE: table})
    store.write_duckdb(run_dir, tables)
    store.claim_entries(meta, store.DUCKDB_FILE)
    meta["stability"] = {"seeds": seeds, "match_jaccard": MATCH_JACCARD, "stable_share": STABLE_SHARE,
                         "stable_topics": int(table.stable.sum()), "fragile_topics": int((~table.stable).sum()),
                         "agreement": seed_agreement(reference, fits, seeds, _doc_ids_of(tables["sentences"], ids)),
                         "created": store.utc_now()}
    meta["tables"] = {**(meta.get("tables") or {}), **store.table_records({name: tables[name] for name in ("topics", TABLE)})}
    store.write_run_json(run_dir, meta)
    from ..report import rebuild_report

    rebuild_report(run_dir)  # the report shows the topics table, now with stability
    return table
