"""The sidebar's filters, kept in the URL and the session (`url_state`) so a link reproduces the view and a change
of page keeps it: widgets in, a `Filters` and a granularity out. Nothing is counted here: the choices come from
`Corpus.filter_options` and `Corpus.actors`."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from .. import glossary
from .. import schema as s
from ..config import SETTINGS, setting
from ..filters import Filters
from . import url_state as url
from .state import CachedCorpus


def actor_choices(corpus: CachedCorpus) -> dict[str, str]:
    """Canonical actors offered in the pickers, by number of documents naming them: id → name."""
    actors = corpus.actors(top=int(setting("actor_choices")))
    return dict(zip(actors[s.CANONICAL_ID], actors[s.CANONICAL_NAME], strict=True))


def default_actors(choices: dict[str, str]) -> list[str]:
    """The actors the Actors page compares first, from the pickers' choices (most named first): the platform
    migration, Twitter and Telegram, when the corpus tells it (both among its five most named actors); otherwise
    its three most named actors (in a corpus of speeches "telegram" is a message, not the platform to start from)."""
    most_named = list(choices)
    return ["twitter", "telegram"] if {"twitter", "telegram"} <= set(most_named[:5]) else most_named[:3]


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _typed_dates(lo: dt.date, hi: dt.date) -> tuple[dt.date, dt.date]:
    """Two date fields (typed or picked), kept inside the corpus's span and in order."""
    url.seed("f_from", min(max(url.value("from", lo, _date), lo), hi))
    url.seed("f_to", min(max(url.value("to", hi, _date), lo), hi))
    start = st.date_input("From", min_value=lo, max_value=hi, key="f_from", format="YYYY-MM-DD",
                          help="Type a date (year-month-day) or pick one. The corpus runs from "
                          f"{lo:%d %B %Y} to {hi:%d %B %Y}.")
    end = st.date_input("To", min_value=lo, max_value=hi, key="f_to", format="YYYY-MM-DD")
    if start > end:
        st.caption("“From” is after “To”: the two dates were swapped.")
        start, end = end, start
    return start, end


def sidebar_filters(corpus: CachedCorpus) -> tuple[Filters, str]:
    """Draw the filters in the sidebar, read and write them in the URL; the filters and the granularity."""
    options = corpus.filter_options()
    lo = options.first or dt.date(2000, 1, 1)
    hi = options.last or dt.date.today()
    default_gran = options.granularity
    offered = list(options.granularities)
    with st.sidebar:
        st.subheader("Filters")
        asked = url.value("gran", default_gran, str)
        url.seed("f_gran", asked if asked in offered else default_gran)
        if st.session_state["f_gran"] not in offered:
            st.session_state["f_gran"] = default_gran
        gran = st.selectbox(
            "Period", offered, key="f_gran", format_func=lambda g: glossary.GRANULARITY_NAMES.get(g, g),
            help=f"Each point of the timelines is one such period. Offered: periods of which at most half hold fewer "
            f"than {setting('thin_period_documents')} documents. First shown: {default_gran} (the finest whose "
            f"median period holds at least {setting('period_median_documents')} documents and that draws at most "
            f"{setting('default_periods_max')} periods).")
        if asked not in offered:
            st.caption(f"“{asked}” is not offered here: most of its periods would hold too few documents.")
        start, end = _typed_dates(lo, hi) if lo < hi else (lo, hi)
        url.seed("f_src", [v for v in url.value("source", [], url.text_list) if v in set(options.sources)])
        sources = st.multiselect("Source", options.sources, key="f_src")
        url.seed("f_stype", [v for v in url.value("stype", [], url.text_list) if v in set(options.source_types)])
        types = st.multiselect("Source type", options.source_types, key="f_stype",
                               format_func=glossary.source_type_name)
        url.seed("f_lang", [v for v in url.value("lang", [], url.text_list) if v in set(options.languages)])
        langs = st.multiselect("Language", options.languages, key="f_lang",
                               format_func=lambda c: f"{glossary.language_name(c)} ({c})",
                               help="Every page counts only documents in these languages.")
        actors = actor_choices(corpus)
        names = ["(any)", *actors]
        url.seed("f_actor", url.value("actor", "(any)", str) if url.value("actor", "", str) in actors else "(any)")
        actor_pick = st.selectbox("Names the actor", names, key="f_actor",
                                  format_func=lambda a: actors.get(a, a))
        actor = None if actor_pick == "(any)" else actor_pick
        if options.undated:
            st.caption(f"{options.undated} document(s) have no date: they are searchable but not on the timeline.")
    url.keep("gran", gran, default_gran)
    url.keep("from", start.isoformat(), lo.isoformat())
    url.keep("to", end.isoformat(), hi.isoformat())
    url.keep("source", sources)
    url.keep("stype", types)
    url.keep("lang", langs)
    url.keep("actor", actor)
    # The whole span selected is no date filter at all: the store then counts every dated document directly.
    filters = Filters(start=start if start != lo else None, end=end if end != hi else None,
                      sources=sources, source_types=types, languages=langs, actor=actor)
    return filters, gran


def profile_help() -> str:
    """The help text of the analysis profile, from its setting."""
    return SETTINGS["profile"].help
