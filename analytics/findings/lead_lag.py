"""Lead and lag: does a subject's share in one source type (or source) rise a few periods before it rises in another?

Null hypothesis: the two share series are independent. Both may drift slowly (attention comes in waves), and two
independent drifting series correlate at every lag far more often than chance suggests, so a shuffle of one series
is no test (it breaks that drift). Instead each direction is tested after pre-whitening (Box–Jenkins): an
autoregressive model of order 0–`max_ar_order` (chosen by AIC) is fitted on the would-be leader and the same
filter is applied to both series; the leader's filtered series is then close to white noise, so its lagged
correlation with the filtered follower has a known spread whatever the follower's own memory. Each lag 1..`max_lag`
in both directions gets a one-sided test of a positive correlation (a z whose spread is estimated from each
series' local scatter, referred to a t distribution), and the best of the 2·`max_lag` gets a Šidák correction.
Lag 0 (moving together) is not a lead, and neither is a lag that shows in both directions alike: two series that
follow one common wave with noise correlate at lag 1 both ways. So the lead must also be asymmetric
(`asymmetry_test`); the p-value is the larger of the two tests' (both must reject).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.special import stdtr

from .. import schema as s
from .counts import CountTable
from .finding import Finding
from .settings import FindingsSettings

TEST = ("pre-whitened lagged correlation (AR fitted on the leader) and lead/lag asymmetry (Newey-West), "
        "Šidák over lags, both must reject")


@dataclass(frozen=True)
class LeadLag:
    """The strongest lead found between two series: which leads, by how many periods, its correlation and p."""

    x_leads: bool
    lag: int
    correlation: float
    p_value: float
    ar_order: int


def ar_filter(x: np.ndarray, max_order: int) -> tuple[np.ndarray, int]:
    """Least-squares AR coefficients of the centred series, order 0..max_order chosen by AIC on a common sample."""
    centred = x - x.mean()
    length = len(x)
    best, best_aic = np.zeros(0), None
    target = centred[max_order:]
    for order in range(max_order + 1):
        if order == 0:
            residual = target
            coef = np.zeros(0)
        else:
            design = np.column_stack([centred[max_order - i:length - i] for i in range(1, order + 1)])
            coef, *_ = np.linalg.lstsq(design, target, rcond=None)
            residual = target - design @ coef
        aic = len(target) * np.log(max(float(residual @ residual) / len(target), 1e-300)) + 2 * order
        if best_aic is None or aic < best_aic - 1e-9:
            best, best_aic = coef, aic
    return best, len(best)


def apply_filter(x: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """x_t − Σ a_i·x_{t−i} of the centred series, for t ≥ order."""
    centred = x - x.mean()
    order = len(coef)
    out = centred[order:].copy()
    for i, a in enumerate(coef, start=1):
        out -= a * centred[order - i:len(x) - i]
    return out


def local_mean(x: np.ndarray, half_window: int = 3) -> np.ndarray:
    """Mean of x over each position's neighbourhood of ±half_window positions (fewer at the ends)."""
    return np.convolve(x, np.ones(2 * half_window + 1), mode="same") / _neighbours(len(x), half_window)


@lru_cache(maxsize=256)
def _neighbours(length: int, half_window: int) -> np.ndarray:
    """How many positions each position's neighbourhood holds (the same for every series of this length: made
    once, as tens of thousands of tests ask for it)."""
    kernel = np.ones(2 * half_window + 1)
    return np.convolve(np.ones(length), kernel, mode="same")


def _t_sf(t: list[float], df: list[float]) -> np.ndarray:
    """P(T > t) for Student's t with `df` degrees of freedom: scipy.stats.t.sf's own formula (stdtr), without its
    argument checks, which cost more than the thousands of sums each test makes."""
    return stdtr(np.asarray(df, dtype=float), -np.asarray(t, dtype=float))


