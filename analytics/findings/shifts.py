"""Shifts: a theme's or actor's share of documents changes at one period and stays changed.

Null hypothesis: the subject's share is the same before and after the split (one rate for the whole stretch).
Candidates: every split leaving at least `min_side_periods` periods and `min_side_documents` documents on each
side; the split with the largest (dispersion-scaled) G statistic on the pooled counts before against after is
tested, its p-value multiplied by the number of candidate splits. Binary segmentation then looks once more inside
each half while the split is clear (uncorrected p below alpha), up to `max_shifts_per_subject` tests per subject.
"""

from __future__ import annotations

import numpy as np

from .count_tests import g_statistic, scan_p
from .counts import CountTable
from .finding import Finding
from .sentences import span_name
from .settings import FindingsSettings

TEST = "largest split of pooled counts, likelihood-ratio (G) test over-dispersion scaled, Bonferroni over splits"


def best_split(k: np.ndarray, n: np.ndarray, dispersion: float, min_side_periods: int,
               min_side_documents: int) -> tuple[int, float, int] | None:
    """(split position, scaled G, number of candidate splits) of the strongest split of one series, or None."""
    length = len(n)
    positions = np.arange(1, length)
    k_before, n_before = np.cumsum(k)[:-1], np.cumsum(n)[:-1]
    k_after, n_after = k.sum() - k_before, n.sum() - n_before
    active = np.cumsum(n > 0)[:-1]
    active_after = (n > 0).sum() - active
    ok = ((active >= min_side_periods) & (active_after >= min_side_periods)
          & (n_before >= min_side_documents) & (n_after >= min_side_documents))
    if not ok.any():
        return None
    g = g_statistic(k_before, n_before, k_after, n_after) / max(dispersion, 1.0)
    g = np.where(ok, g, -1.0)
    best = int(np.argmax(g))
    return int(positions[best]), float(g[best]), int(ok.sum())


def shift_findings(table: CountTable, dispersions: np.ndarray, settings: FindingsSettings) -> list[Finding]:
    """Every shift candidate of every subject, tested (significance is decided later, over the whole run)."""
    out: list[Finding] = []
    for j, subject in table.subjects.iterrows():
        k_all = table.counts[j]
        queue = [(0, len(table.periods))]
        tested = 0
        while queue and tested < settings.max_shifts_per_subject:
            first, stop = queue.pop(0)
            k, n = k_all[first:stop], table.totals[first:stop]
            if k.sum() < settings.min_compared_subject_documents:
                continue
            split = best_split(k, n, dispersions[j], settings.min_side_periods, settings.min_side_documents)
            if split is None:
                continue
            position, statistic, candidates = split
            p = float(scan_p(statistic, candidates))
            at = first + position
            out.append(_finding(table, j, subject, first, at, stop, p, dispersions[j], candidates))
            tested += 1
            if p < settings.alpha:
                queue += [(first, at), (at, stop)]
    return out


def _finding(table: CountTable, j: int, subject, first: int, at: int, stop: int, p: float, dispersion: float,
             candidates: int) -> Finding:
    k, n = table.counts[j], table.totals
    kb, nb, ka, na = int(k[first:at].sum()), int(n[first:at].sum()), int(k[at:stop].sum()), int(n[at:stop].sum())
    g = table.granularity
    return Finding(
        kind="shift", subject=str(subject["subject"]), subject_type=str(subject["subject_type"]),
        subject_id=str(subject["subject_id"]), test=TEST, p_value=p, effect=ka / na - kb / nb,
        effect_name="share after minus share before", n_documents=nb + na,
        doc_ids=table.evidence(j, table.period_mask(first, stop)), granularity=g,
        period=table.periods[at].date().isoformat(), before_count=kb, before_total=nb, after_count=ka,
        after_total=na, before_label=span_name(table.periods[first], table.periods[at - 1], g),
        after_label=span_name(table.periods[at], table.periods[stop - 1], g), dispersion=float(dispersion),
        details={"candidate_splits": candidates},
    )
