"""Shifts: change points, bursts, emerging and fading items, lead and lag, what changed after an event."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import schema as s
from ..config import setting


def change_points(series: pd.Series, penalty: float | None = None, min_size: int = 3) -> list[int]:
    """Positions where the level of a series changes (PELT with an L2 cost, from `ruptures`).

    The default penalty is 3·σ²·log(n): the BIC-style 2·σ²·log(n) for a Gaussian mean shift, made 1.5 times
    stricter, with σ estimated robustly from the differences, so a flat noisy series gives no change points.
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


def lead_lag(x: pd.Series, y: pd.Series, max_lag: int = 6, permutations: int = int(setting("permutations")),
             seed: int = int(setting("seed"))) -> dict:
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


def event_impact(
    items: pd.DataFrame, events: pd.DataFrame, key: str, window_days: int = int(setting("event_window_days")),
    top: int = 5,
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
