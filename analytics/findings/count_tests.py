"""The tests every findings kind is built from, on counts of documents with their denominators.

- `g_statistic`: the likelihood-ratio (G) statistic of "both groups share one rate" for k1 of n1 against k2 of n2
  documents (a 2×2 table); under that null it follows a chi-square with one degree of freedom.
- `dispersion`: how much more a subject's per-period counts scatter than chance (binomial) scatter would make them,
  judged against its neighbouring periods. News attention comes in waves: a test that assumed pure binomial
  scatter would call every wave a finding. Each test on a subject divides its G by this factor (quasi-likelihood),
  and the factor is never below 1.
- `rate_difference_p`: the p-value of G / dispersion.
- `scan_p`: the p-value of the best of many candidate splits or intervals, made honest by multiplying by the
  number of candidates that could have been chosen (Bonferroni), so looking at every split costs what it should.
- `cochran_mantel_haenszel`: one group against the others, period by period (share of voice), so that a source
  type active mostly in busy years is compared with the others in the same periods; widened by the periods'
  over-dispersion like the other tests.
"""

from __future__ import annotations

import numpy as np
from scipy.special import xlogy
from scipy.stats import chi2


def g_statistic(k1, n1, k2, n2) -> np.ndarray:
    """Likelihood-ratio statistic 2·Σ O·ln(O/E) of the 2×2 table [[k1, n1-k1], [k2, n2-k2]] (0 where undefined)."""
    k1, n1, k2, n2 = (np.asarray(v, dtype=float) for v in (k1, n1, k2, n2))
    n = n1 + n2
    k = k1 + k2
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = [k1, n1 - k1, k2, n2 - k2]
        expected = [n1 * k / n, n1 * (n - k) / n, n2 * k / n, n2 * (n - k) / n]
        g = 2 * sum(xlogy(o, o) - xlogy(o, e) for o, e in zip(observed, expected, strict=True))
    return np.where((n1 > 0) & (n2 > 0) & (k > 0) & (k < n), np.maximum(g, 0.0), 0.0)


def rate_difference_p(k1, n1, k2, n2, dispersion=1.0) -> np.ndarray:
    """Two-sided p-value that k1/n1 and k2/n2 come from one rate, with G divided by the over-dispersion."""
    return chi2.sf(g_statistic(k1, n1, k2, n2) / np.maximum(dispersion, 1.0), 1)


def scan_p(statistic, candidates) -> np.ndarray:
    """p-value of the largest of `candidates` chi-square(1) statistics: Bonferroni over the candidates."""
    return np.minimum(1.0, np.asarray(candidates, dtype=float) * chi2.sf(statistic, 1))


def dispersion(counts: np.ndarray, totals: np.ndarray, half_window: int = 2) -> np.ndarray:
    """Per subject (row of `counts`), the over-dispersion factor of its per-period counts, at least 1.

    Each period's count is compared with the rate of the `half_window` periods on either side (the period itself
    left out, shrunk by one document's worth towards the subject's overall rate); the factor is the mean squared
    Pearson residual. Slow trends and single steps barely move it; period-to-period jumps beyond binomial chance do.
    """
    counts = np.atleast_2d(np.asarray(counts, dtype=float))
    totals = np.asarray(totals, dtype=float)
    n_local = _neighbour_sums(totals, half_window)
    overall = counts.sum(axis=1) / max(totals.sum(), 1.0)
    out = np.ones(len(counts))
    for j, row in enumerate(counts):
        k_local = _neighbour_sums(row, half_window)
        rate = (k_local + overall[j]) / (n_local + 1.0)
        var = totals * rate * (1 - rate) * (1 + totals / (n_local + 1.0))
        ok = (totals > 0) & (n_local > 0) & (var > 0)
        if ok.sum() >= 3:
            out[j] = max(1.0, float(np.mean((row[ok] - totals[ok] * rate[ok]) ** 2 / var[ok])))
    return out


def _neighbour_sums(x: np.ndarray, half_window: int) -> np.ndarray:
    """Sum of x over the half_window positions on either side of each position, the position itself left out."""
    padded = np.concatenate([[0.0], np.cumsum(x)])
    index = np.arange(len(x))
    upper = padded[np.minimum(index + half_window + 1, len(x))]
    lower = padded[np.maximum(index - half_window, 0)]
    return upper - lower - x


def stratum_dispersion(deviation: np.ndarray, variance: np.ndarray) -> float:
    """How much more the per-stratum deviations scatter around their common shift than chance allows, at least 1.

    The deviations k − E with variances V are fitted by one common shift (weighted least squares); the residual
    sum of squares over its degrees of freedom is the factor. A group that favours a subject in every period
    alike leaves it near 1; one whose share jumps around from period to period (or favours the subject only now
    and then) raises it, and the CMH statistic is divided by it."""
    if len(deviation) < 3:
        return 1.0
    residual = float(np.sum(deviation**2 / variance) - deviation.sum() ** 2 / variance.sum())
    return max(1.0, residual / (len(deviation) - 1))


def cochran_mantel_haenszel(k_a, n_a, k_b, n_b) -> tuple[float, float, float]:
    """Group a against group b over strata (periods): (Mantel–Haenszel common odds ratio, CMH statistic, p).

    Null: within every stratum the subject's rate is the same in both groups. Strata where either group has no
    documents or the subject is absent or universal carry no information and drop out. No continuity correction.
    The statistic is divided by the strata's over-dispersion (`stratum_dispersion`, never below 1).
    """
    k_a, n_a, k_b, n_b = (np.asarray(v, dtype=float) for v in (k_a, n_a, k_b, n_b))
    n = n_a + n_b
    m1 = k_a + k_b
    ok = (n_a > 0) & (n_b > 0) & (m1 > 0) & (m1 < n) & (n > 1)
    if not ok.any():
        return float("nan"), 0.0, 1.0
    k_a, n_a, k_b, n_b, n, m1 = (v[ok] for v in (k_a, n_a, k_b, n_b, n, m1))
    expected = n_a * m1 / n
    variance = n_a * n_b * m1 * (n - m1) / (n**2 * (n - 1))
    statistic = float((k_a - expected).sum() ** 2 / variance.sum()) / stratum_dispersion(k_a - expected, variance)
    numerator = (k_a * (n_b - k_b) / n).sum()
    denominator = ((n_a - k_a) * k_b / n).sum()
    odds = float(numerator / denominator) if denominator > 0 else float("inf")
    return odds, statistic, float(chi2.sf(statistic, 1))
