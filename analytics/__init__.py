"""Narrative Timeline: how propaganda themes and media coverage shift over time.

The library is a pipeline of small stages — ingest → clean → dedup → entities → topics → timeline → charts —
each a module of plain functions over DataFrames or the DuckDB store. `pipeline` runs them in order.
"""

from .errors import InputError, ModelUnavailableError, NarrativeError, RecordRejected, StoreBusyError

__version__ = "0.1.0"

__all__ = [
    "InputError",
    "ModelUnavailableError",
    "NarrativeError",
    "RecordRejected",
    "StoreBusyError",
    "__version__",
]
