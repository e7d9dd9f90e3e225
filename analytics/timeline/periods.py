"""Periods: where each date falls, every period of a span (gaps included), documents per period and its flags."""

from __future__ import annotations

import pandas as pd

from .. import schema as s
from ..config import setting
from ..errors import UNKNOWN_GRANULARITY

MIN_DOCS_PER_PERIOD = int(setting("thin_period_documents"))  # fewer documents: the period is flagged thin
MIN_MEDIAN_DOCUMENTS = int(setting("period_median_documents"))
MAX_DEFAULT_PERIODS = int(setting("default_periods_max"))


def default_granularity(dates: pd.Series, min_median: int = MIN_MEDIAN_DOCUMENTS,
                        max_periods: int = MAX_DEFAULT_PERIODS) -> str:
    """The finest period (week, month, quarter, year) whose median period holds at least `min_median` dated
    documents and whose span has at most `max_periods` periods: a 300-document chronology over seven years reads
    by quarter, a year of a news feed by week, seven years of it by month (366 weeks would be 3 pixels each)."""
    dated = pd.to_datetime(dates.dropna())
    if dated.empty:
        return "month"
    for granularity in ("week", "month", "quarter"):
        counts = period_start(dated, granularity).value_counts()
        span = pd.date_range(counts.index.min(), counts.index.max(), freq=s.PERIOD_FREQS[granularity])
        if len(span) <= max_periods and counts.reindex(span, fill_value=0).median() >= min_median:
            return granularity
    return "year"


def thin_share(dates: pd.Series, granularity: str, min_docs: int = MIN_DOCS_PER_PERIOD) -> float:
    """The share of the span's periods (empty ones included) that hold fewer than `min_docs` dated documents."""
    dated = pd.to_datetime(dates.dropna())
    if dated.empty:
        return 1.0
    counts = period_start(dated, granularity).value_counts()
    span = pd.date_range(counts.index.min(), counts.index.max(), freq=s.PERIOD_FREQS[granularity])
    return float((counts.reindex(span, fill_value=0) < min_docs).mean())


def offered_granularities(dates: pd.Series, min_docs: int = MIN_DOCS_PER_PERIOD, max_thin: float = 0.5) -> list[str]:
    """The granularities worth offering a reader: those whose periods are not mostly thin — at most `max_thin` of
    the span's periods hold fewer than `min_docs` documents — and always the year and the default granularity.
    (Weekly periods where 356 of 361 weeks are thin draw noise, not a timeline.)"""
    default = default_granularity(dates)
    return [g for g in s.GRANULARITIES
            if g in ("year", default) or thin_share(dates, g, min_docs) <= max_thin]


def check_granularity(granularity: str) -> str:
    """The granularity, when it is one of day, week, month, quarter, year; a clear error otherwise."""
    if granularity not in s.PERIOD_FREQS:
        raise UNKNOWN_GRANULARITY.error(value=granularity, choices=", ".join(s.GRANULARITIES))
    return granularity


def at_least(granularity: str, floor: str) -> str:
    """The coarser of two granularities: what a chart of sparse counts (platform mentions, one source's themes,
    lead and lag) uses when the reader's period is finer than `floor`."""
    order = s.GRANULARITIES
    return order[max(order.index(check_granularity(granularity)), order.index(check_granularity(floor)))]


def period_start(dates: pd.Series, granularity: str) -> pd.Series:
    """The start of the period each date falls in (day, week from Monday, month, quarter, year)."""
    check_granularity(granularity)
    d = pd.to_datetime(dates)
    if granularity == "day":
        return d.dt.floor("D")
    if granularity == "week":
        return (d - pd.to_timedelta(d.dt.day_of_week, unit="D")).dt.floor("D")
    if granularity == "month":
        return d.dt.to_period("M").dt.start_time
    if granularity == "quarter":
        return d.dt.to_period("Q").dt.start_time
    return d.dt.to_period("Y").dt.start_time


