"""The reader's edits to a corpus's themes — a new name, a merge, its undo — stored in the corpus's store (opened
read-write for the length of one edit) and kept when the themes are refitted."""

from __future__ import annotations

from pathlib import Path

from . import store


def rename_theme(db: str | Path, topic_id: int, label: str | None) -> None:
    """Give a theme a name of your own (None or "" restores the automatic label)."""
    with store.opened(db) as con:
        store.set_topic_label(con, int(topic_id), label)


def merge_themes(db: str | Path, from_topic_id: int, into_topic_id: int) -> None:
    """Merge one theme into another: its documents count as the other's from now on (undo: unmerge_theme)."""
    with store.opened(db) as con:
        store.merge_topic(con, int(from_topic_id), int(into_topic_id))


def unmerge_theme(db: str | Path, from_topic_id: int) -> None:
    """Undo a merge."""
    with store.opened(db) as con:
        store.unmerge_topic(con, int(from_topic_id))
