"""Lead and lag: the engine's test against alternatives, on the share series the engine tests (issue 14).

    python -m benchmarks.lead_lag_alternatives [--seeds 300] [--first-seed 0] [--only NAME ...]

The engine's lead/lag p-value is the larger of a pre-whitened lagged correlation (valid when the two series are
independent) and a lead/lag asymmetry test with Newey–West standard errors (needed when both follow one wave, but
not valid alone at 50–60 periods). Compared here, on the news/social share series of the calibration corpora:

- `engine`: `lead_lag.lagged_correlation_test` as the engine runs it;
- `lagged only`: its pre-whitened lagged correlation alone (Šidák over 2 × max_lag);
- `asymmetry, Newey–West`: `lead_lag.asymmetry_test` alone;
- `asymmetry, model variance`: the same contrast S_k = Σ b_t (a_{t−k} − a_{t+k}) of the two series filtered with one
  AR model, its variance computed for Gaussian series whose cross-covariance is symmetric in the lag (no lead) from
  the estimated auto- and cross-covariances (Isserlis: Var S = Σ_d (m − |d|) [γ_b(d)(2γ_a(d) − γ_a(d+2k) −
  γ_a(d−2k)) − (c(d−k) − c(d+k))²], cross-covariance symmetrised, Parzen taper to lag n/4), normal reference,
  Šidák over lags: the candidate for a calibrated asymmetry test;
- `lagged and model asymmetry`: the larger of `lagged only` and the candidate;
- `asymmetry, model variance, own filters`: the candidate on doubly pre-whitened series (each filtered by its own
  AR model, Haugh 1976), after which cross-correlations at different lags are nearly independent when the series
  are; but of two noisy measures of one wave the less noisy one's filtered series then seems to move first.

Null corpora: the share of tests at p < 0.05, 0.01, 0.001 and the false leads per corpus under the lead family's
correction as in a full run (Benjamini–Hochberg at alpha over the number of families). Planted corpora: how often
the planted two-period lead (social before news) is found at the right lag and direction (not for the Newey–West
test alone, which names no lag), and false leads there.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.stats import norm

from analytics import schema as s
from analytics.findings import calibration, lead_lag
from analytics.findings.counts import count_table
from analytics.findings.engine import FAMILIES
from analytics.findings.settings import FindingsSettings
from analytics.multiple_testing import ALPHA, q_values

CORPORA = ["ar1:0.0", "ar1:0.5", "ar1:0.8", "ar1:0.9", "common-ar1:0.9", "uneven-common-ar1:0.9", "planted"]


def series_pairs(name: str, seeds: range, settings: FindingsSettings | None = None):
    """(seed, subject, news share series, social share series) as `lead_lag.lead_lag_findings` builds them."""
    settings = settings or FindingsSettings()
    for seed in seeds:
        corpus = calibration.make_corpus(name, seed)
        table = count_table(corpus.documents, corpus.items, corpus.granularity, settings.min_subject_documents)
        news = (table.docs[s.SOURCE_TYPE] == "news").to_numpy()
        (ka, na), (kb, nb) = table.group_counts(news), table.group_counts(~news)
        span = np.flatnonzero((na > 0) & (nb > 0))
        if len(span) < settings.min_lead_lag_periods:
            continue
        first, stop = span[0], span[-1] + 1
        for j, subject in table.subjects.iterrows():
            if min(ka[j].sum(), kb[j].sum()) < settings.min_lead_lag_subject_documents:
                continue
            yield (seed, str(subject["subject"]), lead_lag._share_series(ka[j][first:stop], na[first:stop]),
                   lead_lag._share_series(kb[j][first:stop], nb[first:stop]))


def _covariances(x: np.ndarray, y: np.ndarray, span: int) -> np.ndarray:
    """c[h + span] = Σ_t x[t+h]·y[t] / n for h in −span..span (centred series, the biased estimator)."""
    n = len(x)
    return np.array([x[h:] @ y[:n - h] / n if h >= 0 else x[:n + h] @ y[-h:] / n for h in range(-span, span + 1)])


def model_asymmetry_test(x: np.ndarray, y: np.ndarray, max_lag: int = 4, max_order: int = 3,
                         own_filters: bool = False):
    """(p, x leads, lag) of the candidate asymmetry test (see the module's doc). `own_filters`: each series filtered
    by its own AR model (double pre-whitening, Haugh 1976) instead of one model fitted on their average."""
    xs, ys = (x - x.mean()) / (x.std() or 1.0), (y - y.mean()) / (y.std() or 1.0)
    if own_filters:
        a = lead_lag.apply_filter(xs, lead_lag.ar_filter(xs, max_order)[0])
        b = lead_lag.apply_filter(ys, lead_lag.ar_filter(ys, max_order)[0])
        a, b = a[len(a) - min(len(a), len(b)):], b[len(b) - min(len(a), len(b)):]
    else:
        coef, _ = lead_lag.ar_filter((xs + ys) / 2, max_order)
        a, b = lead_lag.apply_filter(xs, coef), lead_lag.apply_filter(ys, coef)
    a, b = a - a.mean(), b - b.mean()
    n = len(a)
    window = min(n // 4, 12)
    span = window + 3 * max_lag
    ga, gb, c = _covariances(a, a, span), _covariances(b, b, span), _covariances(a, b, span)
    c = (c + c[::-1]) / 2  # the null: no lead either way

    def at(g: np.ndarray, h: int) -> float:
        return float(g[h + span]) if abs(h) <= span else 0.0

    def parzen(d: int) -> float:
        u = abs(d) / (window + 1)
        return 1 - 6 * u**2 + 6 * u**3 if u <= 0.5 else 2 * (1 - u) ** 3 if u <= 1 else 0.0

    tested = []  # (z, lag)
    for k in range(1, max_lag + 1):
        m = n - 2 * k
        if m < 10:
            continue
        t = np.arange(k, n - k)
        statistic = float(b[t] @ (a[t - k] - a[t + k]))
        variance = sum((m - abs(d)) * parzen(d) * (
            at(gb, d) * (2 * at(ga, d) - at(ga, d + 2 * k) - at(ga, d - 2 * k))
            - (at(c, d - k) - at(c, d + k)) ** 2) for d in range(-window, window + 1) if abs(d) < m)
        if variance > 0:
            tested.append((statistic / np.sqrt(variance), k))
    if not tested:
        return 1.0, True, 0
    p_values = 2 * norm.sf([abs(z) for z, _ in tested])
    best = int(np.argmin(p_values))
    return float(1 - (1 - p_values[best]) ** len(tested)), tested[best][0] > 0, tested[best][1]


def _engine(x, y):
    result = lead_lag.lagged_correlation_test(x, y)
    return (1.0, True, 0) if result is None else (result.p_value, result.x_leads, result.lag)


def _lagged_only(x, y, max_lag: int = 4, max_order: int = 3):
    forward, _ = lead_lag._one_direction(x, y, max_lag, max_order)
    backward, _ = lead_lag._one_direction(y, x, max_lag, max_order)
    p, lag, x_leads = min([(p, lag, True) for p, lag, _ in forward] + [(p, lag, False) for p, lag, _ in backward])
    return float(1 - (1 - p) ** (len(forward) + len(backward))), x_leads, lag


def _newey_west_only(x, y):
    return lead_lag.asymmetry_test(x, y), True, 0


def _lagged_and_model(x, y):
    p, x_leads, lag = _lagged_only(x, y)
    return max(p, model_asymmetry_test(x, y)[0]), x_leads, lag


def _own_filters(x, y):
    return model_asymmetry_test(x, y, own_filters=True)


TESTS = {"engine": _engine, "lagged only": _lagged_only, "asymmetry, Newey–West": _newey_west_only,
         "asymmetry, model variance": model_asymmetry_test, "lagged and model asymmetry": _lagged_and_model,
         "asymmetry, model variance, own filters": _own_filters}


def evaluate(name: str, seeds: range) -> list[str]:
    pairs = list(series_pairs(name, seeds))
    families = len(set(FAMILIES.values()))
    rows = []
    for test_name, test in TESTS.items():
        started = time.process_time()
        results = [test(x, y) for _, _, x, y in pairs]
        cost = (time.process_time() - started) / max(len(pairs), 1) * 1000
        p = np.array([r[0] for r in results])
        seed_of = np.array([seed for seed, *_ in pairs])
        subject_of = np.array([subject for _, subject, *_ in pairs])
        found = false = 0
        for seed in seeds:
            rows_of = np.flatnonzero(seed_of == seed)
            if not len(rows_of):
                continue
            significant = np.minimum(q_values(p[rows_of]) * families, 1.0) < ALPHA
            for i, sig in zip(rows_of, significant, strict=True):
                if subject_of[i] == calibration.LEAD and name == "planted":
                    found += bool(sig and not results[i][1] and results[i][2] == 2)
                else:
                    false += bool(sig)
        null = p if name != "planted" else p[subject_of != calibration.LEAD]
        rows.append(f"| {name} | {test_name} | {len(null)} | {np.mean(null < 0.05):.4f} | {np.mean(null < 0.01):.4f} "
                    f"| {np.mean(null < 0.001):.5f} | {false / len(seeds):.3f} | "
                    + (f"{found / len(seeds):.2f}" if name == "planted" and test is not _newey_west_only else "")
                    + f" | {cost:.2f} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=300, help="corpora per row")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--only", nargs="+", choices=CORPORA, help="only these corpora")
    args = parser.parse_args()
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    print(f"## Lead and lag tests on the calibration corpora (seeds {seeds.start}–{seeds.stop - 1})\n")
    print("| corpus | test | null tests | p < 0.05 | p < 0.01 | p < 0.001 | false leads per corpus | lead found | "
          "CPU ms per pair |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.only or CORPORA:
        for row in evaluate(name, seeds):
            print(row, flush=True)


if __name__ == "__main__":
    main()
