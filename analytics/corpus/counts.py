"""Numbers over time: documents, theme shares, actors, platforms, pairs, sources × themes — each counted in the
store over the documents the filters let through, and turned into shares by `timeline`."""

from __future__ import annotations

import duckdb
import pandas as pd

from .. import schema as s
from .. import search_index, store, timeline
from ..filters import Filters
from .base import CorpusBase

THEME_COLUMNS = [s.PERIOD, s.TOPIC_ID, s.LABEL, s.COUNT, s.TOTAL, s.SHARE, s.CI_LOW, s.CI_HIGH, s.THIN,
                 s.INCOMPLETE, s.PERIODS_POOLED]


class CountQueries(CorpusBase):
    """Counts per period and their shares."""

    def volume(self, granularity: str, filters: Filters | None = None, by: str | None = None) -> pd.DataFrame:
        """Dated documents per period (per value of `by`: source, source_type or language), every period of the
        span, gaps as 0: period, [by], count."""
        timeline.check_granularity(granularity)
        with self._read() as con:
            where = store.scope(filters, self._run_id(con))
            counts = store.period_counts(con, granularity, where, by)
            first, last = store.date_range(con, where)
        if counts.empty:
            return pd.DataFrame(columns=[s.PERIOD] + ([by] if by else []) + [s.COUNT])
        return timeline.complete_periods(counts, granularity, first, last, by)

    def term_over_time(self, query: str, granularity: str, filters: Filters | None = None) -> pd.DataFrame:
        """Attention over time (Media Cloud's measure): per period, the dated documents whose title or text holds
        every word of `query`, over all dated documents of the period under the filters, with the 95 % Wilson
        interval and the thin/incomplete flags; a period without documents has share NaN (a gap, not 0 %). The
        words are matched as `search` matches them (an Arabic-script word with its proclitics, varied letters and
        the alias list's other spellings), so the chart counts the documents the search lists.
        Columns: period, label, count, total, share, ci_low, ci_high, thin, incomplete, periods_pooled."""
        from ..languages import has_arabic, substring_pattern

        timeline.check_granularity(granularity)
        columns = [s.PERIOD, s.LABEL, *THEME_COLUMNS[3:]]
        if not query.split():
            return pd.DataFrame(columns=columns)
        aliases = self.alias_spellings() if has_arabic(query) else ()
        patterns = [substring_pattern(word, aliases) for word in query.split()]
        with self._read() as con:
            where = store.scope(filters, self._run_id(con))
            totals = store.period_counts(con, granularity, where)
            with store.words_scope(con, where, patterns, search_index.term_patterns(query, aliases),
                                   search_index.MAX_SHARE) as found:
                hits = store.period_counts(con, granularity, found)
            first, last = store.date_range(con, where)
        if totals.empty:
            return pd.DataFrame(columns=columns)
        both = totals.merge(hits, on=s.PERIOD, how="left", suffixes=("_all", "")).fillna({s.COUNT: 0})
        # "holds the words" (1) and "does not" (0) as two themes: the shares, intervals and flags of the themes.
        counts = pd.concat([both[[s.PERIOD]].assign(**{s.TOPIC_ID: 1, s.COUNT: both[s.COUNT].astype(int)}),
                            both[[s.PERIOD]].assign(**{s.TOPIC_ID: 0, s.COUNT: (both["count_all"] - both[s.COUNT])
                                                       .astype(int)})], ignore_index=True)
        table = timeline.share_table(counts, granularity, first, last)
        table = table[table[s.TOPIC_ID] == 1].drop(columns=s.TOPIC_ID).reset_index(drop=True)
        table.insert(1, s.LABEL, f"“{' '.join(query.split())}”")
        return table[columns]

    def theme_sizes(self, filters: Filters | None = None, top: int | None = None,
                    outliers: bool = False) -> pd.DataFrame:
        """Dated documents per theme under the filters, largest first: topic_id, label, documents (the outliers'
        row only with `outliers`)."""
        with self._read() as con:
            run_id = self._run_id(con)
            if run_id is None:
                return pd.DataFrame(columns=[s.TOPIC_ID, s.LABEL, "documents"])
            counts = store.theme_counts(con, run_id, store.scope(filters, run_id))
        if not outliers:
            counts = counts[counts[s.TOPIC_ID] != s.OUTLIER_TOPIC]
        sizes = counts.rename(columns={s.COUNT: "documents"}).sort_values(
            ["documents", s.TOPIC_ID], ascending=[False, True], ignore_index=True)
        sizes.insert(1, s.LABEL, sizes[s.TOPIC_ID].map(self.labels()))
        return sizes.head(top) if top else sizes

    def theme_shares(self, granularity: str, filters: Filters | None = None, smooth: int = 1,
                     top: int | None = None, keep: list[int] | None = None) -> pd.DataFrame:
        """Each theme's share of the dated documents per period, with its count, the period's total, the 95 %
        Wilson interval and the thin/incomplete flags; periods with no documents kept, with share NaN (a gap).

        `smooth` > 1 pools a centred window of that many periods: counts and totals are summed, and the share and
        its interval both come from the pooled counts (`periods_pooled` says over how many). `top` keeps the
        largest themes by name and draws the rest as 'Other themes' (topic id -2); `keep` names them instead.
        The outliers (topic id -1) are always a row of their own. Columns: period, topic_id, label, count, total,
        share, ci_low, ci_high, thin, incomplete, periods_pooled.
        """
        timeline.check_granularity(granularity)
        with self._read() as con:
            run_id = self._run_id(con)
            if run_id is None:
                return pd.DataFrame(columns=THEME_COLUMNS)
            where = store.scope(filters, run_id)
            counts = store.theme_counts(con, run_id, where, granularity)
            first, last = store.date_range(con, where)
        if keep is None and top:
            live = counts[counts[s.TOPIC_ID] != s.OUTLIER_TOPIC].groupby(s.TOPIC_ID)[s.COUNT].sum()
            keep = live.sort_values(ascending=False, kind="stable").index[:top].tolist()
        table = timeline.share_table(timeline.fold_themes(counts, keep), granularity, first, last, smooth)
        table.insert(2, s.LABEL, table[s.TOPIC_ID].map(self.labels()))
        return table[THEME_COLUMNS]

    def actors(self, filters: Filters | None = None, top: int | None = None,
               labels: tuple[str, ...] | None = None) -> pd.DataFrame:
        """Actors named in the dated documents under the filters, most documents first: canonical_id,
        canonical_name, label (its type), documents naming it, mentions."""
        with self._read() as con:
            return store.actor_totals(con, store.scope(filters, self._run_id(con)), labels=labels, top=top)

    def actor_counts(self, granularity: str, filters: Filters | None = None,
                     labels: tuple[str, ...] | None = None, actors: tuple[str, ...] | None = None) -> pd.DataFrame:
        """Per period and actor (only these canonical ids with `actors`): mentions, documents naming it, documents
        in the period (total), the document share and its Wilson interval; every period of the span (a gap: share
        NaN). Every actor times every period is a large table where posts name hundreds of thousands of accounts:
        ask for the actors you will show."""
        timeline.check_granularity(granularity)
        with self._read() as con:
            where = store.scope(filters, self._run_id(con))
            counts = store.actor_period_counts(con, granularity, where, labels=labels, canonical_ids=actors)
            totals = self._period_totals(con, granularity, where)
        return timeline.actor_share_table(counts, totals)

    def _period_totals(self, con: duckdb.DuckDBPyConnection, granularity: str, where: store.Scope) -> pd.DataFrame:
        """Dated documents per period of the scope, every period of its span (period, total)."""
        totals = store.period_counts(con, granularity, where)
        if totals.empty:
            return totals.rename(columns={s.COUNT: s.TOTAL})
        first, last = store.date_range(con, where)
        return timeline.complete_periods(totals, granularity, first, last).rename(columns={s.COUNT: s.TOTAL})

    def platform_shares(self, granularity: str, filters: Filters | None = None,
                        top: int | None = None) -> pd.DataFrame:
        """The migration view: each platform's (PLATFORM actors') mentions as a share of all platform mentions of
        the period, with its interval; only the `top` platforms by mentions when given."""
        table = timeline.platform_share_table(self.actor_counts(granularity, filters, ("PLATFORM",)))
        if top and not table.empty:
            biggest = table.groupby(s.CANONICAL_ID)["mentions"].sum().sort_values(ascending=False).index[:top]
            table = table[table[s.CANONICAL_ID].isin(biggest)].reset_index(drop=True)
        return table

    def leading_actors(self, granularity: str, filters: Filters | None = None, per_period: int = 5) -> pd.DataFrame:
        """The actors named in the most documents of each period (at most `per_period`, none named in no
        document; ties by mentions): actor_counts' columns. Chosen in the store, so a corpus naming hundreds of
        thousands of accounts is never laid out as every actor times every period."""
        timeline.check_granularity(granularity)
        with self._read() as con:
            where = store.scope(filters, self._run_id(con))
            counts = store.actor_period_counts(con, granularity, where, per_period=per_period)
            totals = self._period_totals(con, granularity, where)
        return timeline.named_share_table(counts, totals)

    def actor_pairs(self, filters: Filters | None = None, unit: str = "document", granularity: str | None = None,
                    min_count: int = 2, per_period: int | None = None) -> pd.DataFrame:
        """Actors named together in the same document (or sentence), per period when `granularity` is given: a,
        b, their names, count, PMI and the units counted; most frequent first (the first `per_period` of each)."""
        with self._read() as con:
            rows = store.actor_incidence_codes(con, store.scope(filters, self._run_id(con)), unit, granularity)
            counts = timeline.pair_code_counts(rows, min_count=min_count)
            # only the actors of the pairs kept are named: the rows name hundreds of thousands of accounts
            actors = store.actor_names(con, pd.concat([counts["a"], counts["b"]]))
        pairs = timeline.pmi_table(timeline.named_pairs(counts, actors))
        return pairs.groupby(s.PERIOD).head(per_period).reset_index(drop=True) if per_period else pairs

    def share_of_voice(self, filters: Filters | None = None, by: str = s.SOURCE, top: int = 25,
                       themes: int | None = None) -> pd.DataFrame:
        """Which sources (or source types) carry which themes: documents per source × theme among the `top`
        sources, with expected counts, lift, Pearson residuals and each theme's share of the source; the source
        column is named `source` whatever `by` is. With `themes`, only the largest that many themes keep their
        own column and the rest are counted together as 'Other themes' (topic id -2)."""
        with self._read() as con:
            run_id = self._run_id(con)
            if run_id is None:
                return pd.DataFrame(columns=["source", s.TOPIC_ID, s.COUNT])
            counts = store.theme_counts(con, run_id, store.scope(filters, run_id), by=by)
        biggest = counts.groupby(by)[s.COUNT].sum().sort_values(ascending=False, kind="stable").index[:top]
        if themes:
            live = counts[counts[s.TOPIC_ID] != s.OUTLIER_TOPIC].groupby(s.TOPIC_ID)[s.COUNT].sum()
            counts = timeline.fold_themes(counts, live.sort_values(ascending=False, kind="stable").index[:themes])
        table = timeline.voice_table(counts[counts[by].isin(biggest)], by)
        table.insert(2, s.LABEL, table[s.TOPIC_ID].map(self.labels()))
        return table.rename(columns={by: "source"})
