"""Themes timeline — the heart: theme shares (or counts) per period, events marked, click for the documents."""

from __future__ import annotations

from functools import partial

import streamlit as st

from analytics import charts
from analytics import schema as s
from analytics.app.chart_table import numbers_table
from analytics.app.export import export_buttons
from analytics.app.findings_view import findings_panel
from analytics.app.reading import list_and_read
from analytics.app.selection import selected_points, to_timestamp
from analytics.app.sidebar import sidebar_filters
from analytics.app.state import corpus_or_stop
from analytics.config import setting

corpus = corpus_or_stop()
f, gran = sidebar_filters(corpus)
st.title("Themes over time")
sizes = corpus.theme_sizes(f)
if corpus.run() is None:
    st.info("No themes yet: run the analysis on the Corpus page.")
    st.stop()

top = int(setting("top_themes"))
labels = corpus.labels()
options = [int(t) for t in sizes[s.TOPIC_ID]]
wanted = [int(t) for t in st.query_params.get("topics", "").split("|") if t.strip().lstrip("-").isdigit()]
c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
chosen = c1.multiselect("Themes", options, default=[t for t in wanted if t in options] or options[:top],
                        format_func=lambda t: labels.get(t, str(t)), key="topics_pick",
                        help=f"Up to {top} stay distinguishable; the rest are drawn as '{s.OTHER_LABEL}'.")
measure = c2.radio("Show", ["share", "count"], horizontal=True, key="measure",
                   index=1 if st.query_params.get("measure") == "count" else 0)
smooth = c3.number_input("Smoothing (periods)", 1, 12, int(st.query_params.get("smooth", 1)), key="smooth",
                         help="Pools this many periods around each one: their documents are counted together, so "
                         "a share and its band come from the same pooled counts.")
show_events = c4.checkbox("Events", value=st.query_params.get("events", "1") == "1", key="events")
st.query_params["topics"] = "|".join(map(str, chosen))
st.query_params["measure"] = measure
st.query_params["smooth"] = str(smooth)
st.query_params["events"] = "1" if show_events else "0"

table = corpus.theme_shares(gran, f, smooth=int(smooth), keep=chosen)
events = corpus.events(f) if show_events else None
chart = charts.themes_chart(table, measure=measure, events=events, granularity=gran)
event = st.altair_chart(chart, width="stretch", on_select="rerun", key="themes_chart")
in_table = numbers_table(table, "themes_table", s.LABEL, charts.theme_order(table), s.TOPIC_ID, gran)
flags = table.drop_duplicates(s.PERIOD)
st.caption(f"Each period's shares are of its dated documents ({corpus.summary(f).in_scope:,} under the filters)"
           + (f", pooled over {int(smooth)} periods" if smooth > 1 else "") + ". "
           f"{int(flags[s.THIN].sum())} period(s) rest on fewer than {setting('thin_period_documents')} documents and "
           f"{int(flags[s.INCOMPLETE].sum())} are incomplete (partial first/last period or a gap): read their shares "
           "with care (a small triangle above the chart marks them; empty periods are shaded gaps). Hover for counts "
           "and 95 % Wilson intervals; click a band to list its documents (or select a cell of the table), "
           "double-click to clear.")

points = selected_points(event) or ([in_table] if in_table else [])
if not points and st.query_params.get("period") and st.query_params.get("theme"):
    points = [{s.PERIOD: st.query_params["period"], s.LABEL: st.query_params["theme"]}]
if points:
    period = to_timestamp(points[0][s.PERIOD])
    theme = points[0].get(s.LABEL, "")
    st.query_params["period"] = period.date().isoformat()
    st.query_params["theme"] = theme
    if theme == s.OTHER_LABEL:
        theme_ids = [t for t in options if t not in chosen]
    else:
        theme_ids = [t for t, label in labels.items() if label == theme and t != s.OTHER_TOPIC]
    behind = corpus.documents_behind(f, period=period, granularity=gran, themes=theme_ids)
    in_period = corpus.documents_behind(f, period=period, granularity=gran)
    st.subheader(f"{len(behind)} of {len(in_period)} documents in the period starting {period:%Y-%m-%d}: {theme}")
    list_and_read(behind, key="themes_docs", corpus=corpus)
else:
    for key in ("period", "theme"):
        if key in st.query_params:
            del st.query_params[key]

findings_panel(corpus, f, gran, key="themes", heading="Findings about these themes", subject_type="theme",
               subject_ids=chosen)
export_buttons(chart, table, partial(corpus.documents_to_cite, f, themes=tuple(chosen)), corpus, f, gran,
               "themes over time")
with st.expander("Unassigned documents (outliers) per period"):
    outliers = table[table[s.TOPIC_ID] == s.OUTLIER_TOPIC]
    st.altair_chart(charts.share_with_band(outliers, granularity=gran), width="stretch")
