"""Actors: who is named most per period, chosen actors over time, the platform migration, who is named together.

Every number is counted in the store over the filtered documents (Corpus); the documents behind any point too."""

from __future__ import annotations

import datetime as dt
from functools import partial

import streamlit as st

from analytics import charts, timeline
from analytics import schema as s
from analytics.app.chart_table import numbers_table
from analytics.app.export import export_buttons
from analytics.app.findings_view import findings_panel
from analytics.app.reading import list_and_read
from analytics.app.selection import selected_points, to_timestamp
from analytics.app.sidebar import actor_choices, sidebar_filters
from analytics.app.state import corpus_or_stop

corpus = corpus_or_stop()
f, gran = sidebar_filters(corpus)
st.title("Actors")
counts = corpus.actor_counts(gran, f)
if counts.empty:
    st.info("No actors extracted for these documents.")
    st.stop()

options = actor_choices(corpus)
param = [a for a in st.query_params.get("actors", "").split("|") if a in options]
default = param or [a for a in ("twitter", "telegram") if a in options] or list(options)[:3]
chosen = st.multiselect("Compare actors", list(options), default=default, format_func=lambda a: options[a],
                        key="actors_pick")
st.query_params["actors"] = "|".join(chosen)
measure = st.radio("Measure", ["mentions", "share"], horizontal=True, key="actor_measure",
                   help="share = documents naming the actor over documents in the period")
sub = counts[counts[s.CANONICAL_ID].isin(chosen)]
colour_order = corpus.actors()[s.CANONICAL_ID].tolist()  # every actor, most-named first: their stable colours
chart = charts.actors_chart(sub, measure=measure, corpus_order=colour_order, granularity=gran)
event = st.altair_chart(chart, width="stretch", on_select="rerun", key="actors_chart")
in_table = numbers_table(sub, "actors_table", s.CANONICAL_NAME, granularity=gran, count="documents",
                         what="documents naming the actor")
export_buttons(chart, sub, partial(corpus.documents_to_cite, f, actors=tuple(chosen)), corpus, f, gran,
               "actors over time")
points = selected_points(event) or ([{s.PERIOD: in_table[s.PERIOD], s.CANONICAL_ID: next(
    (a for a, n in options.items() if n == in_table[s.CANONICAL_NAME]), "")}] if in_table else [])
if points:
    period = to_timestamp(points[0][s.PERIOD])
    actor = points[0][s.CANONICAL_ID]
    behind = corpus.documents_behind(f, period=period, granularity=gran, actors=[actor])
    st.subheader(f"{len(behind)} documents naming {options.get(actor, actor)} in the period from {period:%Y-%m-%d}")
    list_and_read(behind, key="actor_docs", corpus=corpus)

findings_panel(corpus, f, gran, key="actors", heading="Findings about these actors", subject_type="actor",
               subject_ids=chosen)

st.subheader("Platforms: where the coverage says the action is")
platform_gran = timeline.at_least(gran, "quarter")  # platform mentions are sparse: at least quarterly
platforms = corpus.platform_shares(platform_gran, f, top=8)
if platforms.empty:
    st.caption("No platform mentions (the alias list's PLATFORM type).")
else:
    pchart = charts.platform_chart(platforms, corpus.events(f), corpus_order=colour_order, granularity=platform_gran)
    pevent = st.altair_chart(pchart, width="stretch", on_select="rerun", key="platforms_chart")
    ptable = numbers_table(charts.platform_table(platforms), "platforms_table", s.CANONICAL_NAME,
                           granularity=platform_gran, what="documents naming the platform")
    ppoints = selected_points(pevent) or ([ptable] if ptable else [])
    named = platforms[platforms[s.CANONICAL_NAME] == ppoints[0][s.CANONICAL_NAME]] if ppoints else platforms[:0]
    if not named.empty:
        period = to_timestamp(ppoints[0][s.PERIOD])
        behind = corpus.documents_behind(f, period=period, granularity=platform_gran,
                                         actors=[named[s.CANONICAL_ID].iloc[0]])
        st.subheader(f"{len(behind)} documents naming {named[s.CANONICAL_NAME].iloc[0]} in the period from "
                     f"{period:%Y-%m-%d}")
        list_and_read(behind, key="platform_docs", corpus=corpus)
    export_buttons(pchart, platforms, partial(corpus.documents_to_cite, f, actors=tuple(
        platforms[s.CANONICAL_ID].unique())), corpus, f, platform_gran, "platform mentions")

findings_panel(corpus, f, gran, key="migration", heading="Where the coverage moved: findings about platforms",
               migration=True)

st.subheader("Top actors per period")
leading = corpus.leading_actors(gran, f, per_period=5)
st.dataframe(leading[[s.PERIOD, s.CANONICAL_NAME, "documents", "mentions", s.TOTAL]].rename(
    columns={s.TOTAL: "documents in period"}), hide_index=True, width="stretch", height=260)

st.subheader("Who is named together")
c1, c2 = st.columns(2)
unit = c1.radio("Together in the same", ["document", "sentence"], horizontal=True, key="co_unit")
span = corpus.filter_options()
years = list(range(span.first.year, span.last.year + 1)) if span.first else []
year = c2.selectbox("Year", ["all"] + years, key="co_year")
scope = f if year == "all" else f.replace(start=max(dt.date(year, 1, 1), f.start or dt.date(year, 1, 1)),
                                          end=min(dt.date(year, 12, 31), f.end or dt.date(year, 12, 31)))
pairs = corpus.actor_pairs(scope, unit=unit, min_count=2)
net_event = st.altair_chart(charts.network_chart(pairs.head(80)), width="stretch", on_select="rerun", key="network")
st.dataframe(pairs.head(30)[["a_name", "b_name", s.COUNT, "pmi"]].rename(
    columns={"a_name": "actor", "b_name": "with", s.COUNT: f"{unit}s together", "pmi": "PMI"}),
    hide_index=True, width="stretch", height=240)
picked_nodes = selected_points(net_event)
if picked_nodes:
    name = picked_nodes[0].get("name")
    st.subheader(f"Documents naming {name}" + ("" if year == "all" else f" in {year}"))
    list_and_read(corpus.documents_behind(scope, actors=[name], actor_key=s.CANONICAL_NAME), key="net_docs",
                  corpus=corpus)
