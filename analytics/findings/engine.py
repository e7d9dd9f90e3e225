"""The findings run: every hypothesis of every kind, one multiple-testing correction, significance decided once."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..multiple_testing import q_values_by_family
from .bursts import burst_findings
from .count_tests import dispersion
from .counts import count_table
from .finding import Finding
from .lead_lag import lead_lag_findings
from .settings import FindingsSettings
from .share_of_voice import share_of_voice_findings
from .shifts import shift_findings
from .windows import emerging_fading_findings, event_impact_findings


def run(documents: pd.DataFrame, items: pd.DataFrame, events: pd.DataFrame | None = None,
        granularity: str = "quarter", settings: FindingsSettings | None = None) -> list[Finding]:
    """Test every hypothesis the settings ask for and return them all, significant or not.

    `documents`: id, date, source, source_type. `items`: doc_id, subject_type ("theme"/"actor"), subject,
    subject_id. `events`: date, label (optional). All p-values of the run enter one correction (`corrected`:
    each family of tests corrected on its own with settings.correction, Benjamini–Hochberg by default, the error
    rate split evenly between the families); a finding is significant when its q-value is below settings.alpha.
    Every test already meets its evidence minimum (candidates that do not are never tested). Sorted: significant
    first, by q.
    """
    settings = settings or FindingsSettings()
    table = count_table(documents, items, granularity, settings.min_subject_documents)
    if table.subjects.empty or len(table.periods) == 0:
        return []
    spread = dispersion(table.counts, table.totals, settings.dispersion_half_window)
    kinds = set(settings.kinds)
    found: list[Finding] = []
    if "shift" in kinds:
        found += shift_findings(table, spread, settings)
    if "burst" in kinds:
        found += burst_findings(table, spread, settings)
    if kinds & {"emerging", "fading"}:
        found += [f for f in emerging_fading_findings(table, spread, settings) if f.kind in kinds]
    if "event_impact" in kinds and events is not None:
        found += event_impact_findings(table, events, spread, settings)
    if "lead_lag" in kinds:
        found += lead_lag_findings(table, settings)
    if "share_of_voice" in kinds:
        found += share_of_voice_findings(table, settings)
    return corrected(found, settings)


# The families the correction splits the error rate between, by the question a kind of finding asks: did a
# subject's share change over time (shift, burst, emerging or fading, event impact: when attention really moves,
# all of them see it, and when it does not, none should), does one source type move first (lead and lag), does one
# source type give a subject more room than the others (share of voice).
FAMILIES = {"shift": "change over time", "burst": "change over time", "emerging": "change over time",
            "fading": "change over time", "event_impact": "change over time", "lead_lag": "lead and lag",
            "share_of_voice": "share of voice"}


def family(kind: str) -> str:
    """The family a kind of finding is corrected in (`FAMILIES`)."""
    return FAMILIES[kind]


def corrected(found: list[Finding], settings: FindingsSettings) -> list[Finding]:
    """The findings with q-values from one correction over all of them, and `significant` set; sorted.

    The correction is `q_values_by_family` over the `FAMILIES`: each family corrected on its own, the error rate
    split evenly between the families present. So the many real shifts of a corpus whose attention moves in
    waves do not make a false lead or a false share-of-voice difference easier to pass beside them."""
    if not found:
        return []
    q = q_values_by_family([f.p_value for f in found], [family(f.kind) for f in found], settings.correction)
    out = [dataclasses.replace(f, q_value=float(qv), significant=bool(qv < settings.alpha))
           for f, qv in zip(found, q, strict=True)]
    return sorted(out, key=lambda f: (not f.significant, f.q_value, f.p_value, f.kind, f.subject))


def findings_frame(found: list[Finding]) -> pd.DataFrame:
    """The findings as a table (one row per test), with the sentence of each."""
    from .sentences import sentence

    rows = [f.to_dict() | {"sentence": sentence(f)} for f in found]
    return pd.DataFrame(rows)


def significant_only(found: list[Finding]) -> list[Finding]:
    """The findings whose q-value is below the run's alpha."""
    return [f for f in found if f.significant]


def false_findings_share(found: list[Finding]) -> float:
    """Share of tests called significant (the false-positive rate when the data hold no effect)."""
    return float(np.mean([f.significant for f in found])) if found else 0.0
