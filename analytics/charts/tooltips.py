"""What a reader sees on hover, in words: periods as they are named ("Q3 2016"), counts as whole documents with
their denominator ("9 of 120 documents"), the periods a smoothed value pools, and the interval of those same
pooled counts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import schema as s

PLURAL = {"day": "days", "week": "weeks", "month": "months", "quarter": "quarters", "year": "years"}
SHIFT = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1), "month": pd.DateOffset(months=1),
         "quarter": pd.DateOffset(months=3), "year": pd.DateOffset(years=1)}


def period_label(period: Any, granularity: str) -> str:
    """A period as a reader names it: 2016, Q3 2016, March 2016, week of 7 Mar 2016, 7 Mar 2016."""
    ts = pd.Timestamp(period)
    if granularity == "year":
        return f"{ts.year}"
    if granularity == "quarter":
        return f"Q{ts.quarter} {ts.year}"
    if granularity == "month":
        return f"{ts:%B %Y}"
    if granularity == "week":
        return f"week of {ts.day} {ts:%b %Y}"
    return f"{ts.day} {ts:%b %Y}"


def period_span(first: Any, last: Any, granularity: str) -> str:
    """Two periods as one span: 'Q1–Q3 2016', 'March 2016 – May 2016', '2015–2017'."""
    a, b = period_label(first, granularity), period_label(last, granularity)
    if a == b:
        return a
    if granularity == "year":
        return f"{a}–{b}"
    if granularity == "quarter" and pd.Timestamp(first).year == pd.Timestamp(last).year:
        return f"Q{pd.Timestamp(first).quarter}–{b}"
    return f"{a} – {b}"


def percent(value: float) -> str:
    """A share as a whole per cent ('8 %'), one decimal under 1 % ('0.4 %'), and '–' for no value."""
    if value is None or pd.isna(value):
        return "–"
    pct = 100 * float(value)
    return f"{pct:.1f} %" if 0 < pct < 1 else f"{pct:.0f} %"


def pooled_span(period: Any, pooled: int, smooth: int, first: Any, last: Any, granularity: str) -> str:
    """The periods a centred window of `smooth` periods pooled around `period` ('Q1–Q3 2016'), cut at the span's
    edges as the counts are (`pooled` periods in all)."""
    before = (smooth - 1) // 2
    start = max(pd.Timestamp(period) - before * SHIFT[granularity], pd.Timestamp(first))
    end = min(start + (max(int(pooled), 1) - 1) * SHIFT[granularity], pd.Timestamp(last))
    return period_span(start, end, granularity)


def documents_text(count: int, total: int, pooled: int = 1, span: str = "", granularity: str = "quarter",
                   unit: str = "documents") -> str:
    """'9 of 120 documents', with '(pooled over 3 quarters: Q1–Q3 2016)' when the counts pool several periods."""
    text = f"{int(count):,} of {int(total):,} {unit}"
    if int(pooled) > 1:
        text += f" (pooled over {int(pooled)} {PLURAL[granularity]}: {span})"
    return text


def with_share_words(frame: pd.DataFrame, granularity: str, count: str = s.COUNT, total: str = s.TOTAL,
                     share: str = s.SHARE, low: str = s.CI_LOW, high: str = s.CI_HIGH, unit: str = "documents"
                     ) -> pd.DataFrame:
    """The frame with the words of its tooltips: period_label, documents_text, share_text, interval_text and
    note (no documents / few documents / incomplete period). Counts stay whole numbers; a smoothed row names
    the periods it pools and its interval is the pooled counts' own."""
    out = frame.copy()
    periods = pd.to_datetime(out[s.PERIOD])
    out["period_label"] = [period_label(p, granularity) for p in periods]
    pooled = out[s.PERIODS_POOLED] if s.PERIODS_POOLED in out else pd.Series(1, index=out.index)
    smooth = int(pooled.max()) if len(pooled) else 1
    first, last = (periods.min(), periods.max()) if len(periods) else (None, None)
    gap = out[share].isna() | (out[total].fillna(0) == 0)
    out["documents_text"] = [
        f"no {unit} in this period" if empty else
        documents_text(k, n, p, pooled_span(when, p, smooth, first, last, granularity) if p > 1 else "",
                       granularity, unit)
        for k, n, p, when, empty in zip(out[count].fillna(0), out[total].fillna(0), pooled, periods, gap,
                                        strict=True)]
    out["share_text"] = [percent(v) for v in out[share]]
    has_interval = low in out and high in out
    out["interval_text"] = [f"{percent(a)} to {percent(b)}" if has_interval and pd.notna(a) else "–"
                            for a, b in zip(out[low] if has_interval else out[share],
                                            out[high] if has_interval else out[share], strict=True)]
    notes = np.full(len(out), "", dtype=object)
    if s.INCOMPLETE in out:
        notes = np.where(out[s.INCOMPLETE].fillna(False).astype(bool), "incomplete period (edge of the collection)",
                         notes)
    if s.THIN in out:
        notes = np.where(out[s.THIN].fillna(False).astype(bool) & ~gap, "few documents: read with care", notes)
    notes = np.where(gap, f"no {unit}: a gap, not a zero", notes)
    out["note"] = notes
    return out
