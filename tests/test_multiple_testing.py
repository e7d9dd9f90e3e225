"""The multiple-testing correction against hand-computed values and its error rate on simulated null p-values."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.multiple_testing import q_values, significant


def test_benjamini_hochberg_matches_the_step_up_rule_by_hand():
    p = [0.01, 0.04, 0.03, 0.20]
    # sorted 0.01, 0.03, 0.04, 0.20 → ×4/rank: 0.04, 0.06, 0.0533, 0.20 → running minimum from the top
    assert q_values(p) == pytest.approx([0.04, 0.05333333, 0.05333333, 0.20])


def test_benjamini_yekutieli_is_bh_times_the_harmonic_sum():
    p = np.array([0.001, 0.01, 0.02, 0.5, 0.9])
    harmonic = sum(1 / k for k in range(1, 6))
    assert q_values(p, "by") == pytest.approx(np.minimum(q_values(p, "bh") * harmonic, 1.0))


def test_nan_p_values_stay_nan_and_do_not_count():
    q = q_values([0.01, np.nan, 0.02])
    assert np.isnan(q[1])
    assert q[[0, 2]] == pytest.approx([0.02, 0.02])
    assert list(significant(q)) == [True, False, True]


def test_rejects_values_outside_the_unit_interval():
    with pytest.raises(ValueError):
        q_values([0.5, 1.2])


def test_under_the_global_null_a_false_finding_is_rare():
    rng = np.random.default_rng(42)
    runs = 2000
    any_false = sum(significant(q_values(rng.uniform(size=50))).any() for _ in range(runs))
    # Under the global null the FDR equals the chance of any rejection: it must stay near alpha = 0.05.
    assert any_false / runs < 0.07


def test_planted_signals_are_found_among_nulls():
    rng = np.random.default_rng(7)
    p = np.concatenate([rng.uniform(size=90), np.full(10, 1e-6)])
    found = significant(q_values(p))
    assert found[90:].all()
    assert found[:90].sum() <= 2
