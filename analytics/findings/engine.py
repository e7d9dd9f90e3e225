"""The findings run: every hypothesis of every kind, one multiple-testing correction, significance decided once."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..multiple_testing import q_values
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
    subject_id. `events`: date, label (optional). All p-values of the run enter one correction (settings.correction,
    Benjamini–Hochberg by default); a finding is significant when its q-value is below settings.alpha. Every test
    already meets its evidence minimum (candidates that do not are never tested). Sorted: significant first, by q.
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


def corrected(found: list[Finding], settings: FindingsSettings) -> list[Finding]:
    """The findings with q-values from one correction over all of them, and `significant` set; sorted."""
    if not found:
        return []
    q = q_values([f.p_value for f in found], settings.correction)
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
