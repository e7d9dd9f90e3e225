"""The batch writer: each batch's mentions and processed marks in one transaction, on a thread of its own."""

from __future__ import annotations

import queue
import threading
from collections.abc import Mapping

import duckdb
import pandas as pd
import pyarrow as pa

from .. import store
from .dating import in_their_time


class BatchWriter:
    """Writes each batch's mentions and processed marks in one transaction, on a thread of its own with its own
    cursor, while spaCy works on the next batch (DuckDB holds no GIL while it inserts Arrow data).

    Batches are written in the order given; a batch is all or nothing, as before. A failed write is raised
    by the next `put` or on leaving the with-block; leaving it waits until every batch given is written.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, depth: int = 2,
                 active_from: Mapping[str, pd.Timestamp] | None = None) -> None:
        self._cursor = con.cursor()
        self._active_from = dict(active_from or {})  # actors with a first day (entities/dating.py)
        # A small queue: spaCy never runs more than `depth` batches ahead of the store, so memory stays bounded.
        self._queue: queue.Queue[tuple[pa.Table, pa.Table] | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="entities-writer", daemon=True)

    def __enter__(self) -> BatchWriter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._queue.put(None)
        self._thread.join()
        self._cursor.close()
        if self._error is not None and exc[0] is None:
            raise self._error

    def put(self, mentions: pa.Table, processed: pa.Table) -> None:
        """Queue one batch for writing (waits while the writer is `depth` batches behind)."""
        if self._error is not None:
            raise self._error
        self._queue.put((mentions, processed))

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:  # after a failure, later batches are dropped: the store stays as it was
                try:
                    write_batch(self._cursor, *item, active_from=self._active_from)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                    self._error = exc


def write_batch(con: duckdb.DuckDBPyConnection, mentions: pa.Table, processed: pa.Table,
                active_from: Mapping[str, pd.Timestamp] | None = None) -> None:
    """A batch's mentions (none of an actor in a document dated before it existed) and its processed marks,
    together or not at all."""
    mentions = in_their_time(con, mentions, active_from or {})
    with store.transaction(con):  # the mentions, their per-document actor counts and the marks: all or nothing
        store.insert_mentions(con, mentions, processed.column("doc_id").to_pylist())
        store.insert_frame(con, "processed", processed)
