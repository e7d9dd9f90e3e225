"""Edits of a shared store on screen: every rename, merge, separation, refit and undo is first asked ("everyone
who opens this corpus will see it"), then confirmed, then said done with an Undo button; the history lists every
edit with its time and undoes any of them (`analytics.edits` keeps the log in the store).

An edit waits in the session as `pending` until the reader confirms or cancels it, so a stray click changes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from .. import edits
from ..errors import NarrativeError
from .reading import escape_markdown
from .state import clear_caches

_PENDING = "edit_pending"
_DONE = "edit_done"
SHARED = "Everyone who opens this corpus will see the change; it is logged and can be undone."


def ask(key: str, sentence: str, **details: object) -> None:
    """Ask for an edit: it waits for the reader's confirmation (`confirmation(key, …)` draws the question)."""
    st.session_state[_PENDING] = {"key": key, "sentence": sentence, **details}


def pending(key: str) -> dict | None:
    """The edit waiting for confirmation at this place, if any."""
    found = st.session_state.get(_PENDING)
    return found if found and found["key"] == key else None


def confirmation(key: str, apply: Callable[[dict], tuple[str, int | None]], extra: Callable[[], None] | None = None
                 ) -> None:
    """Where an edit was asked: the question, what it would give (`extra`), Confirm and Cancel. `apply` makes the
    edit and returns the sentence to show and the edit's number in the log (None: nothing to undo)."""
    found = pending(key)
    if found is None:
        return
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(found['sentence'])}**")
        if extra:
            extra()
        st.caption(SHARED)
        yes, no = st.columns(2)
        if yes.button("Confirm", key=f"{key}_confirm", type="primary"):
            try:
                message, edit_id = apply(found)
            except NarrativeError as exc:
                st.error(exc.user_message())
                return
            del st.session_state[_PENDING]
            clear_caches()
            st.session_state[_DONE] = {"message": message, "edit_id": edit_id}
            st.rerun()
        if no.button("Cancel", key=f"{key}_cancel"):
            del st.session_state[_PENDING]
            st.rerun()


def done_message(db: Path) -> None:
    """The last edit's result, with an Undo button (once)."""
    done = st.session_state.get(_DONE)
    if not done:
        return
    with st.container(border=True):
        st.success(escape_markdown(done["message"]))
        cols = st.columns([1, 1, 4])
        if done.get("edit_id") is not None and cols[0].button("Undo", key="edit_undo_last"):
            _undo(db, int(done["edit_id"]))
        if cols[1].button("OK", key="edit_done_ok"):
            del st.session_state[_DONE]
            st.rerun()


def _undo(db: Path, edit_id: int) -> None:
    try:
        message = edits.undo(db, edit_id)
    except NarrativeError as exc:
        st.error(exc.user_message())
        return
    clear_caches()
    st.session_state[_DONE] = {"message": message, "edit_id": None}
    st.rerun()


def history(db: Path, log: pd.DataFrame) -> None:
    """The corpus's edits, newest first, with their time; each not yet undone can be undone (after a question)."""
    if log.empty:
        st.caption("No edits yet: renames, merges and refits will be listed here, with their time.")
        return
    for row in log.head(15).itertuples():
        when = pd.Timestamp(row.edited_at).strftime("%Y-%m-%d %H:%M")
        undone = pd.notna(row.undone_at)
        cols = st.columns([5, 1])
        state = f" — undone {pd.Timestamp(row.undone_at):%Y-%m-%d %H:%M}" if undone else ""
        cols[0].markdown(f"{when} UTC · {escape_markdown(row.summary)}{escape_markdown(state)}")
        if not undone and cols[1].button("Undo", key=f"history_undo_{row.edit_id}"):
            ask("history", f"Undo: {row.summary}?", edit_id=int(row.edit_id))
            st.rerun()
    confirmation("history", lambda found: (edits.undo(db, int(found["edit_id"])), None))
