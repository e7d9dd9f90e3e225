"""Amplification: which accounts post the same thing within seconds of each other (coordination), who posted a
text or link first and who followed (cascades), and which hashtags, sites and accounts travel (traces over time).

Every number comes from the Corpus (coordination, cascades, trace_trends); the documents behind any row are one
click away in the reading view."""

from __future__ import annotations

from functools import partial

import streamlit as st

from analytics import charts_amplification as charts
from analytics.amplification import WHAT_A_GROUP_IS, CoordinationParams
from analytics.app.chart_draw import draw_chart
from analytics.app.frame import PAGES_DIR
from analytics.app.reading import escape_markdown, list_and_read
from analytics.app.selection import selected_points
from analytics.app.sidebar import sidebar_filters
from analytics.app.state import corpus_or_stop
from analytics.app.tables import csv_button, flat
from analytics.config import SETTINGS, setting
from analytics.errors import NarrativeError

TREND_KINDS = {"hashtag": "hashtags", "domain": "sites (domains of links)", "url": "links", "mention": "mentions"}
CASCADE_KINDS = {"text": "near-identical texts", "url": "links", "hashtag": "hashtags"}
TOP_CASCADES = 25

corpus = corpus_or_stop()
f, gran = sidebar_filters(corpus)
st.title("Amplification")
st.caption("Who posted it first, who copied, which accounts act in concert.")
view = corpus.posts_in_view(f)
if view.timed == 0:
    st.info(f"None of the {view.documents:,} documents in view has a time of day, so who posted first and who "
            "posted together cannot be worked out here: that needs posts with their times, as social-media "
            "exports give them.")
    if view.with_traces == 0 and view.near_duplicates == 0:
        st.stop()
else:
    st.caption(f"{view.documents:,} posts in view from {view.accounts:,} accounts: {view.timed:,} with a time of "
               f"day, {view.with_traces:,} with a link, hashtag or mention, {view.near_duplicates:,} near-identical "
               "copies of another post.")

