"""Theme shares per period with denominators, intervals and flags; source × theme tables; two groups compared.

`share_table` is the one implementation of a share: counts in, every period of the span out (a period with no
documents is a gap: its share and interval are NaN, never 0 %), with the Wilson interval and the thin/incomplete
flags. Smoothing pools counts: a centred window sums the counts and the totals of `smooth` periods, and the share
and its interval both come from the pooled counts, so they always agree and stay whole numbers of documents.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .. import schema as s
from ..frames import among
from .intervals import wilson_interval
from .periods import MIN_DOCS_PER_PERIOD, all_periods, dated, flags, period_start

SHARE_COLUMNS = [s.PERIOD, s.TOPIC_ID, s.COUNT, s.TOTAL, s.SHARE, s.CI_LOW, s.CI_HIGH, s.THIN, s.INCOMPLETE,
                 s.PERIODS_POOLED]


def pooled(values: np.ndarray, smooth: int) -> np.ndarray:
    """Sums over a centred window of `smooth` periods along the first axis (one more period after than before
    for an even window); fewer periods at the edges."""
    if smooth <= 1:
        return values
    before, after = (smooth - 1) // 2, smooth // 2
    padded = np.concatenate([np.zeros((before, *values.shape[1:])), values, np.zeros((after, *values.shape[1:]))])
    sums = np.cumsum(np.concatenate([np.zeros((1, *values.shape[1:])), padded]), axis=0)
    return sums[smooth:] - sums[:-smooth]


def fold_themes(counts: pd.DataFrame, keep: Iterable[int] | None) -> pd.DataFrame:
    """Counts with every theme not in `keep` (the outliers excepted) summed into one 'Other themes' row
    (topic id OTHER_TOPIC) per period; all themes kept when `keep` is None."""
    if keep is None or counts.empty:
        return counts
    keep = set(int(t) for t in keep) | {s.OUTLIER_TOPIC}
    folded = counts.assign(**{s.TOPIC_ID: counts[s.TOPIC_ID].where(counts[s.TOPIC_ID].isin(keep), s.OTHER_TOPIC)})
    keys = [c for c in folded.columns if c != s.COUNT]
    return folded.groupby(keys, as_index=False)[s.COUNT].sum()


def share_table(counts: pd.DataFrame, granularity: str, first: pd.Timestamp, last: pd.Timestamp, smooth: int = 1,
                by: str | None = None, min_docs: int = MIN_DOCS_PER_PERIOD) -> pd.DataFrame:
    """Theme shares from counts (period, [by], topic_id, count: every document counted once, in its theme).

    The denominator of a period (`total`) is the sum of its counts over all themes, outliers included; `first`
    and `last` are the dates the collection starts and ends (for the incomplete flag and the span of periods).
    With `by`, each value (a source type, say) has its own denominators. Columns: period, [by], topic_id, count,
    total, share, ci_low, ci_high, thin, incomplete, periods_pooled.
    """
    columns = SHARE_COLUMNS[:2] + ([by] if by else []) + SHARE_COLUMNS[2:]
    if counts.empty or pd.isna(first):
        return pd.DataFrame(columns=columns)
    periods = all_periods(first, last, granularity)
    topics = sorted(counts[s.TOPIC_ID].unique())
    groups = sorted(counts[by].unique()) if by else [None]
    parts = []
    for group in groups:
        sub = counts[counts[by] == group] if by else counts
        # A period × theme matrix of counts; pooled along the periods.
        grid = (sub.assign(**{s.PERIOD: pd.to_datetime(sub[s.PERIOD])})
                .pivot_table(index=s.PERIOD, columns=s.TOPIC_ID, values=s.COUNT, aggfunc="sum")
                .reindex(index=periods, columns=topics).fillna(0).to_numpy(dtype=float))
        totals = grid.sum(axis=1)
        k, n = pooled(grid, smooth), pooled(totals, smooth)
        window = pooled(np.ones(len(periods)), smooth)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(n[:, None] > 0, k / n[:, None], np.nan)
        low, high = wilson_interval(k, n[:, None])
        gap = totals == 0  # a period without documents is shown as a gap, smoothed or not
        share[gap], low[gap], high[gap] = np.nan, np.nan, np.nan
        marks = flags(pd.Series(periods), pd.Series(totals), granularity, first, last, figure_totals=pd.Series(n),
                      min_docs=min_docs)
        frame = pd.DataFrame({
            s.PERIOD: np.repeat(periods, len(topics)), s.TOPIC_ID: np.tile(topics, len(periods)),
            s.COUNT: k.ravel().round().astype(int), s.TOTAL: np.repeat(n, len(topics)).round().astype(int),
            s.SHARE: share.ravel(), s.CI_LOW: low.ravel(), s.CI_HIGH: high.ravel(),
            s.THIN: np.repeat(marks[s.THIN].to_numpy(), len(topics)),
            s.INCOMPLETE: np.repeat(marks[s.INCOMPLETE].to_numpy(), len(topics)),
            s.PERIODS_POOLED: np.repeat(window, len(topics)).astype(int)})
        if by:
            frame.insert(2, by, group)
        parts.append(frame)
    out = pd.concat(parts, ignore_index=True)
    return out[columns].sort_values([s.PERIOD] + ([by] if by else []) + [s.TOPIC_ID], ignore_index=True)


def theme_counts(documents: pd.DataFrame, assignments: pd.DataFrame, granularity: str,
                 by: str | None = None) -> pd.DataFrame:
    """Counts per period, [by] and theme from frames (documents: id, date[, by]; assignments: doc_id, topic_id):
    what the store's theme_counts gives, for callers that hold frames."""
    docs = dated(documents)[[s.ID, s.DATE] + ([by] if by else [])]
    joined = docs.merge(assignments[[s.DOC_ID, s.TOPIC_ID]], left_on=s.ID, right_on=s.DOC_ID, how="inner")
    keys = [s.PERIOD] + ([by] if by else []) + [s.TOPIC_ID]
    if joined.empty:
        return pd.DataFrame(columns=[*keys, s.COUNT])
    if by:
        joined[by] = joined[by].fillna("unknown")
    joined[s.PERIOD] = period_start(joined[s.DATE], granularity)
    return joined.groupby(keys).size().rename(s.COUNT).reset_index()


