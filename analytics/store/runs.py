"""Runs (one row per stage run: parameters, versions, counts) and the store's key/value settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ..errors import NarrativeError
from .connection import _now


def start_run(con: duckdb.DuckDBPyConnection, kind: str, params: dict, versions: dict) -> int:
    """Record the start of a stage and return its run id.

    One writer at a time holds the store, so a run of this kind still marked running was killed: say so.
    """
    con.execute("UPDATE runs SET status = 'interrupted' WHERE kind = ? AND status = 'running'", [kind])
    run_id = con.execute("SELECT nextval('run_seq')").fetchone()[0]
    con.execute(
        "INSERT INTO runs VALUES (?, ?, ?, NULL, 'running', ?, ?, NULL)",
        [run_id, kind, _now(), json.dumps(params, default=str), json.dumps(versions)],
    )
    return int(run_id)


def finish_run(con: duckdb.DuckDBPyConnection, run_id: int, counts: dict, status: str = "done") -> None:
    """Mark a run finished with its counts."""
    con.execute(
        "UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE run_id = ?",
        [_now(), status, json.dumps(counts, default=str), run_id],
    )


def save_run_counts(con: duckdb.DuckDBPyConnection, run_id: int, counts: dict) -> None:
    """Record a running stage's counts so far (what a resumed run starts from)."""
    con.execute("UPDATE runs SET counts = ? WHERE run_id = ?", [json.dumps(counts, default=str), run_id])


def unfinished_run(con: duckdb.DuckDBPyConnection, kind: str) -> dict[str, Any] | None:
    """The newest run of a kind still marked running (its process was killed: one writer holds the store at a
    time), with its params and counts as JSON text; None when there is none."""
    rows = con.execute("SELECT run_id, params, counts FROM runs WHERE kind = ? AND status = 'running' "
                       "ORDER BY run_id DESC LIMIT 1", [kind]).fetchall()
    return {"run_id": int(rows[0][0]), "params": rows[0][1], "counts": rows[0][2]} if rows else None


def runs(con: duckdb.DuckDBPyConnection, kind: str | None = None) -> pd.DataFrame:
    """All runs, newest first."""
    where = "WHERE kind = ?" if kind else ""
    return con.execute(f"SELECT * FROM runs {where} ORDER BY run_id DESC", [kind] if kind else []).df()


def last_run(con: duckdb.DuckDBPyConnection, kind: str) -> dict[str, Any] | None:
    """The newest finished run of a kind, as a dict with parsed JSON fields."""
    df = con.execute(
        "SELECT * FROM runs WHERE kind = ? AND status = 'done' ORDER BY run_id DESC LIMIT 1", [kind]
    ).df()
    if df.empty:
        return None
    row = df.iloc[0].to_dict()
    for key in ("params", "versions", "counts"):
        row[key] = json.loads(row[key]) if row[key] else {}
    return row


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    """Store one key/value setting of this store (e.g. the corpus name)."""
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


def get_meta(con: duckdb.DuckDBPyConnection, key: str, default: str | None = None) -> str | None:
    """Read one key/value setting of this store."""
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def has_finished_run(db: str | Path, kind: str) -> bool:
    """True when the store at `db` exists, is readable and holds a finished run of this kind (e.g. a topic fit).

    A locked, half-created or older store is "not ready" here: the caller rebuilds or waits.
    """
    from .connection import opened

    path = Path(db)
    if not path.exists():
        return False
    try:
        with opened(path, read_only=True) as con:
            tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            if "documents" not in tables or "runs" not in tables:
                return False
            return last_run(con, kind) is not None
    except (duckdb.Error, NarrativeError):
        return False
