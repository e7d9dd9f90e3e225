"""Documents on screen: a selectable list and the reading view (text with its actors highlighted).

Corpus text is untrusted: it is only ever given to Streamlit as plain text (st.dataframe, st.caption, markdown with
every special character escaped); no page uses unsafe_allow_html. With the content warning on, a propaganda
source's title, actors, themes and text stay closed until the reader opens them — in lists and in the reading
view alike.

The open document is kept in the URL (`?doc=`) per page, so a shared link opens it again.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import streamlit as st

from .. import glossary
from .. import schema as s
from ..entities.extraction import ROMANISED_ORIGIN
from ..errors import NarrativeError
from . import url_state as url
from .state import CachedCorpus, content_warning_on

HIDDEN_TITLE = "[propaganda source: open to read]"
WARNING = "Content warning: this document describes extremist propaganda. Open to read its title, actors and text."


def escape_markdown(text: str) -> str:
    """Text made inert for st.markdown: HTML-escaped, then every Markdown control character backslashed."""
    text = html.escape(text, quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~>$])", r"\\\1", text)


def highlighted_markdown(text: str, mentions: pd.DataFrame) -> str:
    """The document's text, escaped, with each entity mention bolded and tagged with its type in plain words."""
    parts, pos = [], 0
    for m in mentions.sort_values(s.START_CHAR).itertuples():
        if m.start_char < pos:
            continue
        parts.append(escape_markdown(text[pos:m.start_char]))
        kind = re.sub(r"[^a-z ]", "", glossary.entity_type(m.label))  # plain words only inside the backticks
        parts.append(f"**{escape_markdown(text[m.start_char:m.end_char])}** `{kind}`")
        pos = m.end_char
    parts.append(escape_markdown(text[pos:]))
    return "".join(parts).replace("\n", "  \n")


def hidden_where_propaganda(frame: pd.DataFrame, column: str, placeholder: str = HIDDEN_TITLE) -> pd.Series:
    """A text column with the propaganda sources' values replaced while the content warning is on."""
    if not content_warning_on() or s.SOURCE_TYPE not in frame:
        return frame[column]
    return frame[column].where(frame[s.SOURCE_TYPE] != "propaganda", placeholder)


def list_titles(docs: pd.DataFrame, width: int = 90) -> pd.Series:
    """What a list shows as each document's title: its title, else the first words of its text in quotes (a post
    or a speech has no title; a column of "(untitled)" tells a reader nothing), else "(untitled)"."""
    titles = docs[s.TITLE].where(docs[s.TITLE].fillna("").str.strip() != "") if s.TITLE in docs else None
    openings = docs["opening"] if "opening" in docs else pd.Series(None, index=docs.index, dtype=object)
    quoted = openings.map(lambda text: _quoted_start(text, width), na_action="ignore")
    return (titles.fillna(quoted) if titles is not None else quoted).fillna("(untitled)")


def _quoted_start(text: str, width: int) -> str | None:
    """The start of a text in quotes, on one line, cut at a word with an ellipsis when longer than `width`."""
    words = " ".join(str(text).split())
    if not words:
        return None
    if len(words) > width:
        head = words[:width + 1]  # a space just after `width` ends a whole word
        cut = head.rsplit(" ", 1)[0] if " " in head else words[:width]
        words = cut.rstrip(",;:") + "…"
    return f"“{words}”"


