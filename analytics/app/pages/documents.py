"""Documents: full-text search with the same filters, the query's attention over time, keyword in context, and
the reading view with actors highlighted."""

from __future__ import annotations

import streamlit as st

from analytics import schema as s
from analytics.app import url_state as url
from analytics.app.kwic import attention_over_time, concordance_table
from analytics.app.reading import document_table, fresh_pick, reading_view
from analytics.app.sidebar import sidebar_filters
from analytics.app.state import corpus_or_stop

PAGE = "documents"
LIMIT = 500

corpus = corpus_or_stop()
f, gran = sidebar_filters(corpus)
st.title("Documents")
url.seed("q", url.value("q", "", str))
query = st.text_input("Search the text and titles (every word must appear)", key="q",
                      placeholder="e.g. telegram channels")
url.keep("q", query.strip())
url.seed("undated", url.value("undated", True, lambda v: v == "1"))
include_undated = st.checkbox("Include documents without a date", key="undated")
url.keep("undated", include_undated, True)
found = corpus.search(query, f, include_undated=include_undated, limit=LIMIT)


shown_in: list[str] = []  # the tables drawn on this run


def open_document(where: str) -> None:
    """The reading view, drawn under the table the document was picked in (a shared link: under the list)."""
    shown_in.append(where)
    doc_id = url.value("doc", None, str, page=PAGE)
    opened_in = st.session_state.get("_documents_opened_in", "doc_list")
    if doc_id and (opened_in == where or (where == "doc_list" and opened_in not in shown_in)):
        reading_view(doc_id, corpus, page=PAGE)


if query.strip() and not found.empty:
    attention_over_time(corpus, query, gran, f)
    st.subheader("Keyword in context")
    phrase = " ".join(query.split())
    rows = corpus.concordance(phrase, found[s.ID])
    term = phrase
    if rows.empty and len(query.split()) > 1:  # the words are all there, but not side by side
        term = query.split()[0]
        rows = corpus.concordance(term, found[s.ID])
    where = "" if len(found) < LIMIT else f" (in the first {LIMIT} documents found)"
    st.caption(f"{len(rows):,} occurrence(s) of “{term}” in {rows[s.DOC_ID].nunique() if not rows.empty else 0:,} "
               f"document(s){where}. Click a row to read its document."
               + (" The words never stand side by side: the first word is shown." if term != phrase else ""))
    if not rows.empty and (picked := fresh_pick("kwic", concordance_table(rows, key="kwic"))):
        url.keep("doc", picked, page=PAGE)
        st.session_state["_documents_opened_in"] = "kwic"
    open_document("kwic")

st.subheader("Documents found" if query.strip() else "Documents")
st.caption(f"{len(found)} document(s)" + (f" (first {LIMIT})" if len(found) == LIMIT else ""))
if picked := fresh_pick("doc_list", document_table(found, key="doc_list")):
    url.keep("doc", picked, page=PAGE)
    st.session_state["_documents_opened_in"] = "doc_list"
open_document("doc_list")
