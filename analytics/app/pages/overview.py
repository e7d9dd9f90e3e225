"""Overview: size, span, sources, volume by source type, top themes and actors, the findings."""

from __future__ import annotations

from functools import partial

import streamlit as st

from analytics import charts, glossary
from analytics import schema as s
from analytics.app.chart_draw import draw_chart
from analytics.app.export import export_buttons
from analytics.app.findings_view import findings_panel
from analytics.app.sidebar import sidebar_filters
from analytics.app.state import corpus_or_stop
from analytics.config import setting

PAGE = "overview"

corpus = corpus_or_stop()
f, gran = sidebar_filters(corpus)
top = int(setting("top_themes"))

st.title(corpus.name())
summary = corpus.summary(f)
# One row that wraps (two figures a line on a phone) rather than columns, which stack one figure a line there
figures = st.container(horizontal=True, gap="medium")
figures.metric("Documents", f"{summary.documents:,}", help="All stored documents, dated or not.", width="content")
figures.metric("Date span", glossary.date_span(summary.first, summary.last) if summary.dated else "—",
               help=f"From {summary.first:%d %B %Y} to {summary.last:%d %B %Y}." if summary.dated else None,
               width="content")
figures.metric("Sources", f"{summary.sources:,}", width="content")
figures.metric("Themes", f"{summary.themes}", width="content")
st.caption(f"With the filters: {summary.in_scope:,} dated documents."
           + (f" {summary.undated:,} document(s) have no date and are not on the timeline." if summary.undated else ""))

vol = corpus.volume(gran, f, by=s.SOURCE_TYPE)
chart = charts.volume_chart(vol, by=s.SOURCE_TYPE, title="Documents per period, by source type", granularity=gran)
draw_chart(chart, width="stretch")
export_buttons(chart, vol, partial(corpus.documents_to_cite, f), corpus, f, gran, "volume by source type",
               title="Documents per period, by source type")

left, right = st.columns(2)
with left:
    st.subheader("Top themes")
    sizes = corpus.theme_sizes(f, top=top)
    if sizes.empty:
        st.caption("No themes yet: run the analysis on the Corpus page.")
    else:
        st.dataframe(sizes[[s.LABEL, "documents"]].rename(columns={s.LABEL: "theme"}), hide_index=True,
                     width="stretch")
with right:
    st.subheader("Top actors")
    actors = corpus.actors(f, top=int(setting("top_actors")))
    if actors.empty:
        st.caption("No actors extracted yet.")
    else:
        st.dataframe(actors.assign(**{s.LABEL: actors[s.LABEL].map(glossary.entity_type)})[
            [s.CANONICAL_NAME, s.LABEL, "documents"]].rename(
            columns={s.CANONICAL_NAME: "actor", s.LABEL: "type", "documents": "documents naming it"}),
            hide_index=True, width="stretch")

findings_panel(corpus, f, gran, key="overview", heading="What changed")