def document_table(docs: pd.DataFrame, key: str, height: int = 320) -> str | None:
    """A selectable list of documents (date, source, type, language, title, theme); the id clicked."""
    if docs.empty:
        st.caption("No documents.")
        return None
    columns = [c for c in (s.DATE, s.TITLE, s.SOURCE, s.SOURCE_TYPE, s.LANGUAGE, "theme", s.ID) if c in docs]
    view = docs[columns].copy()
    dates = pd.to_datetime(view[s.DATE])
    # posts carry their time of day, and which came first matters: show it when the list has one
    timed = (dates.dropna() != dates.dropna().dt.normalize()).any()
    view[s.DATE] = dates.dt.strftime("%Y-%m-%d %H:%M:%S" if timed else "%Y-%m-%d").fillna("no date")
    if s.TITLE in view:
        view[s.TITLE] = list_titles(docs)
        view[s.TITLE] = hidden_where_propaganda(view, s.TITLE)
    if s.SOURCE_TYPE in view:  # after the warning, which looks for "propaganda"
        view[s.SOURCE_TYPE] = view[s.SOURCE_TYPE].map(glossary.source_type_name)
    if s.LANGUAGE in view:
        view[s.LANGUAGE] = view[s.LANGUAGE].map(glossary.language_name)
    height = min(height, 35 * (len(view) + 1) + 3)  # a short list takes only its rows' room
    event = st.dataframe(view, key=key, hide_index=True, width="stretch", height=height, on_select="rerun",
                         selection_mode="single-row",
                         column_config={s.ID: st.column_config.TextColumn("id", width="small"),
                                        s.DATE: st.column_config.TextColumn("date", width="small"),
                                        s.TITLE: st.column_config.TextColumn(
                                            "title", width="large", help="The document's title; in quotes, the "
                                            "first words of a document without one (a post, a speech)"),
                                        s.SOURCE: "source", s.SOURCE_TYPE: "source type", s.LANGUAGE: "language",
                                        "theme": "theme"})
    rows = event.selection.rows if event and event.selection else []
    return str(view.iloc[rows[0]][s.ID]) if rows else None


def _header(doc: dict, doc_id: str) -> None:
    date = "no date" if pd.isna(doc[s.DATE]) else doc[s.DATE].strftime(
        "%Y-%m-%d" if doc[s.DATE] == doc[s.DATE].normalize() else "%Y-%m-%d %H:%M:%S")
    st.caption(f"{date} ({doc[s.DATE_PRECISION]}, from {doc[s.DATE_ORIGIN]}) · "
               f"{escape_markdown(str(doc.get(s.SOURCE) or 'unknown source'))} · "
               f"{glossary.source_type_name(doc[s.SOURCE_TYPE])} · {glossary.language_name(doc.get(s.LANGUAGE))} · "
               f"{doc.get(s.WORDS) or 0} words · id {escape_markdown(doc_id)}")


def aliases_only_note(language: object) -> str:
    """Why a document's actors come from the alias list alone, and what that misses."""
    code = str(language or "und")
    why = ("the fast profile reads names from the alias list only" if code in ("en", "und") else
           f"no name recogniser for {glossary.language_name(code)} installs offline")
    return (f"Actors found from the alias list only ({why}): names not on the list are not found in this "
            "document.")


def _details(doc: dict, reading: object) -> None:
    """Title, link, themes, actors and the text with its actors highlighted."""
    title = str(doc.get(s.TITLE) or "").strip() or _quoted_start(str(doc.get(s.TEXT) or ""), 90) or "(untitled)"
    st.markdown(f"#### {escape_markdown(title)}")
    if doc.get(s.URL):
        link = str(doc[s.URL])
        st.markdown(f"Original: [{escape_markdown(link)}]({link.replace(')', '%29')})"
                    if link.startswith(("http://", "https://")) else f"Original: {escape_markdown(link)}")
    themes, ents = reading.themes, reading.mentions
    if not themes.empty:
        st.caption("Themes (share of its passages): " + "; ".join(
            f"{escape_markdown(str(label))} {w:.0%}" for label, w in zip(themes[s.LABEL], themes["weight"],
                                                                         strict=True)))
    if not ents.empty:
        actors = ents.drop_duplicates(s.CANONICAL_ID)
        # a name linked to a listed person through its Latin spelling, not an alias: the reader can judge the link
        romanised = set(ents.loc[ents[s.ORIGIN] == ROMANISED_ORIGIN, s.CANONICAL_ID])
        st.caption("Actors: " + ", ".join(
            f"{escape_markdown(str(n))} ({glossary.entity_type(lbl)}"
            + (", linked by its Latin spelling" if cid in romanised else "") + ")"
            for n, lbl, cid in zip(actors[s.CANONICAL_NAME], actors[s.LABEL], actors[s.CANONICAL_ID], strict=True)))
    if reading.aliases_only:
        st.caption(aliases_only_note(doc.get(s.LANGUAGE)))
    st.markdown(highlighted_markdown(doc[s.TEXT], ents))


