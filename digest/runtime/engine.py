"""Where the per-article stages run: in this process, in a process pool, or on Dask.

The per-article work (load a file, clean an article, split and hash it for merge) needs nothing
but the article, so an engine maps it over chunks of articles and concatenates the results in
order; merge's candidate search needs one grouping (keys -> the articles carrying them), the
engine's ``postings``. Everything else (verifying pairs, aligning stories, sections, summaries)
runs in the calling process on results that come back in input order, so every engine writes
the same bytes.

Dask is imported only when the Dask engine is asked for (``pip install 'digest[dask]'``).
"""

from __future__ import annotations

import importlib
import logging
import math
import os
import signal
import threading
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from ..config import ENGINES
from ..errors import ConfigError, DigestError
from ..merge.copies import local_postings, paused_cycle_collection

T = TypeVar("T")
R = TypeVar("R")

# Articles handed to a worker at once: ~200 articles of 500 words are ~1 MB pickled and a few
# tenths of a second of cleaning and hashing, so scheduling costs little beside the work.
CHUNK_ITEMS = 200
# Postings are grouped in this many partitions on Dask: enough to keep every worker busy.
KEY_PARTITIONS_PER_WORKER = 4
# Unless told how many processes to use, a local run hands a batch of at least this many
# articles to a pool of this machine's cores: two chunks' worth, the least that keeps two busy;
# a smaller day does not pay for starting the processes and shipping the text to them.
POOL_FROM_ITEMS = 2 * CHUNK_ITEMS
# A worker whose parent has gone (killed: no chance to close its pool) exits within this many
# seconds instead of waiting for work for ever.
ORPHAN_CHECK_SECONDS = 1.0


class Engine(Protocol):
    name: str
    workers: int

    def map_chunks(self, fn: Callable[[list[T]], list[R]], items: Sequence[T]) -> list[R]:
        """``fn`` over consecutive chunks of ``items``, results concatenated in order."""
        ...

    def postings(self, keys: Sequence[Sequence[Hashable]]) -> list[list[int]]:
        """For each key carried by two or more of the items, the items carrying it."""
        ...


def chunks(items: Sequence[T], count: int) -> list[list[T]]:
    """``items`` cut into at most ``count`` runs of near-equal length, in order."""
    if not items:
        return []
    size = math.ceil(len(items) / max(1, min(count, len(items))))
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def _chunk_count(items: int, workers: int) -> int:
    # A multiple of the workers: five chunks on two workers keep one busy for three while the
    # other waits after two.
    return workers * math.ceil(math.ceil(items / CHUNK_ITEMS) / workers)


class LocalEngine:
    """This process (``workers`` 1), or a pool of ``workers`` processes for the per-article work;
    ``workers`` None: a pool of this machine's cores for batches of POOL_FROM_ITEMS or more.

    The workers ignore Ctrl-C (the caller stops them, and a worker's own traceback would only
    repeat it), and leave when their caller dies without closing the pool."""

    name = "local"

    def __init__(self, workers: int | None = 1) -> None:
        self.workers = _cores() if workers is None else max(1, workers)
        self._pool_from = POOL_FROM_ITEMS if workers is None else 2
        self._pool: ProcessPoolExecutor | None = None

    def map_chunks(self, fn: Callable[[list[T]], list[R]], items: Sequence[T]) -> list[R]:
        if self.workers == 1 or len(items) < self._pool_from:
            return fn(list(items))
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, initializer=_start_worker,
                                             initargs=(os.getpid(),))
        # The results are unpickled (by the pool's thread) with the cycle collector paused:
        # they hold no cycles, and its passes over every object alive cost more than that.
        with paused_cycle_collection():
            parts = self._pool.map(fn, chunks(items, _chunk_count(len(items), self.workers)))
            return [result for part in parts for result in part]

    def postings(self, keys: Sequence[Sequence[Hashable]]) -> list[list[int]]:
        return local_postings(keys)

    def close(self) -> None:
        if self._pool is not None:
            # Interrupted, chunks may still wait their turn: they are dropped, not run.
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _cores() -> int:
    """The cores this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def _start_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_leave_when_orphaned, args=(parent,), daemon=True).start()


def _leave_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(1)


class DaskEngine:
    """A Dask cluster: a ``LocalCluster`` of this machine's cores, or the scheduler at
    ``address``. Per-article chunks are tasks; postings are a ``dask.bag`` fold by key."""

    name = "dask"

    def __init__(self, address: str | None = None, workers: int | None = None,
                 processes: bool = True) -> None:
        try:
            # Imported as a plain module object: Dask's API is untyped, and optional.
            distributed: Any = importlib.import_module("distributed")
        except ImportError:
            raise DigestError("the dask engine needs Dask: pip install 'digest[dask]' "
                              "(or use --engine local)") from None
        self._cluster: Any = None
        if address is None:
            self._cluster = distributed.LocalCluster(n_workers=workers or os.cpu_count() or 1,
                                         threads_per_worker=1, processes=processes,
                                         dashboard_address=None, silence_logs=logging.ERROR)
            self.client: Any = distributed.Client(self._cluster)
        else:
            try:
                self.client = distributed.Client(address, timeout="30s")
            except OSError as exc:
                raise DigestError(f"cannot reach the Dask scheduler at {address}: {exc} "
                                  "(check --scheduler, or leave it out for a local "
                                  "cluster)") from None
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def map_chunks(self, fn: Callable[[list[T]], list[R]], items: Sequence[T]) -> list[R]:
        if not items:
            return []
        futures = self.client.map(fn, chunks(items, _chunk_count(len(items), self.workers)),
                                  pure=False)
        with paused_cycle_collection():  # as LocalEngine's
            return [result for part in self.client.gather(futures) for result in part]

    def postings(self, keys: Sequence[Sequence[Hashable]]) -> list[list[int]]:
        bag: Any = importlib.import_module("dask.bag")
        pairs = bag.from_sequence(list(enumerate(keys)), npartitions=max(
            1, min(len(keys), self.workers * KEY_PARTITIONS_PER_WORKER)))
        grouped = pairs.map(_key_owner_pairs).flatten().foldby(
            _first, _add_owner, (), _concat, ())
        found = grouped.filter(_shared).compute()
        return [list(members) for _, members in found]

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


# Top-level functions, not lambdas: Dask ships them to workers by pickle.
def _key_owner_pairs(item: tuple[int, Sequence[Hashable]]) -> list[tuple[Hashable, int]]:
    owner, keys = item
    return [(key, owner) for key in keys]


def _first(pair: tuple[Hashable, int]) -> Hashable:
    return pair[0]


def _add_owner(members: tuple[int, ...], pair: tuple[Hashable, int]) -> tuple[int, ...]:
    return (*members, pair[1])


def _concat(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return a + b


def _shared(item: tuple[Hashable, tuple[int, ...]]) -> bool:
    return len(item[1]) > 1


@contextmanager
def open_engine(name: str = "local", scheduler: str | None = None,
                workers: int | None = None) -> Iterator[LocalEngine | DaskEngine]:
    """The engine called ``name``, closed (pool or cluster shut down) when the block ends."""
    engine: LocalEngine | DaskEngine
    if name == "local":
        if scheduler is not None:
            raise ConfigError("--scheduler is for --engine dask")
        engine = LocalEngine(workers)
    elif name == "dask":
        engine = DaskEngine(scheduler, workers)
    else:
        raise ConfigError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
    try:
        yield engine
    finally:
        engine.close()
