"""Periods: where each date falls, every period of a span (gaps included), documents per period and its flags."""

from __future__ import annotations

import pandas as pd

from .. import schema as s
from ..config import setting

MIN_DOCS_PER_PERIOD = int(setting("thin_period_documents"))  # fewer documents: the period is flagged thin
MIN_MEDIAN_DOCUMENTS = int(setting("period_median_documents"))


def default_granularity(dates: pd.Series, min_median: int = MIN_MEDIAN_DOCUMENTS) -> str:
    """The finest period (week, month, quarter, year) whose median period holds at least `min_median` dated
    documents: a 300-document chronology over seven years reads by quarter, a news feed by week."""
    dated = pd.to_datetime(dates.dropna())
    if dated.empty:
        return "month"
    for granularity in ("week", "month", "quarter"):
        counts = period_start(dated, granularity).value_counts()
        span = pd.date_range(counts.index.min(), counts.index.max(), freq=s.PERIOD_FREQS[granularity])
        if counts.reindex(span, fill_value=0).median() >= min_median:
            return granularity
    return "year"


def period_start(dates: pd.Series, granularity: str) -> pd.Series:
    """The start of the period each date falls in (day, week from Monday, month, quarter, year)."""
    if granularity not in s.PERIOD_FREQS:
        raise ValueError(f"unknown granularity {granularity!r}; use one of {', '.join(s.PERIOD_FREQS)}")
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
    periods = all_periods(docs[s.DATE].min(), docs[s.DATE].max(), granularity)
    key = docs[by].fillna("unknown") if by else pd.Series("all", index=docs.index)
    counts = docs.assign(**{s.PERIOD: period_start(docs[s.DATE], granularity), "_key": key}).groupby(
        [s.PERIOD, "_key"]).size()
    full = pd.MultiIndex.from_product([periods, sorted(key.unique())], names=[s.PERIOD, by or "all"])
    return counts.reindex(full, fill_value=0).rename(s.COUNT).reset_index()


def period_flags(documents: pd.DataFrame, granularity: str, min_docs: int = MIN_DOCS_PER_PERIOD) -> pd.DataFrame:
    """Per period: total documents, thin (fewer than min_docs), incomplete (collection starts or ends inside it,
    or it is empty between non-empty periods — a gap)."""
    docs = dated(documents)
    vol = volume(docs, granularity).rename(columns={s.COUNT: s.TOTAL}).drop(columns="all")
    if vol.empty:
        return vol.assign(thin=pd.Series(dtype=bool), incomplete=pd.Series(dtype=bool))
    first, last = docs[s.DATE].min(), docs[s.DATE].max()
    freq = s.PERIOD_FREQS[granularity]
    next_start = vol[s.PERIOD] + pd.tseries.frequencies.to_offset(freq)
    partial_first = (vol[s.PERIOD] == vol[s.PERIOD].min()) & (first.normalize() > vol[s.PERIOD])
    partial_last = (vol[s.PERIOD] == vol[s.PERIOD].max()) & (last.normalize() < next_start - pd.Timedelta(days=1))
    gap = vol[s.TOTAL] == 0
    return vol.assign(thin=vol[s.TOTAL] < min_docs, incomplete=partial_first | partial_last | gap)
