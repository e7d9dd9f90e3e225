"""Platforms named over time: descriptive tables (which platform is most named each period, which are new).

These describe; they claim nothing. A claim about platforms, such as supporters moving from one to another, is a
tested finding: `migration_findings` picks the significant shifts, bursts and emerging/fading findings about
platform actors from a findings run, in time order.
"""

from __future__ import annotations

import pandas as pd

from .. import schema as s
from .finding import Finding
from .sentences import period_name


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
        a, b = period_name(first, granularity), period_name(last, granularity)
        parts.append(f"{name} ({a})" if a == b else f"{name} ({a}–{b})")
    return " → ".join(parts)


def migration_findings(found: list[Finding], platform_ids: set[str]) -> list[Finding]:
    """The significant findings over time about platform actors (by canonical id), in the order they happened:
    the tested form of "supporters moved from Twitter to Telegram"."""
    kinds = {"shift", "burst", "emerging", "fading"}
    picked = [f for f in found if f.significant and f.kind in kinds and f.subject_type == "actor"
              and f.subject_id in platform_ids]
    return sorted(picked, key=lambda f: (f.period or "", f.subject))
