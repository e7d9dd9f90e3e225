"""Themes timeline — the heart: theme shares (or counts) per period, events marked, click for the documents."""

from __future__ import annotations

from functools import partial

import streamlit as st

from analytics import charts, glossary
from analytics import schema as s
from analytics.app import url_state as url
from analytics.app.chart_draw import draw_chart
from analytics.app.chart_table import numbers_table
from analytics.app.export import export_buttons
from analytics.app.findings_view import findings_panel
from analytics.app.folding import folded
from analytics.app.reading import list_and_read
from analytics.app.selection import selected_points, to_timestamp
from analytics.app.sidebar import sidebar_filters
from analytics.app.state import corpus_or_stop
from analytics.config import setting

PAGE = "themes"

corpus = corpus_or_stop()
f, gran = sidebar_filters(corpus)
st.title("Themes over time")
sizes = corpus.theme_sizes(f)
if corpus.run() is None:
    st.info("No themes yet: run the analysis on the Corpus page.")
    st.stop()
built = corpus.theme_profile()
if built is not None:
    st.caption(built.sentence)
    if built.advice:
        st.warning(f"The {built.profile} profile groups documents in different languages by language rather than "
                   "by meaning. For themes across languages, refit with the multilingual profile (Theme explorer, "
                   "Refit the themes).")

top = int(setting("top_themes"))
labels = corpus.labels()
options = [int(t) for t in sizes[s.TOPIC_ID]]
url.seed("topics_pick", [t for t in url.value("topics", [], url.int_list, page=PAGE) if t in options] or options[:top])
st.session_state["topics_pick"] = [t for t in st.session_state["topics_pick"] if t in options]
url.seed("measure", url.value("measure", "share", str, page=PAGE))
url.seed("smooth", min(max(url.value("smooth", 1, int, page=PAGE), 1), 12))
url.seed("events", url.value("events", True, lambda v: v == "1", page=PAGE))
chosen = st.multiselect("Themes", options, key="topics_pick", format_func=lambda t: labels.get(t, str(t)),
                        help=f"Up to {top} stay distinguishable; the rest are drawn as '{s.OTHER_LABEL}'.")
chart_slot = st.container()  # the chart right under the themes it draws; its options under it (a phone's first
c2, c3, c4 = st.columns([2, 2, 1])  # screen shows the plot, not three rows of options)
measure = c2.radio("Show", ["share", "count"], horizontal=True, key="measure")
smooth = c3.number_input("Smoothing (periods)", 1, 12, key="smooth",
                         help="Pools this many periods around each one: their documents are counted together, so "
                         "a share and its band come from the same pooled counts.")
show_events = c4.checkbox("Events", key="events")
url.keep("topics", chosen, options[:top], page=PAGE)
url.keep("measure", measure, "share", page=PAGE)
url.keep("smooth", int(smooth), 1, page=PAGE)
url.keep("events", show_events, True, page=PAGE)

table = corpus.theme_shares(gran, f, smooth=int(smooth), keep=chosen)
events = corpus.events(f) if show_events else None
chart = charts.themes_chart(table, measure=measure, events=events, granularity=gran)
event = draw_chart(chart, chart_slot, width="stretch", on_select="rerun", key="themes_chart")
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
had_points = st.session_state.get("_themes_points")
st.session_state["_themes_points"] = points
if points:
    period, theme = to_timestamp(points[0][s.PERIOD]), points[0].get(s.LABEL, "")
    url.keep("period", period.date().isoformat(), page=PAGE)
    url.keep("theme", theme, page=PAGE)
elif had_points:  # the reader cleared the selection (double-click)
    url.forget("period", page=PAGE)
    url.forget("theme", page=PAGE)
period_text, theme = url.value("period", None, str, page=PAGE), url.value("theme", None, str, page=PAGE)
if period_text and theme:
    period = to_timestamp(period_text)
    if theme == s.OTHER_LABEL:
        theme_ids = [t for t in options if t not in chosen]
    else:
        theme_ids = [t for t, label in labels.items() if label == theme and t != s.OTHER_TOPIC]
    behind = corpus.documents_behind(f, period=period, granularity=gran, themes=theme_ids)
    in_period = corpus.documents_behind(f, period=period, granularity=gran)
    st.subheader(f"{len(behind)} of {len(in_period)} documents in {glossary.period_name(period, gran)}: {theme}")
    list_and_read(behind, key="themes_docs", corpus=corpus, page=PAGE)
else:
    url.forget("period", page=PAGE)
    url.forget("theme", page=PAGE)

findings_panel(corpus, f, gran, key="themes", heading="Findings about these themes", subject_type="theme",
               subject_ids=chosen)
export_buttons(chart, table, partial(corpus.documents_to_cite, f, themes=tuple(chosen)), corpus, f, gran,
               "themes over time")
outlier_box = folded("Unassigned documents (outliers) per period", "themes_outliers_open")
if outlier_box is not None:
    outliers = table[table[s.TOPIC_ID] == s.OUTLIER_TOPIC]
    draw_chart(charts.share_with_band(outliers, granularity=gran), outlier_box, width="stretch")
