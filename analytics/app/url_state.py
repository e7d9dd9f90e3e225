"""What the reader chose, kept in the URL (so a link reproduces the view: filters, chosen themes and actors, the
clicked point, the open document) and in the session (so it survives a change of page, which clears the URL).

Where a value comes from: the URL when it carries it (a shared link, a reload), else the session's memory (a page
change), else the default. Every run writes the values back to the URL, leaving out those at their default so
links stay short. Widgets get their first value through `seed` (set before the widget is drawn, never both a
default and a session value) and keep it while the reader works with them.

Values live in the URL as text: lists joined by "|". `page`-scoped names (the clicked point, the open document)
are remembered per page, so a document opened on one page does not open on every other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

T = TypeVar("T")
_MEMORY = "_view_state"


def _memory() -> dict[str, str | None]:
    return st.session_state.setdefault(_MEMORY, {})


def _slot(name: str, page: str | None) -> str:
    return f"{page}:{name}" if page else name


def raw(name: str, page: str | None = None) -> str | None:
    """The text of a value: from the URL, else from the session's memory (None: neither has it)."""
    if name in st.query_params:
        value = st.query_params.get(name)
        _memory()[_slot(name, page)] = value
        return value
    return _memory().get(_slot(name, page))


def value(name: str, default: T, parse: Callable[[str], T], page: str | None = None) -> T:
    """A value read from the URL or the session (see the module), parsed; `default` when absent or unreadable."""
    text = raw(name, page)
    if text is None:
        return default
    try:
        return parse(text)
    except (ValueError, TypeError):
        return default


def text_list(text: str) -> list[str]:
    """A list as the URL writes it ("a|b")."""
    return [v for v in text.split("|") if v]


def int_list(text: str) -> list[int]:
    """A list of whole numbers as the URL writes it ("3|-1")."""
    return [int(v) for v in text_list(text) if v.strip().lstrip("-").isdigit()]


def as_text(value: Any) -> str:
    """A value as the URL writes it."""
    if isinstance(value, list | tuple):
        return "|".join(str(v) for v in value)
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def keep(name: str, value: Any, default: Any = None, page: str | None = None) -> None:
    """Remember a value for the session and write it to the URL (removed from the URL at its default)."""
    at_default = value in (None, "", [], ()) or value == default
    _memory()[_slot(name, page)] = None if at_default else as_text(value)
    if at_default:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != as_text(value):
        st.query_params[name] = as_text(value)


def forget(name: str, page: str | None = None) -> None:
    """Drop a value from the URL and the session (a cleared selection, a closed document)."""
    keep(name, None, page=page)


def page_changed(page: str) -> None:
    """Note the page being drawn (the frame calls this): on the first run of another page, widgets are seeded
    again from the session's memory, as Streamlit starts a page's widgets afresh."""
    st.session_state["_page_changed"] = st.session_state.get("_page") not in (None, page)
    st.session_state["_page"] = page


def seed(key: str, first: Any) -> None:
    """Give a widget its first value (from the URL or the session) before it is drawn; once drawn, the widget's
    own state wins until the reader changes page."""
    if key not in st.session_state or st.session_state.get("_page_changed"):
        st.session_state[key] = first
