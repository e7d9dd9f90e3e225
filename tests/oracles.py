"""Reference implementations kept as test oracles: the plain pandas versions of numbers the library now computes
in the store (theme shares, actor counts, platform shares, pairs), written for clarity, not speed.

Production code never imports this module; the tests compare the library's answers with these.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import schema as s
from analytics.timeline import (
    MIN_DOCS_PER_PERIOD,
    actor_period_table,
    all_periods,
    dated,
    period_start,
    platform_share_table,
    pmi_table,
    volume,
    wilson_interval,
)


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


def shares(
    documents: pd.DataFrame,
    assignments: pd.DataFrame,
    granularity: str = "month",
    by: str | None = None,
) -> pd.DataFrame:
    """Topic counts and shares per period (and per `by` value), with denominators, Wilson intervals and flags.

    Shares of a period sum to 1 over all topics including the outlier topic (-1), whose share is kept as a row.
    """
    docs = dated(documents)[[s.ID, s.DATE] + ([by] if by else [])]
    joined = docs.merge(assignments[[s.DOC_ID, s.TOPIC_ID]], left_on=s.ID, right_on=s.DOC_ID, how="inner")
    if joined.empty:
        return pd.DataFrame(columns=[s.PERIOD, s.TOPIC_ID, s.COUNT, s.TOTAL, s.SHARE, s.CI_LOW, s.CI_HIGH])
    joined[s.PERIOD] = period_start(joined[s.DATE], granularity)
    keys = [s.PERIOD] + ([by] if by else [])
    periods = all_periods(joined[s.DATE].min(), joined[s.DATE].max(), granularity)
    topics = sorted(joined[s.TOPIC_ID].unique())
    groups = [periods, topics] + ([sorted(joined[by].fillna("unknown").unique())] if by else [])
    names = [s.PERIOD, s.TOPIC_ID] + ([by] if by else [])
    if by:
        joined[by] = joined[by].fillna("unknown")
    counts = joined.groupby([s.PERIOD, s.TOPIC_ID] + ([by] if by else [])).size()
    counts = counts.reindex(pd.MultiIndex.from_product(groups, names=names), fill_value=0).rename(s.COUNT)
    out = counts.reset_index()
    out[s.TOTAL] = out.groupby(keys)[s.COUNT].transform("sum")
    out[s.SHARE] = np.where(out[s.TOTAL] > 0, out[s.COUNT] / out[s.TOTAL].where(out[s.TOTAL] > 0, 1), 0.0)
    out[s.CI_LOW], out[s.CI_HIGH] = wilson_interval(out[s.COUNT].to_numpy(), out[s.TOTAL].to_numpy())
    flags = period_flags(documents, granularity)[[s.PERIOD, "thin", "incomplete"]]
    out = out.merge(flags, on=s.PERIOD, how="left")
    if by:  # thinness is about the cell's own denominator
        out["thin"] = out[s.TOTAL] < MIN_DOCS_PER_PERIOD
    return out.sort_values(keys + [s.TOPIC_ID], ignore_index=True)


def mention_counts(
    documents: pd.DataFrame, mentions: pd.DataFrame, granularity: str = "month", labels: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Per period and canonical actor: mentions, documents mentioning it, documents in the period, doc share.

    `mentions` is one row per mention, or one row per document and actor with its count in a `mentions` column
    (the store's doc_actors); both give the same table."""
    m = mentions if labels is None else mentions[mentions[s.LABEL].isin(labels)]
    docs = dated(documents)[[s.ID, s.DATE]]
    joined = m.merge(docs, left_on=s.DOC_ID, right_on=s.ID)
    if joined.empty:
        return actor_period_table(documents, pd.DataFrame(), granularity)
    joined[s.PERIOD] = period_start(joined[s.DATE], granularity)
    weight = joined["mentions"] if "mentions" in joined else pd.Series(1, index=joined.index)
    agg = joined.assign(_w=weight).groupby([s.PERIOD, s.CANONICAL_ID]).agg(
        mentions=("_w", "sum"), documents=(s.DOC_ID, "nunique"), **{s.CANONICAL_NAME: (s.CANONICAL_NAME, "first")}
    ).reset_index()
    return actor_period_table(documents, agg, granularity)


def platform_shares(documents: pd.DataFrame, mentions: pd.DataFrame, granularity: str = "quarter") -> pd.DataFrame:
    """The migration view: each platform's mentions as a share of all platform mentions in the period."""
    return platform_share_table(mention_counts(documents, mentions, granularity, labels=("PLATFORM",)))


def cooccurrence(
    documents: pd.DataFrame, mentions: pd.DataFrame, granularity: str | None = None, unit: str = "document",
    min_count: int = 2,
) -> pd.DataFrame:
    """Pairs of canonical actors named in the same document (or sentence), with counts and PMI, per period.

    PMI = log( P(a,b) / (P(a) P(b)) ) over the units (documents or sentences) of the period.
    """
    m = mentions.dropna(subset=[s.CANONICAL_ID])
    if unit == "sentence":
        m = m.assign(_unit=m[s.DOC_ID] + ":" + m[s.SENT_START].astype(str))
    else:
        m = m.assign(_unit=m[s.DOC_ID])
    docs = dated(documents)[[s.ID, s.DATE]]
    m = m.merge(docs, left_on=s.DOC_ID, right_on=s.ID)
    m[s.PERIOD] = period_start(m[s.DATE], granularity) if granularity else pd.Timestamp(0)
    units = m[[s.PERIOD, "_unit", s.CANONICAL_ID]].drop_duplicates()
    names = mentions.drop_duplicates(s.CANONICAL_ID).set_index(s.CANONICAL_ID)[s.CANONICAL_NAME]
    parts = []
    for period, group in units.groupby(s.PERIOD):
        single = group.groupby(s.CANONICAL_ID)["_unit"].nunique()
        pairs = group.merge(group, on="_unit")
        pairs = pairs[pairs[f"{s.CANONICAL_ID}_x"] < pairs[f"{s.CANONICAL_ID}_y"]]
        counts = pairs.groupby([f"{s.CANONICAL_ID}_x", f"{s.CANONICAL_ID}_y"]).size().rename(s.COUNT).reset_index()
        counts = counts.rename(columns={f"{s.CANONICAL_ID}_x": "a", f"{s.CANONICAL_ID}_y": "b"})
        counts = counts[counts[s.COUNT] >= min_count]
        parts.append(counts.assign(**{s.PERIOD: period, "a_units": counts["a"].map(single),
                                      "b_units": counts["b"].map(single), "units": group["_unit"].nunique()}))
    return pmi_table(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(), names)
