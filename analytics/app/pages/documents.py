"""Documents: full-text search with the same filters, and the reading view with actors highlighted."""

from __future__ import annotations

import streamlit as st

from analytics import schema as s
from analytics.app.reading import document_table, reading_view
from analytics.app.sidebar import sidebar_filters
from analytics.app.state import corpus_or_stop

LIMIT = 500

corpus = corpus_or_stop()
f, gran = sidebar_filters(corpus)
st.title("Documents")
include_undated = st.checkbox("Include documents without a date", value=True, key="undated")
query = st.text_input("Search the text and titles (every word must appear)", value=st.query_params.get("q", ""),
                      key="q")
st.query_params["q"] = query
found = corpus.search(query, f, include_undated=include_undated, limit=LIMIT)
st.caption(f"{len(found)} document(s)" + (f" (first {LIMIT})" if len(found) == LIMIT else ""))
picked = document_table(found, key="doc_list")
doc_id = picked or st.query_params.get("doc")
if query.strip() and not found.empty:
    with st.expander("Every sentence with the first search word (keyword in context)"):
        kwic = corpus.keyword_in_context(query.split()[0], found[s.ID])
        st.dataframe(kwic[[s.DATE, s.SOURCE, "sentence", s.DOC_ID]], hide_index=True, width="stretch")
if doc_id:
    reading_view(doc_id, corpus)
