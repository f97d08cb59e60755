"""Partitioned runs on Dask (``--scheduler ADDRESS``): the per-sentence work spread over workers.

For corpora of millions of sentences the steps whose cost grows with every
sentence and that need nothing but the sentence itself run partitioned on a
Dask ``distributed`` cluster:

- **segmentation and language identification**
  (:func:`framing.segment.partitioned.build_sentences`, through :func:`map_partitions`):
  the documents are cut into partitions, each worker splits its documents
  into sentences and identifies their languages;
- **embedding** (through :func:`framing.embed.embed_texts`): the driver
  looks every distinct text up in the on-disk embedding cache, the missing
  ones are cut into the same batches the single-machine path makes (sorted
  by length, ``embedding.batch_size`` each) and groups of batches go to the
  workers, which load the model once per worker process; the driver writes
  each finished group to the cache (so a killed run keeps what was done and
  the cache is the same one a single-machine run uses and fills);
- **assignment of new sentences** to a fitted model (``framing apply``,
  :func:`nearest_topics`): the embeddings are cut into partitions and each
  worker finds the nearest topic embedding.

What stays on the driver: reading the input files, the topic fit (UMAP +
HDBSCAN on the embeddings, or on a seeded sample with ``topics.umap_sample``),
frames, comparisons and writing the run. The results are the same as on one
machine: every partition is computed by the same functions on the same
inputs, and embedding batches are cut at the same boundaries.

Workers need framing (same version) and the model packages installed; the
corpus is sent to them from the driver, so they need no shared file system.

Examples
--------
>>> active() is None
True
>>> partition_bounds(10, 3)
[(0, 4), (4, 7), (7, 10)]
"""

from __future__ import annotations

import logging
import math
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from .errors import FramingError

logger = logging.getLogger(__name__)

_CLIENT = None  # the active dask.distributed Client, set by use_scheduler()
_WORKER_EMBEDDERS: dict[str, object] = {}  # per worker process: one loaded model per embedder name
TASKS: Counter = Counter()  # per process: partitions this process computed, by step (what tests and logs check)
LOCAL = "local"
BATCHES_PER_TASK = 50  # at most this many embedding batches per task (64 x 50 sentences by default)


class ClusterError(FramingError):
    """The Dask scheduler cannot be reached or the extra is not installed."""


def _require_distributed():
    try:
        import distributed
    except ImportError:
        raise ClusterError(
            "--scheduler needs the packages dask and distributed. Install them with: pip install 'framing[dask]'"
        ) from None
    return distributed


def active():
    """The Dask client runs are partitioned on, or None (everything in this process)."""
    return _CLIENT


