"""Theme shares per period with denominators, intervals and flags; source × theme tables; two groups compared."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema as s
from .intervals import wilson_interval
from .periods import MIN_DOCS_PER_PERIOD, all_periods, dated, period_flags, period_start


def shares(
    documents: pd.DataFrame,
    assignments: pd.DataFrame,
    granularity: str = "month",
    by: str | None = None,
    smooth: int = 1,
) -> pd.DataFrame:
    """Topic counts and shares per period (and per `by` value), with denominators, Wilson intervals and flags.

    Shares of a period sum to 1 over all topics including the outlier topic (-1), whose share is kept as a row.
    `smooth` > 1 adds a centred rolling mean of the share over that many periods (`share_smoothed`).
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
    if smooth > 1:
        out = out.sort_values(keys)
        group = [s.TOPIC_ID] + ([by] if by else [])
        out["share_smoothed"] = out.groupby(group)[s.SHARE].transform(
            lambda x: x.rolling(smooth, center=True, min_periods=1).mean())
    return out.sort_values(keys + [s.TOPIC_ID], ignore_index=True)


def outlier_share(documents: pd.DataFrame, assignments: pd.DataFrame, granularity: str = "month") -> pd.DataFrame:
    """Share of each period's documents in the outlier topic, with its interval."""
    table = shares(documents, assignments, granularity)
    out = table[table[s.TOPIC_ID] == s.OUTLIER_TOPIC]
    if out.empty:  # no outliers at all: a zero row per period keeps the denominator visible
        base = table.drop_duplicates(s.PERIOD)[[s.PERIOD, s.TOTAL]]
        low, high = wilson_interval(np.zeros(len(base)), base[s.TOTAL].to_numpy())
        return base.assign(**{s.COUNT: 0, s.SHARE: 0.0, s.CI_LOW: low, s.CI_HIGH: high})
    return out[[s.PERIOD, s.COUNT, s.TOTAL, s.SHARE, s.CI_LOW, s.CI_HIGH]].reset_index(drop=True)


def share_of_voice(documents: pd.DataFrame, assignments: pd.DataFrame, by: str = s.SOURCE) -> pd.DataFrame:
    """Source × topic document counts with lift (observed / expected) and Pearson chi-square residuals."""
    joined = documents[[s.ID, by]].merge(assignments[[s.DOC_ID, s.TOPIC_ID]], left_on=s.ID, right_on=s.DOC_ID)
    table = pd.crosstab(joined[by].fillna("unknown"), joined[s.TOPIC_ID])
    total = table.to_numpy().sum()
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / max(total, 1)
    lift = table / np.where(expected > 0, expected, 1)
    resid = (table - expected) / np.sqrt(np.where(expected > 0, expected, 1))
    out = table.stack().rename(s.COUNT).to_frame()
    out["expected"] = pd.DataFrame(expected, index=table.index, columns=table.columns).stack()
    out["lift"] = lift.stack()
    out["residual"] = resid.stack()
    out["source_total"] = out.index.get_level_values(0).map(table.sum(axis=1))
    out[s.SHARE] = out[s.COUNT] / out["source_total"].where(out["source_total"] > 0, 1)
    return out.reset_index()


def compare_groups(
    documents: pd.DataFrame, assignments: pd.DataFrame, column: str, a: str, b: str, granularity: str = "quarter",
) -> pd.DataFrame:
    """Two sub-corpora (two outlets, two source types, two languages) on the same axes: each topic's share per
    period in each, side by side, with the difference."""
    parts = []
    for name in (a, b):
        sub = documents[documents[column] == name]
        table = shares(sub, assignments[assignments[s.DOC_ID].isin(sub[s.ID])], granularity)
        parts.append(table[[s.PERIOD, s.TOPIC_ID, s.COUNT, s.TOTAL, s.SHARE]].rename(
            columns={s.COUNT: f"count_{name}", s.TOTAL: f"total_{name}", s.SHARE: f"share_{name}"}))
    merged = parts[0].merge(parts[1], on=[s.PERIOD, s.TOPIC_ID], how="outer").fillna(0)
    merged["difference"] = merged[f"share_{a}"] - merged[f"share_{b}"]
    return merged.sort_values([s.PERIOD, s.TOPIC_ID], ignore_index=True)
