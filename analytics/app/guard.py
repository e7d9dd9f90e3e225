"""The app-wide guard: whatever goes wrong while a page is drawn is shown as a sentence saying what happened and
what to do, with the technical details folded away — never as a bare traceback.

Streamlit's own control flow (st.stop, st.rerun, page switches) raises exceptions that are not `Exception`s, so
they pass through untouched.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Iterator

import streamlit as st

from ..errors import NarrativeError, StoreBusyError

UNEXPECTED = ("Something went wrong while drawing this page ({kind}). Your data is safe: nothing was changed. "
              "Reload the page; if this happens again, open the details below and send them with your report.")


def show_error(exc: BaseException) -> None:
    """Show an error as people read it: the cause and the fix; the technical details in a closed expander."""
    if isinstance(exc, StoreBusyError):
        st.warning(exc.user_message())
    elif isinstance(exc, NarrativeError):
        st.error(exc.user_message())
    else:
        st.error(UNEXPECTED.format(kind=type(exc).__name__))
    with st.expander("Technical details"):
        st.code("".join(traceback.format_exception(exc)), language=None)


@contextlib.contextmanager
def plain_errors() -> Iterator[None]:
    """Run a page (or a part of one) so that any error is shown by `show_error` instead of a traceback."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the guard's purpose: nothing reaches the reader as a traceback
        show_error(exc)
