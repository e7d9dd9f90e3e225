"""Sources: which outlets carry which themes, a source's theme mix over time, and the tested findings on
source types: lead and lag, share of voice."""

from __future__ import annotations

from functools import partial

import streamlit as st

from analytics import charts, timeline
from analytics import schema as s
from analytics.app.chart_draw import draw_chart
from analytics.app.export import export_buttons
from analytics.app.findings_view import findings_panel
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
voice = corpus.share_of_voice(f, by=by, top=25, themes=int(setting("top_themes")) + 4)
chart = charts.heatmap(voice)
draw_chart(chart, width="stretch")
st.caption("Numbers: documents. Orange: the source carries the theme more than its size and the theme's size "
           "predict; blue: less (the difference from the expected count, in standard units). The largest themes "
           "by name, the rest together as 'Other themes'; hover a cell for the whole name and the counts.")
export_buttons(chart, voice, partial(corpus.documents_to_cite, f), corpus, f, gran, f"{by} by theme")

st.subheader("A source's theme mix over time")
sources = voice.drop_duplicates("source")["source"].tolist()
source = st.selectbox("Source", sources, key="mix_source")
if source is not None:
    mix_gran = timeline.at_least(gran, "quarter")  # one source's documents are few: at least quarterly
    mix = corpus.theme_shares(mix_gran, f.replace(**{f"{by}s": (source,)}), top=int(setting("top_themes")))
    draw_chart(charts.themes_chart(mix, selectable=False, title=f"Theme mix of {source}", granularity=mix_gran),
                    width="stretch")

findings_panel(corpus, f, gran, key="sources", heading="Lead and lag, share of voice",
               kinds=("lead_lag", "share_of_voice"))