def shares(
    documents: pd.DataFrame,
    assignments: pd.DataFrame,
    granularity: str = "month",
    by: str | None = None,
    smooth: int = 1,
) -> pd.DataFrame:
    """Topic counts and shares per period (and per `by` value) from frames, with denominators, Wilson intervals
    and flags: `share_table` over the frames' counts, for callers that hold frames (the findings).

    Shares of a period sum to 1 over all topics including the outlier topic (-1), whose share is kept as a row.
    Unlike `Corpus.theme_shares`, a period without documents reads as a share of 0 (interval 0 to 1) here, for the
    change-point code that reads this frame.
    """
    docs = dated(documents)
    counts = theme_counts(docs, assignments, granularity, by)
    joined = docs[among(docs[s.ID], assignments[s.DOC_ID])]
    if counts.empty:
        return pd.DataFrame(columns=[s.PERIOD, s.TOPIC_ID, s.COUNT, s.TOTAL, s.SHARE, s.CI_LOW, s.CI_HIGH])
    table = share_table(counts, granularity, joined[s.DATE].min(), joined[s.DATE].max(), smooth, by)
    # Flags as a reader of the whole filtered collection sees them (first and last date of every dated document).
    if not by:
        marks = flags(table[s.PERIOD], table[s.TOTAL], granularity, docs[s.DATE].min(), docs[s.DATE].max())
        table[s.INCOMPLETE] = marks[s.INCOMPLETE].to_numpy()
    return table.fillna({s.SHARE: 0.0, s.CI_LOW: 0.0, s.CI_HIGH: 1.0})


def outlier_share(documents: pd.DataFrame, assignments: pd.DataFrame, granularity: str = "month") -> pd.DataFrame:
    """Share of each period's documents in the outlier topic, with its interval."""
    table = shares(documents, assignments, granularity)
    out = table[table[s.TOPIC_ID] == s.OUTLIER_TOPIC]
    if out.empty:  # no outliers at all: a zero row per period keeps the denominator visible
        base = table.drop_duplicates(s.PERIOD)[[s.PERIOD, s.TOTAL]]
        low, high = wilson_interval(np.zeros(len(base)), base[s.TOTAL].to_numpy())
        return base.assign(**{s.COUNT: 0, s.SHARE: 0.0, s.CI_LOW: low, s.CI_HIGH: high})
    return out[[s.PERIOD, s.COUNT, s.TOTAL, s.SHARE, s.CI_LOW, s.CI_HIGH]].reset_index(drop=True)


def voice_table(counts: pd.DataFrame, by: str = s.SOURCE) -> pd.DataFrame:
    """Source × theme document counts (by, topic_id, count) with expected counts, lift (observed / expected),
    Pearson chi-square residuals and each cell's share of its source."""
    table = counts.pivot_table(index=by, columns=s.TOPIC_ID, values=s.COUNT, aggfunc="sum", fill_value=0)
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


def share_of_voice(documents: pd.DataFrame, assignments: pd.DataFrame, by: str = s.SOURCE) -> pd.DataFrame:
    """Source × topic document counts with lift (observed / expected) and Pearson chi-square residuals."""
    joined = documents[[s.ID, by]].merge(assignments[[s.DOC_ID, s.TOPIC_ID]], left_on=s.ID, right_on=s.DOC_ID)
    counts = joined.assign(**{by: joined[by].fillna("unknown")}).groupby([by, s.TOPIC_ID]).size()
    return voice_table(counts.rename(s.COUNT).reset_index(), by)


def compare_groups(
    documents: pd.DataFrame, assignments: pd.DataFrame, column: str, a: str, b: str, granularity: str = "quarter",
) -> pd.DataFrame:
    """Two sub-corpora (two outlets, two source types, two languages) on the same axes: each topic's share per
    period in each, side by side, with the difference."""
    parts = []
    for name in (a, b):
        sub = documents[documents[column] == name]
        table = shares(sub, assignments[among(assignments[s.DOC_ID], sub[s.ID])], granularity)
        parts.append(table[[s.PERIOD, s.TOPIC_ID, s.COUNT, s.TOTAL, s.SHARE]].rename(
            columns={s.COUNT: f"count_{name}", s.TOTAL: f"total_{name}", s.SHARE: f"share_{name}"}))
    merged = parts[0].merge(parts[1], on=[s.PERIOD, s.TOPIC_ID], how="outer").fillna(0)
    merged["difference"] = merged[f"share_{a}"] - merged[f"share_{b}"]
    return merged.sort_values([s.PERIOD, s.TOPIC_ID], ignore_index=True)
