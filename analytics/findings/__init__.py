"""Findings: every claim the tool prints is a test of a stated null hypothesis on counts of documents with their
denominators, all tests of a run go through one multiple-testing correction (split by family of question), and
each keeps its evidence.

    from analytics import findings
    found = findings.run(documents, items, events, granularity="quarter")
    for f in findings.significant_only(found):
        print(findings.sentence(f), f.doc_ids[:5])

A pure library over tidy DataFrames: no Streamlit, no SQL. On a store, ask `Corpus.findings` (it gathers the
documents, themes, actors, framing words and events under a set of filters and runs this engine).
"""

from __future__ import annotations

from . import platforms
from .engine import corrected, findings_frame, run, significant_only
from .explained import HOW_FINDINGS_ARE_TESTED, correction_words
from .finding import JSON_KEYS, SUBJECT_TYPES, Finding
from .platforms import migration_findings
from .sentences import sentence
from .settings import KINDS, SETTING_NAMES, FindingsSettings, settings_table
from .windows import window_findings

__all__ = [
    "HOW_FINDINGS_ARE_TESTED", "JSON_KEYS", "KINDS", "SETTING_NAMES", "SUBJECT_TYPES", "Finding", "FindingsSettings",
    "corrected", "correction_words", "findings_frame", "migration_findings", "platforms", "run", "sentence",
    "settings_table", "significant_only", "window_findings",
]
