"""Actors: who is named most per period, chosen actors over time, the platform migration, co-occurrence.

Counts come from the store's per-document actor table over the filtered documents; the documents behind any
point are looked up by actor there too."""

from __future__ import annotations

import streamlit as st

from analytics import charts, timeline
from analytics import schema as s
from app_pages import ui

corpus = ui.corpus_or_stop()
f = ui.sidebar_filters(corpus)
docs = ui.apply_filters(corpus, f)
st.title("Actors")
counts = ui.actor_counts(docs, f.granularity)
if counts.empty:
    st.info("No actors extracted for these documents.")
    st.stop()

options = ui.actor_options(corpus)
param = [a for a in st.query_params.get("actors", "").split("|") if a in options]
default = param or [a for a in ("twitter", "telegram") if a in options] or list(options)[:3]
chosen = st.multiselect("Compare actors", list(options), default=default, format_func=lambda a: options[a],
                        key="actors_pick")
st.query_params["actors"] = "|".join(chosen)
measure = st.radio("Measure", ["mentions", "share"], horizontal=True, key="actor_measure",
                   help="share = documents naming the actor over documents in the period")
sub = counts[counts[s.CANONICAL_ID].isin(chosen)]
chart = charts.actors_chart(sub, measure=measure)
event = st.altair_chart(chart, width="stretch", on_select="rerun", key="actors_chart")
ui.export_buttons(chart, sub, ui.actor_doc_ids(chosen, docs), corpus, f, "actors over time")
points = ui.selected_points(event)
if points:
    period = ui.to_timestamp(points[0][s.PERIOD])
    actor = points[0][s.CANONICAL_ID]
    periods = timeline.period_start(docs[s.DATE], f.granularity)
    behind = docs[(periods == period) & docs[s.ID].isin(ui.actor_doc_ids([actor], docs))]
    st.subheader(f"{len(behind)} documents naming {options.get(actor, actor)} in the period from {period:%Y-%m-%d}")
    picked = ui.document_table(behind, key="actor_docs", corpus=corpus)
    if picked:
        ui.reading_view(picked, corpus)

st.subheader("Platforms: where the coverage says the action is")
plat = timeline.platform_share_table(
    ui.actor_counts(docs, "quarter" if f.granularity in ("week", "month") else f.granularity, ("PLATFORM",)))
if plat.empty:
    st.caption("No platform mentions (the alias list's PLATFORM type).")
else:
    top_platforms = plat.groupby(s.CANONICAL_ID)["mentions"].sum().sort_values(ascending=False).head(8).index
    shown = plat[plat[s.CANONICAL_ID].isin(top_platforms)]
    pchart = charts.platform_chart(shown, corpus.events)
    st.altair_chart(pchart, width="stretch")
    ui.export_buttons(pchart, shown, None, corpus, f, "platform mentions")

st.subheader("Top actors per period")
per = counts.sort_values([s.PERIOD, "documents"], ascending=[True, False]).groupby(s.PERIOD).head(5)
per = per[per["documents"] > 0]
st.dataframe(per[[s.PERIOD, s.CANONICAL_NAME, "documents", "mentions", s.TOTAL]].rename(
    columns={s.TOTAL: "documents in period"}), hide_index=True, width="stretch", height=260)

st.subheader("Who is named together")
c1, c2 = st.columns(2)
unit = c1.radio("Together in the same", ["document", "sentence"], horizontal=True, key="co_unit")
years = sorted(docs[s.DATE].dt.year.dropna().astype(int).unique())
year = c2.selectbox("Year", ["all"] + years, key="co_year")
scope = docs if year == "all" else docs[docs[s.DATE].dt.year == year]
pairs = ui.actor_pairs(scope, unit=unit, min_count=2)
net = charts.network_chart(pairs.head(80))
net_event = st.altair_chart(net, width="stretch", on_select="rerun", key="network")
picked_nodes = ui.selected_points(net_event)
st.dataframe(pairs.head(30)[["a_name", "b_name", s.COUNT, "pmi"]].rename(
    columns={"a_name": "actor", "b_name": "with", s.COUNT: f"{unit}s together", "pmi": "PMI"}),
    hide_index=True, width="stretch", height=240)
if picked_nodes:
    name = picked_nodes[0].get("name")
    ids = ui.actor_doc_ids([name], scope, by=s.CANONICAL_NAME)
    st.subheader(f"Documents naming {name}" + ("" if year == "all" else f" in {year}"))
    picked = ui.document_table(scope[scope[s.ID].isin(ids)], key="net_docs", corpus=corpus)
    if picked:
        ui.reading_view(picked, corpus)
