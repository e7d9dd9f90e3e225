"""Scale-out: the same stages with their heavy, per-document work spread over a Dask cluster.

`narrative analyze --dask ADDRESS` (or `--dask local` for a cluster of local processes) sends batches of
documents to the workers — entity extraction, passage embedding — and gathers the results in order; the
driver alone writes the store, in the same transactions as a local run, so results are the same. The topic
fit itself stays on the driver: it runs on a sample (TopicParams.fit_sample) and assignment is a matrix product.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from .errors import DASK_MISSING, DASK_UNREACHABLE

# Entity extraction with spaCy's statistical model: a second process pays off once it gets enough documents to
# outweigh what it costs — a fork of the loaded pipeline and the Docs it sends back. Measured on UK news articles
# (~700 words) with the quality pipeline (docs/SCALING.md): 50 documents took 4.5 CPU-s in one process and 5.0 in
# two (+11 %), 200 took 19.2 and 22.2 (+16 %, the Docs sent back grow with the text); so on two idle cores two
# processes finish in ~0.55–0.6 of the time from a few dozen documents on. 100 keeps a margin for the start-up
# that CPU time does not show.
MIN_DOCS_PER_PROCESS = 100
# Resident memory of one spaCy worker process with en_core_web_sm and the alias ruler (~0.6 GB measured, with a
# margin for long documents).
PROCESS_MEMORY_BYTES = 800 * 1024**2


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def available_memory_bytes() -> int | None:
    """Memory the system could give without swapping (MemAvailable), or None where it cannot be read."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def entity_processes(n_docs: int, profile: str = "quality", cores: int | None = None,
                     memory_bytes: int | None = None) -> int:
    """How many processes spaCy should run entity extraction on: one per core, as long as each gets at least
    MIN_DOCS_PER_PROCESS documents and the memory holds a pipeline per process. The fast profile runs no model
    (only the alias ruler and a sentencizer): a fork costs more than the work, so always 1."""
    if profile == "fast" or n_docs <= 0:
        return 1
    cores = cores if cores is not None else available_cores()
    memory_bytes = memory_bytes if memory_bytes is not None else available_memory_bytes()
    by_size = n_docs // MIN_DOCS_PER_PROCESS
    by_memory = memory_bytes // PROCESS_MEMORY_BYTES if memory_bytes is not None else cores
    return int(max(1, min(cores, by_size, by_memory)))


class LocalMap:
    """In-process execution with the interface of a cluster map."""

    remote = False  # work runs in this process: objects need not be rebuilt elsewhere

    def map(self, fn: Callable[..., Any], items: Iterable[Any], *args: Any) -> Iterator[Any]:
        for item in items:
            yield fn(item, *args)


class ProcessMap:
    """Batches to worker processes of this machine; results in the order of the batches, a few in flight so the
    driver's memory stays bounded. Use it as a context manager (the processes end with the block).

    The workers are forked from a fresh server process that imports nothing of the caller ("forkserver" without
    preloads): they inherit neither this process's store connection and threads (as "fork" would) nor re-run the
    caller's script (as "spawn" does with a script that lacks an `if __name__ == "__main__"` guard)."""

    remote = True  # work runs in other processes: what it uses must be picklable or rebuildable there

    def __init__(self, workers: int = 1) -> None:
        self.workers = workers
        self._pool: Any = None

    def __enter__(self) -> ProcessMap:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([])  # the server imports no __main__ (see the class's docstring)
        self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def map(self, fn: Callable[..., Any], items: Iterable[Any], *args: Any) -> Iterator[Any]:
        window = 2 * self.workers
        pending: deque = deque()
        for item in items:
            pending.append(self._pool.submit(fn, item, *args))
            if len(pending) > window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


# Entities beside the themes (pipeline.analyze): a process of its own extracts the entities while this one finds
# the themes, when the extraction would otherwise run on one core (the fast profile; small corpora) and a second
# core is free. Below this many documents the new process's start (imports, the pipeline, ~1.5 CPU-s) outweighs
# what it takes off the driver (the fast profile: 0.35 ms a post to 2.7 ms an article of ~700 words).
MIN_DOCS_BESIDE = 1_000


def entities_beside_themes(n_docs: int, profile: str, n_process: int = 0, cores: int | None = None,
                           memory_bytes: int | None = None) -> bool:
    """Whether entity extraction should run in a process of its own beside the theme stage: the extraction would
    use one process here (`n_process`, or the automatic choice), there are at least MIN_DOCS_BESIDE documents to
    extract, a second core and the memory for one more pipeline."""
    cores = cores if cores is not None else available_cores()
    memory_bytes = memory_bytes if memory_bytes is not None else available_memory_bytes()
    alone = n_process == 1 or (n_process <= 0 and entity_processes(n_docs, profile, cores, memory_bytes) == 1)
    enough_memory = memory_bytes is None or memory_bytes >= 2 * PROCESS_MEMORY_BYTES
    return alone and n_docs >= MIN_DOCS_BESIDE and cores >= 2 and enough_memory


class DaskMap:
    """Batches to Dask workers; results come back in the order of the batches."""

    remote = True  # work runs in other processes: what it uses must be picklable or rebuildable there

    def __init__(self, client: Any) -> None:
        self.client = client

    def map(self, fn: Callable[..., Any], items: Iterable[Any], *args: Any) -> Iterator[Any]:
        shared = [self.client.scatter(a, broadcast=True) for a in args]
        # A few batches in flight per worker: bounded memory on the driver however long the corpus.
        window = max(2, 2 * len(self.client.scheduler_info().get("workers", {})))
        pending: deque = deque()
        for item in items:
            pending.append(self.client.submit(fn, item, *shared, pure=False))
            if len(pending) > window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


@contextmanager
def executor(address: str | None):
    """LocalMap without an address; with one, a Dask client (`local`: a LocalCluster of 2 processes)."""
    if not address:
        yield LocalMap()
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise DASK_MISSING.error() from exc
    if address == "local":
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                               timeout=120)  # worker processes import spaCy and torch: give them time
        client = Client(cluster)
    else:
        cluster = None
        try:
            client = Client(address, timeout=30)
        except OSError as exc:
            raise DASK_UNREACHABLE.error(address=address) from exc
    try:
        yield DaskMap(client)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
