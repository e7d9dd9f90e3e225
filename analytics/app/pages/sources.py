"""Sources: which outlets carry which themes, a source's theme mix over time, lead and lag between source types."""

from __future__ import annotations

from functools import partial

import streamlit as st

from analytics import charts, glossary, timeline
from analytics import schema as s
from analytics.app.export import export_buttons
from analytics.app.reading import escape_markdown
from analytics.app.sidebar import sidebar_filters
from analytics.app.state import corpus_or_stop
from analytics.config import setting

corpus = corpus_or_stop()
f, gran = sidebar_filters(corpus)
st.title("Sources")
if corpus.run() is None:
    st.info("No themes yet: run the analysis on the Corpus page.")
    st.stop()
labels = corpus.labels()

by = st.radio("Rows", [s.SOURCE, s.SOURCE_TYPE], horizontal=True, key="sov_by",
              format_func=lambda v: {s.SOURCE: "each source", s.SOURCE_TYPE: "each type of source"}[v])
voice = corpus.share_of_voice(f, by=by, top=25)
chart = charts.heatmap(voice)
st.altair_chart(chart, width="stretch")
st.caption("Colour: Pearson residual of the source × theme table (orange = the source carries the theme more than "
           "its size predicts). Numbers: documents.")
export_buttons(chart, voice, partial(corpus.documents, f), corpus, f, gran, f"{by} by theme")

st.subheader("A source's theme mix over time")
sources = voice.drop_duplicates("source")["source"].tolist()
source = st.selectbox("Source", sources, key="mix_source")
if source is not None:
    mix_gran = timeline.at_least(gran, "quarter")  # one source's documents are few: at least quarterly
    mix = corpus.theme_shares(mix_gran, f.replace(**{f"{by}s": (source,)}), top=int(setting("top_themes")))
    st.altair_chart(charts.themes_chart(mix, selectable=False, title=f"Theme mix of {source}"), width="stretch")

st.subheader("Lead and lag between source types")
types = corpus.filter_options().source_types
c1, c2, c3 = st.columns(3)
live = [int(t) for t in corpus.theme_sizes(f)[s.TOPIC_ID]]
topic = c1.selectbox("Theme", live, format_func=lambda t: labels.get(t, str(t)), key="ll_topic")
first = c2.selectbox("Does this source type…", types, index=types.index("propaganda") if "propaganda" in types else 0,
                     key="ll_x", format_func=glossary.source_type_name)
second = c3.selectbox("…lead this one?", types, index=types.index("news") if "news" in types else 0, key="ll_y",
                      format_func=glossary.source_type_name)
if first == second:
    st.caption("Pick two different source types.")
else:
    lag_gran = timeline.at_least(gran, "month")
    result = corpus.lead_lag(topic, first, second, lag_gran, f) if topic is not None else None
    if result is None:
        st.caption("Too few periods with both source types for this theme.")
    else:
        st.altair_chart(charts.lead_lag_chart(result, first, second), width="stretch")
        lag, r, p = result["best_lag"], result["r"], result["p_value"]
        direction = (f"{second} follows {first} by {lag} {lag_gran}(s)" if lag > 0 else
                     f"{first} follows {second} by {-lag} {lag_gran}(s)" if lag < 0 else "they move together")
        verdict = "significant" if p < 0.05 else "not significant"
        st.markdown(f"Best lag: **{lag}** ({escape_markdown(direction)}), r = {r:.2f}, permutation p = {p:.3f} "
                    f"({verdict}; {result['periods']} {lag_gran}s of this theme's share in each source type).")
