"""Opening the store (with retries while another process writes), transactions, migrations, bulk inserts.

One configuration per store per process: DuckDB refuses a read-write connection to a file this process has open
read-only (and the reverse) with "different configuration". So within a process, opens of one store take turns
through `_ACCESS`: readers share it, a writer has it alone (an edit waits for the pages reading that store, and
they wait for it). Between processes DuckDB's own file lock decides, and `connect` retries for a few seconds.

Opening the file costs tens of milliseconds (DuckDB loads the database each time its last connection closes); a page
of the app asks a dozen questions, each opening the store. Within `reads_kept_open` (one run of a page), the
thread's first read keeps one read-only connection open until the block ends, so the later opens reuse the loaded
database (DuckDB shares it between the connections of a process: a few milliseconds each). It counts as a reader of
that store for the length of the block, and a write by the same thread closes it first.
"""

from __future__ import annotations

import contextlib
import re
import threading
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


class _StoreAccess:
    """Readers share a store, a writer has it alone, within this process (threads of the app's sessions). A
    thread that writes may also read (its own nested opens never wait for themselves)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers: dict[int, int] = {}  # thread id -> open read-only connections
        self._writer: int | None = None
        self._writes = 0

    def acquire(self, write: bool, timeout: float) -> bool:
        me = threading.get_ident()
        with self._cond:
            def free() -> bool:
                if self._writer not in (None, me):
                    return False
                return not write or not any(n for t, n in self._readers.items() if t != me)
            if not self._cond.wait_for(free, timeout=timeout):
                return False
            if write:
                self._writer, self._writes = me, self._writes + 1
            else:
                self._readers[me] = self._readers.get(me, 0) + 1
            return True

    def release(self, write: bool) -> None:
        me = threading.get_ident()
        with self._cond:
            if write:
                self._writes -= 1
                if self._writes == 0:
                    self._writer = None
            else:
                self._readers[me] -= 1
                if not self._readers[me]:
                    del self._readers[me]
            self._cond.notify_all()


_ACCESS: dict[str, _StoreAccess] = {}
_ACCESS_GUARD = threading.Lock()
_WAIT_FOR_THIS_PROCESS = 30.0  # seconds an open waits for this process's other users of the store


def _access(path: Path) -> _StoreAccess:
    key = str(path.resolve())
    with _ACCESS_GUARD:
        return _ACCESS.setdefault(key, _StoreAccess())


class _KeptOpen(threading.local):
    """This thread's reads_kept_open blocks: the store they are for, and its kept connection once read."""

    def __init__(self) -> None:
        self.paths: list[str] = []  # resolved paths of the open blocks, innermost last
        self.connections: dict[str, duckdb.DuckDBPyConnection] = {}


_KEPT = _KeptOpen()


@contextlib.contextmanager
def reads_kept_open(db: str | Path) -> Iterator[None]:
    """Within this block, this thread's read-only opens of `db` find the database already loaded (see the module's
    docstring); nothing is opened until the first read, and the kept connection is closed when the block ends."""
    key = str(Path(db).resolve())
    _KEPT.paths.append(key)
    try:
        yield
    finally:
        _KEPT.paths.pop()
        if key not in _KEPT.paths:
            _let_go(key)


def _keep_open(db: str | Path, retries: int) -> None:
    """Within a reads_kept_open block for `db`, the kept connection (opened on the first read; a reader of the store
    until the block ends)."""
    key = str(Path(db).resolve())
    if key not in _KEPT.paths or key in _KEPT.connections:
        return
    access = _access(Path(db))
    if not access.acquire(write=False, timeout=_WAIT_FOR_THIS_PROCESS):
        raise STORE_BUSY.error(path=db)
    try:
        _KEPT.connections[key] = connect(db, read_only=True, retries=retries)
    except BaseException:
        access.release(write=False)
        raise


def _let_go(key: str) -> None:
    """Close this thread's kept connection of the store `key` (a resolved path), if any."""
    con = _KEPT.connections.pop(key, None)
    if con is not None:
        try:
            con.close()
        finally:
            _access(Path(key)).release(write=False)


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
        except duckdb.ConnectionException as exc:  # this process has the file open the other way: wait for it
            if attempt == retries - 1:
                raise STORE_BUSY.error(path=path) from exc
            time.sleep(delay)
            delay = min(delay * 1.5, 1.0)
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
def opened(db: str | Path, read_only: bool = False, check_version: bool = True, retries: int = 20
           ) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the store for the length of a with-block and close it after. `check_version=False` lets a reader open
    a store of any schema version (to report it), never to read its tables. Within this process the open takes
    its turn (readers together, a writer alone): see the module's docstring."""
    if read_only and check_version:
        _keep_open(db, retries)
    elif not read_only:
        _let_go(str(Path(db).resolve()))  # DuckDB opens a file one way at a time in a process
    access = _access(Path(db))
    if not access.acquire(write=not read_only, timeout=_WAIT_FOR_THIS_PROCESS):
        raise STORE_BUSY.error(path=db)
    try:
        con = _connect_unchecked(db) if read_only and not check_version else connect(db, read_only, retries)
        try:
            yield con
        finally:
            con.close()
    finally:
        access.release(write=not read_only)


