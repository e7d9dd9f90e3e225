"""The findings engine's statistics tested as a numerical library tests its functions: known answers by hand,
identities with textbook tests, and behaviour on simulated data whose truth is known."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import chi2, chi2_contingency

from analytics.findings import calibration
from analytics.findings.bursts import burst_runs, kleinberg_states
from analytics.findings.count_tests import (
    cochran_mantel_haenszel,
    dispersion,
    g_statistic,
    rate_difference_p,
    scan_p,
)
from analytics.findings.lead_lag import apply_filter, ar_filter, lagged_correlation_test
from analytics.findings.shifts import best_split


def test_g_statistic_of_a_two_by_two_table_matches_the_hand_computation():
    # 9 of 120 against 41 of 130: 50 of 250 overall, so the expected cells are 24, 96, 26, 104.
    by_hand = 2 * (9 * math.log(9 / 24) + 111 * math.log(111 / 96) + 41 * math.log(41 / 26)
                   + 89 * math.log(89 / 104))
    assert float(g_statistic(9, 120, 41, 130)) == pytest.approx(by_hand)
    assert float(g_statistic(9, 120, 41, 130)) == pytest.approx(24.2001667, rel=1e-7)
    scipy_g = chi2_contingency([[9, 111], [41, 89]], correction=False, lambda_="log-likelihood")[0]
    assert float(g_statistic(9, 120, 41, 130)) == pytest.approx(scipy_g)
    assert float(rate_difference_p(9, 120, 41, 130)) == pytest.approx(chi2.sf(by_hand, 1))


def test_g_statistic_is_zero_for_equal_shares_and_for_tables_without_information():
    assert float(g_statistic(10, 100, 20, 200)) == pytest.approx(0.0, abs=1e-12)
    assert float(g_statistic(0, 100, 0, 50)) == 0.0  # the subject never appears
    assert float(g_statistic(5, 0, 3, 40)) == 0.0  # one side empty
    assert float(rate_difference_p(0, 100, 0, 50)) == 1.0


def test_dispersion_divides_the_statistic_and_is_never_below_one():
    g = float(g_statistic(9, 120, 41, 130))
    assert float(rate_difference_p(9, 120, 41, 130, 2.0)) == pytest.approx(chi2.sf(g / 2, 1))
    assert float(rate_difference_p(9, 120, 41, 130, 0.5)) == pytest.approx(chi2.sf(g, 1))


def test_scan_p_is_bonferroni_over_the_candidates_capped_at_one():
    assert float(scan_p(10.0, 7)) == pytest.approx(7 * chi2.sf(10.0, 1))
    assert float(scan_p(0.1, 50)) == 1.0


def test_cochran_mantel_haenszel_matches_the_hand_computation():
    # Stratum 1: 10 of 50 against 5 of 50; stratum 2: 20 of 40 against 10 of 60 (100 documents each).
    expected = [50 * 15 / 100, 40 * 30 / 100]
    variance = [50 * 50 * 15 * 85 / (100**2 * 99), 40 * 60 * 30 * 70 / (100**2 * 99)]
    statistic = ((10 - expected[0]) + (20 - expected[1])) ** 2 / sum(variance)
    odds = (10 * 45 / 100 + 20 * 50 / 100) / (40 * 5 / 100 + 20 * 10 / 100)
    # Two strata: the over-dispersion factor needs three, so it stays 1 here.
    got_odds, got_statistic, got_p = cochran_mantel_haenszel([10, 20], [50, 40], [5, 10], [50, 60])
    assert got_statistic == pytest.approx(statistic)
    assert got_odds == pytest.approx(odds) == pytest.approx(3.625)
    assert got_p == pytest.approx(chi2.sf(statistic, 1))


def test_cochran_mantel_haenszel_of_one_stratum_is_pearson_times_n_minus_one_over_n():
    pearson = chi2_contingency([[9, 111], [41, 89]], correction=False)[0]
    _, statistic, _ = cochran_mantel_haenszel([9], [120], [41], [130])
    assert statistic == pytest.approx(pearson * 249 / 250)


def test_dispersion_is_one_for_binomial_counts_and_large_for_overdispersed_ones():
    rng = np.random.default_rng(42)
    totals = rng.poisson(100, 60)
    binomial = rng.binomial(totals, 0.1, size=(200, 60))
    # Beta-binomial: each period's rate drawn afresh around 0.1 (attention jumping from period to period).
    rates = rng.beta(2, 18, size=(200, 60))
    jumpy = rng.binomial(totals, rates)
    assert np.median(dispersion(binomial, totals)) == pytest.approx(1.0, abs=0.1)
    assert np.median(dispersion(jumpy, totals)) > 3.0
    # A clean step barely moves it: the step is the finding, not scatter.
    step = rng.binomial(totals, np.where(np.arange(60) < 30, 0.08, 0.16), size=(200, 60))
    assert np.median(dispersion(step, totals)) < 1.3


def test_best_split_finds_a_planted_step_at_its_period():
    totals = np.full(30, 100)
    counts = np.where(np.arange(30) < 12, 8, 20)
    position, statistic, candidates = best_split(counts, totals, 1.0, min_side_periods=2, min_side_documents=20)
    assert position == 12
    assert candidates == 30 - 1 - 2 * (2 - 1)  # splits 2..27
    assert statistic == pytest.approx(float(g_statistic(96, 1200, 360, 1800)))


def test_best_split_respects_the_evidence_minimum():
    totals = np.array([5, 5, 5, 5, 100, 100])
    counts = np.array([5, 5, 0, 0, 0, 0])
    # Splits leaving fewer than 20 documents before are not candidates: the first allowed split is after t = 3.
    position, _, candidates = best_split(counts, totals, 1.0, min_side_periods=2, min_side_documents=20)
    assert position >= 4 and candidates == 1
    assert best_split(counts[:3], totals[:3], 1.0, 2, 20) is None


def test_kleinberg_runs_cover_the_planted_burst():
    totals = np.full(40, 100)
    counts = np.full(40, 5)
    counts[20:23] = 30
    assert burst_runs(counts, totals, ratio=2.0, gamma=1.0) == [(20, 23)]
    assert burst_runs(np.full(40, 5), totals, ratio=2.0, gamma=1.0) == []


def test_ar_filter_recovers_the_coefficient_and_whitens_the_series():
    rng = np.random.default_rng(42)
    x = calibration.ar1(rng, (), 4000, 0.7, 1.0)
    coef, order = ar_filter(x, 3)
    assert order >= 1 and coef[0] == pytest.approx(0.7, abs=0.05)
    e = apply_filter(x, coef)
    assert abs(np.corrcoef(e[:-1], e[1:])[0, 1]) < 0.05


def test_lagged_correlation_finds_a_two_period_lead_and_its_direction():
    rng = np.random.default_rng(42)
    leader = calibration.ar1(rng, (), 82, 0.5, 1.0)
    follower = leader[:-2] + rng.normal(0, 0.5, 80)  # follower at t = leader at t-2 plus noise
    result = lagged_correlation_test(leader[2:], follower, max_lag=4, max_order=3)
    assert result.x_leads and result.lag == 2 and result.p_value < 1e-4
    flipped = lagged_correlation_test(follower, leader[2:], max_lag=4, max_order=3)
    assert not flipped.x_leads and flipped.lag == 2


@pytest.mark.parametrize("phi", [0.0, 0.5, 0.9])
def test_lagged_correlation_is_calibrated_on_independent_ar1_series(phi):
    """The old test (shuffling the follower) said p < 0.05 in about half the runs at phi = 0.8; this one stays at
    the nominal level because each series' own momentum is removed before the lags are compared."""
    rng = np.random.default_rng(7)
    p = [lagged_correlation_test(calibration.ar1(rng, (), 60, phi, 1.0), calibration.ar1(rng, (), 60, phi, 1.0),
                                 4, 3).p_value for _ in range(300)]
    assert np.mean(np.array(p) < 0.05) <= 0.065  # nominal 5 %, with room for 300 draws' noise (sd 1.3 %)


