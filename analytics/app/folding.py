"""A folded section whose content is made only when the reader opens it.

Streamlit's plain expander runs and sends everything inside it, open or not: under every chart a table of its
numbers, the export buttons and the tested hypotheses were computed and drawn by the browser on every run, most
of them never opened. Here the expander reruns the page when it is opened or closed, and its content is made only
while it is open (its open state is kept in the session under `key`)."""

from __future__ import annotations

import streamlit as st
from streamlit.elements.lib.mutable_expander_container import ExpanderContainer


def folded(label: str, key: str) -> ExpanderContainer | None:
    """The expander's container when the reader has opened it, else None (nothing to make)."""
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None
