"""Several UMAP layouts of one corpus side by side: clusters that depend less on one seed.

UMAP's layout is stochastic: with another seed, sentences on the border of two
stories fall on another side, and HDBSCAN's clusters change with them (on
BASIL the ARI of topics against the 100 events ranges 0.83-0.88 over four
seeds). :class:`LayoutEnsemble` fits ``topics.layouts`` UMAPs with seeds drawn
from the run's seed and places their coordinates side by side, so HDBSCAN
clusters in the concatenation: the squared distance of two sentences is the sum
of their squared distances in every layout. A pair that lies close in every
layout stays close; a pair that one layout put together by chance is pulled
apart by the others. This is evidence accumulation (Fred & Jain 2005) done on
the coordinates rather than on a co-association matrix, whose size grows with
the square of the corpus.

The first layout uses the run's seed itself, so ``layouts: 1`` is one UMAP as
before; layout ``i > 0`` uses ``SeedSequence([seed, i])``, so the layouts of
two runs with different seeds do not overlap. The cost is one UMAP per layout
(single-threaded when seeded; each is cached on its own).

Examples
--------
>>> layout_seeds(42, 3)[0]
42
>>> len(set(layout_seeds(42, 3) + layout_seeds(43, 3)))
6
"""

from __future__ import annotations

import numpy as np


def layout_seeds(seed: int, n: int) -> list[int]:
    """The seed of each of ``n`` layouts: ``seed`` itself first, then seeds drawn from it."""
    return [int(seed)] + [int(np.random.SeedSequence([int(seed), i]).generate_state(1)[0]) for i in range(1, n)]


class LayoutEnsemble:
    """Reducers fitted on the same rows, their outputs placed side by side.

    Parameters
    ----------
    reducers : list
        Unfitted reducers (``fit_transform`` / ``transform``), one per layout, each with its own seed.

    Attributes
    ----------
    embedding_ : ndarray of shape (n, sum of the reducers' components), float32
    """

    def __init__(self, reducers: list):
        self.reducers = reducers

    def get_params(self, deep: bool = True) -> dict:
        return {"layouts": [r.get_params(deep) for r in self.reducers]}

    def fit(self, X, y=None) -> LayoutEnsemble:
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None) -> np.ndarray:
        self.embedding_ = np.hstack([np.asarray(r.fit_transform(X), dtype=np.float32) for r in self.reducers])
        return self.embedding_

    def transform(self, X) -> np.ndarray:
        if not hasattr(self, "embedding_"):
            from ..errors import NotFittedError

            raise NotFittedError("This LayoutEnsemble is not fitted yet; call fit(X) first.")
        return np.hstack([np.asarray(r.transform(X), dtype=np.float32) for r in self.reducers])
