"""Documents on screen: a selectable list and the reading view (text with its actors highlighted).

Corpus text is untrusted: it is only ever given to Streamlit as plain text (st.dataframe, st.caption, markdown with
every special character escaped); no page uses unsafe_allow_html.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import streamlit as st

from .. import schema as s
from ..errors import NarrativeError
from .state import CachedCorpus, content_warning_on


def escape_markdown(text: str) -> str:
    """Text made inert for st.markdown: HTML-escaped, then every Markdown control character backslashed."""
    text = html.escape(text, quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~>$])", r"\\\1", text)


def highlighted_markdown(text: str, mentions: pd.DataFrame) -> str:
    """The document's text, escaped, with each entity mention bolded and tagged with its actor type."""
    parts, pos = [], 0
    for m in mentions.sort_values(s.START_CHAR).itertuples():
        if m.start_char < pos:
            continue
        parts.append(escape_markdown(text[pos:m.start_char]))
        label = re.sub(r"[^A-Z_]", "", str(m.label).upper())  # a type name only; nothing else in the backticks
        parts.append(f"**{escape_markdown(text[m.start_char:m.end_char])}** `{label}`")
        pos = m.end_char
    parts.append(escape_markdown(text[pos:]))
    return "".join(parts).replace("\n", "  \n")


def document_table(docs: pd.DataFrame, key: str, height: int = 320) -> str | None:
    """A selectable list of documents (a Corpus list: date, source, type, title, theme); the id clicked."""
    if docs.empty:
        st.caption("No documents.")
        return None
    view = docs[[s.ID, s.DATE, s.SOURCE, s.SOURCE_TYPE, s.TITLE] + (["theme"] if "theme" in docs else [])].copy()
    # posts carry their time of day, and which came first matters: show it when the list has one
    timed = (view[s.DATE].dropna() != view[s.DATE].dropna().dt.normalize()).any()
    view[s.DATE] = view[s.DATE].dt.strftime("%Y-%m-%d %H:%M:%S" if timed else "%Y-%m-%d").fillna("no date")
    if content_warning_on():
        view[s.TITLE] = view[s.TITLE].where(view[s.SOURCE_TYPE] != "propaganda", "[propaganda source: open to read]")
    event = st.dataframe(view, key=key, hide_index=True, width="stretch", height=height, on_select="rerun",
                         selection_mode="single-row",
                         column_config={s.ID: st.column_config.TextColumn("id", width="small")})
    rows = event.selection.rows if event and event.selection else []
    return str(view.iloc[rows[0]][s.ID]) if rows else None


def reading_view(doc_id: str, corpus: CachedCorpus) -> None:
    """One document: metadata, themes, actors, and the text with actors highlighted (escaped)."""
    try:
        reading = corpus.document(doc_id)
    except NarrativeError as exc:
        st.warning(exc.user_message())
        return
    doc, ents = reading.record, reading.mentions
    st.query_params["doc"] = doc_id
    st.markdown(f"#### {escape_markdown(str(doc.get(s.TITLE) or '(untitled)'))}")
    date = "no date" if pd.isna(doc[s.DATE]) else doc[s.DATE].strftime(
        "%Y-%m-%d" if doc[s.DATE] == doc[s.DATE].normalize() else "%Y-%m-%d %H:%M:%S")
    st.caption(f"{date} ({doc[s.DATE_PRECISION]}, from {doc[s.DATE_ORIGIN]}) · {doc.get(s.SOURCE) or 'unknown source'}"
               f" · {doc[s.SOURCE_TYPE]} · {doc.get(s.LANGUAGE) or '?'} · {doc.get(s.WORDS) or 0} words · id {doc_id}")
    if doc.get(s.URL):
        st.markdown(f"Original: [{escape_markdown(doc[s.URL])}]({doc[s.URL].replace(')', '%29')})"
                    if str(doc[s.URL]).startswith(("http://", "https://")) else f"Original: `{doc[s.URL]}`")
    if not reading.themes.empty:
        st.caption("Themes (share of its passages): " + "; ".join(
            f"{label} {w:.0%}" for label, w in zip(reading.themes[s.LABEL], reading.themes["weight"], strict=True)))
    if not ents.empty:
        actors = ents.drop_duplicates(s.CANONICAL_ID)
        st.caption("Actors: " + ", ".join(f"{n} ({lbl})" for n, lbl in zip(actors[s.CANONICAL_NAME],
                                                                          actors[s.LABEL], strict=True)))

    def body() -> None:
        st.markdown(highlighted_markdown(doc[s.TEXT], ents))

    if doc[s.SOURCE_TYPE] == "propaganda" and content_warning_on():
        with st.expander("Content warning: this document describes extremist propaganda. Open to read."):
            body()
    else:
        body()
    if doc.get("metadata"):
        with st.expander("Metadata"):
            st.json(doc["metadata"])


def list_and_read(docs: pd.DataFrame, key: str, corpus: CachedCorpus, height: int = 320) -> None:
    """A document list, and the reading view of the one clicked."""
    picked = document_table(docs, key=key, height=height)
    if picked:
        reading_view(picked, corpus)
