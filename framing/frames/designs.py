"""Sampling designs for coding a run's frames: by score band (to estimate precision and recall) and by uncertainty.

``framing sample RUN --strategy stratified`` draws, for every frame on its own,
items from score bands: the items the run matched split into three bands of
equal size by score (``matched-high``, ``matched-mid``, ``matched-low``) and
the items it did not match split into ``near`` (the tenth of them that score
highest: where the misses are) and ``far`` (the rest). Half of the frame's
``n`` goes to the matched bands, a third to ``near``, the rest to ``far``;
within a band items are drawn at random with a seed that depends only on the
run's seed, the frame and the band. Each draw is recorded in ``design.csv``
(item, frame, band, band_size, drawn, weight = band_size / drawn): these are
the inclusion weights that :mod:`framing.frames.validate` uses to estimate the
frame's precision and recall over the whole run (a stratified random sample,
Horvitz-Thompson weights). An item drawn for several frames is coded once.

``--strategy uncertain`` draws, for every frame, ``n`` items whose score
lies near the frame's decision (the sentence threshold in run.json, or a
document confidence nearest 0.5): the items whose human code teaches a
classifier most (uncertainty sampling, Lewis and Gale 1994). The nearest items
alone are often near-duplicates (one story told by several outlets), so the
draw is spread over the run's topics: the most uncertain item of every topic
first, then the second of every topic, and so on (diversity, as in
cluster-based batch active learning: Zhdanov 2019, Citovsky et al. 2021).
It is not a probability sample: its codes train (``framing frames train
--labels``), they cannot estimate precision.

Examples
--------
>>> import pandas as pd
>>> scores = pd.DataFrame({"item": [f"s{i}" for i in range(40)], "frame_id": "oil",
...                        "score": [i / 40 for i in range(40)], "matched": [i >= 30 for i in range(40)]})
>>> d = stratified_design(scores, n=12, seed=1)
>>> d.groupby("band").size().to_dict()
{'far': 2, 'matched-high': 3, 'matched-low': 2, 'matched-mid': 2, 'near': 3}
>>> float(d[d.band == "far"].weight.iloc[0])
13.5
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats import seeded_rng
from ..errors import InputError, RunStoreError

STRATEGIES = ("frame", "stratified", "uncertain")
MATCHED_BANDS = ("matched-high", "matched-mid", "matched-low")
NEAR_SHARE = 0.10  # the unmatched items scoring highest: where a frame's misses are
DESIGN_COLUMNS = ["item", "frame_id", "band", "band_size", "drawn", "weight"]


def check_strategy(strategy: str) -> str:
    """The strategy's name, or an error listing the ones that exist.

    >>> check_strategy("uncertain")
    'uncertain'
    """
    if strategy not in STRATEGIES:
        raise InputError(f"The '--strategy' option must be one of {', '.join(STRATEGIES)}. Got {strategy!r} instead.")
    return strategy


def _bands(group: pd.DataFrame) -> pd.Series:
    """The band of each item of one frame (index aligned with ``group``)."""
    band = pd.Series("far", index=group.index, dtype=object)
    matched = group[group.matched.astype(bool)].sort_values(["score", "item"], ascending=[False, True])
    for name, part in zip(MATCHED_BANDS, np.array_split(np.arange(len(matched)), 3)):
        band.loc[matched.index[part]] = name
    rest = group[~group.matched.astype(bool)].sort_values(["score", "item"], ascending=[False, True])
    n_near = int(np.ceil(NEAR_SHARE * len(rest))) if len(rest) else 0
    band.loc[rest.index[:n_near]] = "near"
    return band


def _targets(n: int) -> dict[str, int]:
    matched = (n + 1) // 2
    near = (n - matched + 1) * 2 // 3
    per = [matched // 3 + (1 if i < matched % 3 else 0) for i in range(3)]
    return {**dict(zip(MATCHED_BANDS, per)), "near": near, "far": n - matched - near}


def _allocate(targets: dict[str, int], sizes: dict[str, int]) -> dict[str, int]:
    """Each band's target capped by its size; what a small band cannot take goes, one by one, to the others.

    >>> _allocate({"a": 2, "b": 2}, {"a": 1, "b": 5})
    {'a': 1, 'b': 3}
    """
    take = {k: min(v, sizes[k]) for k, v in targets.items()}
    left = sum(targets.values()) - sum(take.values())
    while left > 0 and any(take[k] < sizes[k] for k in take):
        for k in take:
            if left and take[k] < sizes[k]:
                take[k] += 1
                left -= 1
    return take


def stratified_design(scores: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """Draw up to ``n`` items per frame from its score bands.

    Parameters
    ----------
    scores : DataFrame with item, frame_id, score, matched
        One row per item and frame (every item the run scored for the frame).
    n : int
        Items per frame. A band with fewer items than its share gives them all.
    seed : int

    Returns
    -------
    DataFrame with item, frame_id, band, band_size, drawn, weight
        One row per draw (an item drawn for two frames has two rows).
    """
    if n < 1:
        raise InputError(f"The sample size --n must be at least 1. Got {n} instead.")
    rows = []
    for frame_id, group in scores.groupby("frame_id", sort=True):
        group = group.reset_index(drop=True)
        band = _bands(group)
        sizes = {name: int((band == name).sum()) for name in (*MATCHED_BANDS, "near", "far")}
        for name, k in _allocate(_targets(n), sizes).items():
            items = np.array(sorted(group.item[band == name].astype(str)), dtype=object)
            if k == 0:
                continue
            picked = seeded_rng(seed, "stratified", frame_id, name).choice(items, size=k, replace=False)
            rows += [{"item": it, "frame_id": frame_id, "band": name, "band_size": len(items), "drawn": k,
                      "weight": len(items) / k} for it in sorted(picked)]
    return pd.DataFrame(rows, columns=DESIGN_COLUMNS)


def spread_order(margin: np.ndarray, cluster: np.ndarray | None, tie: np.ndarray) -> np.ndarray:
    """Items in drawing order: by margin, but each cluster's k-th item after every cluster's (k-1)-th.

    ``cluster`` None: by margin alone. Ties are broken by ``tie`` (random numbers).

    Examples
    --------
    >>> spread_order(np.array([0.1, 0.2, 0.3, 0.4]), np.array([0, 0, 0, 1]), np.zeros(4)).tolist()
    [0, 3, 1, 2]
    """
    margin = np.asarray(margin, dtype=float)
    by_margin = np.lexsort((tie, margin))
    if cluster is None:
        return by_margin
    rank = np.zeros(len(margin))
    seen: dict = {}
    for pos in by_margin:
        c = cluster[pos]
        rank[pos] = seen.get(c, 0)
        seen[c] = seen.get(c, 0) + 1
    return np.lexsort((tie, margin, rank))


def uncertain_design(scores: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """``n`` items per frame near its decision, spread over clusters (ties broken at random).

    Parameters
    ----------
    scores : DataFrame with item, frame_id, margin, and optionally cluster
        ``margin`` is the distance of the item's score to the frame's decision (>= 0);
        ``cluster`` (a run's topic) spreads the draw: see :func:`spread_order`.

    Returns
    -------
    DataFrame with item, frame_id, band ("uncertain"), band_size, drawn, weight (NaN: not a probability sample)
    """
    if n < 1:
        raise InputError(f"The sample size --n must be at least 1. Got {n} instead.")
    rows = []
    for frame_id, group in scores.groupby("frame_id", sort=True):
        tie = seeded_rng(seed, "uncertain", frame_id).random(len(group))
        cluster = group.cluster.to_numpy() if "cluster" in group else None
        order = spread_order(group.margin.to_numpy(dtype=float), cluster, tie)
        picked = group.item.to_numpy(object)[order[:n]]
        rows += [{"item": it, "frame_id": frame_id, "band": "uncertain", "band_size": len(group),
                  "drawn": len(picked), "weight": np.nan} for it in picked]
    return pd.DataFrame(rows, columns=DESIGN_COLUMNS)


def frame_scores(tables: dict, meta: dict, unit: str) -> pd.DataFrame:
    """Every scored (item, frame) of a run: item, frame_id, score, matched, margin (distance to the decision).

    Sentences: ``sentence_frames`` with the sentence threshold of run.json (``frames.thresholds``);
    documents: ``document_frames`` with its confidence (margin ``|confidence - 0.5|``) or its threshold.
    """
    if unit == "sentence":
        sf = tables.get("sentence_frames")
        if sf is None:
            raise RunStoreError("This run matched no frame catalog: nothing to sample by score. "
                                "Analyze with --frames CATALOG first.")
        sents = tables["sentences"]
        keep = sents.sentence_id[~sents.is_fragment.astype(bool)] if "is_fragment" in sents else sents.sentence_id
        sf = sf[sf.sentence_id.isin(keep)]
        thresholds = (meta.get("frames") or {}).get("thresholds") or {}
        out = pd.DataFrame({"item": sf.sentence_id.astype(str), "frame_id": sf.frame_id.astype(str),
                            "score": sf.score.astype(float), "matched": sf.matched.astype(bool)})
        th = out.frame_id.map(lambda f: _number(thresholds.get(f)))
        out["margin"] = (out.score - th).abs().fillna(out.score.rsub(out.score.max()))
        if "topic" in sents:
            out["cluster"] = out.item.map(pd.Series(sents.topic.to_numpy(), index=sents.sentence_id.astype(str))).fillna(-1)
        return out.reset_index(drop=True)
    df = tables.get("document_frames")
    if df is None:
        raise RunStoreError("This run has no document_frames table: nothing to sample documents by score. "
                            "Analyze with --frames CATALOG first.")
    out = pd.DataFrame({"item": df.doc_id.astype(str), "frame_id": df.frame_id.astype(str),
                        "score": df.score.astype(float), "matched": df.matched.astype(bool)})
    if "confidence" in df and df.confidence.notna().any():
        out["margin"] = (df.confidence.astype(float) - 0.5).abs().to_numpy()
    else:
        out["margin"] = (df.score.astype(float) - df.threshold.astype(float)).abs().to_numpy()
    out["margin"] = out.margin.fillna(np.inf)
    sents = tables.get("sentences")
    if sents is not None and "topic" in sents and len(sents):
        # a document's cluster: the topic most of its sentences are in
        modal = sents.groupby(sents.doc_id.astype(str)).topic.agg(lambda t: t.value_counts().index[0])
        out["cluster"] = out.item.map(modal).fillna(-1)
    return out.reset_index(drop=True)


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return np.nan


def design_sample(tables: dict, meta: dict, strategy: str, n: int, unit: str, seed: int,
                  sources: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The drawn items (one row each: item, stratum, source, cell_size, weight) and the design table.

    ``stratum`` is the first frame the item was drawn for, ``weight`` that draw's weight; the
    complete design (every frame an item was drawn for) is the second table.
    """
    scores = frame_scores(tables, meta, unit)
    design = (stratified_design if strategy == "stratified" else uncertain_design)(scores, n, seed)
    if not len(design):
        raise InputError(f"Nothing to sample with --strategy {strategy}: the run scored no {unit}s for any frame.")
    first = design.drop_duplicates("item", keep="first")
    drawn = pd.DataFrame({"item": first.item.to_numpy(object), "stratum": first.frame_id.to_numpy(object),
                          "band": first.band.to_numpy(object), "cell_size": first.band_size.to_numpy(),
                          "weight": first.weight.to_numpy(float)})
    drawn.insert(2, "source", drawn.item.map(sources).to_numpy(object))
    return drawn, design
