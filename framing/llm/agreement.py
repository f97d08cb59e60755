"""Agreement of a model's codes with human codes: precision, recall and F1 per frame, and Krippendorff's alpha.

Each frame is a binary decision per item (the frame is present or not), so
alpha is Krippendorff's alpha for nominal data with two coders (the humans'
code and the model's) over the items both coded. It is computed by the
``krippendorff`` package when it is installed (``framing[llm]``) and by
:func:`nominal_alpha` otherwise; both give the same figure (tested).

Examples
--------
>>> gold = [{"moral"}, set(), {"conflict"}, {"conflict", "moral"}]
>>> pred = [{"moral"}, set(), {"conflict"}, {"conflict"}]
>>> t = agreement_table(pred, gold, ["conflict", "moral"])
>>> t[["frame_id", "f1"]].round(3).values.tolist()
[['conflict', 1.0], ['moral', 0.667], ['macro', 0.833]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

AGREEMENT_COLUMNS = ["frame_id", "items", "support", "predicted", "precision", "recall", "f1", "alpha"]


def nominal_alpha(data) -> float:
    """Krippendorff's alpha for nominal data; ``data`` is coders x units, ``nan`` where a coder gave no value.

    Units coded by fewer than two coders are left out (Krippendorff 2011,
    "Computing Krippendorff's alpha-reliability"). NaN when there is no
    disagreement to expect (every pairable value the same).

    >>> round(nominal_alpha([[1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
    ...                      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
    ...                      [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
    ...                      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan]]), 3)
    0.743
    """
    values = np.asarray(data, dtype=float)
    cats = np.unique(values[~np.isnan(values)])
    index = {v: i for i, v in enumerate(cats)}
    coincidence = np.zeros((len(cats), len(cats)))
    for unit in values.T:
        present = unit[~np.isnan(unit)]
        m = len(present)
        if m < 2:
            continue
        counts = np.zeros(len(cats))
        for v in present:
            counts[index[v]] += 1
        pairs = np.outer(counts, counts) - np.diag(counts)
        coincidence += pairs / (m - 1)
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    if n <= 1:
        return float("nan")
    observed = coincidence.sum() - np.trace(coincidence)
    expected = (n * n - (n_c ** 2).sum()) / (n - 1)
    if expected == 0:
        return float("nan")
    return float(1.0 - observed / expected)


def binary_alpha(pred: np.ndarray, gold: np.ndarray) -> float:
    """Alpha of two coders' yes/no codes of the same items (the ``krippendorff`` package when installed)."""
    data = np.vstack([np.asarray(gold, dtype=float), np.asarray(pred, dtype=float)])
    if len(np.unique(data)) < 2:
        return float("nan")
    try:
        import krippendorff
    except ImportError:
        return nominal_alpha(data)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def agreement_table(pred: list[set], gold: list[set], frame_ids: list[str]) -> pd.DataFrame:
    """Per frame: items, support (human yes), predicted (model yes), precision, recall, F1, alpha; and a macro row.

    Parameters
    ----------
    pred, gold : list of sets of frame ids, aligned (one per item coded by both)
    frame_ids : the frames to score, in order

    Returns
    -------
    DataFrame with :data:`AGREEMENT_COLUMNS`; the last row (``frame_id`` "macro") averages the frames'
    precision, recall, F1 and alpha (frames whose figure is undefined left out).
    """
    rows = []
    for fid in frame_ids:
        p = np.array([fid in s for s in pred])
        g = np.array([fid in s for s in gold])
        tp = int((p & g).sum())
        precision = tp / p.sum() if p.sum() else float("nan")
        recall = tp / g.sum() if g.sum() else float("nan")
        f1 = 2 * tp / (p.sum() + g.sum()) if (p.sum() + g.sum()) else float("nan")
        rows.append({"frame_id": fid, "items": len(p), "support": int(g.sum()), "predicted": int(p.sum()),
                     "precision": precision, "recall": recall, "f1": f1, "alpha": binary_alpha(p, g)})
    table = pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
    macro = {"frame_id": "macro", "items": len(pred), "support": int(table["support"].sum()),
             "predicted": int(table["predicted"].sum())}
    macro.update({c: float(table[c].mean()) for c in ("precision", "recall", "f1", "alpha")})
    return pd.concat([table, pd.DataFrame([macro])], ignore_index=True)
