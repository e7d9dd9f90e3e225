"""The log of edits readers make to a shared store (a theme renamed, two themes merged, a merge undone, the themes
refitted): when, what, and the details that undo it. The edit and its log row are written in one transaction."""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pandas as pd

from .connection import _now, transaction


def log_edit(con: duckdb.DuckDBPyConnection, kind: str, summary: str, detail: dict[str, Any]) -> int:
    """Add one edit to the log (call inside the edit's transaction); its id."""
    edit_id = int(con.execute("SELECT nextval('edit_seq')").fetchone()[0])
    con.execute("INSERT INTO edits VALUES (?, ?, ?, ?, ?, NULL)",
                [edit_id, _now(), kind, summary, json.dumps(detail, default=str)])
    return edit_id


def edits(con: duckdb.DuckDBPyConnection, limit: int = 50) -> pd.DataFrame:
    """The latest edits, newest first: edit_id, edited_at, kind, summary, detail (parsed), undone_at."""
    table = con.execute(f"SELECT * FROM edits ORDER BY edit_id DESC LIMIT {int(limit)}").df()
    table["detail"] = [json.loads(d) if d else {} for d in table["detail"]]
    return table


def edit(con: duckdb.DuckDBPyConnection, edit_id: int) -> dict[str, Any] | None:
    """One logged edit, detail parsed; None when there is no such edit."""
    table = con.execute("SELECT * FROM edits WHERE edit_id = ?", [edit_id]).df()
    if table.empty:
        return None
    row = table.iloc[0].to_dict()
    row["detail"] = json.loads(row["detail"]) if row["detail"] else {}
    return row


def mark_undone(con: duckdb.DuckDBPyConnection, edit_id: int) -> None:
    """Note that an edit was undone (it stays in the log)."""
    con.execute("UPDATE edits SET undone_at = ? WHERE edit_id = ?", [_now(), edit_id])


def custom_label(con: duckdb.DuckDBPyConnection, topic_id: int) -> str | None:
    """The name a reader gave a theme, None when it has the automatic one."""
    row = con.execute("SELECT custom_label FROM topic_labels WHERE topic_id = ?", [topic_id]).fetchone()
    return row[0] if row else None


def merge_target(con: duckdb.DuckDBPyConnection, from_topic_id: int) -> int | None:
    """The theme a theme is merged into, None when it stands on its own."""
    row = con.execute("SELECT into_topic_id FROM topic_merges WHERE from_topic_id = ?", [from_topic_id]).fetchone()
    return int(row[0]) if row else None


def merged_into(con: duckdb.DuckDBPyConnection, into_topic_id: int) -> list[int]:
    """The themes merged into this one."""
    rows = con.execute("SELECT from_topic_id FROM topic_merges WHERE into_topic_id = ? ORDER BY 1",
                       [into_topic_id]).fetchall()
    return [int(r[0]) for r in rows]


def restore_merges(con: duckdb.DuckDBPyConnection, pairs: dict[int, int | None]) -> None:
    """Set these themes' merge targets back (None: on its own again), in one transaction."""
    with transaction(con):
        for from_id, into_id in pairs.items():
            con.execute("DELETE FROM topic_merges WHERE from_topic_id = ?", [from_id])
            if into_id is not None:
                con.execute("INSERT INTO topic_merges VALUES (?, ?, ?)", [from_id, into_id, _now()])


def set_run_status(con: duckdb.DuckDBPyConnection, run_id: int, status: str) -> None:
    """Change a run's status: a refit undone is 'undone', so the fit before it is the current one again."""
    con.execute("UPDATE runs SET status = ? WHERE run_id = ?", [status, run_id])

