"""Keyword in context on screen, in Voyant's form: left context | keyword | right context, the keyword column
aligned and highlighted, dates as dates, each row opening its document; and the query's attention over time
(share of documents per period, Media Cloud's measure) above it.

With the content warning on, a propaganda source's context stays hidden (its row still opens the document, behind
the warning).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import charts
from .. import schema as s
from ..filters import Filters
from .reading import hidden_where_propaganda
from .state import CachedCorpus

HIDDEN_CONTEXT = "[propaganda source: open the document to read]"
HIGHLIGHT = "background-color: #fde68a; color: #111827; font-weight: 600"


def concordance_table(rows: pd.DataFrame, key: str, height: int = 360) -> str | None:
    """The concordance as an aligned table (a row per occurrence); the document id of the row clicked."""
    view = pd.DataFrame({
        "date": pd.to_datetime(rows[s.DATE]).dt.strftime("%Y-%m-%d").fillna("no date"),
        "source": rows[s.SOURCE].fillna("unknown"),
        "left": hidden_where_propaganda(rows, "left", ""),
        "keyword": rows["keyword"],
        "right": hidden_where_propaganda(rows, "right", HIDDEN_CONTEXT),
        "id": rows[s.DOC_ID],
    })
    styled = view.style.map(lambda _: HIGHLIGHT, subset=["keyword"])
    event = st.dataframe(
        styled, key=key, hide_index=True, width="stretch", height=height, on_select="rerun",
        selection_mode="single-row",
        column_config={"left": st.column_config.TextColumn("left context", width="large", alignment="right"),
                       "keyword": st.column_config.TextColumn("keyword", width="small", alignment="center"),
                       "right": st.column_config.TextColumn("right context", width="large"),
                       "date": st.column_config.TextColumn("date", width="small"),
                       "id": st.column_config.TextColumn("document", width="small")},
        column_order=["date", "source", "left", "keyword", "right", "id"])
    picked = event.selection.rows if event and event.selection else []
    return str(view.iloc[picked[0]]["id"]) if picked else None


def attention_over_time(corpus: CachedCorpus, query: str, granularity: str, filters: Filters) -> None:
    """The share of documents per period that hold the query's words, with its 95 % band."""
    table = corpus.term_over_time(query, granularity, filters)
    if table.empty or not table[s.COUNT].sum():
        return
    chart = charts.share_with_band(table, title=f"Share of documents per period holding {table[s.LABEL].iloc[0]}")
    st.altair_chart(chart, width="stretch")
    st.caption(f"{int(table[s.COUNT].sum()):,} of {int(table[s.TOTAL].sum()):,} dated documents under the filters "
               "hold every word of the search. Each point is a share of its period's documents, so a busy month "
               "does not look like a rise; hollow points rest on few documents.")
