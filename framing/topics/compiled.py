"""Keep UMAP's numba-compiled functions on disk, so only the first run of an installation compiles them.

umap-learn declares its numba functions without ``cache=True``, so every new
process compiled them again: about 25-40 s before the first UMAP call on a
two-core machine, more than UMAP itself takes on a few thousand sentences.
:func:`cache_umap_compilation` switches numba's own on-disk cache on for
those functions (``Dispatcher.enable_caching``, what ``cache=True`` does). The
compiled code is then stored
where numba keeps its caches (a ``__pycache__`` beside the library's source,
or the user cache folder when that is read-only, or ``NUMBA_CACHE_DIR``) and
numba checks it against the source file and the CPU before reusing it, so an
upgrade of umap-learn recompiles. The numbers UMAP computes are the same
compiled or cached.

pynndescent (the approximate neighbour search UMAP uses from 4,096 sentences
up) already caches most of its functions; the ones it does not (``nn_descent``
and its internals hold dynamic globals, which numba cannot cache) are left
alone and still compile once per process.
"""

from __future__ import annotations

import importlib
import logging

logger = logging.getLogger(__name__)

_MODULES = ("umap.umap_", "umap.layouts", "umap.utils", "umap.spectral", "umap.distances", "umap.sparse")
# numba refuses to cache these (dynamic globals) and would warn at every compile.
_UNCACHEABLE = frozenset({"nn_descent", "nn_descent_internal"})

_done = False


def cache_umap_compilation() -> int:
    """Turn numba's disk cache on for UMAP's uncached functions; returns how many.

    Idempotent: the second call in a process does nothing and returns 0.
    """
    global _done
    if _done:
        return 0
    _done = True
    try:
        from numba.core.caching import NullCache
        from numba.core.dispatcher import Dispatcher
    except ImportError:  # numba reorganised: compile as before
        return 0
    enabled = 0
    for name in _MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for value in list(vars(module).values()):
            if not isinstance(value, Dispatcher) or not isinstance(getattr(value, "_cache", None), NullCache):
                continue
            if not getattr(value.py_func, "__module__", "").startswith("umap.") or \
                    getattr(value.py_func, "__name__", "") in _UNCACHEABLE:
                continue
            try:
                value.enable_caching()
            except RuntimeError as exc:  # no writable cache location for this file
                logger.info("numba cannot cache %s: %s", value.py_func.__qualname__, exc)
                continue
            enabled += 1
    logger.info("numba disk cache enabled for %d UMAP functions", enabled)
    return enabled


def warm_up(sizes: tuple[int, ...] = (300, 4200), seed: int = 0) -> None:
    """Compile (and store) UMAP's functions for the shapes runs use: once per installation (1-5 min).

    UMAP takes an exact path below 4,096 points and pynndescent's approximate one above, with
    different compiled functions, so both are run on random unit vectors, in 5-d (topics) and 2-d
    (the map). ``make install`` runs it (``python -m framing.topics.compiled``).
    """
    import warnings

    import numpy as np

    from ..runlog import quiet_import

    UMAP = quiet_import("umap").UMAP
    cache_umap_compilation()
    rng = np.random.default_rng(seed)
    for n in sizes:
        x = rng.normal(size=(n, 16)).astype(np.float32)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        for n_components, min_dist in ((5, 0.0), (2, 0.1)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                UMAP(n_neighbors=10, n_components=n_components, min_dist=min_dist, metric="cosine",
                     random_state=seed, n_jobs=1, n_epochs=5).fit_transform(x)


if __name__ == "__main__":
    import time

    start = time.perf_counter()
    warm_up()
    print(f"UMAP's compiled functions are stored for this installation ({time.perf_counter() - start:.0f} s).")