# -- coordination --------------------------------------------------------------------------------------------------
if view.timed:
    st.subheader("Accounts that post together")
    st.caption(WHAT_A_GROUP_IS)
    c1, c2 = st.columns(2)
    window = c1.number_input("Posting together means within (seconds)", min_value=1, max_value=1799,
                             value=int(setting("coordination_window")), step=10, key="amp_window",
                             help=SETTINGS["coordination_window"].help)
    repeats = c2.number_input("Times posting together before a pair is tested", min_value=1, max_value=50,
                              value=int(setting("min_repeats")), key="amp_repeats", help=SETTINGS["min_repeats"].help)
    with st.expander("More settings of the test"):
        d1, d2, d3 = st.columns(3)
        null_window = d1.number_input("Chance model's span (seconds)", min_value=60, max_value=86_400,
                                      value=int(setting("null_window")), step=60, key="amp_null",
                                      help=SETTINGS["null_window"].help)
        crowd = d2.number_input("Crowd limit (accounts)", min_value=2, max_value=10_000,
                                value=int(setting("crowd_limit")), key="amp_crowd", help=SETTINGS["crowd_limit"].help)
        methods = list(SETTINGS["cluster_method"].choices)
        method = d3.selectbox("Grouping", methods, index=methods.index(setting("cluster_method")), key="amp_method",
                              help=SETTINGS["cluster_method"].help)
    try:
        params = CoordinationParams(coordination_window=window, min_repeats=repeats, null_window=null_window,
                                    crowd_limit=crowd, cluster_method=method)
    except NarrativeError as exc:
        st.error(exc.user_message())
        st.stop()
    found = corpus.coordination(f, params)
    st.markdown(escape_markdown(found.summary))
    for sentence in found.sentences:
        st.markdown("- " + escape_markdown(sentence))
    if found.network.number_of_edges():
        everything = st.toggle("Also draw the pairs that did not pass the test", key="amp_untested")
        picked = selected_points(draw_chart(charts.network_chart(found.network, significant_only=not everything),
                                                 width="stretch", on_select="rerun", key="amp_network"))
        if picked:
            account = str(picked[0].get("account"))
            behind = found.evidence(account=account)
            st.markdown(f"**{len(behind)} posts of {escape_markdown(account)} behind the pairs that passed**")
            list_and_read(corpus.documents_behind(f, ids=behind), key="amp_account_docs", corpus=corpus)
    if len(found.clusters):
        groups = flat(found.clusters.assign(shared_items=found.clusters["shared_items"].map(
            lambda items: [found.readable(i) for i in items]))).assign(group=found.clusters["cluster"] + 1)
        groups = groups[["group", "n_accounts", "accounts", "n_documents", "moments", "first_seen", "last_seen",
                         "score", "q_value", "shared_items"]]
        st.markdown("**Groups** (click a row for the posts behind it)")
        event = st.dataframe(groups, key="amp_groups", hide_index=True, width="stretch", on_select="rerun",
                             selection_mode="single-row",
                             column_config={"n_accounts": "accounts in it", "n_documents": "posts",
                                            "moments": "moments together", "score": st.column_config.NumberColumn(
                                                "times chance", format="%.0f"),
                                            "q_value": st.column_config.NumberColumn("q-value", format="%.1e")})
        rows = event.selection.rows if event and event.selection else []
        if rows:
            number = int(groups.iloc[rows[0]]["group"]) - 1
            behind = found.evidence(cluster=number)
            st.markdown(f"**The {len(behind)} posts behind group {number + 1}**, in posting order")
            list_and_read(corpus.documents_behind(f, ids=behind), key="amp_group_docs", corpus=corpus)
    with st.expander("Export the groups, the pairs and the network"):
        e1, e2, e3, e4, e5 = st.columns(5)
        with e1:
            csv_button(found.clusters, "Groups (CSV)", "coordination-groups.csv", "amp_groups_csv")
        with e2:
            csv_button(found.pairs, "Pairs (CSV)", "coordination-pairs.csv", "amp_pairs_csv")
        with e3:
            csv_button(found.result.crowds, "Crowds set aside (CSV)", "coordination-crowds.csv", "amp_crowds_csv")
        for col, fmt, mime in ((e4, "gexf", "application/gexf+xml"), (e5, "graphml", "application/graphml+xml")):
            col.download_button(f"Network ({fmt.upper()})", partial(corpus.coordination_network, fmt, f, params),
                                file_name=f"coordination-network.{fmt}", mime=mime, key=f"amp_{fmt}")
        st.caption("GEXF and GraphML open in Gephi (and networkx): accounts with their posts, group and source type; "
                   "every tested pair with how often it posted together, its p- and q-value and what it shared.")

# -- cascades ------------------------------------------------------------------------------------------------------
st.subheader("Cascades: who posted it first, who followed")
kinds = st.multiselect("Cascades of", list(CASCADE_KINDS), default=["text", "url"], format_func=CASCADE_KINDS.get,
                       key="amp_cascade_kinds")
cascades = corpus.cascades(f, kinds=tuple(kinds), top=TOP_CASCADES) if kinds else None
if cascades is None or cascades.table.empty:
    st.caption("No text, link or hashtag of these kinds was posted by two accounts or more.")
