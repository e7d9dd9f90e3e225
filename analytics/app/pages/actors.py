"""Actors: who is named most per period, chosen actors over time, the platform migration, who is named together.

Every number is counted in the store over the filtered documents (Corpus); the documents behind any point too."""

from __future__ import annotations

import datetime as dt
from functools import partial

import streamlit as st

from analytics import charts, glossary, timeline
from analytics import schema as s
from analytics.app import url_state as url
from analytics.app.chart_draw import draw_chart
from analytics.app.chart_table import numbers_table
from analytics.app.export import export_buttons
from analytics.app.findings_view import findings_panel
from analytics.app.folding import folded
from analytics.app.reading import escape_markdown, first_behind, list_and_read, listed_words
from analytics.app.selection import selected_points, to_timestamp
from analytics.app.sidebar import actor_choices, default_actors, sidebar_filters
from analytics.app.state import corpus_or_stop
from analytics.filters import Filters

PAGE = "actors"

corpus = corpus_or_stop()
f, gran = sidebar_filters(corpus)
st.title("Actors")
options = actor_choices(corpus)
if not options:
    st.info("No actors were found in this corpus's documents.")
    st.stop()
default = default_actors(options)
url.seed("actors_pick", [a for a in url.value("actors", [], url.text_list, page=PAGE) if a in options] or default)
st.session_state["actors_pick"] = [a for a in st.session_state["actors_pick"] if a in options]
chosen = st.multiselect("Compare actors", list(options), format_func=lambda a: options[a], key="actors_pick")
url.keep("actors", chosen, default, page=PAGE)
url.seed("actor_measure", url.value("measure", "mentions", str, page=PAGE))
measure = st.radio("Measure", ["mentions", "share"], horizontal=True, key="actor_measure",
                   format_func=lambda m: {"mentions": "mentions", "share": "share of documents"}[m],
                   help="mentions: how often the actor is named; share of documents: documents naming the actor "
                   "over all documents of the period")
url.keep("measure", measure, "mentions", page=PAGE)
sub = corpus.actor_counts(gran, f, actors=tuple(chosen))
# the actors of the pickers, most-named first: their stable colours (every actor one can choose is among them; the
# whole list is hundreds of thousands of accounts where posts name them)
colour_order = list(options)
event, in_table = None, None
if sub.empty or not sub["mentions"].any():
    st.info("Choose one or more actors to compare above." if not chosen else "None of the actors chosen is named "
            "in the documents of these filters: choose others above, or widen the filters in the sidebar.")
else:
    chart = charts.actors_chart(sub, measure=measure, corpus_order=colour_order, granularity=gran)
    event = draw_chart(chart, width="stretch", on_select="rerun", key="actors_chart")
    in_table = numbers_table(sub, "actors_table", s.CANONICAL_NAME, granularity=gran, count="documents",
                             what="documents naming the actor")
    export_buttons(chart, sub, partial(corpus.documents_to_cite, f, actors=tuple(chosen)), corpus, f, gran,
                   "actors over time")
points = selected_points(event) or ([{s.PERIOD: in_table[s.PERIOD], s.CANONICAL_ID: next(
    (a for a, n in options.items() if n == in_table[s.CANONICAL_NAME]), "")}] if in_table else [])
had_points = st.session_state.get("_actors_points")
st.session_state["_actors_points"] = points
if points:
    url.keep("period", to_timestamp(points[0][s.PERIOD]).date().isoformat(), page=PAGE)
    url.keep("actor_point", points[0][s.CANONICAL_ID], page=PAGE)
elif had_points:  # the reader cleared the selection (double-click)
    url.forget("period", page=PAGE)
    url.forget("actor_point", page=PAGE)
picked_period, picked_actor = url.value("period", None, str, page=PAGE), url.value("actor_point", None, str, page=PAGE)
if picked_period and picked_actor:
    period = to_timestamp(picked_period)
    behind, total = first_behind(corpus, f, page=PAGE, period=period, granularity=gran, actors=(picked_actor,))
    st.subheader(f"{total:,} documents naming {options.get(picked_actor, picked_actor)} in "
                 f"{glossary.period_name(period, gran)}{listed_words(total, behind)}")
    list_and_read(behind, key="actor_docs", corpus=corpus, page=PAGE)

findings_panel(corpus, f, gran, key="actors", heading="Findings about these actors", subject_type="actor",
               subject_ids=chosen)

st.subheader("Platforms: where the coverage says the action is")
platform_gran = timeline.at_least(gran, "quarter")  # platform mentions are sparse: at least quarterly
platforms = corpus.platform_shares(platform_gran, f, top=8)
if platforms.empty:
    st.caption("No platform mentions (the alias list's PLATFORM type).")
