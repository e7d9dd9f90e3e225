"""Themes timeline — the heart: theme shares (or counts) per period, events marked, click for the documents."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import charts, timeline
from analytics import schema as s
from app_pages import ui

corpus = ui.corpus_or_stop()
f = ui.sidebar_filters(corpus)
docs = ui.apply_filters(corpus, f)
st.title("Themes over time")
if corpus.assignments.empty:
    st.info("No themes yet: run the analysis on the Corpus page.")
    st.stop()

assign = corpus.assignments[corpus.assignments[s.DOC_ID].isin(docs[s.ID])]
live = corpus.topics[corpus.topics["merged_into"].isna()]
by_size = assign[assign[s.TOPIC_ID] != -1][s.TOPIC_ID].value_counts()
options = [int(t) for t in by_size.index]
default_ids = [int(t) for t in st.query_params.get("topics", "").split("|") if t.strip().lstrip("-").isdigit()]
c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
chosen = c1.multiselect("Themes", options, default=[t for t in default_ids if t in options] or options[:8],
                        format_func=lambda t: corpus.labels.get(t, str(t)), key="topics_pick",
                        help="Up to eight stay distinguishable; the rest are drawn as 'Other themes'.")
measure = c2.radio("Show", ["share", "count"], horizontal=True, key="measure",
                   index=1 if st.query_params.get("measure") == "count" else 0)
smooth = c3.number_input("Smoothing (periods)", 1, 12, int(st.query_params.get("smooth", 1)), key="smooth",
                         help="Centred rolling mean over this many periods.")
show_events = c4.checkbox("Events", value=st.query_params.get("events", "1") == "1", key="events")
st.query_params["topics"] = "|".join(map(str, chosen))
st.query_params["measure"] = measure
st.query_params["smooth"] = str(smooth)
st.query_params["events"] = "1" if show_events else "0"

table = timeline.shares(docs, assign, f.granularity, smooth=smooth)
shown = charts.label_topics(table, corpus.labels, keep=chosen)
if smooth > 1:
    shown = shown.sort_values(s.PERIOD)
    for col in (s.SHARE, s.COUNT):
        shown[col] = shown.groupby("theme")[col].transform(lambda x: x.rolling(smooth, center=True, min_periods=1)
                                                           .mean())
events = corpus.events
if show_events and not events.empty:
    events = events[(events[s.DATE] >= pd.Timestamp(f.start)) & (events[s.DATE] <= pd.Timestamp(f.end))]
chart = charts.themes_chart(shown, measure=measure, events=events if show_events else None)
event = st.altair_chart(chart, width="stretch", on_select="rerun", key="themes_chart")
thin = shown.drop_duplicates(s.PERIOD)
n_thin = int(thin["thin"].sum()) if "thin" in thin else 0
n_incomplete = int(thin["incomplete"].sum()) if "incomplete" in thin else 0
st.caption(f"Each period's shares are of its dated documents ({len(docs):,} under the filters). "
           f"{n_thin} period(s) have fewer than {timeline.MIN_DOCS_PER_PERIOD} documents and "
           f"{n_incomplete} are incomplete (partial first/last period or a gap): read their shares with care. "
           "Hover for counts and 95 % Wilson intervals; click a point to list its documents, double-click to clear.")

points = ui.selected_points(event)
if not points and st.query_params.get("period") and st.query_params.get("theme"):
    points = [{s.PERIOD: st.query_params["period"], "theme": st.query_params["theme"]}]
if points:
    point = points[0]
    period = ui.to_timestamp(point[s.PERIOD])
    theme = point["theme"]
    st.query_params["period"] = period.date().isoformat()
    st.query_params["theme"] = theme
    theme_ids = [t for t, lbl in corpus.labels.items() if lbl == theme]
    if theme == charts.OUTLIER_LABEL:
        theme_ids = [-1]
    elif theme == "Other themes":
        theme_ids = [t for t in options if t not in chosen]
    periods = timeline.period_start(docs[s.DATE], f.granularity)
    in_period = docs[periods == period]
    behind = in_period[in_period[s.ID].isin(assign[assign[s.TOPIC_ID].isin(theme_ids)][s.DOC_ID])]
    st.subheader(f"{len(behind)} of {len(in_period)} documents in the period starting {period:%Y-%m-%d}: "
                 f"{theme}")
    picked = ui.document_table(behind, key="themes_docs", corpus=corpus)
    if picked:
        ui.reading_view(picked, corpus)
else:
    for key in ("period", "theme"):
        if key in st.query_params:
            del st.query_params[key]

ui.export_buttons(chart, shown, assign[assign[s.TOPIC_ID].isin(chosen)][s.DOC_ID].tolist(), corpus, f,
                  "themes over time")
with st.expander("Unassigned documents (outliers) per period"):
    out = timeline.outlier_share(docs, assign, f.granularity)
    st.altair_chart(charts.share_with_band(out.assign(theme=charts.OUTLIER_LABEL, thin=out[s.TOTAL] <
                                                      timeline.MIN_DOCS_PER_PERIOD)), width="stretch")
