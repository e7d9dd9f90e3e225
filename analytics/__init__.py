"""Narrative Timeline: how propaganda themes and media coverage shift over time.

The library is a pipeline of small stages — ingest → clean → dedup → entities → topics → timeline → charts —
each a package of plain functions over DataFrames or the DuckDB store; `pipeline` runs them in order. A stored,
analysed corpus is read through one object, `Corpus`, which every face (the app, the report, the CLI, a notebook)
asks for its numbers:

    from analytics import Corpus, Filters
    Corpus.open("data/narrative.duckdb").theme_shares("quarter", Filters(), top=8)
"""

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from .corpus import Corpus, FilterOptions, Findings, Framing, Reading, Summary

# The read model is imported when first asked for, not with the package: it brings scipy.stats and the
# amplification statistics (~0.7 CPU-s), which `narrative ingest` and a worker process extracting entities never use.
_READ_MODEL = frozenset({"Corpus", "FilterOptions", "Findings", "Framing", "Reading", "Summary"})


def __getattr__(name: str) -> Any:
    if name in _READ_MODEL:
        from . import corpus

        return getattr(corpus, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _READ_MODEL)

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