def _one_direction(leader: np.ndarray, follower: np.ndarray, max_lag: int, max_order: int):
    coef, order = ar_filter(leader, max_order)
    e, f = apply_filter(leader, coef), apply_filter(follower, coef)
    tested = []  # (z, degrees of freedom, lag, correlation)
    for lag in range(1, max_lag + 1):
        a, b = e[:-lag], f[lag:]
        if len(a) < 8:
            continue
        a, b = a - a.mean(), b - b.mean()
        # Under independence Var(Σ a·b) = Σ E[a²]·E[b²]; each expectation is estimated from the series' own
        # neighbouring periods, so periods thin in both series (large scatter in both) are weighed correctly
        # and a real co-movement does not inflate its own yardstick.
        spread = float(np.sqrt(np.sum(local_mean(a**2) * local_mean(b**2))))
        if spread == 0 or a.std() == 0 or b.std() == 0:
            continue
        tested.append((float(np.sum(a * b)) / spread, len(a) - 1, lag, _correlation(a, b)))
    if not tested:
        return [], order
    # every lag's p-value in one call of the t distribution (one call per lag cost more than the sums)
    p_values = _t_sf([z for z, *_ in tested], [df for _, df, *_ in tested])
    return [(float(p), lag, r) for p, (_, _, lag, r) in zip(p_values, tested, strict=True)], order


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson's r, as np.corrcoef gives it (centred again, clipped to [-1, 1]), without its general machinery."""
    a, b = a - a.mean(), b - b.mean()
    r = float(np.dot(a, b) / np.sqrt(np.dot(a, a) * np.dot(b, b)))
    return min(max(r, -1.0), 1.0)


