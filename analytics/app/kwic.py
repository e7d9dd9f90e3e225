"""Keyword in context on screen, in Voyant's form: left context | keyword | right context, the keyword column
aligned and highlighted, dates as dates, each row opening its document; and the query's attention over time
(share of documents per period, Media Cloud's measure) above it.

A phone gets the same rows in a table of its own (a short context either side, the keyword in sight), the browser
showing the one that fits its width.

With the content warning on, a propaganda source's context stays hidden (its row still opens the document, behind
the warning).
"""

from __future__ import annotations

import unicodedata

import pandas as pd
import streamlit as st

from .. import charts, glossary
from .. import schema as s
from ..filters import Filters
from .chart_draw import draw_chart
from .reading import hidden_where_propaganda
from .state import CachedCorpus

HIDDEN_CONTEXT = "[propaganda source: open the document to read]"
PHONE_HIDDEN_CONTEXT = "[propaganda: open to read]"  # the same, short enough for a phone's column
RLI, PDI = "\u2067", "\u2069"  # right-to-left isolate and its end
LRM = "\u200e"  # left-to-right mark
HIGHLIGHT = "background-color: #fde68a; color: #111827; font-weight: 600"


PHONE_CONTEXT = 22  # characters of context either side of the keyword in the phone's table (about 130 px each)
PHONE_WIDTH = 640  # px: at or below it the phone's table is shown instead of the wide one
# One table for each width, the other hidden by the browser (the server does not know the screen's width): a wide
# screen reads Voyant's left | keyword | right with 60 characters a side; a phone's column holds about 330 px, so
# its table puts a short left | keyword | right first and the date and source after them.
WIDTH_RULES = (f"<style>@media (max-width: {PHONE_WIDTH}px) {{ .st-key-{{wide}} {{ display: none; }} }} "
               f"@media (min-width: {PHONE_WIDTH + 1}px) {{ .st-key-{{phone}} {{ display: none; }} }}</style>")


def concordance_table(rows: pd.DataFrame, key: str, height: int = 360) -> str | None:
    """The concordance as an aligned table (a row per occurrence), in a wide screen's form and a phone's (the
    browser shows the one that fits); the document id of the row clicked last in either."""
    rtl = rows["keyword"].map(right_to_left).astype(bool)
    rows = in_reading_order(rows, rtl)
    view = pd.DataFrame({
        "date": pd.to_datetime(rows[s.DATE]).dt.strftime("%Y-%m-%d").fillna("no date"),
        "source": rows[s.SOURCE].fillna("unknown"),
        "left": hidden_where_propaganda(rows, "left", ""),
        "keyword": rows["keyword"],
        "right": hidden_where_propaganda(rows, "right", HIDDEN_CONTEXT),
        "language": rows[s.LANGUAGE].map(glossary.language_name),
        "id": rows[s.DOC_ID],
    })
    phone_key = f"{key}_phone"
    st.html(WIDTH_RULES.replace("{wide}", key).replace("{phone}", phone_key))
    picks = (_selectable(isolated(view, rtl), key, height, {
        "left": st.column_config.TextColumn("left context", width="large", alignment="right"),
        "keyword": st.column_config.TextColumn("keyword", width="small", alignment="center"),
        "right": st.column_config.TextColumn("right context", width="large"),
        "date": st.column_config.TextColumn("date", width="small"),
        "id": st.column_config.TextColumn("document", width="small")},
        ["date", "source", "language", "left", "keyword", "right", "id"]),
        _selectable(isolated(phone_view(view, rtl=rtl), rtl), phone_key, height, {
            "left": st.column_config.TextColumn("left", width=120, alignment="right"),
            "keyword": st.column_config.TextColumn("keyword", width=80, alignment="center"),
            "right": st.column_config.TextColumn("right", width=120),
            "date": st.column_config.TextColumn("date", width="small"),
            "id": st.column_config.TextColumn("document", width="small")},
            ["left", "keyword", "right", "date", "source", "language", "id"]))
    last = st.session_state.get(f"_kwic_picks_{key}", (None, None))
    st.session_state[f"_kwic_picks_{key}"] = picks
    changed = [p for p, before in zip(picks, last, strict=True) if p is not None and p != before]
    return changed[0] if changed else (picks[0] or picks[1])


