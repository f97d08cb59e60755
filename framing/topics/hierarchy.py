"""The tree of a fitted topic model: BERTopic's ``hierarchical_topics`` as a plain table.

Imported by :mod:`framing.topics.model`, which hands it the fitted BERTopic model;
nothing here imports bertopic itself.
"""

from __future__ import annotations

import warnings

import pandas as pd

__all__ = ["HIERARCHY_COLUMNS", "empty_hierarchy", "topic_hierarchy"]

HIERARCHY_COLUMNS = ["parent", "parent_label", "child_left", "child_right", "distance", "topics"]


def empty_hierarchy() -> pd.DataFrame:
    return pd.DataFrame({"parent": pd.Series(dtype="int64"), "parent_label": pd.Series(dtype=str),
                         "child_left": pd.Series(dtype="int64"), "child_right": pd.Series(dtype="int64"),
                         "distance": pd.Series(dtype=float), "topics": pd.Series(dtype=object)})


def topic_hierarchy(model, docs: list[str]) -> pd.DataFrame:
    """The tree of the fitted topics, from BERTopic's ``hierarchical_topics`` (c-TF-IDF, Ward linkage).

    One row per merge, from the closest pair of topics to the root: ``parent``
    (a new node id: the number of topics plus the merge's rank), ``parent_label``
    (the merged node's top five c-TF-IDF words, recomputed for the node),
    ``child_left`` / ``child_right`` (a topic number, or an earlier ``parent``),
    ``distance`` (Ward distance on 1 - cosine of the topics' c-TF-IDF rows;
    larger merges later) and ``topics`` (the topics under the node, sorted).
    Cutting the tree at a distance gives a coarser set of topics without
    refitting; ``topics.nr_topics`` does the same merge inside BERTopic.
    """
    n_topics = len({t for t in model.topics_ if t >= 0})
    if n_topics < 2:
        return empty_hierarchy()
    import io
    from contextlib import redirect_stderr

    with warnings.catch_warnings(), redirect_stderr(io.StringIO()):  # its tqdm bar and pandas' chained assignment
        warnings.simplefilter("ignore")
        tree = model.hierarchical_topics(docs)
    out = pd.DataFrame({
        "parent": tree.Parent_ID.astype("int64"),
        "parent_label": [", ".join(str(name).split("_")) for name in tree.Parent_Name],
        "child_left": tree.Child_Left_ID.astype(float).astype("int64"),
        "child_right": tree.Child_Right_ID.astype(float).astype("int64"),
        "distance": tree.Distance.astype(float).round(6),
        "topics": [sorted(int(t) for t in ts) for ts in tree.Topics],
    })
    return out.sort_values("parent").reset_index(drop=True)[HIERARCHY_COLUMNS]
