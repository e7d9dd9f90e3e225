"""Calibration of the findings engine on simulated corpora with a known truth.

Null corpora (constant rates; independent AR(1) attention with phi up to 0.9, whose null is "no lead"; one AR(1)
wave both source types follow together, also no lead; shuffled dates): the share of tests called significant
stays at most 5 % and no corpus has more than one false finding (the issue's criterion, not relaxed), the shared
wave included: the correction is split by family, so its many real shifts do not loosen the threshold for leads.
Planted corpora: a step, a burst, an event effect and a two-period lead are each found in most seeds (power over
many seeds). Quick versions run in the quick set; the many-seed versions are marked slow (CI runs both).
"""

from __future__ import annotations

import numpy as np
import pytest

from analytics.findings import calibration

SMALL = calibration.Design(periods=48, null_subjects=10, events=5)


def _false_share(result: dict, kinds: set[str] | None = None) -> float:
    rows = [r for k, r in result["per_kind"].items() if kinds is None or k in kinds]
    tests = sum(r["tests"] for r in rows)
    return sum(r["false"] for r in rows) / max(tests, 1)


@pytest.mark.parametrize("name", ["constant", "ar1:0.9", "common-ar1:0.9", "shuffled"])
def test_null_corpora_stay_silent_quick(name):
    result = calibration.calibration_run(name, range(6), SMALL)
    assert sum(r["tests"] for r in result["per_kind"].values()) > 6 * 40
    assert _false_share(result) <= 0.05
    assert max(result["false_per_corpus"]) <= 1


def test_planted_effects_are_found_quick():
    result = calibration.calibration_run("planted", range(6), SMALL)
    assert all(share >= 0.5 for share in result["power"].values()), result["power"]
    assert np.mean(result["false_per_corpus"]) <= 1.0


@pytest.mark.slow
@pytest.mark.parametrize("name", ["constant", "shuffled"])
def test_null_corpora_stay_silent_over_many_seeds(name):
    """Nothing to find at all: at most 5 % of the tests significant and no corpus with more than one finding."""
    result = calibration.calibration_run(name, range(100, 160))
    assert _false_share(result) <= 0.05
    assert max(result["false_per_corpus"]) <= 1
    raw = sum(r["raw"] for r in result["per_kind"].values())
    assert raw / sum(r["tests"] for r in result["per_kind"].values()) <= 0.06  # each test valid on its own


@pytest.mark.slow
@pytest.mark.parametrize("name", ["ar1:0.0", "ar1:0.5", "ar1:0.8", "ar1:0.9"])
def test_no_lead_is_claimed_between_independent_drifting_series_over_many_seeds(name):
    """Independent drifting attention (the issue's AR(1) nulls): the rates really move (shifts and bursts there are
    true), but nothing leads. The lead-lag tests stay at most 5 % significant and no corpus holds more than one
    false finding."""
    result = calibration.calibration_run(name, range(100, 160))
    kinds = set(result["null_kinds"])
    assert _false_share(result, kinds) <= 0.05
    raw = sum(result["per_kind"][k]["raw"] for k in kinds if k in result["per_kind"])
    tests = sum(result["per_kind"][k]["tests"] for k in kinds if k in result["per_kind"])
    assert raw / tests <= 0.06
    assert max(result["false_per_corpus"]) <= 1


@pytest.mark.slow
def test_one_shared_wave_gives_no_lead_and_no_share_of_voice_difference_over_many_seeds():
    """One wave both source types follow in the same periods: a corpus full of real shifts and bursts, but nothing
    leads and no source type favours a subject. Those tests stay at most 5 % significant, each valid on its own,
    and no corpus holds more than one false finding (the issue's criterion): the real shifts are corrected in their
    own family and do not loosen the threshold for leads and share of voice."""
    result = calibration.calibration_run("common-ar1:0.9", range(100, 160))
    kinds = set(result["null_kinds"])
    assert _false_share(result, kinds) <= 0.05
    raw = sum(result["per_kind"][k]["raw"] for k in kinds)
    assert raw / sum(result["per_kind"][k]["tests"] for k in kinds) <= 0.06
    assert max(result["false_per_corpus"]) <= 1
    assert sum(result["false_per_corpus"]) / sum(result["significant_per_corpus"]) <= 0.05


@pytest.mark.slow
def test_planted_effects_are_found_over_many_seeds():
    """Power, reported over many seeds. The lead's floor sits under what was measured (0.43 on seeds 0-59, 0.47 on
    these): splitting the correction by family cost it power (0.52 under one correction over everything on seeds
    0-59), the price of keeping false leads out of corpora full of real changes."""
    result = calibration.calibration_run("planted", range(200, 260))
    power = result["power"]
    assert power[calibration.STEP] >= 0.9 and power[calibration.BURST] >= 0.9
    assert power[calibration.EVENT] >= 0.8 and power[calibration.LEAD] >= 0.4, power
    false = sum(result["false_per_corpus"])
    assert false / max(sum(result["significant_per_corpus"]), 1) <= 0.05  # the false discovery rate BH bounds


@pytest.mark.slow
def test_share_of_voice_alone_stays_at_its_nominal_level_on_many_shuffled_corpora():
    """Share of voice run alone (cheap) on 300 date-shuffled corpora: its null p-values are valid on their own at
    every level that matters for the correction (0.05, 0.01 and the family's first-rank threshold, about 0.001),
    and a corpus with two false share-of-voice findings stays as rare as valid tests make it (about 0.04 % of
    corpora: seed 29 of the benchmark's 0-59 is one such, chance, not a cause)."""
    result = calibration.kind_tail("shuffled", range(300, 600), "share_of_voice")
    below = result["below"]
    assert result["tests"] >= 300 * 16
    assert below[0.05] <= 0.055 and below[0.01] <= 0.012 and below[0.001] <= 0.002, below
    assert result["corpora_with_two"] <= 1


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["lead_lag", "share_of_voice"])
def test_a_shared_wave_with_uneven_volumes_gives_no_lead_and_no_share_of_voice_difference(kind):
    """One wave both source types follow, news writing about seven times as many documents as social: the social
    share is the noisier measure of the wave, and a lead test that looked only at lagged correlations would call a
    lead here in about a fifth of the pairs. Run alone on 200 corpora, lead and lag and share of voice stay at
    their nominal level and no corpus holds two false findings of either."""
    result = calibration.kind_tail("uneven-common-ar1:0.9", range(300, 500), kind)
    below = result["below"]
    assert result["tests"] >= 200 * 12
    assert below[0.05] <= 0.055 and below[0.001] <= 0.002, below
    assert result["corpora_with_two"] == 0
    assert result["corpora_with_one"] <= 0.05
