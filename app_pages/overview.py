"""Overview: size, span, sources, volume by source type, top themes and actors, the largest shifts."""

from __future__ import annotations

import streamlit as st

from analytics import charts, findings, timeline
from analytics import schema as s
from app_pages import ui

corpus = ui.corpus_or_stop()
f = ui.sidebar_filters(corpus)
docs = ui.apply_filters(corpus, f)

st.title(corpus.name or "Narrative Timeline")
all_docs = corpus.documents
dated = all_docs[all_docs[s.DATE].notna()]
c1, c2, c3, c4 = st.columns(4)
c1.metric("Documents", f"{len(all_docs):,}", help="All stored documents, dated or not.")
c2.metric("Date span", f"{dated[s.DATE].min():%Y-%m} → {dated[s.DATE].max():%Y-%m}" if not dated.empty else "—")
c3.metric("Sources", f"{all_docs[s.SOURCE].nunique():,}")
c4.metric("Themes", f"{(corpus.topics['merged_into'].isna()).sum() if not corpus.topics.empty else 0}")
st.caption(f"With the filters: {len(docs):,} dated documents. "
           f"{timeline.undated_count(all_docs)} document(s) have no date and are not on the timeline.")

vol = timeline.volume(docs, f.granularity, by=s.SOURCE_TYPE)
chart = charts.volume_chart(vol, by=s.SOURCE_TYPE, title="Documents per period, by source type")
st.altair_chart(chart, width="stretch")
ui.export_buttons(chart, vol, docs[s.ID].tolist(), corpus, f, "volume by source type")

assign = corpus.assignments[corpus.assignments[s.DOC_ID].isin(docs[s.ID])]
left, right = st.columns(2)
with left:
    st.subheader("Top themes")
    if assign.empty:
        st.caption("No themes yet: run the analysis on the Corpus page.")
    else:
        sizes = assign[assign[s.TOPIC_ID] != -1][s.TOPIC_ID].value_counts().head(10)
        st.dataframe({"theme": [corpus.labels.get(int(t), str(t)) for t in sizes.index],
                      "documents": sizes.to_numpy()}, hide_index=True, width="stretch")
with right:
    st.subheader("Top actors")
    top = ui.actor_totals(docs, top=10)
    if top.empty:
        st.caption("No actors extracted yet.")
    else:
        st.dataframe({"actor": top[s.CANONICAL_NAME], "type": top[s.LABEL], "documents naming it": top["documents"]},
                     hide_index=True, width="stretch")

st.subheader("The largest shifts")
shifts = findings.largest_theme_shifts(docs, assign, corpus.labels, granularity="quarter")
if shifts.empty:
    st.caption("No significant shift in theme shares under these filters.")
for i, row in shifts.iterrows():
    st.markdown(f"- {ui.escape_markdown(row['sentence'])}")
    with st.expander(f"The {len(row['doc_ids'])} documents behind this"):
        picked = ui.document_table(docs[docs[s.ID].isin(row["doc_ids"])], key=f"shift-{i}", corpus=corpus,
                                   height=220)
        if picked:
            ui.reading_view(picked, corpus)
if not corpus.actors.empty:
    plat = timeline.platform_share_table(ui.actor_counts(docs, "year", ("PLATFORM",)))
    sentence = findings.migration_sentence(findings.platform_leaders(plat), "year")
    if sentence:
        st.markdown(f"- Most-named platform by year: {ui.escape_markdown(sentence)} (see **Actors**).")