def period_bounds(day: object, granularity: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The start of the period holding `day` and the start of the next one."""
    start = period_start(pd.Series([pd.Timestamp(day)]), granularity).iloc[0]
    return start, start + pd.tseries.frequencies.to_offset(s.PERIOD_FREQS[granularity])


def all_periods(start: pd.Timestamp, end: pd.Timestamp, granularity: str) -> pd.DatetimeIndex:
    """Every period from the one holding `start` to the one holding `end`, gaps included."""
    first = period_start(pd.Series([start]), granularity).iloc[0]
    last = period_start(pd.Series([end]), granularity).iloc[0]
    return pd.date_range(first, last, freq=s.PERIOD_FREQS[granularity])


def dated(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents that have a date (the timeline cannot place the others)."""
    return documents[documents[s.DATE].notna()]


def undated_count(documents: pd.DataFrame) -> int:
    """How many documents the timeline skips for want of a date."""
    return int(documents[s.DATE].isna().sum())


def volume(documents: pd.DataFrame, granularity: str = "month", by: str | None = None) -> pd.DataFrame:
    """Documents per period (optionally per value of `by`, e.g. source_type), gaps filled with zero."""
    docs = dated(documents)
    if docs.empty:
        return pd.DataFrame(columns=[s.PERIOD, by or "all", s.COUNT])
    key = docs[by].fillna("unknown") if by else pd.Series("all", index=docs.index)
    counts = docs.assign(**{s.PERIOD: period_start(docs[s.DATE], granularity), by or "all": key}).groupby(
        [s.PERIOD, by or "all"]).size().rename(s.COUNT).reset_index()
    return complete_periods(counts, granularity, docs[s.DATE].min(), docs[s.DATE].max(), by or "all")


def complete_periods(counts: pd.DataFrame, granularity: str, first: pd.Timestamp, last: pd.Timestamp,
                     by: str | None = None, value: str = s.COUNT) -> pd.DataFrame:
    """Counts per period (and per `by` value) with every period from `first` to `last`, gaps filled with zero."""
    periods = all_periods(first, last, granularity)
    keys = [s.PERIOD] + ([by] if by else [])
    levels = [periods] + ([sorted(counts[by].unique())] if by else [])
    full = pd.MultiIndex.from_product(levels, names=keys)
    frame = counts.assign(**{s.PERIOD: pd.to_datetime(counts[s.PERIOD])}).set_index(keys)[value]
    return frame.reindex(full, fill_value=0).astype(int).rename(value).reset_index()


def flags(periods: pd.Series, totals: pd.Series, granularity: str, first: pd.Timestamp, last: pd.Timestamp,
          figure_totals: pd.Series | None = None, min_docs: int = MIN_DOCS_PER_PERIOD) -> pd.DataFrame:
    """Per period: thin (the figure rests on fewer than min_docs documents: `figure_totals`, the pooled ones when
    smoothed, else the period's own), incomplete (collection starts or ends inside it, or it has no documents
    between periods that have some — a gap)."""
    periods = pd.to_datetime(periods).reset_index(drop=True)
    totals = pd.Series(totals).reset_index(drop=True)
    figure = totals if figure_totals is None else pd.Series(figure_totals).reset_index(drop=True)
    next_start = periods + pd.tseries.frequencies.to_offset(s.PERIOD_FREQS[granularity])
    partial_first = (periods == periods.min()) & (pd.Timestamp(first).normalize() > periods)
    partial_last = (periods == periods.max()) & (pd.Timestamp(last).normalize() < next_start - pd.Timedelta(days=1))
    return pd.DataFrame({s.THIN: (figure < min_docs).to_numpy(),
                         s.INCOMPLETE: (partial_first | partial_last | (totals == 0)).to_numpy()})


def period_flags(documents: pd.DataFrame, granularity: str, min_docs: int = MIN_DOCS_PER_PERIOD) -> pd.DataFrame:
    """Per period: total documents, thin (fewer than min_docs), incomplete (collection starts or ends inside it,
    or it is empty between non-empty periods — a gap)."""
    docs = dated(documents)
    vol = volume(docs, granularity).rename(columns={s.COUNT: s.TOTAL}).drop(columns="all")
    if vol.empty:
        return vol.assign(thin=pd.Series(dtype=bool), incomplete=pd.Series(dtype=bool))
    marks = flags(vol[s.PERIOD], vol[s.TOTAL], granularity, docs[s.DATE].min(), docs[s.DATE].max(),
                  min_docs=min_docs)
    return pd.concat([vol.reset_index(drop=True), marks], axis=1)
