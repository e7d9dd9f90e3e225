"""Hashtags, domains and mentions over time: how many posts carry each, out of how many, per period; the top ones
per period; and the ones that emerge or fade, as tested comparisons with q-values.

The unit is the document: a post that carries a hashtag twice counts once. The denominator of every share is every
dated post of the period (not only those that carry a trace of the kind), so shares of different hashtags compare.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema as s
from .. import timeline as tl
from ..findings import FindingsSettings, window_findings
from ..frames import among
from ..multiple_testing import ALPHA, q_values
from . import contracts as c

TREND_COLUMNS = [s.PERIOD, c.VALUE, s.COUNT, s.TOTAL, s.SHARE, s.CI_LOW, s.CI_HIGH]


def _dated_posts(posts: pd.DataFrame) -> pd.DataFrame:
    c.check_columns(posts, "posts", [s.ID, s.DATE])
    out = pd.DataFrame({s.DOC_ID: posts[s.ID].astype(str).to_numpy(), s.DATE: c.utc_naive(posts[s.DATE]).to_numpy()})
    return out[out[s.DATE].notna()]


def _carriers(posts: pd.DataFrame, traces: pd.DataFrame, kind: str) -> pd.DataFrame:
    """One row per dated document and distinct value of `kind` it carries: doc_id, date, value."""
    if kind not in c.TRACE_KINDS:
        raise c.AmplificationInputError("traces", f"unknown trace kind {kind!r}",
                                        f"use one of {', '.join(c.TRACE_KINDS)}")
    c.check_traces(traces)
    t = traces.loc[traces[s.KIND] == kind, [s.DOC_ID, c.VALUE]].dropna().astype({s.DOC_ID: str}).drop_duplicates()
    # only the posts that carry one are dated and joined (a few thousand of a hundred thousand posts)
    carrying = posts[among(posts[s.ID].astype(str), t[s.DOC_ID].unique())]
    return t.merge(_dated_posts(carrying), on=s.DOC_ID, how="inner")


def trace_shares(posts: pd.DataFrame, traces: pd.DataFrame, kind: str, granularity: str = "week",
                 top: int | None = 20) -> pd.DataFrame:
    """Per period and value of `kind` (the `top` values over the whole span, or all with None): documents carrying
    it, dated documents in the period, share and its Wilson interval. Every period from first to last is a row,
    empty ones included (count 0 of total 0: a gap, share 0 with the widest interval)."""
    docs = _dated_posts(posts)
    carriers = _carriers(posts, traces, kind)
    if docs.empty or carriers.empty:
        return pd.DataFrame(columns=TREND_COLUMNS)
    # most carried first; ties alphabetical (groupby sorts the values, the stable sort keeps that order)
    ranking = carriers.groupby(c.VALUE)[s.DOC_ID].nunique().sort_values(ascending=False, kind="stable")
    values = ranking.index[:top] if top is not None else ranking.index
    periods = tl.all_periods(docs[s.DATE].min(), docs[s.DATE].max(), granularity)
    totals = tl.period_start(docs[s.DATE], granularity).value_counts().reindex(periods, fill_value=0)
    kept = carriers[carriers[c.VALUE].isin(values)]
    counts = kept.groupby([tl.period_start(kept[s.DATE], granularity).rename(s.PERIOD), c.VALUE]).size()
    full = pd.MultiIndex.from_product([periods, list(values)], names=[s.PERIOD, c.VALUE])
    out = counts.reindex(full, fill_value=0).rename(s.COUNT).reset_index()
    out[s.TOTAL] = totals.reindex(out[s.PERIOD]).to_numpy()
    out[s.SHARE] = np.where(out[s.TOTAL] > 0, out[s.COUNT] / out[s.TOTAL].clip(lower=1), 0.0)
    out[s.CI_LOW], out[s.CI_HIGH] = tl.wilson_interval(out[s.COUNT].to_numpy(), out[s.TOTAL].to_numpy())
    return out[TREND_COLUMNS]


def top_per_period(posts: pd.DataFrame, traces: pd.DataFrame, kind: str, granularity: str = "week",
                   n: int = 10) -> pd.DataFrame:
    """The `n` values of `kind` carried by most documents in each period: period, rank, value, count, total, share
    (ties ranked alphabetically)."""
    docs = _dated_posts(posts)
    carriers = _carriers(posts, traces, kind)
    columns = [s.PERIOD, "rank", c.VALUE, s.COUNT, s.TOTAL, s.SHARE]
    if carriers.empty:
        return pd.DataFrame(columns=columns)
    totals = tl.period_start(docs[s.DATE], granularity).value_counts()
    counts = carriers.groupby([tl.period_start(carriers[s.DATE], granularity).rename(s.PERIOD), c.VALUE]).size()
    out = counts.rename(s.COUNT).reset_index().sort_values([s.PERIOD, s.COUNT, c.VALUE],
                                                           ascending=[True, False, True])
    out["rank"] = out.groupby(s.PERIOD).cumcount() + 1
    out = out[out["rank"] <= n].copy()
    out[s.TOTAL] = totals.reindex(out[s.PERIOD]).to_numpy()
    out[s.SHARE] = out[s.COUNT] / out[s.TOTAL]
    return out[columns].reset_index(drop=True)


def emerging_traces(posts: pd.DataFrame, traces: pd.DataFrame, kind: str, split: pd.Timestamp | str | None = None,
                    granularity: str = "week", min_count: int = 3, fdr: float = ALPHA) -> pd.DataFrame:
    """Values of `kind` whose share of posts changed between before `split` and from `split` on (default: the last
    `granularity` period against everything before it): the findings engine's window test (G on pooled counts,
    widened by each value's over-dispersion between days), Benjamini–Hochberg q-values across
    the values, `direction` emerging / fading / none, and the documents after the split that carry an emerging
    value (before it for a fading one). Denominators are all dated posts in each window; a value is tested when
    at least `min_count` posts carry it."""
    docs = _dated_posts(posts)
    carriers = _carriers(posts, traces, kind)
    columns = [c.VALUE, "before", "after", "before_total", "after_total", "share_before", "share_after", "effect",
               c.P_VALUE, c.Q_VALUE, "direction", c.DOC_IDS]
    if docs.empty or carriers.empty:
        return pd.DataFrame(columns=columns)
    first, last = docs[s.DATE].min(), docs[s.DATE].max()
    cut = tl.period_start(pd.Series([last]), granularity).iloc[0] if split is None else pd.Timestamp(split)
    if getattr(cut, "tzinfo", None) is not None:
        cut = cut.tz_convert("UTC").tz_localize(None)
    end = last + pd.Timedelta(microseconds=1)
    if not first < cut < end:
        raise c.AmplificationInputError(
            "posts", f"the split {cut} leaves no posts on one side (posts run from {first} to {last})",
            "choose a split date inside the corpus's span")
    documents = pd.DataFrame({s.ID: docs[s.DOC_ID], s.DATE: docs[s.DATE], s.SOURCE: "-", s.SOURCE_TYPE: "-"})
    items = pd.DataFrame({s.DOC_ID: carriers[s.DOC_ID], "subject_type": kind, "subject": carriers[c.VALUE],
                          "subject_id": carriers[c.VALUE]})
    settings = FindingsSettings(min_subject_documents=min_count, min_side_documents=1,
                                min_compared_subject_documents=min_count)
    # Over-dispersion is judged between days: with a few weeks of posts, the weekly counts would take the very
    # change being tested for jumpiness.
    found = window_findings(documents, items, (first, cut), (cut, end), "day", settings)
    if not found:
        return pd.DataFrame(columns=columns)
    q = q_values([f.p_value for f in found])
    after = carriers[carriers[s.DATE] >= cut].sort_values([s.DATE, s.DOC_ID]).groupby(c.VALUE)[s.DOC_ID].agg(list)
    before = carriers[carriers[s.DATE] < cut].sort_values([s.DATE, s.DOC_ID]).groupby(c.VALUE)[s.DOC_ID].agg(list)
    rows = []
    for f, qv in zip(found, q, strict=True):
        direction = f.kind if qv < fdr else "none"
        evidence = after.get(f.subject, []) if direction == "emerging" else (
            before.get(f.subject, []) if direction == "fading" else [])
        rows.append({c.VALUE: f.subject, "before": f.before_count, "after": f.after_count,
                     "before_total": f.before_total, "after_total": f.after_total, "share_before": f.before_share,
                     "share_after": f.after_share, "effect": f.effect, c.P_VALUE: f.p_value, c.Q_VALUE: float(qv),
                     "direction": direction, c.DOC_IDS: evidence})
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values([c.Q_VALUE, "effect"], ascending=[True, False], ignore_index=True)
