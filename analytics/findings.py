"""Findings in sentences: the largest shifts of themes and actors, each with the documents behind it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema as s
from . import timeline as tl


def largest_theme_shifts(
    documents: pd.DataFrame, assignments: pd.DataFrame, labels: dict[int, str], granularity: str = "quarter",
    top: int = 5, window: int = 3,
) -> pd.DataFrame:
    """For each theme, the change points of its share; the biggest level changes across all themes, as
    sentences with their evidence (the theme's documents in the periods after the change, or before it for a
    fall). Shares compare the mean of up to `window` periods on either side of the change."""
    table = tl.shares(documents, assignments, granularity)
    table = table[table[s.TOPIC_ID] != s.OUTLIER_TOPIC]
    if table.empty:
        return pd.DataFrame(columns=["sentence", s.TOPIC_ID, "before", "after", "change", "doc_ids"])
    docs = tl.dated(documents)[[s.ID, s.DATE]].merge(assignments[[s.DOC_ID, s.TOPIC_ID]], left_on=s.ID,
                                                       right_on=s.DOC_ID)
    docs[s.PERIOD] = tl.period_start(docs[s.DATE], granularity)
    rows = []
    for topic, series in table.groupby(s.TOPIC_ID):
        series = series.sort_values(s.PERIOD).reset_index(drop=True)
        shares = series[s.SHARE].to_numpy()
        for cp in tl.change_points(pd.Series(shares), min_size=2):
            lo, hi = max(0, cp - window), min(len(shares), cp + window)
            before, after = shares[lo:cp], shares[cp:hi]
            b_docs = int(series[s.COUNT].iloc[lo:cp].sum())
            a_docs = int(series[s.COUNT].iloc[cp:hi].sum())
            change = float(np.mean(after) - np.mean(before))
            periods = series[s.PERIOD].iloc[cp:hi] if change > 0 else series[s.PERIOD].iloc[lo:cp]
            evidence = docs[(docs[s.TOPIC_ID] == topic) & docs[s.PERIOD].isin(periods)][s.ID].tolist()
            label = labels.get(int(topic), f"Theme {topic}")
            when = _period_name(series[s.PERIOD].iloc[cp], granularity)
            verb = "rose" if change > 0 else "fell"
            sentence = (f"“{label}” {verb} from {np.mean(before):.0%} to {np.mean(after):.0%} of documents "
                        f"around {when} ({b_docs} → {a_docs} documents in the {len(before)} periods before and "
                        f"{len(after)} after).")
            rows.append({"sentence": sentence, s.TOPIC_ID: int(topic), "period": series[s.PERIOD].iloc[cp],
                         "before": float(np.mean(before)), "after": float(np.mean(after)), "change": change,
                         "doc_ids": evidence})
    out = pd.DataFrame(rows, columns=["sentence", s.TOPIC_ID, "period", "before", "after", "change", "doc_ids"])
    return out.reindex(out["change"].abs().sort_values(ascending=False).index).head(top).reset_index(drop=True)


def platform_leaders(platform_table: pd.DataFrame) -> pd.DataFrame:
    """Per period, the platform most named (its share of platform mentions): the migration in one table."""
    if platform_table.empty:
        return platform_table
    table = platform_table[platform_table["platform_total"] > 0]
    idx = table.groupby(s.PERIOD)["platform_share"].idxmax()
    return table.loc[idx, [s.PERIOD, s.CANONICAL_ID, s.CANONICAL_NAME, "mentions", "platform_total",
                           "platform_share"]].reset_index(drop=True)


def platform_newcomers(platform_table: pd.DataFrame, min_mentions: int = 3) -> pd.DataFrame:
    """Platforms first named after the corpus's first period: where supporters (and coverage) moved next.

    One row per platform: the period of its first mention, its share of platform mentions then, and its total.
    """
    if platform_table.empty:
        return platform_table
    table = platform_table[platform_table["mentions"] > 0]
    first_period = table[s.PERIOD].min()
    first = table.sort_values(s.PERIOD).groupby(s.CANONICAL_ID).head(1)
    totals = table.groupby(s.CANONICAL_ID)["mentions"].sum()
    first = first.assign(total_mentions=first[s.CANONICAL_ID].map(totals))
    first = first[(first[s.PERIOD] > first_period) & (first["total_mentions"] >= min_mentions)]
    return first[[s.PERIOD, s.CANONICAL_ID, s.CANONICAL_NAME, "mentions", "platform_share", "total_mentions"]] \
        .sort_values([s.PERIOD, "total_mentions"], ascending=[True, False]).reset_index(drop=True)


def migration_sentence(leaders: pd.DataFrame, granularity: str = "year") -> str:
    """'Twitter (2014–2015) → Telegram (2016–2019) → TamTam (2020)': runs of the most-named platform."""
    if leaders.empty:
        return ""
    runs: list[list] = []
    for period, name in zip(leaders[s.PERIOD], leaders[s.CANONICAL_NAME], strict=True):
        if runs and runs[-1][0] == name:
            runs[-1][2] = period
        else:
            runs.append([name, period, period])
    parts = []
    for name, first, last in runs:
        a, b = _period_name(first, granularity), _period_name(last, granularity)
        parts.append(f"{name} ({a})" if a == b else f"{name} ({a}–{b})")
    return " → ".join(parts)


def _period_name(ts: pd.Timestamp, granularity: str) -> str:
    ts = pd.Timestamp(ts)
    if granularity == "year":
        return str(ts.year)
    if granularity == "quarter":
        return f"{ts.year} Q{(ts.month - 1) // 3 + 1}"
    if granularity == "month":
        return ts.strftime("%b %Y")
    return ts.strftime("%Y-%m-%d")
