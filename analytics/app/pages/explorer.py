"""Theme explorer: a theme's name (editable), its words, languages, share over time, representative documents and
the sources that carry it; merging themes with a preview; suggested merges, checked; refitting; and the history of
every edit, each one undoable. Edits change the store for everyone, so each is confirmed first."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from analytics import charts, config, edits, glossary, jobs
from analytics import schema as s
from analytics.app import edit_flow
from analytics.app import url_state as url
from analytics.app.chart_draw import draw_chart
from analytics.app.export import export_buttons
from analytics.app.folding import folded
from analytics.app.reading import escape_markdown, list_and_read
from analytics.app.sidebar import sidebar_filters
from analytics.app.state import corpus_or_stop, current_db
from analytics.topics import known_theme_options
from analytics.uploads import save_upload

PAGE = "explorer"

corpus = corpus_or_stop()
f, gran = sidebar_filters(corpus)
db = current_db()
st.title("Theme explorer")
themes = corpus.themes()
if themes.empty:
    st.info("No themes yet: run the analysis on the Corpus page.")
    st.stop()
live = themes[themes["live"]]
ids = [int(t) for t in live[s.TOPIC_ID]]
labels = corpus.labels()
sizes = dict(zip(live[s.TOPIC_ID].astype(int), live["size"], strict=True))
url.seed("explore_topic", url.value("topic", ids[0], int, page=PAGE))
if st.session_state["explore_topic"] not in ids:
    st.session_state["explore_topic"] = ids[0]
topic_id = st.selectbox("Theme", ids, key="explore_topic",
                        format_func=lambda t: f"{labels.get(t, t)}  ·  {int(sizes[t])} documents")
url.keep("topic", topic_id, page=PAGE)
row = live.set_index(s.TOPIC_ID).loc[topic_id]
words = row["words"]
edit_flow.done_message(db)

left, right = st.columns([2, 3])
with left:
    st.subheader("Name")
    automatic = row["auto_label"]
    st.caption(f"Automatic name: {escape_markdown(str(automatic))}"
               + (" (yours is shown)" if isinstance(row["custom_label"], str) else ""))
    url.seed(f"label_{topic_id}", row["custom_label"] if isinstance(row["custom_label"], str) else automatic)
    new_label = st.text_input("Label", key=f"label_{topic_id}", help="Rename the theme once you have read its "
                              "documents. Kept when the themes are refitted; empty gives the automatic name back.")
    if st.button("Save label", key="save_label"):
        edit_flow.ask("rename", f"Rename “{labels[topic_id]}” to “{new_label.strip() or automatic}”?",
                      topic_id=topic_id, label=new_label)
        st.rerun()
    edit_flow.confirmation("rename", lambda p: (f"Label saved: {p['label'].strip() or automatic}",
                                                edits.rename_theme(db, p["topic_id"], p["label"])))
    for key in ("phrases", "mmr"):
        if words.get(key):
            term = glossary.term(key)
            st.markdown(f"**{term.name.capitalize()}:** " + escape_markdown(", ".join(words[key])),
                        help=term.means)
    mix = corpus.theme_languages(f)
    mix = mix[mix[s.TOPIC_ID] == topic_id]
    if len(mix) > 1:
        st.markdown("**Languages:** " + ", ".join(
            f"{glossary.language_name(lang)} {n} ({share:.0%})"
            for lang, n, share in zip(mix[s.LANGUAGE], mix["documents"], mix[s.SHARE], strict=True)))
        by_language = corpus.theme_words_by_language(n=8)
        for lang, found in by_language[by_language[s.TOPIC_ID] == topic_id][[s.LANGUAGE, "words"]].itertuples(
                index=False):
            st.markdown(f"**Words in {glossary.language_name(lang)}:** " + escape_markdown(", ".join(found)))
    elif len(mix) == 1:
        st.caption(f"All its documents under the filters are in {glossary.language_name(mix[s.LANGUAGE].iloc[0])}.")
with right:
    term = glossary.term("ctfidf")
    st.subheader(term.name.capitalize(), help=term.means)
    if words.get("ctfidf"):
        table = pd.DataFrame([(w, float(v)) for w, v in words["ctfidf"][:10]], columns=["word", "weight"])
        st.dataframe(table.assign(weight=table["weight"] / table["weight"].max()), hide_index=True, width="stretch",
                     height=35 * len(table) + 38,
                     column_config={"word": st.column_config.TextColumn("word"),
                                    "weight": st.column_config.ProgressColumn(
                                        "how distinctive", min_value=0.0, max_value=1.0, format="%.2f",
                                        help="Relative to the first word (1.00).")})
        if words.get("merged_from"):
            st.caption("Merged themes' words together, weighted by their sizes, until the next refit.")

shares = corpus.theme_shares(gran, f, keep=[topic_id])
one = shares[shares[s.TOPIC_ID] == topic_id]
chart = charts.share_with_band(one, title="Share of documents per period", granularity=gran)
draw_chart(chart, width="stretch")
st.caption("The band is the 95 % interval of each period's share (Wilson); a hollow point rests on few documents; "
           "periods without documents are left empty.")
export_buttons(chart, one, partial(corpus.documents_to_cite, f, themes=(topic_id,)), corpus, f, gran,
               f"theme {topic_id} over time", title=f"{labels.get(topic_id, topic_id)}: share of documents")

st.subheader("Representative documents")
st.caption("The documents closest to the theme's centre. Click one to read it.")
list_and_read(corpus.representative_documents(topic_id, n=8), key="reps", corpus=corpus, page=PAGE, height=320)
with st.container():
    lift = glossary.term("lift")
    st.subheader("Sources that carry it")
    voice = corpus.theme_sources(topic_id, f).head(15)
    if voice.empty:
        st.caption("No source has three or more of its documents under these filters.")
    else:
        st.dataframe(voice, hide_index=True, width="stretch", column_config={
            "source": "source", "documents": st.column_config.NumberColumn("its documents in the theme"),
            "source_total": st.column_config.NumberColumn("all its documents"),
            s.SHARE: st.column_config.NumberColumn("share", format="percent"),
            "lift": st.column_config.NumberColumn(lift.name, format="%.1f", help=lift.means)})
        st.caption("Sources with at least three of the theme's documents. " + escape_markdown(lift.means))

st.header("Merge themes")
others = [t for t in ids if t != topic_id]
target = st.selectbox("Merge this theme into", others, format_func=lambda t: labels.get(t, str(t)),
                      key="merge_target", index=None, placeholder="Choose the theme to merge it into…")
if target is not None and st.button("Preview the merge", key="merge_preview"):
    edit_flow.ask("merge", f"Merge “{labels[topic_id]}” into “{labels[int(target)]}”?", source=topic_id,
                  target=int(target))
    st.rerun()


def merge_preview_panel() -> None:
    """What the merge would give: sizes under the filters, and the merged theme's distinctive words."""
    found = edit_flow.pending("merge")
    preview = corpus.merge_preview(found["source"], found["target"], f)
    st.markdown(f"{escape_markdown(preview.from_label)}: **{preview.from_documents}** documents · "
                f"{escape_markdown(preview.into_label)}: **{preview.into_documents}** · together: "
                f"**{preview.together}** (under the filters).")
    st.markdown("Distinctive words of the merged theme: " + escape_markdown(", ".join(w for w, _ in preview.words)))


