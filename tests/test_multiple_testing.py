"""The multiple-testing correction against hand-computed values and its error rate on simulated null p-values;
the correction by family: each family on its own, the error rate split, a family with nothing to find kept silent
however many true findings another family holds."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.multiple_testing import ALPHA, q_values, q_values_by_family, significant


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


def test_by_family_is_each_family_corrected_alone_times_the_number_of_families():
    p = [0.01, 0.03, 0.04, 0.20, 0.001]
    families = ["lead", "voice", "lead", "voice", "time"]
    # lead: 0.01, 0.04 -> BH 0.02, 0.04; voice: 0.03, 0.20 -> 0.06, 0.20; time: 0.001 -> 0.001; then x 3 families
    assert q_values_by_family(p, families) == pytest.approx([0.06, 0.18, 0.12, 0.60, 0.003])
    by = q_values_by_family(p, families, "by")
    assert by[[0, 2]] == pytest.approx(np.minimum(q_values([0.01, 0.04], "by") * 3, 1.0))


def test_by_family_with_one_family_is_benjamini_hochberg():
    p = np.random.default_rng(3).uniform(size=40) ** 3
    assert q_values_by_family(p, ["shift"] * 40) == pytest.approx(q_values(p))


def test_by_family_nan_stays_nan_and_a_family_of_nans_does_not_count():
    q = q_values_by_family([0.01, np.nan, 0.02, np.nan], ["a", "b", "a", "c"])
    assert np.isnan(q[[1, 3]]).all()
    assert q[[0, 2]] == pytest.approx([0.02, 0.02])  # one family holds a p-value: nothing to split
    with pytest.raises(ValueError, match="one family label"):
        q_values_by_family([0.01, 0.02], ["a"])


def test_true_findings_of_one_family_do_not_let_false_ones_through_in_another():
    """100 strong true findings and 100 nulls in one family, 50 nulls in the other: one correction over all of
    them loosens its threshold with the true findings and lets nulls of the empty family through often; by family,
    the empty family yields anything at most about alpha / 2 of the time, and the false discovery rate over all
    tests together stays under alpha."""
    rng = np.random.default_rng(42)
    runs = 2000
    families = ["time"] * 200 + ["lead"] * 50
    pooled_any = split_any = 0
    fdp = []
    for _ in range(runs):
        p = np.concatenate([np.full(100, 1e-6), rng.uniform(size=150)])
        pooled_any += significant(q_values(p))[200:].any()
        found = significant(q_values_by_family(p, families))
        split_any += found[200:].any()
        fdp.append(found[100:].sum() / max(found.sum(), 1))
    assert pooled_any / runs > 0.4
    assert split_any / runs < ALPHA / 2 + 0.01
    assert np.mean(fdp) < ALPHA
