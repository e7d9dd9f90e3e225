"""The findings engine's faster paths give exactly the plain path's answers: a finding's evidence (the documents
behind it) taken from arrays made once equals the documents picked from the table row by row, and the lead/lag
tests with every lag's p-value from one call of the t distribution equal one call per lag. Data simulated with
known seeds; the store hands ids over as Arrow strings, so the simulated ids are Arrow strings too."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from scipy.stats import t as t_dist

from analytics import schema as s
from analytics.findings import lead_lag
from analytics.findings.counts import SUBJECT, SUBJECT_ID, SUBJECT_TYPE, count_table


def _simulated(seed: int = 42, documents: int = 3000) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = random.Random(seed)
    start = pd.Timestamp("2015-01-01")
    ids = [f"d{i:05d}" for i in range(documents)]
    docs = pd.DataFrame({
        s.ID: pd.array(ids, dtype="string[pyarrow]"),
        s.DATE: [start + pd.Timedelta(days=rng.randrange(3 * 365)) for _ in ids],
        s.SOURCE: [rng.choice(["a", "b", "c", None]) for _ in ids],
        s.SOURCE_TYPE: [rng.choice(["news", "social", "research"]) for _ in ids]})
    rows = [(doc, "actor", f"Actor {k}", f"actor_{k}") for doc in ids for k in range(12) if rng.random() < 0.1 + k / 60]
    items = pd.DataFrame(rows, columns=[s.DOC_ID, SUBJECT_TYPE, SUBJECT, SUBJECT_ID])
    items[s.DOC_ID] = items[s.DOC_ID].astype("string[pyarrow]")
    return docs, items


@pytest.mark.parametrize("granularity", ["month", "quarter"])
def test_evidence_is_the_documents_of_the_subject_in_the_mask_by_date(granularity):
    docs, items = _simulated()
    table = count_table(docs, items, granularity, min_subject_documents=5)
    rng = np.random.default_rng(42)
    ordered = table.docs  # by date, then id: the order evidence keeps
    checked = 0
    for j, subject in table.subjects.iterrows():
        about = set(items.loc[items[SUBJECT_ID] == subject[SUBJECT_ID], s.DOC_ID])
        for first, stop in ((0, len(table.periods)), (2, 7), (len(table.periods) - 3, len(table.periods))):
            mask = table.period_mask(first, stop)
            plain = ordered.loc[mask & ordered[s.ID].isin(about).to_numpy(), s.ID].tolist()
            assert list(table.evidence(j, mask)) == plain
            checked += len(plain)
        random_mask = rng.random(len(ordered)) < 0.3
        assert list(table.evidence(j, random_mask)) == ordered.loc[
            random_mask & ordered[s.ID].isin(about).to_numpy(), s.ID].tolist()
    assert checked > 1000  # the comparison saw real evidence, not empty lists
    assert all(isinstance(i, str) for i in table.evidence(0, np.ones(len(ordered), bool)))


def _one_direction_per_lag(leader, follower, max_lag, max_order):
    """The plain path: one t-distribution call per lag (as the engine did before)."""
    coef, order = lead_lag.ar_filter(leader, max_order)
    e, f = lead_lag.apply_filter(leader, coef), lead_lag.apply_filter(follower, coef)
    results = []
    for lag in range(1, max_lag + 1):
        a, b = e[:-lag], f[lag:]
        if len(a) < 8:
            continue
        a, b = a - a.mean(), b - b.mean()
        spread = float(np.sqrt(np.sum(lead_lag.local_mean(a**2) * lead_lag.local_mean(b**2))))
        if spread == 0 or a.std() == 0 or b.std() == 0:
            continue
        z = float(np.sum(a * b)) / spread
        results.append((float(t_dist.sf(z, len(a) - 1)), lag, float(np.corrcoef(a, b)[0, 1])))
    return results, order


def _asymmetry_per_lag(x, y, max_lag, max_order):
    xs = (x - x.mean()) / (x.std() or 1.0)
    ys = (y - y.mean()) / (y.std() or 1.0)
    coef, _ = lead_lag.ar_filter((xs + ys) / 2, max_order)
    a, b = lead_lag.apply_filter(xs, coef), lead_lag.apply_filter(ys, coef)
    contrast = np.array([1.0, -1.0, 0.0])
    p_values = []
    for lag in range(1, max_lag + 1):
        n = len(a) - 2 * lag
        if n < 10:
            continue
        design = np.column_stack([a[:n], a[2 * lag:2 * lag + n], np.ones(n)])
        target = b[lag:lag + n]
        beta, *_ = np.linalg.lstsq(design, target, rcond=None)
        variance = lead_lag._newey_west_covariance(design, target - design @ beta)
        se = float(np.sqrt(max(contrast @ variance @ contrast, 0.0)))
        if se == 0:
            continue
        p_values.append(float(2 * t_dist.sf(abs(contrast @ beta) / se, n - design.shape[1])))
    return 1.0 if not p_values else float(1 - (1 - min(p_values)) ** len(p_values))


@pytest.mark.parametrize("seed", range(6))
def test_lead_lag_p_values_from_one_call_equal_one_call_per_lag(seed):
    rng = np.random.default_rng(seed)
    length = [9, 14, 40, 80, 120, 24][seed]  # short series leave some lags untested
    wave = np.cumsum(rng.normal(size=length + 2))
    x = wave[2:] + rng.normal(size=length)
    y = (wave[:-2] if seed % 2 else rng.normal(size=length + 2)[2:]) + rng.normal(size=length)
    for leader, follower in ((x, y), (y, x)):
        fast, order = lead_lag._one_direction(leader, follower, 4, 3)
        plain, plain_order = _one_direction_per_lag(leader, follower, 4, 3)
        assert order == plain_order and [(p, lag) for p, lag, _ in fast] == [(p, lag) for p, lag, _ in plain]
        # the correlation is summed directly rather than by np.corrcoef: the same to the last bits or so
        assert np.allclose([r for *_, r in fast], [r for *_, r in plain], rtol=0, atol=1e-12)
    assert lead_lag.asymmetry_test(x, y, 4, 3) == _asymmetry_per_lag(x, y, 4, 3)
    if seed % 2:  # x follows y by two periods: the test finds a lead at all
        assert lead_lag.lagged_correlation_test(x, y) is not None
