"""Bursts: a stretch of periods in which a subject's share jumps well above its usual share, then falls back.

Candidates come from Kleinberg's two-state model on counts with their denominators (`kleinberg_states`: a usual
state at the subject's overall share and a burst state at `burst_ratio` times it). Each burst is then tested.
Null hypothesis: the subject's share inside the burst equals its share in all other periods. The G statistic of
inside against outside, scaled by the subject's over-dispersion, gets a p-value multiplied by the number of
stretches of periods the model could have chosen (T·(T+1)/2), so a burst picked for being high is not judged as
if it had been named in advance.
"""

from __future__ import annotations

import math

import numpy as np

from .count_tests import g_statistic, scan_p
from .counts import CountTable
from .finding import Finding
from .sentences import span_name
from .settings import FindingsSettings

TEST = "Kleinberg burst, likelihood-ratio (G) test inside vs outside, over-dispersion scaled, Bonferroni over stretches"


def kleinberg_states(counts: np.ndarray, totals: np.ndarray, s_ratio: float = 2.0, gamma: float = 1.0) -> np.ndarray:
    """Kleinberg's two-state burst model over batches: True where the series is in the burst state.

    `counts` are the documents about a subject per period and `totals` all documents of the period. The usual
    state's rate is the subject's overall share, the burst state's `s_ratio` times it; entering a burst costs
    `gamma`·ln(periods). The cheapest state sequence (Viterbi) is returned. It only proposes: each burst is then
    tested (`burst_findings`).
    """
    r = np.asarray(counts, dtype=float)
    d = np.asarray(totals, dtype=float)
    n = len(r)
    if n == 0 or d.sum() == 0:
        return np.zeros(n, dtype=bool)
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
    return np.array(path, dtype=bool)


def burst_runs(k: np.ndarray, n: np.ndarray, ratio: float, gamma: float) -> list[tuple[int, int]]:
    """[first, stop) of each run of periods in Kleinberg's burst state."""
    state = kleinberg_states(k, n, s_ratio=ratio, gamma=gamma)
    runs, first = [], None
    for t, on in enumerate(np.append(state, False)):
        if on and first is None:
            first = t
        elif not on and first is not None:
            runs.append((first, t))
            first = None
    return runs


def burst_findings(table: CountTable, dispersions: np.ndarray, settings: FindingsSettings) -> list[Finding]:
    """Every Kleinberg burst of every subject, tested against the subject's other periods."""
    out: list[Finding] = []
    length = len(table.periods)
    stretches = length * (length + 1) // 2
    n = table.totals
    g = table.granularity
    for j, subject in table.subjects.iterrows():
        k = table.counts[j]
        if k.sum() < settings.min_compared_subject_documents:
            continue
        for first, stop in burst_runs(k, n, settings.burst_ratio, settings.burst_gamma):
            ki, ni = int(k[first:stop].sum()), int(n[first:stop].sum())
            ko, no = int(k.sum()) - ki, int(n.sum()) - ni
            if ni < settings.min_side_documents or no < settings.min_side_documents or ki / ni <= ko / no:
                continue
            statistic = float(g_statistic(ko, no, ki, ni)) / dispersions[j]
            inside = table.period_mask(first, stop)
            out.append(Finding(
                kind="burst", subject=str(subject["subject"]), subject_type=str(subject["subject_type"]),
                subject_id=str(subject["subject_id"]), test=TEST, p_value=float(scan_p(statistic, stretches)),
                effect=ki / ni - ko / no, effect_name="share inside the burst minus share in the other periods",
                n_documents=ni + no, doc_ids=table.evidence(j, inside), granularity=g,
                period=table.periods[first].date().isoformat(),
                period_end=table.periods[stop - 1].date().isoformat(),
                before_count=ko, before_total=no, after_count=ki, after_total=ni,
                before_label="in the other periods",
                after_label=f"in {span_name(table.periods[first], table.periods[stop - 1], g)}",
                dispersion=float(dispersions[j]), details={"candidate_stretches": stretches},
            ))
    return out