else:
    st.caption(f"{cascades.total:,} cascades; the {len(cascades.table)} that reached most accounts are drawn, first "
               "posted at the top. A large dot is the first post; colours are themes. Click a dot for the posts.")
    if view.timed == 0:
        st.caption("These documents have no time of day: posts of the same day are ordered by id, not by time.")
    picked = selected_points(draw_chart(charts.cascades_chart(cascades.events), width="stretch",
                                             on_select="rerun", key="amp_cascades"))
    names = dict(zip(cascades.table["cascade_id"], cascades.table["what"], strict=True))
    listed = st.selectbox("Read the posts of a cascade", list(names), index=None, key="amp_cascade_pick",
                          format_func=lambda k: f"{k.split(':', 1)[0]}: {names[k][:90]}",
                          placeholder="click a dot above, or choose a cascade here")
    table = flat(cascades.table)[["what", "item_kind", "first_account", "first_seen", "hours", "n_accounts",
                                  "n_documents", "source_types", "theme_label", "followers"]]
    st.dataframe(table, hide_index=True, width="stretch", height=260,
                 column_config={"what": "what was posted", "item_kind": "kind", "first_account": "first posted by",
                                "hours": st.column_config.NumberColumn("hours first to last", format="%.1f"),
                                "n_accounts": "accounts", "n_documents": "posts", "theme_label": "theme"})
    csv_button(partial(lambda k: corpus.cascades(f, kinds=k).table, tuple(kinds)),
               f"All {cascades.total:,} cascades (CSV)", "cascades.csv", "amp_cascades_csv")
    pick = str(picked[0]["cascade_id"]) if picked else listed
    if pick in names:
        chosen = cascades.table.set_index("cascade_id").loc[pick]
        st.markdown(f"**{escape_markdown(chosen['what'][:120])}**: first posted by "
                    f"{escape_markdown(str(chosen['first_account']))}, then {len(chosen['followers'])} other "
                    f"accounts over {chosen['hours']:.1f} hours ({chosen['n_documents']} posts, in posting order).")
        if chosen["theme_label"]:
            st.page_link(PAGES_DIR / "explorer.py", label=f"Theme: {chosen['theme_label']}",
                         icon=":material/manage_search:", query_params={"topic": str(int(chosen["theme"]))})
        list_and_read(corpus.documents_behind(f, ids=chosen["doc_ids"]), key="amp_cascade_docs", corpus=corpus)

# -- traces over time ----------------------------------------------------------------------------------------------
st.subheader("Hashtags, sites, links and mentions over time")
kind = st.radio("Show", list(TREND_KINDS), format_func=TREND_KINDS.get, horizontal=True, key="amp_trend_kind")
trends = corpus.trace_trends(kind, gran, f, top=8, finer_if_needed=True)
per = trends.granularity
if per != gran:
    st.caption(f"Read per {per}: these posts span too few {gran}s to compare the latest ones with those before.")
if trends.shares.empty:
    st.caption(f"No {TREND_KINDS[kind]} in these posts.")
else:
    draw_chart(charts.trace_shares_chart(trends.shares, kind, f"Share of posts per {per}"), width="stretch")
    st.caption(f"The 8 {TREND_KINDS[kind]} carried by most posts; each point is the posts of the {per} that carry "
               f"it, out of all posts of the {per} (hover for the counts).")
    csv_button(trends.shares, "Shares per period (CSV)", f"{kind}-shares.csv", "amp_shares_csv")
    with st.expander(f"Top {TREND_KINDS[kind]} of each {per}"):
        st.dataframe(trends.top_per_period, hide_index=True, width="stretch", height=260,
                     column_config={"count": "posts", "total": f"posts in the {per}",
                                    "share": st.column_config.NumberColumn(format="%.3f")})
        csv_button(trends.top_per_period, "Top per period (CSV)", f"{kind}-top.csv", "amp_top_csv")
    changes = trends.changes
    passed = changes[changes["significant"].astype(bool)]
    if changes.empty:
        st.caption("Too few periods or posts to test which ones rose or fell lately.")
    elif passed.empty:
        st.caption(f"None of the {len(changes)} {TREND_KINDS[kind]} tested rose or fell lately beyond chance "
                   f"({changes.iloc[0]['after_label']} against {changes.iloc[0]['before_label']}).")
    else:
        st.markdown("**Rising and falling** (tested; q-values over all of them)")
        for sentence in passed["sentence"]:
            st.markdown("- " + escape_markdown(sentence))
        which = st.selectbox("Read the posts behind", list(passed["subject"]), key="amp_change_pick")
        ids = passed.set_index("subject").loc[which, "doc_ids"]
        list_and_read(corpus.documents_behind(f, ids=ids), key="amp_change_docs", corpus=corpus)
    csv_button(changes, "Tests of rising and falling (CSV)", f"{kind}-changes.csv", "amp_changes_csv")
