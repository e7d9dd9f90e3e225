"""reads_kept_open (analytics/store/connection.py): within one block a thread's reads share a loaded store; a write
by the same thread closes the kept connection first; another thread's write waits for the block to end; after the
block the store can be written at once; nothing is opened before the first read."""

from __future__ import annotations

import threading

import duckdb
import pytest

from analytics import store


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "kept.duckdb"
    with store.opened(path) as con:
        con.execute("CREATE TABLE notes (n INTEGER)")
        con.execute("INSERT INTO notes VALUES (1), (2)")
    return path


def _count(path) -> int:
    with store.opened(path, read_only=True) as con:
        return con.execute("SELECT count(*) FROM notes").fetchone()[0]


def test_reads_share_the_store_and_a_write_of_the_same_thread_goes_through(db):
    with store.reads_kept_open(db):
        assert _count(db) == 2
        assert _count(db) == 2
        with store.opened(db) as con:  # read-write in the same thread: the kept connection is closed first
            con.execute("INSERT INTO notes VALUES (3)")
        assert _count(db) == 3
    with store.opened(db) as con:  # after the block: nothing of it left open
        con.execute("INSERT INTO notes VALUES (4)")
    assert _count(db) == 4


def test_the_kept_connection_stays_open_until_the_block_ends(db):
    with store.reads_kept_open(db):
        _count(db)
        # the database is loaded read-only in this process: DuckDB refuses to open it read-write meanwhile
        with pytest.raises(duckdb.ConnectionException):
            duckdb.connect(str(db)).close()
    duckdb.connect(str(db)).close()


def test_another_threads_write_waits_for_the_block(db):
    order: list[str] = []
    read = threading.Event()

    def write() -> None:
        read.wait()
        with store.opened(db) as con:
            con.execute("INSERT INTO notes VALUES (9)")
        order.append("written")

    writer = threading.Thread(target=write)
    writer.start()
    with store.reads_kept_open(db):
        _count(db)
        read.set()
        writer.join(timeout=0.5)  # it cannot write while the block reads
        order.append("block ended")
    writer.join(timeout=30)
    assert order == ["block ended", "written"]
    assert _count(db) == 3


def test_nothing_is_opened_before_the_first_read(tmp_path):
    missing = tmp_path / "none.duckdb"
    with store.reads_kept_open(missing):
        pass
    assert not missing.exists()
