"""Theme explorer: a theme's words, its label (editable), share over time, representative documents, its sources;
merge two themes; refit. Edits are stored and survive refits."""

from __future__ import annotations

from functools import partial

import streamlit as st

from analytics import charts, config, edits, pipeline
from analytics import schema as s
from analytics.app.export import export_buttons
from analytics.app.progress import progress_bars
from analytics.app.reading import document_table, escape_markdown, reading_view
from analytics.app.sidebar import sidebar_filters
from analytics.app.state import clear_caches, corpus_or_stop, current_db
from analytics.errors import NarrativeError
from analytics.topics import known_theme_options
from analytics.uploads import save_upload

corpus = corpus_or_stop()
f, gran = sidebar_filters(corpus)
st.title("Theme explorer")
themes = corpus.themes()
if themes.empty:
    st.info("No themes yet: run the analysis on the Corpus page.")
    st.stop()
live = themes[themes["live"]]
ids = [int(t) for t in live[s.TOPIC_ID]]
labels = corpus.labels()
sizes = dict(zip(live[s.TOPIC_ID], live["size"], strict=True))
wanted = st.query_params.get("topic")
index = ids.index(int(wanted)) if wanted and wanted.lstrip("-").isdigit() and int(wanted) in ids else 0
topic_id = st.selectbox("Theme", ids, index=index, key="explore_topic",
                        format_func=lambda t: f"{labels.get(t, t)}  ·  {int(sizes[t])} documents")
st.query_params["topic"] = str(topic_id)
row = live.set_index(s.TOPIC_ID).loc[topic_id]
words = row["words"]


def edit_and_reload(change: partial, topic: int | None = None) -> None:
    """Store an edit, forget the cached answers, and show the page again (on `topic`)."""
    change()
    clear_caches()
    if topic is not None:
        st.query_params["topic"] = str(topic)
    st.rerun()


left, right = st.columns([2, 3])
with left:
    st.markdown(f"**Automatic label:** {escape_markdown(row['auto_label'])}")
    new_label = st.text_input("Label", value=row["custom_label"] if isinstance(row["custom_label"], str)
                              else row["auto_label"],
                              key=f"label_{topic_id}", help="Rename the theme. Stored, and kept when the model is "
                              "refitted.")
    if st.button("Save label", key="save_label"):
        # Said after the rerun that shows the new label; a message drawn before st.rerun() would vanish.
        st.session_state["label_saved"] = new_label
        edit_and_reload(partial(edits.rename_theme, current_db(), topic_id, new_label))
    if saved := st.session_state.pop("label_saved", None):
        st.success(f"Label saved: {saved}")
    st.markdown("**Distinctive words (c-TF-IDF):** "
                + escape_markdown(", ".join(w for w, _ in words.get("ctfidf", []))))
    if words.get("phrases"):
        st.markdown("**Key phrases:** " + escape_markdown(", ".join(words["phrases"])))
    if words.get("mmr"):
        st.markdown("**Diverse keywords (MMR):** " + escape_markdown(", ".join(words["mmr"])))
    others = [t for t in ids if t != topic_id]
    with st.form("merge"):
        target = st.selectbox("Merge this theme into", others, format_func=lambda t: labels.get(t, str(t)))
        if st.form_submit_button("Merge"):
            edit_and_reload(partial(edits.merge_themes, current_db(), topic_id, int(target)), int(target))
    suggestions = [m for m in (corpus.run() or {}).get("counts", {}).get("merge_suggestions", [])
                   if set(m["topics"]) <= set(ids)]
    with st.expander(f"Suggested merges ({len(suggestions)}): closest pairs in the topic hierarchy"):
        st.caption("BERTopic's hierarchy of this fit joins these pairs first (cosine distance of their c-TF-IDF "
                   "words, Ward linkage). Read both themes' documents before merging; a merge can be undone.")
        for n, m in enumerate(suggestions):
            a, b = m["topics"]
            big, small = (a, b) if sizes.get(a, 0) >= sizes.get(b, 0) else (b, a)
            st.markdown(f"{escape_markdown(labels.get(small, str(small)))} → "
                        f"{escape_markdown(labels.get(big, str(big)))} · distance {m['distance']:.2f}")
            if st.button("Merge", key=f"suggested_merge_{n}"):
                edit_and_reload(partial(edits.merge_themes, current_db(), int(small), int(big)), int(big))
    for m in themes[themes["merged_into"] == topic_id].itertuples():
        if st.button(f"Undo merge of “{m.auto_label}”", key=f"unmerge_{m.topic_id}"):
            edit_and_reload(partial(edits.unmerge_theme, current_db(), int(m.topic_id)))