def test_dispersion_of_a_series_shorter_than_its_window():
    assert dispersion(np.array([[3, 4, 2, 5]]), np.array([40, 40, 40, 40]), half_window=2).shape == (1,)
    assert dispersion(np.array([[3]]), np.array([40]))[0] == 1.0


def test_share_of_voice_is_widened_by_period_to_period_scatter_not_by_a_steady_difference():
    from analytics.findings.count_tests import stratum_dispersion

    variance = np.full(10, 4.0)
    assert stratum_dispersion(np.full(10, 3.0), variance) == 1.0  # the same shift in every period
    jumpy = np.array([6.0, -6.0] * 5)
    assert stratum_dispersion(jumpy, variance) == pytest.approx(np.sum(jumpy**2 / 4.0) / 9)
    rng = np.random.default_rng(42)
    # Each period's rates drawn afresh for the group and the rest (no lasting difference): the raw CMH test
    # would call a difference far more often than 5 %; the widened one stays near it.
    p = []
    for _ in range(400):
        n = np.full(30, 50)
        k_a = rng.binomial(n, 1 / (1 + np.exp(-(-2 + rng.normal(0, 0.5, 30)))))
        k_b = rng.binomial(n, 1 / (1 + np.exp(-(-2 + rng.normal(0, 0.5, 30)))))
        p.append(cochran_mantel_haenszel(k_a, n, k_b, n)[2])
    assert np.mean(np.array(p) < 0.05) <= 0.08


def test_kleinberg_marks_the_planted_burst():
    counts = np.array([2, 3, 2, 2, 3, 2, 15, 18, 16, 2, 3, 2, 2, 3])
    state = kleinberg_states(counts, np.full(14, 40))
    assert state.tolist() == [False] * 6 + [True] * 3 + [False] * 5
    assert not kleinberg_states(np.zeros(5), np.zeros(5)).any()
