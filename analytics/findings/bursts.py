"""Bursts: a stretch of periods in which a subject's share jumps well above its usual share, then falls back.

Candidates come from Kleinberg's two-state model on counts with their denominators (`timeline.bursts`: a usual
state at the subject's overall share and a burst state at `burst_ratio` times it). Each burst is then tested.
Null hypothesis: the subject's share inside the burst equals its share in all other periods. The G statistic of
inside against outside, scaled by the subject's over-dispersion, gets a p-value multiplied by the number of
stretches of periods the model could have chosen (T·(T+1)/2), so a burst picked for being high is not judged as
if it had been named in advance.
"""

from __future__ import annotations

import numpy as np

from .. import timeline as tl
from .count_tests import g_statistic, scan_p
from .counts import CountTable
from .finding import Finding
from .sentences import span_name
from .settings import FindingsSettings

TEST = "Kleinberg burst, likelihood-ratio (G) test inside vs outside, over-dispersion scaled, Bonferroni over stretches"


def burst_runs(k: np.ndarray, n: np.ndarray, ratio: float, gamma: float) -> list[tuple[int, int]]:
    """[first, stop) of each run of periods in Kleinberg's burst state."""
    state = tl.bursts(k, n, s_ratio=ratio, gamma=gamma).to_numpy()
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
