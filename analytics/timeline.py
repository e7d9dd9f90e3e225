"""Timeline analytics: counts into findings. Plain functions over DataFrames; no Streamlit, no SQL.

Inputs are tidy frames that `store` produces:
- documents: id, date, source, source_type, language (one row per document; undated documents are dropped here
  and counted by `undated_count`);
- assignments: doc_id, topic_id (one per document; -1 is the outlier topic);
- mentions: doc_id, canonical_id, canonical_name, label, sent_start (one per entity mention).

Every share comes with its denominator (documents in the period) and a Wilson interval, and every period says
whether it is thin (few documents) or incomplete (a partial first or last period, or a gap in collection).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import schema as s

MIN_DOCS_PER_PERIOD = 5  # fewer documents than this and a period's shares are flagged as thin


# -- periods ---------------------------------------------------------------------------------------


def default_granularity(dates: pd.Series, min_median: int = 8) -> str:
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


# -- intervals -------------------------------------------------------------------------------------


def wilson_interval(k: np.ndarray | int, n: np.ndarray | int, z: float = 1.959964) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for k successes in n trials (95 % by default); (0, 1) where n is 0."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, k / n, 0.0)
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        low = np.where(n > 0, np.clip(centre - half, 0, 1), 0.0)
        high = np.where(n > 0, np.clip(centre + half, 0, 1), 1.0)
    return low, high


# -- volume and shares -----------------------------------------------------------------------------


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


def actor_period_table(documents: pd.DataFrame, counts: pd.DataFrame, granularity: str = "month") -> pd.DataFrame:
    """Per-period actor counts (period, canonical_id, canonical_name, mentions, documents — from mention_counts or
    the store's actor_period_counts) completed with every period, documents in the period, share and interval."""
    columns = [s.PERIOD, s.CANONICAL_ID, s.CANONICAL_NAME, "mentions", "documents", s.TOTAL, s.SHARE, s.CI_LOW,
               s.CI_HIGH]
    docs = dated(documents)[[s.ID, s.DATE]]
    if counts.empty or docs.empty:
        return pd.DataFrame(columns=columns)
    totals = volume(docs, granularity).rename(columns={s.COUNT: s.TOTAL})[[s.PERIOD, s.TOTAL]]
    agg = counts.assign(**{s.PERIOD: pd.to_datetime(counts[s.PERIOD]).astype("datetime64[ns]")})
    ids = agg[[s.CANONICAL_ID, s.CANONICAL_NAME]].drop_duplicates(s.CANONICAL_ID)
    full = ids.merge(pd.DataFrame({s.PERIOD: totals[s.PERIOD].astype("datetime64[ns]")}), how="cross")
    out = full.merge(agg[[s.PERIOD, s.CANONICAL_ID, "mentions", "documents"]], on=[s.PERIOD, s.CANONICAL_ID],
                     how="left").fillna({"mentions": 0, "documents": 0})
    out = out.merge(totals.assign(**{s.PERIOD: totals[s.PERIOD].astype("datetime64[ns]")}), on=s.PERIOD)
    out[["mentions", "documents"]] = out[["mentions", "documents"]].astype(int)
    out[s.SHARE] = np.where(out[s.TOTAL] > 0, out["documents"] / out[s.TOTAL].where(out[s.TOTAL] > 0, 1), 0.0)
    out[s.CI_LOW], out[s.CI_HIGH] = wilson_interval(out["documents"].to_numpy(), out[s.TOTAL].to_numpy())
    return out[columns].sort_values([s.PERIOD, "mentions"], ascending=[True, False], ignore_index=True)


def platform_shares(documents: pd.DataFrame, mentions: pd.DataFrame, granularity: str = "quarter") -> pd.DataFrame:
    """The migration view: each platform's mentions as a share of all platform mentions in the period."""
    return platform_share_table(mention_counts(documents, mentions, granularity, labels=("PLATFORM",)))


def platform_share_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Platform counts per period (an actor_period_table of PLATFORM actors) with each platform's share of the
    period's platform mentions and its interval."""
    if counts.empty:
        return counts
    counts = counts.copy()
    counts["platform_total"] = counts.groupby(s.PERIOD)["mentions"].transform("sum")
    counts["platform_share"] = np.where(counts["platform_total"] > 0,
                                        counts["mentions"] / counts["platform_total"].where(
                                            counts["platform_total"] > 0, 1), 0.0)
    low, high = wilson_interval(counts["mentions"].to_numpy(), counts["platform_total"].to_numpy())
    return counts.assign(platform_ci_low=low, platform_ci_high=high)


# -- shifts ----------------------------------------------------------------------------------------


def change_points(series: pd.Series, penalty: float | None = None, min_size: int = 3) -> list[int]:
    """Positions where the level of a series changes (PELT with an L2 cost, from `ruptures`).

    The default penalty is 2·σ²·log(n) — the BIC-style choice for a Gaussian mean shift — with σ estimated
    robustly from the differences, so a flat noisy series gives no change points.
    """
    import ruptures

    values = np.asarray(series, dtype=float)
    n = len(values)
    if n < 2 * min_size:
        return []
    if penalty is None:
        sigma = np.median(np.abs(np.diff(values))) / (0.6745 * math.sqrt(2)) if n > 1 else 0.0
        sigma = sigma or (values.std() or 1e-9)
        penalty = 2 * sigma**2 * math.log(n) * 1.5
    algo = ruptures.Pelt(model="l2", min_size=min_size, jump=1).fit(values.reshape(-1, 1))
    return [b for b in algo.predict(pen=penalty) if b < n]


def bursts(counts: pd.Series, totals: pd.Series | None = None, s_ratio: float = 2.0, gamma: float = 1.0) -> pd.Series:
    """Kleinberg's two-state burst detection over batches: True where the series is in the burst state.

    `counts` are the events per period (mentions of an actor, documents of a topic) and `totals` the trials
    (documents in the period); without totals a uniform denominator is used.
    """
    r = np.asarray(counts, dtype=float)
    d = np.asarray(totals, dtype=float) if totals is not None else np.full_like(r, max(r.max(), 1) * 2)
    n = len(r)
    if n == 0 or d.sum() == 0:
        return pd.Series(np.zeros(n, dtype=bool), index=getattr(counts, "index", None))
    p0 = r.sum() / d.sum()
    p1 = min(p0 * s_ratio, 0.9999)
    p = [max(p0, 1e-9), p1]

    def cost(state: int, i: int) -> float:
        if d[i] == 0:
            return 0.0
        return -(r[i] * math.log(p[state]) + (d[i] - r[i]) * math.log(1 - p[state]))

    trans = gamma * math.log(n)
    best = [cost(0, 0), cost(1, 0) + trans]
    back: list[list[int]] = []
    for i in range(1, n):
        new, ptr = [], []
        for state in (0, 1):
            stay = best[state]
            switch = best[1 - state] + (trans if state == 1 else 0.0)
            if stay <= switch:
                new.append(stay + cost(state, i))
                ptr.append(state)
            else:
                new.append(switch + cost(state, i))
                ptr.append(1 - state)
        best = new
        back.append(ptr)
    state = int(np.argmin(best))
    path = [state]
    for ptr in reversed(back):
        state = ptr[state]
        path.append(state)
    path.reverse()
    return pd.Series(np.array(path, dtype=bool), index=getattr(counts, "index", None))


@dataclass
class WindowComparison:
    """One row of an emerging/fading ranking."""

    key: object
    before: int
    after: int
    before_total: int
    after_total: int


def emerging_and_fading(
    items: pd.DataFrame, key: str, window_a: tuple, window_b: tuple, date_col: str = s.DATE, min_count: int = 3,
) -> pd.DataFrame:
    """Rank items (topics or actors: one row per document and item) by the change of their document share
    between two date windows. Effect size: log odds ratio with a 0.5 continuity correction; significance:
    two-proportion z-test (two-sided p). Positive = emerging in window B."""
    from scipy.stats import norm

    a = items[(items[date_col] >= pd.Timestamp(window_a[0])) & (items[date_col] < pd.Timestamp(window_a[1]))]
    b = items[(items[date_col] >= pd.Timestamp(window_b[0])) & (items[date_col] < pd.Timestamp(window_b[1]))]
    n_a, n_b = a[s.DOC_ID].nunique(), b[s.DOC_ID].nunique()
    ca = a.groupby(key)[s.DOC_ID].nunique()
    cb = b.groupby(key)[s.DOC_ID].nunique()
    frame = pd.concat([ca.rename("before"), cb.rename("after")], axis=1).fillna(0).astype(int)
    frame = frame[(frame["before"] + frame["after"]) >= min_count]
    if frame.empty or n_a == 0 or n_b == 0:
        return pd.DataFrame(columns=[key, "before", "after", "share_before", "share_after", "log_odds_ratio",
                                     "z", "p_value"])
    x1, x2 = frame["before"].to_numpy(float), frame["after"].to_numpy(float)
    lor = np.log((x2 + 0.5) / (n_b - x2 + 0.5)) - np.log((x1 + 0.5) / (n_a - x1 + 0.5))
    pooled = (x1 + x2) / (n_a + n_b)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = np.where(se > 0, (x2 / n_b - x1 / n_a) / np.where(se > 0, se, 1), 0.0)
    out = frame.assign(share_before=x1 / n_a, share_after=x2 / n_b, log_odds_ratio=lor, z=z,
                       p_value=2 * norm.sf(np.abs(z)), before_total=n_a, after_total=n_b)
    return out.reset_index(names=key).sort_values("log_odds_ratio", ascending=False, ignore_index=True)


# -- lead and lag ----------------------------------------------------------------------------------


def lead_lag(x: pd.Series, y: pd.Series, max_lag: int = 6, permutations: int = 999, seed: int = 42) -> dict:
    """Does y follow x? Cross-correlation of the two (aligned) series at lags -max_lag..max_lag, where a
    positive lag k means y at t correlates with x at t-k (x leads by k). The best lag's p-value comes from a
    permutation test that shuffles x in time and takes the maximum |r| over all lags each time, so the test
    accounts for having looked at every lag."""
    a = np.asarray(x, dtype=float)
    b = np.asarray(y, dtype=float)
    if len(a) != len(b):
        raise ValueError("lead_lag needs two series over the same periods")

    def corr_at(u: np.ndarray, v: np.ndarray, k: int) -> float:
        if k > 0:
            u, v = u[:-k], v[k:]
        elif k < 0:
            u, v = u[-k:], v[:k]
        if len(u) < 3 or u.std() == 0 or v.std() == 0:
            return 0.0
        return float(np.corrcoef(u, v)[0, 1])

    lags = list(range(-max_lag, max_lag + 1))
    rs = [corr_at(a, b, k) for k in lags]
    best = int(np.argmax(np.abs(rs)))
    observed = abs(rs[best])
    rng = np.random.default_rng(seed)
    exceed = 0
    for _ in range(permutations):
        shuffled = rng.permutation(a)
        if max(abs(corr_at(shuffled, b, k)) for k in lags) >= observed:
            exceed += 1
    p = (exceed + 1) / (permutations + 1)
    return {"best_lag": lags[best], "r": rs[best], "p_value": p, "lags": lags, "correlations": rs}


# -- share of voice --------------------------------------------------------------------------------


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


# -- co-occurrence ---------------------------------------------------------------------------------


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


def pair_counts(incidence: pd.DataFrame, actors: pd.DataFrame, min_count: int = 2) -> pd.DataFrame:
    """Pairs of actors named in the same unit, per period, from (period, unit, actor) integer rows and the actors
    (actor code → canonical_id, canonical_name) — the store's actor_incidence.

    Per period the unit × actor incidence matrix X gives every pair's count at once in XᵀX (its diagonal: the
    units naming each actor), instead of joining every unit's actors with each other. Returns period, a, b,
    a_name, b_name, count, a_units, b_units, units for pmi_table."""
    from scipy import sparse

    columns = [s.PERIOD, "a", "b", "a_name", "b_name", s.COUNT, "a_units", "b_units", "units"]
    ids = actors.set_index("actor")
    periods = incidence[s.PERIOD].to_numpy()
    one_period = len(periods) == 0 or (periods[0] == periods).all()  # the Actors page: no granularity
    groups = [(periods[0] if len(periods) else None, incidence)] if one_period else incidence.groupby(s.PERIOD)
    parts = []
    for period, group in groups:
        if group.empty:
            continue
        rows = pd.factorize(group["unit"].to_numpy())[0]  # hashing, not sorting: units in any order
        x = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, group["actor"].to_numpy())),
                              shape=(rows.max() + 1, len(actors)))
        x.sum_duplicates()
        single = np.bincount(x.indices, minlength=len(actors))  # units naming each actor (once per unit)
        x.data[:] = 1
        shared = x[np.diff(x.indptr) >= 2]  # only units naming two or more actors hold pairs (few sentences do)
        together = sparse.triu(shared.T @ shared, k=1).tocoo()
        keep = together.data >= min_count
        a, b, count = together.row[keep], together.col[keep], together.data[keep]
        parts.append(pd.DataFrame({
            s.PERIOD: period, "a": ids["canonical_id"].to_numpy()[a], "b": ids["canonical_id"].to_numpy()[b],
            "a_name": ids["canonical_name"].to_numpy()[a], "b_name": ids["canonical_name"].to_numpy()[b],
            s.COUNT: count.astype(int), "a_units": single[a], "b_units": single[b], "units": x.shape[0]}))
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def pmi_table(counts: pd.DataFrame, names: pd.Series | dict | None = None) -> pd.DataFrame:
    """Pair counts (period, a, b, count, a_units, b_units, units — from cooccurrence, or pair_counts over the
    store's actor_incidence, which brings a_name and b_name) with names and PMI = log( P(a,b) / (P(a) P(b)) )
    over the period's units."""
    columns = [s.PERIOD, "a", "b", "a_name", "b_name", s.COUNT, "pmi", "units"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    n = counts["units"].astype(float)
    pmi = np.log((counts[s.COUNT] / n) / ((counts["a_units"] / n) * (counts["b_units"] / n)))
    out = counts.assign(pmi=pmi.astype(float))
    if names is not None:
        names = pd.Series(names) if isinstance(names, dict) else names
        out = out.assign(a_name=out["a"].map(names), b_name=out["b"].map(names))
    out = out.assign(a_name=out["a_name"].fillna(out["a"]), b_name=out["b_name"].fillna(out["b"]))
    out[[s.COUNT, "units"]] = out[[s.COUNT, "units"]].astype(int)
    return out[columns].sort_values([s.PERIOD, s.COUNT, "pmi"], ascending=[True, False, False], ignore_index=True)


# -- events ----------------------------------------------------------------------------------------


def event_impact(
    items: pd.DataFrame, events: pd.DataFrame, key: str, window_days: int = 60, top: int = 5,
) -> pd.DataFrame:
    """For each event: the items (topics or actors) whose document share changed most in `window_days`
    after the event compared with the same span before it."""
    rows = []
    for _, event in events.iterrows():
        day = pd.Timestamp(event[s.DATE])
        ranked = emerging_and_fading(items, key, (day - pd.Timedelta(days=window_days), day),
                                     (day, day + pd.Timedelta(days=window_days)), min_count=2)
        if ranked.empty:
            continue
        ranked = ranked.reindex(ranked["log_odds_ratio"].abs().sort_values(ascending=False).index).head(top)
        for _, r in ranked.iterrows():
            rows.append({"event_date": day, "event": event["label"], key: r[key], "before": int(r["before"]),
                         "after": int(r["after"]), "share_before": r["share_before"], "share_after": r["share_after"],
                         "log_odds_ratio": r["log_odds_ratio"], "p_value": r["p_value"]})
    return pd.DataFrame(rows)


# -- keyword in context ----------------------------------------------------------------------------


def keyword_in_context(documents: pd.DataFrame, term: str, width: int = 0) -> pd.DataFrame:
    """Every sentence that contains `term` (case-insensitive, whole word), with document, date and source."""
    import re

    pattern = re.compile(rf"(?i)(?<!\w){re.escape(term)}(?!\w)")
    splitter = re.compile(r"(?<=[.!?])\s+|\n+")
    rows = []
    for _, doc in documents.iterrows():
        text = doc[s.TEXT] or ""
        if not pattern.search(text):
            continue
        pos = 0
        for piece in splitter.split(text):
            start = text.find(piece, pos)
            pos = start + len(piece)
            for m in pattern.finditer(piece):
                rows.append({s.DOC_ID: doc[s.ID], s.DATE: doc[s.DATE], s.SOURCE: doc.get(s.SOURCE),
                             "sentence": piece.strip(), "match_start": start + m.start(),
                             "match_end": start + m.end()})
    return pd.DataFrame(rows, columns=[s.DOC_ID, s.DATE, s.SOURCE, "sentence", "match_start", "match_end"])


def read_lexicon(path) -> dict[str, list[str]]:
    """A framing lexicon: a CSV with columns frame,term (one term per row; whole words, case-insensitive)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if not {"frame", "term"} <= set(frame.columns):
        from .errors import InputError

        raise InputError(str(path), "a lexicon needs the columns frame and term")
    frame = frame[(frame["frame"].str.strip() != "") & (frame["term"].str.strip() != "")]
    return {name: sorted(set(group["term"].str.strip())) for name, group in frame.groupby("frame")}


def lexicon_shares(documents: pd.DataFrame, lexicon: dict[str, list[str]], granularity: str = "year") -> pd.DataFrame:
    """Per period and frame: documents using at least one of the frame's terms, their share of the period's dated
    documents with a Wilson interval, and their ids — a transparent dictionary measure of framing beside the
    topic model (e.g. victory and state-building words against endurance and attrition words)."""
    import re

    dated = documents[documents[s.DATE].notna()]
    if dated.empty or not lexicon:
        return pd.DataFrame(columns=[s.PERIOD, "frame", s.COUNT, s.TOTAL, s.SHARE, s.CI_LOW, s.CI_HIGH, "doc_ids"])
    periods = period_start(dated[s.DATE], granularity)
    totals = periods.value_counts()
    rows = []
    texts = dated[s.TEXT].fillna("").str.lower()
    for name, terms in lexicon.items():
        pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(t.lower())}(?![\w-])" for t in terms))
        hit = texts.map(lambda t, p=pattern: bool(p.search(t)))
        for period, total in totals.sort_index().items():
            mask = hit & (periods == period)
            rows.append({s.PERIOD: period, "frame": name, s.COUNT: int(mask.sum()), s.TOTAL: int(total),
                         "doc_ids": dated.loc[mask, s.ID].tolist()})
    out = pd.DataFrame(rows)
    out[s.SHARE] = out[s.COUNT] / out[s.TOTAL]
    low, high = wilson_interval(out[s.COUNT].to_numpy(), out[s.TOTAL].to_numpy())
    return out.assign(**{s.CI_LOW: low, s.CI_HIGH: high})


# -- comparison ------------------------------------------------------------------------------------


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
