"""The sidebar's filters, kept in the URL so a link reproduces the view: widgets in, a `Filters` and a
granularity out. Nothing is counted here: the choices come from `Corpus.filter_options` and `Corpus.actors`."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from .. import schema as s
from ..config import SETTINGS, setting
from ..filters import Filters
from .state import CachedCorpus


def _param_list(name: str) -> list[str]:
    value = st.query_params.get(name, "")
    return [v for v in value.split("|") if v] if value else []


def _set_param(name: str, value: object) -> None:
    if value in (None, "", []):
        if name in st.query_params:
            del st.query_params[name]
    else:
        st.query_params[name] = "|".join(value) if isinstance(value, list) else str(value)


def _date_param(name: str, default: dt.date, lo: dt.date, hi: dt.date) -> dt.date:
    try:
        value = dt.date.fromisoformat(st.query_params.get(name, ""))
    except ValueError:
        return default
    return min(max(value, lo), hi)


def actor_choices(corpus: CachedCorpus) -> dict[str, str]:
    """Canonical actors offered in the pickers, by number of documents naming them: id → name."""
    actors = corpus.actors(top=int(setting("actor_choices")))
    return dict(zip(actors[s.CANONICAL_ID], actors[s.CANONICAL_NAME], strict=True))


def sidebar_filters(corpus: CachedCorpus) -> tuple[Filters, str]:
    """Draw the filters in the sidebar, read and write them in the URL; the filters and the granularity."""
    options = corpus.filter_options()
    lo = options.first or dt.date(2000, 1, 1)
    hi = options.last or dt.date.today()
    with st.sidebar:
        st.subheader("Filters")
        default_gran = options.granularity
        gran = st.query_params.get("gran", default_gran)
        choices = list(s.GRANULARITIES)
        gran = st.selectbox("Granularity", choices, index=choices.index(gran) if gran in choices
                            else choices.index(default_gran), key="f_gran",
                            help=f"Default for this corpus: {default_gran} (the finest period whose median period "
                            f"holds at least {setting('period_median_documents')} documents).")
        start = _date_param("from", lo, lo, hi)
        end = _date_param("to", hi, lo, hi)
        picked = st.slider("Period", min_value=lo, max_value=hi, value=(start, end), key="f_dates",
                           format="YYYY-MM-DD") if lo < hi else (lo, hi)
        sources = st.multiselect("Source", options.sources, key="f_src",
                                 default=[v for v in _param_list("source") if v in set(options.sources)])
        types = st.multiselect("Source type", options.source_types, key="f_stype",
                               default=[v for v in _param_list("stype") if v in set(options.source_types)])
        langs = st.multiselect("Language", options.languages, key="f_lang",
                               default=[v for v in _param_list("lang") if v in set(options.languages)])
        actors = actor_choices(corpus)
        actor_param = st.query_params.get("actor")
        names = ["(any)"] + list(actors.values())
        current = actors.get(actor_param, "(any)") if actor_param else "(any)"
        actor_name = st.selectbox("Names the actor", names, index=names.index(current), key="f_actor")
        actor = next((k for k, v in actors.items() if v == actor_name), None)
        if options.undated:
            st.caption(f"{options.undated} document(s) have no date: they are searchable but not on the timeline.")
    _set_param("gran", gran if gran != default_gran else None)
    _set_param("from", picked[0].isoformat() if picked[0] != lo else None)
    _set_param("to", picked[1].isoformat() if picked[1] != hi else None)
    _set_param("source", sources)
    _set_param("stype", types)
    _set_param("lang", langs)
    _set_param("actor", actor)
    # The whole span selected is no date filter at all: the store then counts every dated document directly.
    filters = Filters(start=picked[0] if picked[0] != lo else None, end=picked[1] if picked[1] != hi else None,
                      sources=sources, source_types=types, languages=langs, actor=actor)
    return filters, gran


def profile_help() -> str:
    """The help text of the analysis profile, from its setting."""
    return SETTINGS["profile"].help