def _connect_unchecked(db: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection without the schema check (for migrate_store to read the version)."""
    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise STORE_BUSY.error(path=db) from exc
        raise STORE_UNREADABLE.error(path=db, reason=str(exc).splitlines()[0]) from exc


_OPEN_TRANSACTIONS: dict[int, int] = {}  # id(connection) -> depth of nested transaction() blocks


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: a crash inside leaves the store as it was before. Blocks nest: an inner block joins the
    outer one's transaction (an edit and its log row commit together)."""
    key = id(con)
    if _OPEN_TRANSACTIONS.get(key):
        _OPEN_TRANSACTIONS[key] += 1
        try:
            yield con
        finally:
            _OPEN_TRANSACTIONS[key] -= 1
        return
    with _begun(con):
        yield con


@contextlib.contextmanager
def _begun(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """BEGIN … COMMIT, ROLLBACK on any exception; marked open meanwhile, so inner `transaction` blocks join it."""
    key = id(con)
    con.execute("BEGIN TRANSACTION")
    _OPEN_TRANSACTIONS[key] = 1
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        _OPEN_TRANSACTIONS.pop(key, None)
    con.execute("COMMIT")


_MEMORY_SIZE = re.compile(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


@contextlib.contextmanager
def memory_limited(con: duckdb.DuckDBPyConnection, limit: str | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """DuckDB's memory limit set to `limit` (such as "1GB") for the block, then put back as it was; None or "":
    left as it is. The limit is the database's, so it holds for every connection of this process to the store.

    Without one, DuckDB keeps every table block it reads or writes cached up to 80 % of the machine's memory: the
    streamed theme stage writes a million documents' passage vectors (2 GB) and would keep them resident. Under the
    limit, blocks already on disk are dropped and work that needs more spills to a temporary file."""
    if not limit:
        yield con
        return
    if not _MEMORY_SIZE.fullmatch(limit.strip()):
        raise ValueError(f"not a memory size: {limit!r} (such as '1GB' or '512MB')")
    before = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    con.execute(f"SET memory_limit = '{limit.strip()}'").fetchall()
    try:
        yield con
    finally:
        con.execute("RESET memory_limit").fetchall()  # DuckDB's default exactly (its printed size is rounded)
        if con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] != before:
            con.execute(f"SET memory_limit = '{before}'").fetchall()


class Steps:
    """A transaction committed in steps (`commit` ends one and begins the next): see `transaction_in_steps`."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def commit(self) -> None:
        """Make everything written so far durable and go on in a new transaction."""
        self.con.execute("COMMIT")
        self.con.execute("BEGIN TRANSACTION")


@contextlib.contextmanager
def transaction_in_steps(con: duckdb.DuckDBPyConnection) -> Iterator[Steps]:
    """Like `transaction`, but the caller commits what it has written at points of its choosing (`steps.commit()`),
    so a long writer does not hold every row of its run in DuckDB's memory until the end; a crash loses only the
    step under way. Inner `transaction` blocks join the current step."""
    if _OPEN_TRANSACTIONS.get(id(con)):
        raise RuntimeError("transaction_in_steps inside another transaction")
    with _begun(con):
        yield Steps(con)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The store's schema version (0 for a new file)."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
    # fetchall, not fetchone: a result left open keeps DuckDB from registering a frame on this connection
    found = con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
    return int(found or 0)


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


def arrow_frame(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> pd.DataFrame:
    """A query's rows as a frame, through Arrow: DuckDB's own conversion hands strings over one Python object at a
    time, which pandas then turns back into Arrow strings (half a second of reading a million posts; a third of
    listing 170,000 documents). Every text column comes out as pandas' string dtype, missing values as NaN,
    all-missing columns included."""
    # A relation (con.sql) refuses to run while an execute() result is left half-fetched on the connection (a
    # fetchone of one row leaves it so): that result is finished first, as execute() itself would.
    con.complete()
    return con.sql(sql, params=params).to_arrow_table().to_pandas()
