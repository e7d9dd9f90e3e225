"""The numbers behind a chart as tables: a compact one to read and navigate by keyboard under the chart (a period per
row, a series per column, "9 of 120 · 8 %" in each cell), and a plain one with whole numbers and named columns for
the data file of an export."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import pandas as pd

from .. import schema as s
from .layout import granularity_of
from .tooltips import percent, period_label

READABLE = {  # a column of the Corpus's tables → its name in an exported data file
    s.PERIOD: "period start", s.TOPIC_ID: "theme id", s.LABEL: "theme", s.CANONICAL_ID: "actor id",
    s.CANONICAL_NAME: "actor", s.COUNT: "documents", s.TOTAL: "documents in the period", s.SHARE: "share",
    s.CI_LOW: "95 % interval, low", s.CI_HIGH: "95 % interval, high", s.THIN: "few documents",
    s.INCOMPLETE: "incomplete period", s.PERIODS_POOLED: "periods pooled", s.SOURCE_TYPE: "source type",
    "platform_total": "platform mentions in the period", "platform_share": "share of platform mentions",
    "platform_ci_low": "95 % interval of that share, low", "platform_ci_high": "95 % interval of that share, high",
    "source_total": "documents of the source", "expected": "documents expected from the sizes",
    "lift": "observed / expected", "residual": "difference from expected (Pearson residual)",
}


def readable_data(table: pd.DataFrame, granularity: str | None = None) -> pd.DataFrame:
    """The chart's data for a spreadsheet: a `period` column as readers name it first, columns renamed in
    words, shares as fractions (0.08), counts as whole numbers, gaps left empty (never 0)."""
    out = table.copy()
    names = None
    if s.PERIOD in out and len(out):
        gran = granularity or granularity_of(out[s.PERIOD])
        names = [period_label(p, gran) for p in pd.to_datetime(out[s.PERIOD])]
        out[s.PERIOD] = pd.to_datetime(out[s.PERIOD]).dt.date
    for column in (s.COUNT, s.TOTAL, "mentions", "documents", "platform_total"):
        if column in out and out[column].notna().all():
            out[column] = out[column].astype(int)
    out = out.rename(columns={k: v for k, v in READABLE.items() if k in out and v not in out})
    if names is not None:
        out.insert(0, "period", names)
    return out


def compact_table(table: pd.DataFrame, series: str, order: Sequence[Hashable] | None = None, key: str | None = None,
                  granularity: str | None = None, count: str = s.COUNT, total: str = s.TOTAL,
                  share: str = s.SHARE) -> tuple[pd.DataFrame, list[pd.Timestamp]]:
    """A period per row and a series per column (in `order` of `key` when given), each cell "k of n · share",
    '–' in a period without documents; and the periods' first days, row by row (to open a cell's documents)."""
    if table.empty:
        return pd.DataFrame(columns=["period"]), []
    data = table.copy()
    data[s.PERIOD] = pd.to_datetime(data[s.PERIOD])
    gran = granularity or granularity_of(data[s.PERIOD])
    names = data.drop_duplicates(series)
    if order is not None and key is not None:
        rank = {k: i for i, k in enumerate(order)}
        names = names[names[key].isin(rank)].assign(r=lambda d: d[key].map(rank)).sort_values("r")
    columns = names[series].tolist()
    data = data[data[series].isin(columns)]
    data["cell"] = [("–" if pd.isna(p) or not n else f"{int(k)} of {int(n)} · {percent(p)}")
                    for k, n, p in zip(data[count].fillna(0), data[total].fillna(0), data[share], strict=True)]
    wide = data.pivot_table(index=s.PERIOD, columns=series, values="cell", aggfunc="first").reindex(
        columns=columns).fillna("–")
    periods = list(wide.index)
    wide.insert(0, "period", [period_label(p, gran) for p in periods])
    return wide.reset_index(drop=True), periods
