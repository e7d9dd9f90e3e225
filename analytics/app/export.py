"""Exports of a chart: the figure to publish (title, filters and counts, source line and date written in the image),
as PNG at print resolution, SVG, or a ZIP with the image, the data, the documents with citations and the methods
note in words. Each file is made when its button is clicked (a callable), not on every rerun: rendering a figure
costs a fraction of a second."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial

import altair as alt
import pandas as pd
import streamlit as st

from .. import charts
from ..config import setting
from ..filters import Filters
from .folding import folded
from .state import CachedCorpus


def methods_note(corpus: CachedCorpus, what: str, filters: Filters | None, granularity: str | None) -> str:
    """The methods note (corpus, topic run, parameters, library versions, filters) as JSON text."""
    return json.dumps(corpus.methods_note(what, filters, granularity), indent=2, default=str)


def figure_caption(corpus: CachedCorpus, title: str, filters: Filters | None, granularity: str | None
                   ) -> charts.Caption:
    """The words a figure carries: its title, the filters and counts, the corpus as its source, today's date."""
    names = None
    if filters and filters.actor:  # the sidebar's actor is one of its choices
        actors = corpus.actors(top=int(setting("actor_choices")))
        names = dict(zip(actors["canonical_id"], actors["canonical_name"], strict=True))
    return charts.caption(title, corpus.name(), corpus.summary(filters).in_scope, filters, granularity,
                          actor_names=names)


def _image(chart: alt.TopLevelMixin, fmt: str, corpus: CachedCorpus, title: str, filters: Filters | None,
           granularity: str | None) -> bytes:
    return charts.export_bytes(chart, fmt, words=figure_caption(corpus, title, filters, granularity))


def _data_csv(data: pd.DataFrame, granularity: str | None) -> bytes:
    return charts.csv_bytes(charts.readable_data(data, granularity))


def _zip(chart: alt.TopLevelMixin, data: pd.DataFrame, documents: Callable[[], pd.DataFrame] | None,
         corpus: CachedCorpus, title: str, filters: Filters | None, granularity: str | None) -> bytes:
    return charts.figure_zip(chart, figure_caption(corpus, title, filters, granularity), data,
                             documents() if documents is not None else None,
                             corpus.methods_note(title, filters, granularity), title, granularity)


def export_buttons(chart: alt.TopLevelMixin, data: pd.DataFrame, documents: Callable[[], pd.DataFrame] | None,
                   corpus: CachedCorpus, filters: Filters | None, granularity: str | None, name: str,
                   title: str | None = None) -> None:
    """A ZIP for publication (figure as PNG and SVG, data CSV, documents CSV with citations, methods note in
    words and as JSON), and the PNG, SVG and data alone. `documents` makes the documents' list when the ZIP is
    asked for (Corpus.documents_to_cite with the chart's filters)."""
    title = title or name[:1].upper() + name[1:]
    slug = charts.slug(name)
    args = (corpus, title, filters, granularity)
    box = folded("Export this chart, its data and its documents", f"{slug}-export")
    if box is None:
        return
    with box:
        st.caption("The image carries the title, the filters and counts, the corpus as its source and today's "
                   "date. The ZIP adds the data (opens in Excel), the documents behind the chart with citations, "
                   "and how the numbers were made, in words.")
        cols = st.columns(4)
        cols[0].download_button("ZIP for publication", partial(_zip, chart, data, documents, *args),
                                file_name=f"{slug}.zip", mime="application/zip", key=f"{slug}-zip", type="primary")
        cols[1].download_button("PNG", partial(_image, chart, "png", *args), file_name=f"{slug}.png",
                                mime="image/png", key=f"{slug}-png")
        cols[2].download_button("SVG", partial(_image, chart, "svg", *args), file_name=f"{slug}.svg",
                                mime="image/svg+xml", key=f"{slug}-svg")
        cols[3].download_button("Data (CSV)", partial(_data_csv, data, granularity), file_name=f"{slug}-data.csv",
                                mime="text/csv", key=f"{slug}-csv")