else:
    pchart = charts.platform_chart(platforms, corpus.events(f), corpus_order=colour_order, granularity=platform_gran)
    pevent = draw_chart(pchart, width="stretch", on_select="rerun", key="platforms_chart")
    ptable = numbers_table(charts.platform_table(platforms), "platforms_table", s.CANONICAL_NAME,
                           granularity=platform_gran, what="documents naming the platform")
    ppoints = selected_points(pevent) or ([ptable] if ptable else [])
    named = platforms[platforms[s.CANONICAL_NAME] == ppoints[0][s.CANONICAL_NAME]] if ppoints else platforms[:0]
    if not named.empty:
        period = to_timestamp(ppoints[0][s.PERIOD])
        behind = corpus.documents_behind(f, period=period, granularity=platform_gran,
                                         actors=[named[s.CANONICAL_ID].iloc[0]])
        st.subheader(f"{len(behind)} documents naming {named[s.CANONICAL_NAME].iloc[0]} in the period from "
                     f"{period:%Y-%m-%d}")
        list_and_read(behind, key="platform_docs", corpus=corpus)
    export_buttons(pchart, platforms, partial(corpus.documents_to_cite, f, actors=tuple(
        platforms[s.CANONICAL_ID].unique())), corpus, f, platform_gran, "platform mentions")

findings_panel(corpus, f, gran, key="migration", heading="Where the coverage moved: findings about platforms",
               migration=True)

# The two sections below are folded and made when opened: the pairs are the page's most costly question, and
# a network and two tables drawn on every run would slow every filter change for readers who never open them.
top_box = folded("Top actors per period: the five most named in each", "actors_top_open")
if top_box is not None:
    leading = corpus.leading_actors(gran, f, per_period=5)
    leading_view = leading.assign(**{s.PERIOD: [glossary.period_name(p, gran) for p in leading[s.PERIOD]]})
    top_box.dataframe(leading_view[[s.PERIOD, s.CANONICAL_NAME, "documents", "mentions", s.TOTAL]].rename(
        columns={s.PERIOD: "period", s.CANONICAL_NAME: "actor", "documents": "documents naming it",
                 s.TOTAL: "documents in the period"}), hide_index=True, width="stretch", height=260)


def named_together() -> tuple[str, Filters, str] | None:
    """The network of actors named together (in the year chosen) and its strongest pairs; the node clicked with
    the filters of the network and the words for its year, or None."""
    c1, c2 = st.columns(2)
    unit = c1.radio("Together in the same", ["document", "sentence"], horizontal=True, key="co_unit")
    span = corpus.filter_options()
    years = list(range(span.first.year, span.last.year + 1)) if span.first else []
    year = c2.selectbox("Year", ["all"] + years, key="co_year")
    scope = f if year == "all" else f.replace(start=max(dt.date(year, 1, 1), f.start or dt.date(year, 1, 1)),
                                              end=min(dt.date(year, 12, 31), f.end or dt.date(year, 12, 31)))
    pairs = corpus.actor_pairs(scope, unit=unit, min_count=2)
    net_event = draw_chart(charts.network_chart(pairs.head(80)), width="stretch", on_select="rerun", key="network")
    pmi = glossary.term("pmi")
    st.dataframe(pairs.head(30)[["a_name", "b_name", s.COUNT, "pmi"]].rename(
        columns={"a_name": "actor", "b_name": "with", s.COUNT: f"{unit}s naming both"}), hide_index=True,
        width="stretch", height=min(240, 38 + 35 * len(pairs.head(30))),
        column_config={"pmi": st.column_config.NumberColumn(pmi.name, help=pmi.means, format="%.2f")})
    st.caption(f"“{escape_markdown(pmi.name.capitalize())}”: {escape_markdown(pmi.means)}")
    picked_nodes = selected_points(net_event)
    if not picked_nodes:
        return None
    return picked_nodes[0].get("name"), scope, "" if year == "all" else f" in {year}"


together_box = folded("Who is named together: a network of the actors named in the same documents or sentences",
                      "actors_together_open")
node = None
if together_box is not None:
    with together_box:
        node = named_together()
if node is not None:  # listed under the section: a document's reading view has folded parts of its own
    name, scope, in_year = node
    named, total = first_behind(corpus, scope, page=PAGE, actors=(name,), actor_key=s.CANONICAL_NAME)
    st.subheader(f"{total:,} documents naming {name}{in_year}{listed_words(total, named)}")
    list_and_read(named, key="net_docs", corpus=corpus, page=PAGE)
