"""The reader's edits to a corpus's themes — a new name, a merge, its undo, a refit — stored in the corpus's store
(opened read-write for the length of one edit) and kept when the themes are refitted.

A store can be shared (one server, many readers), so every edit is logged with its time and what it changed, and
can be undone from the log: `undo(db, edit_id)` puts back what the edit replaced, provided nothing edited the same
theme since (else it says which later edit to undo first). Each edit and its log row commit together.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from . import store
from .errors import EDIT_ALREADY_UNDONE, EDIT_SUPERSEDED, UNKNOWN_EDIT


def _label(con: duckdb.DuckDBPyConnection, topic_id: int) -> str:
    """The label a theme shows now (the reader's name, else the automatic one)."""
    run_id = store.topic_run_id(con)
    if run_id is None:
        return f"theme {topic_id}"
    table = store.topic_table(con, run_id).set_index("topic_id")
    return str(table.loc[topic_id, "label"]) if topic_id in table.index else f"theme {topic_id}"


def rename_theme(db: str | Path, topic_id: int, label: str | None) -> int:
    """Give a theme a name of your own (None or "" restores the automatic label); the edit's number in the log."""
    topic_id = int(topic_id)
    new = label.strip() if label and label.strip() else None
    with store.opened(db) as con, store.transaction(con):
        shown, before = _label(con, topic_id), store.custom_label(con, topic_id)
        store.set_topic_label(con, topic_id, new)
        summary = (f"Renamed “{shown}” to “{new}”" if new else f"Gave “{shown}” its automatic label back")
        return store.log_edit(con, "rename", summary, {"topic_id": topic_id, "before": before, "after": new})


def merge_themes(db: str | Path, from_topic_id: int, into_topic_id: int) -> int:
    """Merge one theme into another: its documents count as the other's from now on; the edit's number."""
    source, target = int(from_topic_id), int(into_topic_id)
    with store.opened(db) as con, store.transaction(con):
        names = _label(con, source), _label(con, target)
        before = {source: store.merge_target(con, source)}
        before.update({follower: source for follower in store.merged_into(con, source)})
        store.merge_topic(con, source, target)
        after = {topic: target for topic in before}
        return store.log_edit(con, "merge", f"Merged “{names[0]}” into “{names[1]}”",
                              {"topic_id": source, "into": target, "before": before, "after": after})


def unmerge_theme(db: str | Path, from_topic_id: int) -> int:
    """Undo a merge: the theme stands on its own again; the edit's number."""
    source = int(from_topic_id)
    with store.opened(db) as con, store.transaction(con):
        target = store.merge_target(con, source)
        store.unmerge_topic(con, source)
        summary = f"Separated “{_label(con, source)}” from “{_label(con, target)}” again" if target is not None \
            else f"“{_label(con, source)}” was not merged"
        return store.log_edit(con, "unmerge", summary,
                              {"topic_id": source, "before": {source: target}, "after": {source: None}})


def log_refit(con: duckdb.DuckDBPyConnection, previous_run: int | None, new_run: int, summary: str) -> int:
    """Log a refit of the themes (the job that refits calls this in its own transaction); the edit's number."""
    return store.log_edit(con, "refit", summary, {"previous_run": previous_run, "run": new_run})


def _superseded(con: duckdb.DuckDBPyConnection, kind: str, detail: dict[str, Any]) -> str | None:
    """Why an edit can no longer be undone (a later edit changed the same thing), else None."""
    if kind == "rename":
        if store.custom_label(con, detail["topic_id"]) != detail["after"]:
            return "the theme was renamed again since"
    elif kind in ("merge", "unmerge"):
        for topic, target in detail["after"].items():
            if store.merge_target(con, int(topic)) != target:
                return "the theme was merged or separated again since"
    elif kind == "refit" and store.topic_run_id(con) != detail["run"]:
        return "the themes were refitted again since"
    return None


def undo(db: str | Path, edit_id: int) -> str:
    """Undo one logged edit (it stays in the log, marked undone); a sentence saying what was undone."""
    with store.opened(db) as con, store.transaction(con):
        found = store.edit(con, int(edit_id))
        if found is None:
            raise UNKNOWN_EDIT.error(edit_id=edit_id)
        kind, detail, summary = found["kind"], found["detail"], found["summary"]
        if pd.notna(found["undone_at"]):
            raise EDIT_ALREADY_UNDONE.error(edit_id=edit_id, summary=summary)
        if reason := _superseded(con, kind, detail):
            raise EDIT_SUPERSEDED.error(edit_id=edit_id, summary=summary, reason=reason)
        if kind == "rename":
            store.set_topic_label(con, detail["topic_id"], detail["before"])
        elif kind in ("merge", "unmerge"):
            store.restore_merges(con, {int(t): (None if v is None else int(v)) for t, v in detail["before"].items()})
        elif kind == "refit":
            store.set_run_status(con, int(detail["run"]), "undone")
        store.mark_undone(con, int(edit_id))
    return f"Undone: {summary}."