@contextmanager
def use_scheduler(address: str | None, say: Callable[[str], None] = lambda _m: None, n_workers: int | None = None,
                  processes: bool = True, timeout: str = "30s"):
    """Within the block, partitioned steps run on the Dask cluster at ``address``.

    Parameters
    ----------
    address : str or None
        ``tcp://host:8786`` (a running ``dask scheduler``), ``local`` (a
        :class:`distributed.LocalCluster` on this machine, one single-threaded
        worker per core or ``n_workers``), or None (no cluster: a no-op).
    n_workers : int, optional
        Workers of the ``local`` cluster.
    processes : bool, default True
        ``local`` workers as processes (True) or threads.
    timeout : str, default "30s"
        How long to try to reach a remote scheduler.
    """
    global _CLIENT
    if address is None:
        yield None
        return
    distributed = _require_distributed()
    cluster = None
    try:
        if address == LOCAL:
            cluster = distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=processes,
                                               dashboard_address=":0")
            client = distributed.Client(cluster)
        else:
            client = distributed.Client(address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ClusterError(f"Cannot reach the Dask scheduler at {address!r}: {exc}. Start one with "
                           "`dask scheduler` and workers with `dask worker ADDRESS`, or use --scheduler local.") from exc
    workers = len(client.scheduler_info().get("workers", {}))
    say(f"Dask scheduler {address if address != LOCAL else 'local'}: {workers} workers")
    previous, _CLIENT = _CLIENT, client
    try:
        yield client
    finally:
        _CLIENT = previous
        client.close()
        if cluster is not None:
            cluster.close()


def n_workers(client) -> int:
    return max(1, len(client.scheduler_info().get("workers", {})))


def partition_bounds(n: int, parts: int) -> list[tuple[int, int]]:
    """``parts`` contiguous ranges covering ``range(n)``, sizes differing by at most one (none empty)."""
    parts = max(1, min(parts, n))
    edges = [int(e) for e in np.ceil(np.arange(parts + 1) * n / parts)] if n else [0, 0]
    return [(edges[i], edges[i + 1]) for i in range(len(edges) - 1)]


def _gather_with_warnings(client, futures) -> list:
    """Results of ``futures`` in order; warnings a worker recorded are raised again here (run.json keeps them)."""
    results = client.gather(futures)
    out = []
    for value, caught in results:
        for category, message in caught:
            warnings.warn(message, category, stacklevel=3)
        out.append(value)
    return out


def _recording(func, *args):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = func(*args)
    return value, [(w.category, str(w.message)) for w in caught]


# -- partitions of a sequence --------------------------------------------------------------------------------


def _part(step: str, func: Callable, args):
    TASKS[step] += 1
    return _recording(func, *args)


def map_partitions(func: Callable, columns: Sequence[Sequence], step: str, extra: tuple = ()) -> list:
    """``func(*parts, *extra)`` for contiguous partitions of ``columns`` on the active cluster's workers, in order.

    Parameters
    ----------
    func : callable
        Importable on the workers (a module-level function of framing).
    columns : sequence of sequences of equal length
        Cut at the same bounds (about four partitions per worker); each part is passed as a list.
    step : str
        Counted in :data:`TASKS` on the worker (what tests and logs check).
    extra : tuple
        Arguments passed whole to every partition.

    Returns
    -------
    list of the partitions' results, in order; warnings a worker recorded are raised again here.
    """
    client = active()
    bounds = partition_bounds(len(columns[0]), 4 * n_workers(client))
    logger.info("Running %s over %d items in %d partitions on Dask", step, len(columns[0]), len(bounds))
    futures = [client.submit(_part, step, func, (*[list(c[a:b]) for c in columns], *extra), pure=False)
               for a, b in bounds]
    return _gather_with_warnings(client, futures)


# -- embedding -------------------------------------------------------------------------------------------------


def _encode_part(embedder, groups: list[list[str]]) -> list[np.ndarray]:
    emb = _WORKER_EMBEDDERS.setdefault(embedder.name, embedder)  # the model loads once per worker process
    TASKS["embed"] += 1
    return [np.asarray(emb.encode(g), dtype=np.float32) for g in groups]


def map_batches(embedder, batches: Sequence[list[str]]) -> Iterator[tuple[int, np.ndarray]] | None:
    """``(i, embedder.encode(batches[i]))`` computed on the active cluster, as tasks finish; None without one.

    Consecutive batches are grouped into tasks (about four per worker, at most
    ``BATCHES_PER_TASK`` batches each); each batch is encoded on its own, so
    its vectors are those the single-machine path computes.
    """
    client = active()
    if client is None or len(batches) < 2:
        return None
    tasks = max(4 * n_workers(client), math.ceil(len(batches) / BATCHES_PER_TASK))
    bounds = partition_bounds(len(batches), tasks)
    logger.info("Embedding %d batches in %d tasks on Dask", len(batches), len(bounds))
    futures = [client.submit(_encode_part, embedder, [list(b) for b in batches[a:z]], pure=False) for a, z in bounds]
    start_of = {f.key: a for f, (a, _) in zip(futures, bounds)}

    def results() -> Iterator[tuple[int, np.ndarray]]:
        from distributed import as_completed

        for future in as_completed(futures):
            first = start_of[future.key]
            for j, vectors in enumerate(future.result()):
                yield first + j, vectors

    return results()


# -- assignment of new sentences -------------------------------------------------------------------------------


def _nearest_part(local: Callable, embeddings: np.ndarray, centers: np.ndarray, row_topics):
    TASKS["assign"] += 1
    return _recording(local, embeddings, centers, row_topics)


def nearest_topics(embeddings: np.ndarray, centers: np.ndarray, row_topics, local: Callable):
    """``local(embeddings, centers, row_topics)`` over partitions of the rows on the active cluster, or here."""
    client = active()
    if client is None or len(embeddings) < 2:
        return local(embeddings, centers, row_topics)
    bounds = partition_bounds(len(embeddings), 4 * n_workers(client))
    [centers_f] = client.scatter([centers], broadcast=True)
    futures = [client.submit(_nearest_part, local, embeddings[a:b], centers_f, row_topics, pure=False)
               for a, b in bounds]
    results = _gather_with_warnings(client, futures)
    return np.concatenate([r[0] for r in results]), np.concatenate([r[1] for r in results])
