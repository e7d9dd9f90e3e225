"""Opening the store (with retries while another process writes), transactions, migrations, bulk inserts."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ..errors import NarrativeError, StoreBusyError
from .migrations import MIGRATIONS, SCHEMA_VERSION


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def connect(db: str | Path, read_only: bool = False, retries: int = 20) -> duckdb.DuckDBPyConnection:
    """Open the store, creating and migrating it when opened for writing.

    DuckDB lets one process write or several read; while another process writes we retry for a few seconds,
    then raise StoreBusyError with a clear message.
    """
    path = Path(db)
    if read_only and not path.exists():
        raise NarrativeError(f"{path}: no store here", "run `narrative ingest PATH` (or `make demo`) first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    delay = 0.1
    for attempt in range(retries):
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:  # the lock is held by another process
            if "lock" not in str(exc).lower() or attempt == retries - 1:
                if "lock" in str(exc).lower():
                    raise StoreBusyError(f"{path}: the store is locked by another process") from exc
                raise
            time.sleep(delay)
            delay = min(delay * 1.5, 1.0)
    if not read_only:
        migrate(con)
    elif _stored_version(con) < SCHEMA_VERSION:
        # A reader of an older store (the app after an upgrade) needs its new tables: migrate once, read-write.
        con.close()
        connect(path, read_only=False, retries=retries).close()
        return connect(path, read_only=True, retries=retries)
    return con


def _stored_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of a store opened read-only (no table is created)."""
    try:
        row = con.execute("SELECT max(version) FROM schema_version").fetchall()
    except duckdb.CatalogException:
        return 0
    return int(row[0][0] or 0)


@contextlib.contextmanager
def opened(db: str | Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the store for the length of a with-block and close it after."""
    con = connect(db, read_only=read_only)
    try:
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: a crash inside leaves the store as it was before."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The store's schema version (0 for a new file)."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the store up to SCHEMA_VERSION, one migration per transaction."""
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise NarrativeError(
            f"store schema version {current} is newer than this program's {SCHEMA_VERSION}",
            "upgrade narrative-timeline",
        )
    for version in range(current, SCHEMA_VERSION):
        with transaction(con):
            con.execute(MIGRATIONS[version])
            con.execute("INSERT INTO schema_version VALUES (?)", [version + 1])


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: Any) -> int:
    """Append a DataFrame or an Arrow table to a table by column name; returns the number of rows written."""
    if len(frame) == 0:
        return 0
    names = frame.columns if isinstance(frame, pd.DataFrame) else frame.column_names
    columns = ", ".join(f'"{c}"' for c in names)
    con.register("_insert_frame", frame)
    try:
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _insert_frame")
    finally:
        con.unregister("_insert_frame")
    return len(frame)
