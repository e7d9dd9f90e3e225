"""Sources: which outlets carry which themes, a source's theme mix over time, lead and lag between source types."""

from __future__ import annotations

import streamlit as st

from analytics import charts, timeline
from analytics import schema as s
from app_pages import ui

corpus = ui.corpus_or_stop()
f = ui.sidebar_filters(corpus)
docs = ui.apply_filters(corpus, f)
st.title("Sources")
if corpus.assignments.empty:
    st.info("No themes yet: run the analysis on the Corpus page.")
    st.stop()
assign = corpus.assignments[corpus.assignments[s.DOC_ID].isin(docs[s.ID])]

by = st.radio("Rows", ["source", "source_type"], horizontal=True, key="sov_by",
              format_func=lambda v: v.replace("_", " "))
top_sources = docs[by].value_counts().head(25).index
sov = timeline.share_of_voice(docs[docs[by].isin(top_sources)], assign, by=by).rename(columns={by: "source"})
chart = charts.heatmap(sov, corpus.labels)
st.altair_chart(chart, width="stretch")
st.caption("Colour: Pearson residual of the source × theme table (orange = the source carries the theme more than "
           "its size predicts). Numbers: documents.")
ui.export_buttons(chart, sov, docs[s.ID].tolist(), corpus, f, f"{by} by theme")

st.subheader("A source's theme mix over time")
source = st.selectbox("Source", list(top_sources), key="mix_source")
sub = docs[docs[by] == source]
mix = timeline.shares(sub, assign[assign[s.DOC_ID].isin(sub[s.ID])], "year" if f.granularity != "week" else "month")
top_topics = assign[assign[s.DOC_ID].isin(sub[s.ID]) & (assign[s.TOPIC_ID] != -1)][s.TOPIC_ID].value_counts()
mix_chart = charts.themes_chart(charts.label_topics(mix, corpus.labels, keep=[int(t) for t in top_topics.index[:7]]),
                                selectable=False, title=f"Theme mix of {source}")
st.altair_chart(mix_chart, width="stretch")

st.subheader("Lead and lag between source types")
types = sorted(docs[s.SOURCE_TYPE].dropna().unique())
c1, c2, c3 = st.columns(3)
live = [int(t) for t in assign[assign[s.TOPIC_ID] != -1][s.TOPIC_ID].value_counts().index]
topic = c1.selectbox("Theme", live, format_func=lambda t: corpus.labels.get(t, str(t)), key="ll_topic")
first = c2.selectbox("Does this source type…", types, index=types.index("propaganda") if "propaganda" in types else 0,
                     key="ll_x")
second = c3.selectbox("…lead this one?", types, index=types.index("news") if "news" in types else 0, key="ll_y")
if first == second:
    st.caption("Pick two different source types.")
else:
    gran = "month" if f.granularity in ("week", "month") else f.granularity
    per_type = timeline.shares(docs, assign, gran, by=s.SOURCE_TYPE)
    series = per_type[per_type[s.TOPIC_ID] == topic].pivot_table(index=s.PERIOD, columns=s.SOURCE_TYPE,
                                                                   values=s.SHARE, fill_value=0.0)
    if first in series and second in series and len(series) >= 8:
        result = timeline.lead_lag(series[first], series[second], max_lag=min(6, len(series) // 4),
                                   permutations=499)
        st.altair_chart(charts.lead_lag_chart(result, first, second), width="stretch")
        lag, r, p = result["best_lag"], result["r"], result["p_value"]
        direction = (f"{second} follows {first} by {lag} {gran}(s)" if lag > 0 else
                     f"{first} follows {second} by {-lag} {gran}(s)" if lag < 0 else "they move together")
        verdict = "significant" if p < 0.05 else "not significant"
        st.markdown(f"Best lag: **{lag}** ({ui.escape_markdown(direction)}), r = {r:.2f}, permutation p = {p:.3f} "
                    f"({verdict}; {len(series)} {gran}s of this theme's share in each source type).")
    else:
        st.caption("Too few periods with both source types for this theme.")
