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

from ..errors import STORE_BUSY, STORE_MISSING, STORE_NEWER, STORE_OUTDATED, STORE_UNREADABLE
from .migrations import MIGRATIONS, SCHEMA_VERSION


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def connect(db: str | Path, read_only: bool = False, retries: int = 20) -> duckdb.DuckDBPyConnection:
    """Open the store. Read-write opens (the pipeline's commands) create it and bring its schema up to date;
    read-only opens never write: a store of an older schema raises StoreOutdatedError naming
    `narrative migrate`, a newer one StoreError.

    DuckDB lets one process write or several read; while another process writes we retry for a few seconds,
    then raise StoreBusyError with a clear message.
    """
    path = Path(db)
    if read_only and not path.exists():
        raise STORE_MISSING.error(path=path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    delay = 0.1
    for attempt in range(retries):
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise STORE_UNREADABLE.error(path=path, reason=str(exc).splitlines()[0]) from exc
            if attempt == retries - 1:  # the lock is held by another process
                raise STORE_BUSY.error(path=path) from exc
            time.sleep(delay)
            delay = min(delay * 1.5, 1.0)
    try:
        if not read_only:
            migrate(con, path)
        else:
            found = stored_version(con)
            if found < SCHEMA_VERSION:
                raise STORE_OUTDATED.error(path=path, found=found, current=SCHEMA_VERSION)
            if found > SCHEMA_VERSION:
                raise STORE_NEWER.error(path=path, found=found, current=SCHEMA_VERSION)
    except BaseException:
        con.close()
        raise
    return con


def stored_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of a store, read without creating anything (0 for a new or empty file)."""
    try:
        row = con.execute("SELECT max(version) FROM schema_version").fetchall()
    except duckdb.CatalogException:
        return 0
    return int(row[0][0] or 0)


def migrate_store(db: str | Path) -> tuple[int, int]:
    """Bring an existing store's schema up to date (`narrative migrate`); returns (version before, after)."""
    path = Path(db)
    if not path.exists():
        raise STORE_MISSING.error(path=path)
    with opened(path, read_only=True, check_version=False) as con:
        before = stored_version(con)
    with opened(path) as con:
        return before, stored_version(con)


@contextlib.contextmanager
def opened(db: str | Path, read_only: bool = False, check_version: bool = True
           ) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the store for the length of a with-block and close it after. `check_version=False` lets a reader open
    a store of any schema version (to report it), never to read its tables."""
    con = _connect_unchecked(db) if read_only and not check_version else connect(db, read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def _connect_unchecked(db: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection without the schema check (for migrate_store to read the version)."""
    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise STORE_BUSY.error(path=db) from exc
        raise STORE_UNREADABLE.error(path=db, reason=str(exc).splitlines()[0]) from exc


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


def migrate(con: duckdb.DuckDBPyConnection, path: str | Path = "the store") -> None:
    """Bring the store up to SCHEMA_VERSION, one migration per transaction."""
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise STORE_NEWER.error(path=path, found=current, current=SCHEMA_VERSION)
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
