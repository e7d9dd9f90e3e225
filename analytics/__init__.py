"""Narrative Timeline: how propaganda themes and media coverage shift over time.

The library is a pipeline of small stages — ingest → clean → dedup → entities → topics → timeline → charts —
each a package of plain functions over DataFrames or the DuckDB store; `pipeline` runs them in order. A stored,
analysed corpus is read through one object, `Corpus`, which every face (the app, the report, the CLI, a notebook)
asks for its numbers:

    from analytics import Corpus, Filters
    Corpus.open("data/narrative.duckdb").theme_shares("quarter", Filters(), top=8)
"""

from .corpus import Corpus, FilterOptions, Findings, Framing, Reading, Summary
from .errors import (
    InputError,
    ModelUnavailableError,
    NarrativeError,
    RecordRejected,
    StoreBusyError,
    StoreError,
    StoreOutdatedError,
    UnsafeArchiveError,
    UsageError,
)
from .filters import Filters

__version__ = "0.1.0"

__all__ = [
    "Corpus",
    "FilterOptions",
    "Filters",
    "Findings",
    "Framing",
    "InputError",
    "ModelUnavailableError",
    "NarrativeError",
    "Reading",
    "RecordRejected",
    "StoreBusyError",
    "StoreError",
    "StoreOutdatedError",
    "Summary",
    "UnsafeArchiveError",
    "UsageError",
    "__version__",
]