def phone_view(view: pd.DataFrame, context: int = PHONE_CONTEXT, rtl: pd.Series | None = None) -> pd.DataFrame:
    """The concordance for a phone: each side cut to `context` characters next to the keyword (a cut marked with
    an ellipsis), so the keyword stays in sight in a narrow column. `rtl`: the rows in a right-to-left script,
    whose left column holds the text after the keyword (see in_reading_order)."""
    def near_end(text: str) -> str:
        return text if len(text) <= context else "…" + text[-context:].lstrip()

    def near_start(text: str) -> str:
        return text if len(text) <= context else text[:context].rstrip() + "…"

    rtl = pd.Series(False, index=view.index) if rtl is None else rtl
    left = [near_start(text) if r else near_end(text) for text, r in zip(view["left"].fillna(""), rtl, strict=True)]
    right = [PHONE_HIDDEN_CONTEXT if text == HIDDEN_CONTEXT else near_end(text) if r else near_start(text)
             for text, r in zip(view["right"].fillna(""), rtl, strict=True)]
    return view.assign(left=left, right=right)


def right_to_left(text: object) -> bool:
    """Whether a text's first letter belongs to a script written right to left (Arabic, Hebrew, Syriac…)."""
    for char in str(text or ""):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def in_reading_order(rows: pd.DataFrame, rtl: pd.Series) -> pd.DataFrame:
    """The concordance with the contexts of right-to-left rows swapped: a reader of Arabic reads the text before
    the keyword on its right and the text after it on its left, so in those rows the right column holds what
    comes before and the left what comes after."""
    return rows.assign(left=rows["left"].where(~rtl, rows["right"]), right=rows["right"].where(~rtl, rows["left"]))


def isolated(view: pd.DataFrame, rtl: pd.Series) -> pd.DataFrame:
    """The contexts of right-to-left rows set as right-to-left text (Unicode isolates), so the ellipsis of a cut
    stays at the far end. The table aligns a cell that starts with a right-to-left letter to the right; the right
    column's starts with a left-to-right mark, so its text stays against the keyword and a long one is cut at its
    far end."""
    def wrap(text: str, r: bool, lead: str) -> str:
        return f"{lead}{RLI}{text}{PDI}" if r and right_to_left(text) else text

    return view.assign(**{side: [wrap(text, r, lead) for text, r in zip(view[side].fillna(""), rtl, strict=True)]
                          for side, lead in (("left", ""), ("right", LRM))})


def _selectable(view: pd.DataFrame, key: str, height: int, columns: dict, order: list[str]) -> str | None:
    """One form of the concordance, the keyword highlighted, a row selectable; the document id of the row picked."""
    event = st.dataframe(view.style.map(lambda _: HIGHLIGHT, subset=["keyword"]), key=key, hide_index=True,
                         width="stretch", height=height, on_select="rerun", selection_mode="single-row",
                         column_config=columns, column_order=order)
    picked = event.selection.rows if event and event.selection else []
    return str(view.iloc[picked[0]]["id"]) if picked else None


def attention_over_time(corpus: CachedCorpus, query: str, granularity: str, filters: Filters) -> None:
    """The share of documents per period that hold the query's words, with its 95 % band."""
    table = corpus.term_over_time(query, granularity, filters)
    if table.empty or not table[s.COUNT].sum():
        return
    chart = charts.share_with_band(table, title=f"Share of documents per period holding {table[s.LABEL].iloc[0]}")
    draw_chart(chart, width="stretch")
    st.caption(f"{int(table[s.COUNT].sum()):,} of {int(table[s.TOTAL].sum()):,} dated documents under the filters "
               "hold every word of the search. Each point is a share of its period's documents, so a busy month "
               "does not look like a rise; hollow points rest on few documents.")
