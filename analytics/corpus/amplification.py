"""Amplification: who posted it first and who followed (cascades), which accounts keep posting the same thing
within seconds of each other (coordination), and which hashtags, sites and accounts travel (traces over time).

Posts and their traces are read from the store under the filters; `analytics.amplification` works them out; the
answers come back labelled with the corpus's themes and with the documents behind every row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from .. import amplification as amp
from .. import findings as engine
from .. import schema as s
from .. import store, timeline
from ..amplification import contracts as c
from ..amplification.settings import CoordinationParams
from ..config import setting
from ..filters import Filters
from .base import CorpusBase, KeptFrames

CASCADE_KINDS = (c.TEXT, c.URL, c.HASHTAG)
TREND_KINDS = (c.HASHTAG, c.DOMAIN, c.URL, c.MENTION)

# The posts under a set of filters, kept for the store version they were read from: the trace trends of each kind
# (hashtags, domains, links, mentions) count out of every dated post, and reading 100,000 posts costs 0.05-0.1 s.
# The other questions read only the posts they need (`_carriers`) or count in the store.
POSTS_KEPT = 4
_POSTS = KeptFrames(POSTS_KEPT)


@dataclass(frozen=True)
class PostsInView:
    """What the amplification views have to work with under the filters."""

    documents: int  # dated documents
    timed: int  # of them, posted at a known time of day (who was first, and who posted together, need it)
    with_traces: int  # carrying a link, hashtag, mention, retweet or forward
    near_duplicates: int  # in a cluster of near-identical texts
    accounts: int  # sources (accounts, channels) among the dated documents


@dataclass(frozen=True)
class Cascades:
    """Cascades, largest reach first, and the posts of each in posting order.

    table: cascade_id, item_kind, item_value, what (the link, the hashtag, or the opening of the first text),
    first_doc, first_account, first_source_type, first_seen, last_seen, hours, n_documents, n_accounts, n_sources,
    n_source_types, source_types, followers (accounts in the order they joined), themes (ids, most frequent
    first), theme (the most frequent real theme; -1 all outliers; missing without a fit), theme_label, doc_ids.
    events: one row per post of the listed cascades: cascade_id, doc_id, account, source, source_type, date, rank
    (1 = first), hours_since_first, new_account, topic_id, theme_label, item_kind, item_value, what.
    """

    table: pd.DataFrame
    events: pd.DataFrame
    total: int  # cascades found before `top` cut the list


@dataclass(frozen=True)
class CoordinationFound:
    """The coordination search on the posts under the filters: the result (pairs, groups, the co-posts behind
    them, crowds set aside, untimed posts counted), the network of tested pairs (significant or not; nodes carry
    activity, group, source type), and the plain-words summary and one sentence per group."""

    result: amp.Coordination
    network: nx.Graph
    summary: str
    sentences: tuple[str, ...]
    texts: dict[str, str] = field(default_factory=dict)  # a shared text item ("text:<id>") → its opening words

    @property
    def clusters(self) -> pd.DataFrame:
        """One row per group of coordinated accounts (cluster, accounts, shared items, first and last seen,
        documents, score, p- and q-value, doc_ids)."""
        return self.result.clusters

    @property
    def pairs(self) -> pd.DataFrame:
        """Every tested pair of accounts, most significant first."""
        return self.result.pairs

    def readable(self, item: str) -> str:
        """A shared item as a reader can read it: a text by its opening words (its id means nothing to a
        person), a link, hashtags or a mention as they are."""
        opening = self.texts.get(str(item))
        return f"{c.TEXT}: “{opening}”" if opening is not None else str(item)

    def as_json(self, with_pairs: bool = True) -> list[dict]:
        """The groups with the keys of `narrative coordination --json`, and each shared text's opening words
        (`shared_texts`: item → opening)."""
        groups = amp.clusters_json(self.result, with_pairs=with_pairs)
        for group in groups:
            group["shared_texts"] = {item: self.texts[item] for item in group[c.SHARED_ITEMS] if item in self.texts}
        return groups

    def evidence(self, account: str | None = None, cluster: int | None = None) -> list[str]:
        """Ids of the posts behind the significant pairs (of one account, or of one group), by date."""
        co = self.result.co_posts
        pairs = self.result.pairs
        keep = pairs[pairs[c.SIGNIFICANT].astype(bool)]
        if cluster is not None:
            keep = keep[keep[c.CLUSTER] == cluster]
        co = co.merge(keep[[c.ACCOUNT_A, c.ACCOUNT_B]], on=[c.ACCOUNT_A, c.ACCOUNT_B])
        sides = pd.concat([co[[c.ACCOUNT_A, "doc_a", "date_a"]].set_axis(["account", "doc", "date"], axis=1),
                           co[[c.ACCOUNT_B, "doc_b", "date_b"]].set_axis(["account", "doc", "date"], axis=1)])
        if account is not None:
            sides = sides[sides["account"] == account]
        return sides.drop_duplicates("doc").sort_values(["date", "doc"])["doc"].astype(str).tolist()


@dataclass(frozen=True)
class TraceTrends:
    """One kind of trace (hashtag, domain, url, mention) over time.

    shares: period, value, count (posts carrying it), total (dated posts in the period), share, ci_low, ci_high —
    for the `top` values over the whole span. top_per_period: period, rank, value, count, total, share.
    changes: each value's share in the latest periods against the same number before, tested by the findings
    engine's window test with one Benjamini–Hochberg correction over the values (a findings table: kind emerging or
    fading, subject, counts, p_value, q_value, significant, doc_ids, sentence).
    """

    kind: str
    granularity: str
    shares: pd.DataFrame
    top_per_period: pd.DataFrame
    changes: pd.DataFrame


class AmplificationQueries(CorpusBase):
    """Cascades, coordination and traces over time, under the filters."""

    def _posts(self, filters: Filters | None) -> pd.DataFrame:
        """The dated posts under the filters: id, date, source, source_type (kept per store version: see
        POSTS_KEPT)."""
        def read() -> pd.DataFrame:
            with self._read() as con:
                return store.post_dates(con, store.scope(filters, self._run_id(con)))

        return _POSTS.get((str(self.path.resolve()), self.stamp(), filters or Filters()), read)

    def _carriers(self, filters: Filters | None, trace_kinds: list[str], copies: bool
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The dated posts under the filters that can carry an item of a cascade or of the coordination search
        (a trace of these kinds, or with `copies` a near-duplicate link), with their theme, and those traces."""
        with self._read() as con:
            run_id = self._run_id(con)
            carrying = store.carrying(store.scope(filters, run_id), trace_kinds, copies)
            # "none" reads no trace at all (cascades of texts alone)
            return store.posts(con, carrying, run_id), store.post_traces(con, carrying, trace_kinds or ["none"])

    def posts_in_view(self, filters: Filters | None = None) -> PostsInView:
        """How many dated documents there are under the filters, how many have a time of day, traces, near-identical
        copies, and how many accounts posted them."""
        # Counted in the store: reading every post to count them cost a second at a million documents. Only the
        # posts in a near-duplicate link are read, for the clusters (links may run outside the filters).
        with self._read() as con:
            where = store.scope(filters, self._run_id(con))
            counts = store.post_counts(con, where, c.UNTIMED_PRECISIONS)
            linked = store.near_duplicate_links(con, where)
        return PostsInView(documents=counts["documents"], timed=counts["timed"], with_traces=counts["with_traces"],
                           near_duplicates=len(amp.near_duplicate_clusters(linked)), accounts=counts["accounts"])

    def cascades(self, filters: Filters | None = None, kinds: tuple[str, ...] = CASCADE_KINDS,
                 min_accounts: int | None = None, top: int | None = None) -> Cascades:
        """Every near-identical text, link and hashtag (`kinds`) posted by at least `min_accounts` accounts: who
        posted it first, who followed and when, how far it went, and its themes; the `top` by reach."""
        min_accounts = int(min_accounts or setting("min_cascade_accounts"))
        posts, traces = self._carriers(filters, [k for k in kinds if k in c.TRACE_KINDS], copies=c.TEXT in kinds)
        assignments = posts.loc[posts[s.TOPIC_ID].notna(), [s.ID, s.TOPIC_ID]].rename(columns={s.ID: s.DOC_ID})
        events = amp.cascade_events(posts, traces, assignments.astype({s.TOPIC_ID: int}), kinds,
                                    min_accounts=min_accounts)
        table = amp.cascades_from_events(events)
        total = len(table)
        if top is not None:
            table = table.head(top)
            events = events[events[c.CASCADE_ID].isin(table[c.CASCADE_ID])]
        labels = self.labels()
        what = self._what(table)
        table = table.assign(theme_label=table["theme"].map(lambda t: labels.get(int(t), "") if pd.notna(t) else ""),
                             what=table[c.CASCADE_ID].map(what))
        events = events.assign(
            theme_label=events[s.TOPIC_ID].map(lambda t: labels.get(int(t), "") if pd.notna(t) else "no theme"),
            what=events[c.CASCADE_ID].map(what))
        return Cascades(table.reset_index(drop=True), events.reset_index(drop=True), total)

    def _what(self, table: pd.DataFrame) -> dict[str, str]:
        """What each cascade carried, for a reader: the link or hashtag, or the opening of its first text."""
        texts = table[table[c.ITEM_KIND] == c.TEXT]
        with self._read() as con:
            openings = store.openings(con, texts["first_doc"], chars=120).set_index(s.ID)["opening"]
        return {cid: (openings.get(first, "") if kind == c.TEXT else str(value))
                for cid, kind, value, first in zip(table[c.CASCADE_ID], table[c.ITEM_KIND], table[c.ITEM_VALUE],
                                                   table["first_doc"], strict=True)}

    def coordination(self, filters: Filters | None = None, params: CoordinationParams | None = None
                     ) -> CoordinationFound:
        """Pairs and groups of accounts that post the same links, near-identical texts or hashtag sequences within
        seconds of each other more often than chance gives (`analytics.amplification.coordination`), on the posts
        under the filters; accounts are sources (the account or channel that posted)."""
        params = params or CoordinationParams()
        trace_kinds = [k for k in c.TRACE_KINDS if k in params.kinds or (k == c.HASHTAG and c.HASHTAGS in params.kinds)]
        posts, traces = self._carriers(filters, trace_kinds, copies=c.TEXT in params.kinds)
        with self._read() as con:
            per_account = store.posts_per_account(con, store.scope(filters, self._run_id(con)))
        # every post of an account counts in its activity and its source type, not only those carrying an item
        activity = per_account.groupby(s.SOURCE)["posts"].sum().rename("posts")
        result = amp.coordination(posts, traces, params, activity=activity)
        network = amp.coordination_graph(result, significant_only=False,
                                         source_types=amp.main_source_types(per_account))
        return CoordinationFound(result, network, amp.coordination_summary(result),
                                 tuple(amp.cluster_sentences(result)), self._shared_texts(result))

    def _shared_texts(self, result: amp.Coordination) -> dict[str, str]:
        """The opening words of each near-identical text the groups shared (a text item is named by the id of
        its cluster's original post)."""
        prefix = f"{c.TEXT}:"
        items = {str(i) for shared in result.clusters[c.SHARED_ITEMS] for i in shared if str(i).startswith(prefix)}
        if not items:
            return {}
        with self._read() as con:
            openings = store.openings(con, [i.removeprefix(prefix) for i in items], chars=100)
        return {prefix + str(doc): str(text) for doc, text in zip(openings[s.ID], openings["opening"], strict=True)}

    def coordination_network(self, fmt: str, filters: Filters | None = None,
                             params: CoordinationParams | None = None) -> bytes:
        """The coordination network (accounts, tested pairs) as a GEXF or GraphML file for Gephi."""
        return amp.network_bytes(self.coordination(filters, params).network, fmt)

    def trace_trends(self, kind: str, granularity: str, filters: Filters | None = None, top: int = 10,
                     per_period: int = 10, finer_if_needed: bool = False) -> TraceTrends:
        """How many posts carry each hashtag, domain, link or mention per period, out of all dated posts; the top
        ones per period; and the ones whose share rose or fell in the latest periods, tested. With
        `finer_if_needed`, a shorter period is used when the posts span too few periods of `granularity` to
        compare the latest ones with those before (a week of posts is read by day)."""
        timeline.check_granularity(granularity)
        if kind not in TREND_KINDS:
            raise c.input_error("traces", f"unknown trace kind {kind!r}", f"use one of {', '.join(TREND_KINDS)}")
        with self._read() as con:
            where = store.scope(filters, self._run_id(con))
            traces = store.post_traces(con, where, [kind])
            span = store.date_range(con, where)
        # Without a trace of the kind there is nothing to count or test, and the posts (a million of them, read for
        # the denominators) are not read: the answer is the same empty one.
        posts = self._posts(filters) if len(traces) else _no_posts()
        if finer_if_needed:
            granularity = _periods_enough(pd.Series([d for d in span if d is not None], dtype="datetime64[us]"),
                                          granularity)
        shares = amp.trace_shares(posts, traces, kind, granularity, top=top)
        per = amp.top_per_period(posts, traces, kind, granularity, n=per_period)
        carriers = traces[[s.DOC_ID, c.VALUE]].drop_duplicates()
        items = pd.DataFrame({s.DOC_ID: carriers[s.DOC_ID].to_numpy(), "subject_type": kind,
                              "subject": carriers[c.VALUE].to_numpy(), "subject_id": carriers[c.VALUE].to_numpy()})
        found = engine.run(posts[[s.ID, s.DATE, s.SOURCE, s.SOURCE_TYPE]], items, None, granularity,
                           engine.FindingsSettings(kinds=("emerging", "fading")))
        changes = engine.findings_frame(found)
        if changes.empty:
            changes = pd.DataFrame(columns=[*engine.JSON_KEYS, "sentence"])
        return TraceTrends(kind, granularity, shares, per, changes)


def _no_posts() -> pd.DataFrame:
    """An empty posts frame with the columns the trace trends read."""
    return pd.DataFrame({s.ID: pd.Series(dtype=object), s.DATE: pd.Series(dtype="datetime64[us]"),
                         s.SOURCE: pd.Series(dtype=object), s.SOURCE_TYPE: pd.Series(dtype=object)})


def _periods_enough(dates: pd.Series, granularity: str) -> str:
    """`granularity`, or the coarsest finer one whose periods are enough for the emerging/fading comparison (twice
    the findings engine's window); day when none is."""
    needed = 2 * engine.FindingsSettings().emerging_window_periods
    if dates.empty:
        return granularity
    order = list(s.GRANULARITIES)
    for candidate in reversed(order[:order.index(granularity) + 1]):
        if len(timeline.all_periods(dates.min(), dates.max(), candidate)) >= needed:
            return candidate
    return order[0]