edit_flow.confirmation("merge", lambda p: (f"Merged “{labels[p['source']]}” into “{labels[p['target']]}”.",
                                           edits.merge_themes(db, p["source"], p["target"])), merge_preview_panel)
for m in themes[themes["merged_into"] == topic_id].itertuples():
    if st.button(f"Separate “{m.auto_label}” again", key=f"unmerge_{m.topic_id}"):
        edit_flow.ask("unmerge", f"Separate “{m.auto_label}” from “{labels[topic_id]}” again?", source=m.topic_id)
        st.rerun()
edit_flow.confirmation("unmerge", lambda p: ("Separated again.", edits.unmerge_theme(db, p["source"])))

similarity = glossary.term("similarity")


def suggested_merges() -> None:
    """The pairs of themes most alike, each checked, with a button to preview the merge of each one suggested."""
    st.caption("Pairs of themes whose words are closest (BERTopic's hierarchy of this fit), most alike first. Each "
               "is checked against the actors its documents name: a pair is held back when each theme is mostly "
               "about a different actor (say a leader and a news agency) and neither names the other's much. Read "
               f"both themes' documents before merging. Similarity: {escape_markdown(similarity.means)}")
    for n, m in enumerate(corpus.merge_suggestions().itertuples()):
        cols = st.columns([5, 1])
        cols[0].markdown(f"{'' if m.suggested else '~~'}{escape_markdown(m.from_label)} → "
                         f"{escape_markdown(m.into_label)}{'' if m.suggested else '~~'} · similarity "
                         f"{m.similarity:.2f} · {escape_markdown(m.reason)}")
        if m.suggested and cols[1].button("Preview", key=f"suggested_merge_{n}"):
            edit_flow.ask("merge", f"Merge “{m.from_label}” into “{m.into_label}”?", source=int(m.from_topic_id),
                          target=int(m.into_topic_id))
            st.rerun()