def reading_view(doc_id: str, corpus: CachedCorpus, page: str | None = None) -> None:
    """One document: date, source, type, language; then (behind the content warning for propaganda sources)
    title, themes, actors and the text with actors highlighted (escaped). Kept in the URL as `doc`."""
    try:
        reading = corpus.document(doc_id)
    except NarrativeError as exc:
        st.warning(exc.user_message())
        url.forget("doc", page)
        return
    doc = reading.record
    url.keep("doc", doc_id, page=page)
    with st.container(border=True):
        top = st.columns([5, 1])
        with top[0]:
            _header(doc, doc_id)
        if top[1].button("Close", key=f"close_{page}_{doc_id}", help="Close this document"):
            url.forget("doc", page)
            st.rerun()
        if doc[s.SOURCE_TYPE] == "propaganda" and content_warning_on():
            with st.expander(WARNING):
                _details(doc, reading)
        else:
            _details(doc, reading)
        if doc.get("metadata"):
            with st.expander("Everything the input said about it (metadata)"):
                st.json(doc["metadata"])


def fresh_pick(key: str, picked: str | None) -> str | None:
    """The id picked in a table on the run it was picked, else None: a table keeps its selection, so without this
    an old click in one table would win over a new click in another (or over "Close")."""
    last = st.session_state.get(f"_picked_{key}")
    st.session_state[f"_picked_{key}"] = picked
    return picked if picked != last else None


LISTED = 500  # documents listed behind a point of a large corpus; the heading says how many there are in all


def first_behind(corpus: CachedCorpus, filters: object, page: str | None = None, **behind: object
                 ) -> tuple[pd.DataFrame, int]:
    """The first LISTED documents behind a point (documents_behind's arguments), by date, and how many there are:
    at a million documents one agency is named in 170,000, and listing them all took half a second. The document
    a shared link opened is added when it is behind the point but past the first rows."""
    total = corpus.count_behind(filters, **behind)
    docs = corpus.documents_behind(filters, limit=LISTED, **behind)
    open_id = url.value("doc", None, str, page=page or st.session_state.get("_page"))
    if open_id and total > len(docs) and open_id not in set(docs[s.ID].astype(str)):
        docs = pd.concat([docs, corpus.documents_behind(filters, ids=(open_id,), **behind)], ignore_index=True)
    return docs, total


def listed_words(total: int, docs: pd.DataFrame) -> str:
    """What a heading says of a list cut to its first rows ("" when every document is listed)."""
    return f" (the first {LISTED:,} by date are listed)" if total > LISTED and len(docs) < total else ""


def list_and_read(docs: pd.DataFrame, key: str, corpus: CachedCorpus, page: str | None = None,
                  height: int = 320) -> None:
    """A document list, and the reading view of the one clicked (or of the one a link opened, when it is in the
    list). `page` keeps the open document apart from other pages' (default: the page being drawn)."""
    page = page or st.session_state.get("_page")
    picked = fresh_pick(key, document_table(docs, key=key, height=height))
    if picked:
        url.keep("doc", picked, page=page)
    open_id = url.value("doc", None, str, page=page)
    if open_id and not docs.empty and open_id in set(docs[s.ID].astype(str)):
        reading_view(open_id, corpus, page=page)
