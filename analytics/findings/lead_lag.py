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
from scipy.ndimage import convolve1d
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


def ar_fit(rows: np.ndarray, max_order: int) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares AR coefficients of each row's centred series, order 0..max_order chosen by AIC on a common
    sample: (coefficients, rows × max_order, zero beyond a row's order; the orders)."""
    centred = rows - rows.mean(axis=1, keepdims=True)
    length = rows.shape[1]
    target = centred[:, max_order:]
    used = target.shape[1]
    best = np.zeros((len(rows), max_order))
    best_order = np.zeros(len(rows), dtype=int)
    best_aic = np.full(len(rows), np.inf)
    for order in range(max_order + 1):
        if order == 0:
            coef, residual = np.zeros((len(rows), 0)), target
        else:
            design = np.stack([centred[:, max_order - i:length - i] for i in range(1, order + 1)], axis=2)
            coef = _least_squares(design, target)
            residual = target - np.einsum("stk,sk->st", design, coef)
        aic = used * np.log(np.maximum(np.einsum("st,st->s", residual, residual) / used, 1e-300)) + 2 * order
        better = (aic < best_aic - 1e-9) | (order == 0)
        best[better] = np.pad(coef[better], ((0, 0), (0, max_order - order)))
        best_order[better] = order
        best_aic[better] = aic[better]
    return best, best_order


def _least_squares(design: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Each row's least-squares solution (minimum norm, as np.linalg.lstsq gives it) for a stack of designs."""
    cutoff = np.finfo(float).eps * max(design.shape[1:])
    return np.einsum("skt,st->sk", np.linalg.pinv(design, rcond=cutoff), target)


def ar_filter(x: np.ndarray, max_order: int) -> tuple[np.ndarray, int]:
    """One series' AR coefficients (order 0..max_order by AIC) and its order."""
    coef, order = ar_fit(np.asarray(x, dtype=float)[None], max_order)
    return coef[0, :order[0]], int(order[0])


def apply_filter(x: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """x_t − Σ a_i·x_{t−i} of the centred series, for t ≥ order."""
    return _filtered(np.asarray(x, dtype=float)[None], np.asarray(coef, dtype=float)[None])[0]


def _filtered(rows: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """`apply_filter` on every row, each with its own coefficients (all of one order)."""
    centred = rows - rows.mean(axis=1, keepdims=True)
    order, length = coef.shape[1], rows.shape[1]
    out = centred[:, order:].copy()
    for i in range(1, order + 1):
        out -= coef[:, i - 1:i] * centred[:, order - i:length - i]
    return out


def local_mean(x: np.ndarray, half_window: int = 3) -> np.ndarray:
    """Mean of x (along its last axis) over each position's neighbourhood of ±half_window positions (fewer at the
    ends)."""
    sums = convolve1d(x, np.ones(2 * half_window + 1), axis=-1, mode="constant")
    return sums / _neighbours(x.shape[-1], half_window)


@lru_cache(maxsize=256)
def _neighbours(length: int, half_window: int) -> np.ndarray:
    """How many positions each position's neighbourhood holds (the same for every series of this length: made
    once, as tens of thousands of tests ask for it)."""
    kernel = np.ones(2 * half_window + 1)
    return np.convolve(np.ones(length), kernel, mode="same")


def _t_sf(t, df) -> np.ndarray:
    """P(T > t) for Student's t with `df` degrees of freedom: scipy.stats.t.sf's own formula (stdtr), without its
    argument checks, which cost more than the thousands of sums each test makes."""
    return stdtr(np.asarray(df, dtype=float), -np.asarray(t, dtype=float))


def _lagged(leaders: np.ndarray, followers: np.ndarray, max_lag: int,
            max_order: int) -> tuple[list[list[tuple[float, int, float]]], np.ndarray]:
    """For each row, (p, lag, correlation) of every testable lag at which the leader's pre-whitened series leads
    the follower's, in lag order; and the AR order fitted on each leader."""
    coef, orders = ar_fit(leaders, max_order)
    tested = []  # (rows, z, degrees of freedom, lag, correlation, testable)
    for order in np.unique(orders):
        rows = np.flatnonzero(orders == order)
        e, f = _filtered(leaders[rows], coef[rows, :order]), _filtered(followers[rows], coef[rows, :order])
        for lag in range(1, max_lag + 1):
            a, b = e[:, :-lag], f[:, lag:]
            if a.shape[1] < 8:
                continue
            a, b = a - a.mean(axis=1, keepdims=True), b - b.mean(axis=1, keepdims=True)
            # Under independence Var(Σ a·b) = Σ E[a²]·E[b²]; each expectation is estimated from the series' own
            # neighbouring periods, so periods thin in both series (large scatter in both) are weighed correctly
            # and a real co-movement does not inflate its own yardstick.
            spread = np.sqrt(np.sum(local_mean(a**2) * local_mean(b**2), axis=1))
            testable = (spread != 0) & (a.std(axis=1) != 0) & (b.std(axis=1) != 0)
            z = np.sum(a * b, axis=1) / np.where(testable, spread, 1.0)
            tested.append((rows, z, a.shape[1] - 1, lag, _correlations(a, b), testable))
    found: list[list[tuple[float, int, float]]] = [[] for _ in range(len(leaders))]
    if tested:
        # every lag's p-value in one call of the t distribution
        p_values = _t_sf(np.concatenate([z for _, z, *_ in tested]),
                         np.concatenate([np.full(len(z), df) for _, z, df, *_ in tested]))
        start = 0
        for rows, z, _, lag, r, testable in tested:
            for row, p, corr, ok in zip(rows, p_values[start:start + len(z)], r, testable, strict=True):
                if ok:
                    found[row].append((float(p), lag, float(corr)))
            start += len(z)
    return found, orders


def _correlations(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pearson's r of each row pair, as np.corrcoef gives it (centred again, clipped to [-1, 1])."""
    a, b = a - a.mean(axis=1, keepdims=True), b - b.mean(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.einsum("st,st->s", a, b) / np.sqrt(np.einsum("st,st->s", a, a) * np.einsum("st,st->s", b, b))
    return np.clip(r, -1.0, 1.0)


def lead_lag_tests(x: np.ndarray, y: np.ndarray, max_lag: int = 4, max_order: int = 3) -> list[LeadLag | None]:
    """For each row of x and y (series of one length), the strongest positive lagged correlation in either
    direction with its Šidák p-value, which must also pass the asymmetry test (None: no lag could be tested).

    The rows are tested together (one least-squares call for all of them) because a corpus asks for hundreds of
    pairs of series of one length; each row's answer is the one it would get alone."""
    x, y = np.atleast_2d(np.asarray(x, dtype=float)), np.atleast_2d(np.asarray(y, dtype=float))
    # a share that never moves leads nothing and follows nothing (its centred series is rounding error)
    constant = (np.ptp(x, axis=1) == 0) | (np.ptp(y, axis=1) == 0)
    forward, orders_x = _lagged(x, y, max_lag, max_order)
    backward, orders_y = _lagged(y, x, max_lag, max_order)
    asymmetry = asymmetry_tests(x, y, max_lag, max_order)
    out: list[LeadLag | None] = []
    for row in range(len(x)):
        candidates = [(p, lag, r, True, int(orders_x[row])) for p, lag, r in forward[row]] + \
                     [(p, lag, r, False, int(orders_y[row])) for p, lag, r in backward[row]]
        if constant[row] or not candidates:
            out.append(None)
            continue
        p, lag, r, x_leads, order = min(candidates)
        p_lagged = float(1 - (1 - p) ** len(candidates))
        # Both must hold (an intersection-union test, so the p-value is the larger one): the lagged correlation
        # rules out independent drifting series, the asymmetry rules out two series that move together.
        out.append(LeadLag(x_leads, lag, r, max(p_lagged, float(asymmetry[row])), order))
    return out


def lagged_correlation_test(x: np.ndarray, y: np.ndarray, max_lag: int = 4, max_order: int = 3) -> LeadLag | None:
    """`lead_lag_tests` for one pair of series."""
    return lead_lag_tests(np.asarray(x, dtype=float)[None], np.asarray(y, dtype=float)[None], max_lag, max_order)[0]


def asymmetry_tests(x: np.ndarray, y: np.ndarray, max_lag: int = 4, max_order: int = 3) -> np.ndarray:
    """For each row, the p-value that x's past says as much about y as x's future does, at every lag (no lead
    either way).

    Two series driven by one common wave (both measured with noise) correlate at lag k in both directions alike,
    so a lead shows as an asymmetry. Both series are standardised and filtered with one AR model (fitted on their
    average); at each lag k, b[t] is regressed on a[t-k] and a[t+k] and the difference of the two coefficients is
    tested against zero with a Newey–West (Bartlett) standard error, referred to a t distribution; Šidák over lags.
    """
    xs, ys = _standardised(x), _standardised(y)
    coef, orders = ar_fit((xs + ys) / 2, max_order)
    contrast = np.array([1.0, -1.0, 0.0])
    tested = []  # (rows, |t|, degrees of freedom, testable)
    for order in np.unique(orders):
        rows = np.flatnonzero(orders == order)
        a, b = _filtered(xs[rows], coef[rows, :order]), _filtered(ys[rows], coef[rows, :order])
        for lag in range(1, max_lag + 1):
            n = a.shape[1] - 2 * lag
            if n < 10:
                continue
            # a[t-k], a[t+k] and a constant for b[t]
            design = np.stack([a[:, :n], a[:, 2 * lag:2 * lag + n], np.ones((len(rows), n))], axis=2)
            target = b[:, lag:lag + n]
            beta = _least_squares(design, target)
            variance = _newey_west_covariance(design, target - np.einsum("snk,sk->sn", design, beta))
            contrast_variance = np.einsum("k,skl,l->s", contrast, variance, contrast)
            se = np.sqrt(np.maximum(contrast_variance, 0.0))
            # The two coefficients can be estimated as one (a series of a few isolated spikes): their difference
            # then has no spread at all, which rounding shows as ±1e-17 rather than 0, and a test on it would
            # claim a lead from rounding error.
            testable = contrast_variance > 1e-10 * (variance[:, 0, 0] + variance[:, 1, 1])
            t = np.abs(beta @ contrast) / np.where(testable, se, 1.0)
            tested.append((rows, t, n - design.shape[2], testable))
    smallest = np.full(len(xs), np.inf)
    counted = np.zeros(len(xs), dtype=int)
    if tested:
        p_values = 2 * _t_sf(np.concatenate([t for _, t, *_ in tested]),
                             np.concatenate([np.full(len(t), df) for _, t, df, _ in tested]))
        start = 0
        for rows, t, _, testable in tested:
            p = p_values[start:start + len(t)]
            smallest[rows[testable]] = np.minimum(smallest[rows[testable]], p[testable])
            counted[rows[testable]] += 1
            start += len(t)
    return np.where(counted > 0, 1 - (1 - np.where(counted > 0, smallest, 0.0)) ** counted, 1.0)


def asymmetry_test(x: np.ndarray, y: np.ndarray, max_lag: int = 4, max_order: int = 3) -> float:
    """`asymmetry_tests` for one pair of series."""
    return float(asymmetry_tests(np.asarray(x, dtype=float)[None], np.asarray(y, dtype=float)[None],
                                 max_lag, max_order)[0])


def _standardised(rows: np.ndarray) -> np.ndarray:
    spread = rows.std(axis=1, keepdims=True)
    return (rows - rows.mean(axis=1, keepdims=True)) / np.where(spread == 0, 1.0, spread)


def _newey_west_covariance(design: np.ndarray, residual: np.ndarray) -> np.ndarray:
    """Heteroscedasticity- and autocorrelation-consistent covariance of OLS coefficients (Bartlett kernel), for a
    stack of designs (rows × n × k) and their residuals (rows × n)."""
    n, k = design.shape[1:]
    bandwidth = int(np.floor(4 * (n / 100) ** (2 / 9)))
    scores = design * residual[:, :, None]
    meat = np.einsum("snk,snl->skl", scores, scores)
    for lag in range(1, bandwidth + 1):
        cross = np.einsum("snk,snl->skl", scores[:, lag:], scores[:, :-lag])
        meat += (1 - lag / (bandwidth + 1)) * (cross + cross.transpose(0, 2, 1))
    bread = np.linalg.pinv(np.einsum("snk,snl->skl", design, design))
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
        tested = [(j, subject) for j, subject in subjects
                  if ka[j].sum() >= settings.min_lead_lag_subject_documents
                  and kb[j].sum() >= settings.min_lead_lag_subject_documents]
        if not tested:
            continue
        rows = [j for j, _ in tested]
        results = lead_lag_tests(_share_series(ka[rows, first:stop], na[first:stop]),
                                 _share_series(kb[rows, first:stop], nb[first:stop]),
                                 settings.max_lag, settings.max_ar_order)
        for (j, subject), result in zip(tested, results, strict=True):
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
    """Share per period of each row of k; a period without documents takes the row's overall share (it adds no
    signal)."""
    overall = k.sum(axis=-1, keepdims=True) / max(n.sum(), 1)
    return np.where(n > 0, k / np.where(n > 0, n, 1), overall)
