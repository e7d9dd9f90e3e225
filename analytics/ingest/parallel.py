"""The per-record work of ingest (clean, date, language, id, MinHash) in worker processes for large inputs.

The main process reads the files, keeps the accounting and is the only writer to the store; workers get
batches of raw records and send back document records in the same order, so the result is the same as in one
process. Workers never open the store: a killed ingest leaves nothing of theirs behind, and a worker whose
parent has died exits by itself.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import numpy as np

from .. import schema as s
from ..errors import RecordRejected
from . import clean, dedup
from .loaders import RawRecord
from .records import to_document

# Below this many records a pool costs more than it saves (starting it, shipping records): one process.
MIN_RECORDS = 2000
BATCH = 250  # records per task: large enough to amortise pickling, small enough to keep both cores busy
MAX_WORKERS = 8
IN_FLIGHT_PER_WORKER = 8  # tasks queued per worker: more records than a write chunk (CHUNK), so the workers
# keep busy while the main process writes, without holding a whole file in memory

# One record to prepare: the raw record, its column mapping and its folder's repeated lines; None for an item
# that is already a problem (it only keeps its place in the order).
Job = tuple[RawRecord, dict[str, str], frozenset[str]] | None
# The outcome: (document, None, signature) or (None, reason it was rejected, None); None for a None job.
Outcome = tuple[dict[str, Any] | None, str | None, np.ndarray | None] | None


def default_workers() -> int:
    """Worker processes for a large ingest: one per core, capped."""
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def prepare(jobs: list[Job], defaults: dict[str, str], signatures: bool) -> list[Outcome]:
    """Document records (and MinHash values when asked) for a batch of raw records, in order."""
    out: list[Outcome] = []
    for job in jobs:
        if job is None:
            out.append(None)
            continue
        record, mapping, repeats = job
        try:
            doc = to_document(record, mapping, defaults, repeats)
        except RecordRejected as exc:
            out.append((None, exc.reason, None))
            continue
        out.append((doc, None, dedup.minhash(doc[s.TEXT]).hashvalues if signatures else None))
    return out


def _watch_parent(parent: int) -> None:
    """In a worker: exit as soon as the process that started it is gone (killed), rather than linger."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="ingest-parent-watch").start()


def _prepare_in_worker(jobs: list[Job], defaults: dict[str, str]) -> list[Outcome]:
    return prepare(jobs, defaults, signatures=True)


class Preparer:
    """Runs `prepare` over batches in order: in this process, or in a pool once the input proves large."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def run(self, batches: Iterator[tuple[list[Any], list[Job]]], defaults: dict[str, str]
            ) -> Iterator[tuple[list[Any], list[Outcome]]]:
        """(batch, outcomes) for each (batch, jobs), in the order given. A batch is the caller's, passed back."""
        if self.workers <= 1:
            for batch, jobs in batches:
                yield batch, prepare(jobs, defaults, signatures=False)
            return
        head: list[tuple[list[Any], list[Job]]] = []
        count = 0
        for item in batches:  # look ahead: small inputs stay in this process
            head.append(item)
            count += len(item[1])
            if count >= MIN_RECORDS:
                break
        else:
            for batch, jobs in head:
                yield batch, prepare(jobs, defaults, signatures=False)
            return
        yield from self._pooled(head, batches, defaults)

    def _pooled(self, head: list[tuple[list[Any], list[Job]]], rest: Iterator[tuple[list[Any], list[Job]]],
                defaults: dict[str, str]) -> Iterator[tuple[list[Any], list[Outcome]]]:
        pool = self._start()
        pending: deque[tuple[list[Any], Future]] = deque()
        limit = self.workers * IN_FLIGHT_PER_WORKER
        for source in (head, rest):
            for batch, jobs in source:
                pending.append((batch, pool.submit(_prepare_in_worker, jobs, defaults)))
                while len(pending) >= limit:
                    done, future = pending.popleft()
                    yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            clean.language_identifier()  # load the model once here; forked workers share its pages
            dedup.minhash("")  # and the permutations
            methods = multiprocessing.get_all_start_methods()
            # fork: workers start in milliseconds with the modules and the model already loaded (spawn would
            # re-import and reload for a second or two each). They run only pure Python and numpy code.
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_watch_parent,
                                             initargs=(os.getpid(),))
        return self._pool

    def close(self) -> None:
        """Stop the workers (queued batches are dropped: after an error their results are not wanted)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
