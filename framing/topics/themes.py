"""Themes: the topics grouped for an overview.

framing's topics follow stories, so a corpus of a few hundred articles has
about a hundred of them, and a news corpus of thousands tens of them (where a
topic gathers the stories of one subject). A reader first wants the ten or so themes
those topics belong to (the economy, the wars, the elections), then the stories. Themes
group the topics by what their sentences say: each topic's centre (the mean of
its sentences' unit embeddings, normalised) is clustered by Ward linkage
(scipy), and the tree is cut into ``k`` groups
(``fcluster(..., criterion="maxclust")``). Ward keeps the groups of similar
size; the c-TF-IDF tree of ``topic_hierarchy`` gathered on AllSides' first 300
articles a third of the topics, those with words of their own, in one group.

``topics.themes: auto`` (the default) takes ``k = ceil(sqrt(n_topics))``, the
square-root rule for a number of groups: 16 topics give 4 themes, 169 give 13,
325 give 19. An integer asks for that many; ``null`` groups nothing. The cut
adds two columns to the ``topics`` table, ``theme`` (0 is the theme with the
most sentences) and ``theme_label``; topics do not change, so every topic
figure and the document counts are the same with or without themes.

A theme's keywords are its topics' keywords, each topic weighing its number of
sentences and each word its rank: the ten with the highest weight, the first
three being its label. run.json reports the themes (``topics.themes``) and the
NPMI coherence and diversity of their keywords (``topics.quality.themes``),
measured as for the topics.

>>> emb = np.array([[1, 0, 0], [1, 0.1, 0], [0.9, 0.2, 0], [0, 1, 0], [0, 0, 1], [0, 0.1, 1]])
>>> group_topics(emb, np.array([0, 0, 1, 2, 3, 3]), 2)
{0: 0, 1: 0, 2: 2, 3: 2}
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["THEME_COLUMNS", "THEME_WORDS", "n_themes", "group_topics", "theme_keywords", "with_themes",
           "themes_quality"]

THEME_COLUMNS = ["theme", "theme_label"]
THEME_WORDS = 10
"""Keywords per theme (run.json ``topics.themes``)."""
LABEL_WORDS = 3


def n_themes(setting: int | str | None, n_topics: int) -> int | None:
    """How many themes ``topics.themes`` asks for with ``n_topics`` topics; None: no cut.

    >>> [n_themes("auto", n) for n in (1, 2, 16, 169, 325)]
    [None, 2, 4, 13, 19]
    >>> n_themes(30, 12), n_themes(None, 50)
    (12, None)
    """
    if setting is None or n_topics < 2:
        return None
    wanted = math.ceil(math.sqrt(n_topics)) if setting == "auto" else int(setting)
    return max(1, min(wanted, n_topics))


def group_topics(embeddings: np.ndarray, labels: np.ndarray, k: int) -> dict[int, int]:
    """``{topic: group}``: Ward linkage of the topics' centres (mean unit embedding of their sentences) cut into
    at most ``k`` groups; a group is named by its smallest topic. ``labels`` has one topic per row (-1 ignored)."""
    from scipy.cluster.hierarchy import fcluster, linkage

    labels = np.asarray(labels)
    kept = sorted(int(t) for t in set(labels.tolist()) if t >= 0)
    if len(kept) < 2 or k >= len(kept):
        return {t: t for t in kept}
    import scipy.sparse as sp

    embeddings = np.asarray(embeddings)
    rows = np.flatnonzero(labels >= 0)
    norms = np.maximum(np.sqrt(np.einsum("ij,ij->i", embeddings, embeddings, dtype=np.float64)[rows]), 1e-12)
    # sum of each topic's unit vectors, without a copy of the embeddings
    pick = sp.csr_matrix((1.0 / norms, (np.searchsorted(kept, labels[rows]), rows)), shape=(len(kept), len(labels)))
    centres = np.asarray(pick @ embeddings, dtype=np.float64)
    centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
    cut = fcluster(linkage(centres, method="ward"), t=max(k, 1), criterion="maxclust")
    first = {}
    for t, c in zip(kept, cut):
        first.setdefault(int(c), t)
    return {t: first[int(c)] for t, c in zip(kept, cut)}


def theme_keywords(topics: pd.DataFrame, members: Sequence[int], n_words: int = THEME_WORDS) -> list[str]:
    """The theme's keywords: its topics' ``keywords``, a word weighing the sentences of each topic that
    lists it times its rank weight (1 for the first of ``m`` words, down to ``1/m`` for the last).

    >>> t = pd.DataFrame({"topic": [0, 1], "size": [10, 30], "keywords": [["tax", "cuts"], ["deficit", "tax"]]})
    >>> theme_keywords(t, [0, 1])
    ['deficit', 'tax', 'cuts']
    """
    weights: dict[str, float] = {}
    rows = topics[topics["topic"].isin(list(members))]
    for size, words in zip(rows["size"], rows["keywords"]):
        words = [str(w) for w in (words if words is not None else [])]
        for rank, word in enumerate(words):
            weights[word] = weights.get(word, 0.0) + float(size) * (len(words) - rank) / len(words)
    return [w for w, _ in sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:n_words]]


def with_themes(topics: pd.DataFrame, embeddings: np.ndarray, labels: np.ndarray,
                setting: int | str | None) -> tuple[pd.DataFrame, list[dict]]:
    """The ``topics`` table with ``theme`` and ``theme_label``, and one record per theme for run.json.

    ``embeddings`` and ``labels`` are the sentences' vectors and topics (:func:`group_topics`). Without a
    cut (``setting`` None, fewer than two topics) both columns are empty (null) and the list is empty. The
    outlier row (topic -1), when there is one, has no theme.
    """
    out = topics.copy()
    out["theme"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    out["theme_label"] = pd.Series([None] * len(out), index=out.index, dtype=object)  # None, as parquet gives back
    kept = sorted(int(t) for t in out["topic"] if int(t) >= 0)
    k = n_themes(setting, len(kept))
    if k is None:
        return out, []
    group = group_topics(embeddings, labels, k)
    sizes = dict(zip(out["topic"].astype(int), out["size"].astype(int)))
    groups: dict[int, list[int]] = {}
    for t, g in group.items():
        groups.setdefault(g, []).append(t)
    ranked = sorted(groups.values(), key=lambda ts: (-sum(sizes.get(t, 0) for t in ts), min(ts)))
    records, number, label = [], {}, {}
    for i, members in enumerate(ranked):
        words = theme_keywords(out, members)
        for t in members:
            number[t], label[t] = i, ", ".join(words[:LABEL_WORDS])
        records.append({"theme": i, "label": ", ".join(words[:LABEL_WORDS]), "keywords": words,
                        "topics": sorted(members), "size": int(sum(sizes.get(t, 0) for t in members))})
    out["theme"] = pd.array([number.get(int(t)) for t in out["topic"]], dtype="Int64")
    out["theme_label"] = [label.get(int(t)) for t in out["topic"]]
    return out, records


def themes_quality(themes: list[dict], reference: Sequence[str], top_n_words: int,
                   documents: Sequence[str] | None = None, stop_words: frozenset[str] = frozenset()) -> dict:
    """run.json ``topics.quality.themes``: the number of themes and the NPMI and diversity of their keywords,
    measured as for the topics (:func:`framing.topics.describe.describe_quality`)."""
    from .describe import describe_quality

    words = pd.DataFrame({"keywords": [r["keywords"] for r in themes]})
    words["ctfidf_keywords"] = words["keywords"]
    quality = describe_quality(words, reference, top_n_words, documents, stop_words)
    return {"themes": len(themes), **{k: quality.get(k) for k in ("coherence_npmi", "diversity", "c_npmi")}}
