"""Exports of a chart: PNG, SVG, the data behind it, the documents behind it and the methods note. Each file is
made when its button is clicked (a callable), not on every rerun: rendering a chart costs ~0.2 s."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import partial

import altair as alt
import pandas as pd
import streamlit as st

from .. import charts
from ..filters import Filters
from .state import CachedCorpus


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def _documents_csv(documents: Callable[[], pd.DataFrame]) -> bytes:
    return _csv_bytes(documents())


def methods_note(corpus: CachedCorpus, what: str, filters: Filters | None, granularity: str | None) -> str:
    """The methods note (corpus, topic run, parameters, library versions, filters) as JSON text."""
    return json.dumps(corpus.methods_note(what, filters, granularity), indent=2, default=str)


def export_buttons(chart: alt.TopLevelMixin, data: pd.DataFrame, documents: Callable[[], pd.DataFrame] | None,
                   corpus: CachedCorpus, filters: Filters | None, granularity: str | None, name: str) -> None:
    """PNG, SVG, the data behind the chart as CSV, the documents behind it (`documents` makes the list when the
    button is clicked), and the methods note."""
    with st.expander("Export this chart, its data and its documents"):
        cols = st.columns(5)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        for col, fmt, mime in ((cols[0], "png", "image/png"), (cols[1], "svg", "image/svg+xml")):
            col.download_button(f"{fmt.upper()}", partial(charts.export_bytes, chart, fmt), file_name=f"{slug}.{fmt}",
                                mime=mime, key=f"{slug}-{fmt}")
        cols[2].download_button("Data (CSV)", partial(_csv_bytes, data), file_name=f"{slug}-data.csv",
                                mime="text/csv", key=f"{slug}-csv")
        if documents is not None:
            cols[3].download_button("Documents (CSV)", partial(_documents_csv, documents),
                                    file_name=f"{slug}-documents.csv", mime="text/csv", key=f"{slug}-docs")
        cols[4].download_button("Methods note", partial(methods_note, corpus, name, filters, granularity),
                                file_name=f"{slug}-methods.json", mime="application/json", key=f"{slug}-methods")