# Folded and made when opened (as the refit's form below): a row, a check and a button per pair of themes. The
# label counts the pairs before they are checked: checking them reads every theme's leading actors (a tenth of a
# second and more at 100,000 documents), which only a reader who opens the list needs.
pairs = corpus.merge_candidates()
suggested_box = folded(f"Themes most alike ({pairs} pair{'' if pairs == 1 else 's'}), each checked before it is "
                       "suggested", "explorer_suggested_open")
if suggested_box is not None:
    with suggested_box:
        suggested_merges()

st.header("History of edits")
st.caption("Every rename, merge and refit of this corpus, newest first. Undo puts back what the edit replaced.")
edit_flow.history(db, corpus.edit_history())

def refit_form() -> None:
    """The refit's settings; its button asks for confirmation before a job starts."""
    st.caption("Fit the topic model again on every document, in the background. Names you gave and merges you made "
               "are kept for themes that match the previous fit; the refit can be undone from the history. Known "
               "themes (CSV with columns theme, seed_words — words separated by ';') can guide the fit (seed words) "
               "or name themes that collect the documents close to them (zero-shot).")
    with st.form("refit"):
        profiles = list(config.SETTINGS["profile"].choices)
        # offered first: the profile that built the current themes, or the multilingual one where it is advised (a
        # refit of a multilingual corpus with the default profile would group its documents by language again)
        built = corpus.theme_profile()
        offered = "multilingual" if built and built.advice else (built.profile if built else None)
        profile = st.radio("Embeddings", profiles, horizontal=True, key="refit_profile",
                           index=profiles.index(offered) if offered in profiles else 0,
                           help=config.SETTINGS["profile"].help)
        mode = st.radio("Known themes", ["none", "guided (seed words)", "zero-shot (named themes)"], horizontal=True,
                        key="refit_mode")
        upload = st.file_uploader("Known themes CSV (default: the shipped corpora/known_themes.csv)", type=["csv"])
        min_size = st.number_input("Smallest theme in documents (0: 0.4 % of the corpus)", min_value=0,
                                   value=int(config.setting("min_topic_size")),
                                   help=config.SETTINGS["min_topic_size"].help)
        if st.form_submit_button("Refit", key="refit_go"):
            options: dict = {"min_topic_size": int(min_size)} if min_size else {}
            if mode != "none":
                path = config.KNOWN_THEMES
                if upload is not None:
                    path = save_upload(upload.name, upload.getvalue(), config.DATA_DIR / "uploads" / "known-themes",
                                       1024 * 1024)[0]
                options.update(known_theme_options(path, "guided" if mode.startswith("guided") else "zero-shot"))
            edit_flow.ask("refit", f"Refit the themes ({profile} profile{', ' + mode if mode != 'none' else ''})?",
                          profile=profile, options=options)


st.header("Refit the themes")
refit_box = folded("Fit the topic model again, optionally guided by known themes", "explorer_refit_open")
if refit_box is not None:
    with refit_box:
        refit_form()


def start_refit(found: dict) -> tuple[str, int | None]:
    jobs.start(db, jobs.JobSpec(profile=found["profile"], refit=True, topic_options=found["options"]))
    return "Refit started: its progress shows on every page; the new themes appear when it is done.", None


edit_flow.confirmation("refit", start_refit)