with right:
    if words.get("ctfidf"):
        st.altair_chart(charts.topic_words_chart([tuple(w) for w in words["ctfidf"]]), width="stretch")

shares = corpus.theme_shares(gran, f, keep=[topic_id])
one = shares[shares[s.TOPIC_ID] == topic_id]
chart = charts.share_with_band(one, title="Share of documents per period", granularity=gran)
st.altair_chart(chart, width="stretch")
st.caption("The band is the 95 % interval of each period's share (Wilson); a hollow point rests on few documents; "
           "periods without documents are left empty.")
export_buttons(chart, one, partial(corpus.documents_to_cite, f, themes=(topic_id,)), corpus, f, gran,
               f"theme {topic_id} over time", title=f"{labels.get(topic_id, topic_id)}: share of documents")

c1, c2 = st.columns(2)
with c1:
    st.subheader("Representative documents")
    picked = document_table(corpus.representative_documents(topic_id, n=8), key="reps", height=300)
with c2:
    st.subheader("Sources that carry it")
    voice = corpus.share_of_voice(f)
    voice = voice[voice[s.TOPIC_ID] == topic_id].sort_values(s.COUNT, ascending=False).head(15)
    st.dataframe(voice[["source", s.COUNT, "source_total", "lift"]].rename(
        columns={s.COUNT: "documents", "source_total": "of the source's"}), hide_index=True, width="stretch")
if picked:
    reading_view(picked, corpus)

st.subheader("Refit the themes")
st.caption("Fit the topic model again on every document. Labels you gave and merges you made are kept for themes "
           "that match the previous fit. Known themes (CSV with columns theme, seed_words — words separated by ';') "
           "can guide the fit (seed words) or name themes that collect the documents close to them (zero-shot).")
with st.form("refit"):
    profile = st.radio("Embeddings", list(config.SETTINGS["profile"].choices), horizontal=True, key="refit_profile",
                       index=0 if (corpus.run() or {}).get("params", {}).get("backend") != "static" else 1,
                       help=config.SETTINGS["profile"].help)
    mode = st.radio("Known themes", ["none", "guided (seed words)", "zero-shot (named themes)"], horizontal=True,
                    key="refit_mode")
    upload = st.file_uploader("Known themes CSV (default: the shipped corpora/known_themes.csv)", type=["csv"])
    min_size = st.number_input("Smallest theme in documents (0: 0.4 % of the corpus)", min_value=0,
                               value=int(config.setting("min_topic_size")), help=config.SETTINGS["min_topic_size"].help)
    go = st.form_submit_button("Refit", key="refit_go")
if go:
    try:
        options: dict = {"min_topic_size": int(min_size)} if min_size else {}
        if mode != "none":
            path = config.KNOWN_THEMES
            if upload is not None:
                path = save_upload(upload.name, upload.getvalue(), config.DATA_DIR / "uploads" / "known-themes",
                                   1024 * 1024)[0]
            options.update(known_theme_options(path, "guided" if mode.startswith("guided") else "zero-shot"))
        results = pipeline.analyze(current_db(), profile=profile, progress=progress_bars(), refit=True,
                                   topic_options=options)
        summary = results.get("topics", {})
        clear_caches()
        st.session_state["refit_done"] = (f"Refitted: {summary.get('topics')} themes, "
                                          f"{summary.get('outliers', 0):.0%} outliers, changes "
                                          f"{summary.get('changes')}.")
        st.rerun()
    except NarrativeError as exc:
        st.error(exc.user_message())
if done := st.session_state.pop("refit_done", None):
    st.success(done)
