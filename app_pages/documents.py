"""Documents: full-text search with the same filters, and the reading view with actors highlighted."""

from __future__ import annotations

import streamlit as st

from analytics import schema as s
from analytics import store, timeline
from app_pages import ui

corpus = ui.corpus_or_stop()
f = ui.sidebar_filters(corpus)
st.title("Documents")
include_undated = st.checkbox("Include documents without a date", value=True, key="undated")
docs = ui.apply_filters(corpus, f, dated_only=not include_undated)
query = st.text_input("Search the text and titles (every word must appear)", value=st.query_params.get("q", ""),
                      key="q")
st.query_params["q"] = query
with ui.with_store() as con:
    # Unfiltered, the search scans the documents without joining 100k ids.
    found = store.search_documents(con, query, ids=None if len(docs) == len(corpus.documents) else docs[s.ID],
                                   limit=500)
st.caption(f"{len(found)} document(s)" + (" (first 500)" if len(found) == 500 else ""))
picked = ui.document_table(found, key="doc_list", corpus=corpus)
doc_id = picked or st.query_params.get("doc")
if query.strip() and not found.empty:
    with st.expander("Every sentence with the first search word (keyword in context)"):
        with ui.with_store() as con:
            texts = store.documents(con, columns=[s.ID, s.DATE, s.SOURCE, s.TEXT], ids=found[s.ID].tolist())
        kwic = timeline.keyword_in_context(texts, query.split()[0])
        st.dataframe(kwic[[s.DATE, s.SOURCE, "sentence", s.DOC_ID]], hide_index=True, width="stretch")
if doc_id:
    ui.reading_view(doc_id, corpus)
