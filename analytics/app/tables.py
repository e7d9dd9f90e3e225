"""Tables on screen and as CSV files: list cells written out, and corpus text that a spreadsheet would run as a
formula made inert."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

LIST_SEPARATOR = "; "
# A cell a spreadsheet would read as a formula starts with one of these (OWASP's list for CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BARE_HANDLE = re.compile(r"@\w+")  # "@name" alone calls nothing: left as it is, a mention reads as a mention


def flat(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with list and tuple cells joined into one text ("a; b; c"), so a table shows and a CSV holds them."""
    out = frame.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, list | tuple)).any():
            out[col] = out[col].map(lambda v: LIST_SEPARATOR.join(map(str, v)) if isinstance(v, list | tuple) else v)
    return out


def _inert(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START) and not BARE_HANDLE.fullmatch(value):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV, list cells joined, text cells that would start a formula prefixed with '."""
    out = flat(frame)
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].map(_inert)
    return out.to_csv(index=False).encode("utf-8")


def csv_button(frame: pd.DataFrame | Callable[[], pd.DataFrame], label: str, file_name: str, key: str) -> None:
    """A download button for the frame as CSV; given a function, the frame is made when the button is clicked
    (a long list no page run should pay for)."""
    data = (lambda: csv_bytes(frame())) if callable(frame) else csv_bytes(frame)
    st.download_button(label, data, file_name=file_name, mime="text/csv", key=key)
