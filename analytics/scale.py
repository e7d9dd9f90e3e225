"""Scale-out: the same stages with their heavy, per-document work spread over a Dask cluster.

`narrative analyze --dask ADDRESS` (or `--dask local` for a cluster of local processes) sends batches of
documents to the workers — entity extraction, passage embedding — and gathers the results in order; the
driver alone writes the store, in the same transactions as a local run, so results are the same. The topic
fit itself stays on the driver: it runs on a sample (TopicParams.fit_sample) and assignment is a matrix product.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from .errors import DASK_MISSING, DASK_UNREACHABLE


class LocalMap:
    """In-process execution with the interface of a cluster map."""

    remote = False  # work runs in this process: objects need not be rebuilt elsewhere

    def map(self, fn: Callable[..., Any], items: Iterable[Any], *args: Any) -> Iterator[Any]:
        for item in items:
            yield fn(item, *args)


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