def lagged_correlation_test(x: np.ndarray, y: np.ndarray, max_lag: int = 4, max_order: int = 3) -> LeadLag | None:
    """The strongest positive lagged correlation between x and y in either direction, with its Šidák p-value."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    forward, order_x = _one_direction(x, y, max_lag, max_order)
    backward, order_y = _one_direction(y, x, max_lag, max_order)
    candidates = [(p, lag, r, True, order_x) for p, lag, r in forward] + \
                 [(p, lag, r, False, order_y) for p, lag, r in backward]
    if not candidates:
        return None
    p, lag, r, x_leads, order = min(candidates)
    p_lagged = float(1 - (1 - p) ** len(candidates))
    p_asymmetry = asymmetry_test(x, y, max_lag, max_order)
    # Both must hold (an intersection-union test, so the p-value is the larger one): the lagged correlation
    # rules out independent drifting series, the asymmetry rules out two series that move together.
    return LeadLag(x_leads, lag, r, max(p_lagged, p_asymmetry), order)


def asymmetry_test(x: np.ndarray, y: np.ndarray, max_lag: int = 4, max_order: int = 3) -> float:
    """p-value that x's past says as much about y as x's future does, at every lag (no lead either way).

    Two series driven by one common wave (both measured with noise) correlate at lag k in both directions alike,
    so a lead shows as an asymmetry. Both series are standardised and filtered with one AR model (fitted on their
    average); at each lag k, b[t] is regressed on a[t-k] and a[t+k] and the difference of the two coefficients is
    tested against zero with a Newey–West (Bartlett) standard error, referred to a t distribution; Šidák over lags.
    """
    xs = (x - x.mean()) / (x.std() or 1.0)
    ys = (y - y.mean()) / (y.std() or 1.0)
    coef, _ = ar_filter((xs + ys) / 2, max_order)
    a, b = apply_filter(xs, coef), apply_filter(ys, coef)
    contrast = np.array([1.0, -1.0, 0.0])
    tested = []  # (|t|, degrees of freedom) of each lag
    for lag in range(1, max_lag + 1):
        n = len(a) - 2 * lag
        if n < 10:
            continue
        design = np.column_stack([a[:n], a[2 * lag:2 * lag + n], np.ones(n)])  # a[t-k], a[t+k] for b[t]
        target = b[lag:lag + n]
        beta, *_ = np.linalg.lstsq(design, target, rcond=None)
        variance = _newey_west_covariance(design, target - design @ beta)
        se = float(np.sqrt(max(contrast @ variance @ contrast, 0.0)))
        if se == 0:
            continue
        tested.append((abs(contrast @ beta) / se, n - design.shape[1]))
    if not tested:
        return 1.0
    p_values = [float(2 * p) for p in _t_sf([t for t, _ in tested], [df for _, df in tested])]
    return float(1 - (1 - min(p_values)) ** len(p_values))


def _newey_west_covariance(design: np.ndarray, residual: np.ndarray) -> np.ndarray:
    """Heteroscedasticity- and autocorrelation-consistent covariance of OLS coefficients (Bartlett kernel)."""
    n, k = design.shape
    bandwidth = int(np.floor(4 * (n / 100) ** (2 / 9)))
    scores = design * residual[:, None]
    meat = scores.T @ scores
    for lag in range(1, bandwidth + 1):
        cross = scores[lag:].T @ scores[:-lag]
        meat += (1 - lag / (bandwidth + 1)) * (cross + cross.T)
    bread = np.linalg.pinv(design.T @ design)
    return bread @ meat @ bread * n / (n - k)


def lead_lag_findings(table: CountTable, settings: FindingsSettings) -> list[Finding]:
    """Every subject, every pair of source types (and of the chosen sources) with enough documents, tested."""
    out: list[Finding] = []
    groups = [(s.SOURCE_TYPE, name) for name in sorted(table.docs[s.SOURCE_TYPE].unique())]
    groups += [(s.SOURCE, name) for name in settings.sources if name in set(table.docs[s.SOURCE])]
    series = {}
    for column, name in groups:
        mask = (table.docs[column] == name).to_numpy()
        series[(column, name)] = (*table.group_counts(mask), mask)
    subjects = list(table.subjects.iterrows())  # once, not once per pair of groups
    for (ga, gb) in itertools.combinations(groups, 2):
        if ga[0] != gb[0]:
            continue
        ka, na, mask_a = series[ga]
        kb, nb, mask_b = series[gb]
        both = (na > 0) & (nb > 0)
        if both.sum() < settings.min_lead_lag_periods:
            continue
        span = np.flatnonzero(both)
        first, stop = span[0], span[-1] + 1
        behind = table.period_mask(first, stop) & (mask_a | mask_b)  # the same for every subject of the pair
        for j, subject in subjects:
            if (ka[j].sum() < settings.min_lead_lag_subject_documents
                    or kb[j].sum() < settings.min_lead_lag_subject_documents):
                continue
            x = _share_series(ka[j][first:stop], na[first:stop])
            y = _share_series(kb[j][first:stop], nb[first:stop])
            result = lagged_correlation_test(x, y, settings.max_lag, settings.max_ar_order)
            if result is None:
                continue
            lead, follow = (ga, gb) if result.x_leads else (gb, ga)
            k_lead, k_follow = (ka, kb) if result.x_leads else (kb, ka)
            n_lead, n_follow = (na, nb) if result.x_leads else (nb, na)
            out.append(Finding(
                kind="lead_lag", subject=str(subject["subject"]), subject_type=str(subject["subject_type"]),
                subject_id=str(subject["subject_id"]), test=TEST, p_value=result.p_value,
                effect=result.correlation, effect_name="correlation of the pre-whitened shares at the lag",
                n_documents=int(na[first:stop].sum() + nb[first:stop].sum()),
                doc_ids=table.evidence(j, behind), granularity=table.granularity,
                leader=lead[1], follower=follow[1], lag=result.lag,
                before_count=int(k_lead[j][first:stop].sum()), before_total=int(n_lead[first:stop].sum()),
                after_count=int(k_follow[j][first:stop].sum()), after_total=int(n_follow[first:stop].sum()),
                before_label=f"in {lead[1]}", after_label=f"in {follow[1]}",
                details={"ar_order": result.ar_order, "periods": int(stop - first), "grouped_by": ga[0]},
            ))
    return out


def _share_series(k: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Share per period; a period without documents takes the series' overall share (it adds no signal)."""
    overall = k.sum() / max(n.sum(), 1)
    return np.where(n > 0, k / np.where(n > 0, n, 1), overall)
