"""Theme explorer: a theme's words, its label (editable), size over time, representative documents, its sources;
merge two themes. Edits are stored and survive refits."""

from __future__ import annotations

import json

import streamlit as st

from analytics import charts, store, timeline
from analytics import schema as s
from app_pages import ui

corpus = ui.corpus_or_stop()
f = ui.sidebar_filters(corpus)
st.title("Theme explorer")
topics = corpus.topics
if topics.empty:
    st.info("No themes yet: run the analysis on the Corpus page.")
    st.stop()
live = topics[topics["merged_into"].isna()].sort_values("size", ascending=False)
ids = [int(t) for t in live[s.TOPIC_ID]]
wanted = st.query_params.get("topic")
index = ids.index(int(wanted)) if wanted and wanted.lstrip("-").isdigit() and int(wanted) in ids else 0
sizes = live.set_index(s.TOPIC_ID)["size"]
topic_id = st.selectbox("Theme", ids, index=index, key="explore_topic",
                        format_func=lambda t: f"{corpus.labels.get(t, t)}  ·  {int(sizes.loc[t])} documents")
st.query_params["topic"] = str(topic_id)
row = live.set_index(s.TOPIC_ID).loc[topic_id]
words = json.loads(row["words"]) if row["words"] else {}

left, right = st.columns([2, 3])
with left:
    st.markdown(f"**Automatic label:** {ui.escape_markdown(row['auto_label'])}")
    new_label = st.text_input("Label", value=row["label"], key=f"label_{topic_id}",
                              help="Rename the theme. Stored, and kept when the model is refitted.")
    if st.button("Save label", key="save_label"):
        with ui.with_store(write=True) as con:
            store.set_topic_label(con, topic_id, new_label)
        ui.clear_caches()
        # Said after the rerun that shows the new label; a message drawn before st.rerun() would vanish.
        st.session_state["label_saved"] = new_label
        st.rerun()
    if saved := st.session_state.pop("label_saved", None):
        st.success(f"Label saved: {saved}")
    st.markdown("**Distinctive words (c-TF-IDF):** " + ui.escape_markdown(", ".join(w for w, _ in words.get("ctfidf",
                                                                                                            []))))
    if words.get("mmr"):
        st.markdown("**Diverse keywords (MMR):** " + ui.escape_markdown(", ".join(words["mmr"])))
    others = [t for t in ids if t != topic_id]
    with st.form("merge"):
        target = st.selectbox("Merge this theme into", others, format_func=lambda t: corpus.labels.get(t, str(t)))
        if st.form_submit_button("Merge"):
            with ui.with_store(write=True) as con:
                store.merge_topic(con, topic_id, int(target))
            ui.clear_caches()
            st.query_params["topic"] = str(target)
            st.rerun()
    merged = topics[topics["merged_into"] == topic_id]
    for m in merged.itertuples():
        if st.button(f"Undo merge of “{m.auto_label}”", key=f"unmerge_{m.topic_id}"):
            with ui.with_store(write=True) as con:
                store.unmerge_topic(con, int(m.topic_id))
            ui.clear_caches()
            st.rerun()
with right:
    if words.get("ctfidf"):
        st.altair_chart(charts.topic_words_chart([tuple(w) for w in words["ctfidf"]]), width="stretch")

docs = ui.apply_filters(corpus, f)
assign = corpus.assignments[corpus.assignments[s.DOC_ID].isin(docs[s.ID])]
table = timeline.shares(docs, assign, f.granularity)
one = table[table[s.TOPIC_ID] == topic_id].assign(theme=corpus.labels.get(topic_id))
chart = charts.share_with_band(one, title="Share of documents per period (95 % Wilson band; hollow = thin)")
st.altair_chart(chart, width="stretch")
ui.export_buttons(chart, one, assign[assign[s.TOPIC_ID] == topic_id][s.DOC_ID].tolist(), corpus, f,
                  f"theme {topic_id} over time")

c1, c2 = st.columns(2)
with c1:
    st.subheader("Representative documents")
    with ui.with_store() as con:
        reps = store.representative_documents(con, int(corpus.run["run_id"]), topic_id, n=8)
    picked = ui.document_table(reps.rename(columns={}), key="reps", corpus=corpus, height=300)
with c2:
    st.subheader("Sources that carry it")
    sov = timeline.share_of_voice(docs, assign)
    sov = sov[sov[s.TOPIC_ID] == topic_id].sort_values(s.COUNT, ascending=False).head(15)
    st.dataframe(sov[["source", s.COUNT, "source_total", "lift"]].rename(
        columns={s.COUNT: "documents", "source_total": "of the source's", "lift": "lift"}),
        hide_index=True, width="stretch")
if picked:
    ui.reading_view(picked, corpus)
