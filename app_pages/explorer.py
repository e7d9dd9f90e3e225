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
    if words.get("phrases"):
        st.markdown("**Key phrases:** " + ui.escape_markdown(", ".join(words["phrases"])))
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
    suggestions = [m for m in (corpus.run or {}).get("counts", {}).get("merge_suggestions", [])
                   if set(m["topics"]) <= set(ids)]
    with st.expander(f"Suggested merges ({len(suggestions)}): closest pairs in the topic hierarchy"):
        st.caption("BERTopic's hierarchy of this fit joins these pairs first (cosine distance of their c-TF-IDF "
                   "words, Ward linkage). Read both themes' documents before merging; a merge can be undone.")
        for n, m in enumerate(suggestions):
            a, b = m["topics"]
            big, small = (a, b) if sizes.get(a, 0) >= sizes.get(b, 0) else (b, a)
            st.markdown(f"{ui.escape_markdown(corpus.labels.get(small, str(small)))} → "
                        f"{ui.escape_markdown(corpus.labels.get(big, str(big)))} · distance {m['distance']:.2f}")
            if st.button("Merge", key=f"suggested_merge_{n}"):
                with ui.with_store(write=True) as con:
                    store.merge_topic(con, int(small), int(big))
                ui.clear_caches()
                st.query_params["topic"] = str(big)
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

st.subheader("Refit the themes")
st.caption("Fit the topic model again on every document. Labels you gave and merges you made are kept for themes "
           "that match the previous fit. Known themes (CSV with columns theme, seed_words — words separated by ';') "
           "can guide the fit (seed words) or name themes that collect the documents close to them (zero-shot).")
with st.form("refit"):
    profile = st.radio("Embeddings", ["quality", "fast"], horizontal=True, key="refit_profile",
                       index=0 if (corpus.run or {}).get("params", {}).get("backend") != "static" else 1)
    mode = st.radio("Known themes", ["none", "guided (seed words)", "zero-shot (named themes)"], horizontal=True,
                    key="refit_mode")
    upload = st.file_uploader("Known themes CSV (default: the shipped corpora/known_themes.csv)", type=["csv"])
    min_size = st.number_input("Smallest theme in documents (0: 0.4 % of the corpus)", min_value=0, value=0)
    go = st.form_submit_button("Refit", key="refit_go")
if go:
    from analytics import config, pipeline
    from analytics.errors import NarrativeError
    from analytics.topics import read_theme_list
    from analytics.uploads import save_upload

    try:
        options: dict = {"min_topic_size": int(min_size)} if min_size else {}
        if mode != "none":
            path = config.DEMO_CORPUS_DIR.parent / "known_themes.csv"
            if upload is not None:
                path = save_upload(upload.name, upload.getvalue(), config.DATA_DIR / "uploads" / "known-themes",
                                   1024 * 1024)[0]
            themes = read_theme_list(path)
            if mode.startswith("guided"):
                options["seed_topics"] = [w for _, w in themes if w]
            else:
                options["zeroshot_topics"] = [name for name, _ in themes]
                options["zeroshot_words"] = [w for _, w in themes]
        bar = st.progress(0.0, text="refitting")

        def progress(stage: str, done: int, total: int | None) -> None:
            bar.progress(min(done / total, 1.0) if total else 0.0, text=f"{stage}: {done}/{total or '?'}")

        results = pipeline.analyze(ui.current_db(), profile=profile, progress=progress, refit=True,
                                   topic_options=options)
        summary = results.get("topics", {})
        ui.clear_caches()
        st.session_state["refit_done"] = (f"Refitted: {summary.get('topics')} themes, "
                                          f"{summary.get('outliers', 0):.0%} outliers, changes "
                                          f"{summary.get('changes')}.")
        st.rerun()
    except NarrativeError as exc:
        st.error(exc.user_message())
if done := st.session_state.pop("refit_done", None):
    st.success(done)
