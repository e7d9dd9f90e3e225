"""Findings: every claim the tool prints is a test of a stated null hypothesis on counts of documents with their
denominators, all tests of a run go through one multiple-testing correction, and each keeps its evidence.

    from analytics import findings
    found = findings.run(documents, items, events, granularity="quarter")
    for f in findings.significant_only(found):
        print(findings.sentence(f), f.doc_ids[:5])

A pure library over tidy DataFrames: no Streamlit, no SQL (the store is read only by `load_inputs`).
"""

from __future__ import annotations

from .engine import corrected, findings_frame, run, significant_only
from .explained import HOW_FINDINGS_ARE_TESTED
from .finding import JSON_KEYS, Finding
from .legacy import largest_theme_shifts
from .loader import assignment_items, load_inputs
from .platforms import migration_sentence, platform_leaders, platform_newcomers
from .sentences import sentence
from .settings import HELP, KINDS, FindingsSettings, settings_table

__all__ = [
    "HELP", "HOW_FINDINGS_ARE_TESTED", "JSON_KEYS", "KINDS", "Finding", "FindingsSettings", "assignment_items",
    "corrected", "findings_frame", "largest_theme_shifts", "load_inputs", "migration_sentence", "platform_leaders",
    "platform_newcomers", "run", "sentence", "settings_table", "significant_only",
]
