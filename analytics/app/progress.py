"""Progress of a running analysis as Streamlit bars: one bar per pipeline stage, made when it first reports."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st


def progress_bars() -> Callable[[str, int, int | None], None]:
    """A `pipeline` progress callback (stage, done, total) drawing one st.progress bar per stage."""
    bars: dict[str, object] = {}

    def progress(stage: str, done: int, total: int | None) -> None:
        bar = bars.get(stage) or bars.setdefault(stage, st.progress(0.0, text=stage))
        bar.progress(min(done / total, 1.0) if total else 0.0, text=f"{stage}: {done}/{total or '?'}")

    return progress
