"""The documents under a set of filters, as SQL conditions over the documents table (a `Scope`).

Every count the Corpus asks for is taken over a scope, so the pages, the report and a notebook count exactly the
documents their filters let through, in the store, without handing it lists of ids.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import duckdb
import pandas as pd

from ..errors import UNKNOWN_GRANULARITY
from ..filters import Filters

# Period starts as timeline.period_start computes them (weeks start on Monday, as date_trunc's ISO weeks do).
PERIOD_UNITS = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}

# The current fit's theme of each document, merges applied (a subquery; its one parameter is the run id).
ASSIGNED_THEMES = ("SELECT d.doc_id, coalesce(m.into_topic_id, d.topic_id) AS topic_id FROM doc_topics d "
                   "LEFT JOIN topic_merges m ON m.from_topic_id = d.topic_id WHERE d.run_id = ?")
# The same by the documents' integer codes (schema v7), to join on integers where a query can.
ASSIGNED_THEME_CODES = ("SELECT d.doc_code, coalesce(m.into_topic_id, d.topic_id) AS topic_id FROM doc_topics d "
                        "LEFT JOIN topic_merges m ON m.from_topic_id = d.topic_id WHERE d.run_id = ?")


@dataclass(frozen=True)
class Scope:
    """SQL conditions over the columns of `documents`, with their parameters in order. Used inside a query over
    the documents table alone (`SELECT id, date FROM documents WHERE {scope.sql}`), so the names need no alias."""

    sql: str
    params: tuple = ()


def scope(filters: Filters | None = None, run_id: int | None = None, dated: bool = True) -> Scope:
    """The documents these filters let through: dated ones only unless `dated` is False (then undated documents
    pass a date filter too: they have no date to be out of range). The themes filter needs the fit's run id."""
    f = filters or Filters()
    clauses: list[str] = []
    params: list = []
    if dated:
        clauses.append("date IS NOT NULL")
    if f.start or f.end:
        lo = pd.Timestamp(f.start or dt.date(1, 1, 1))
        hi = pd.Timestamp(f.end) + pd.Timedelta(days=1) if f.end else pd.Timestamp.max
        in_range = "(date >= ? AND date < ?)"
        clauses.append(in_range if dated else f"(date IS NULL OR {in_range})")
        params += [lo.to_pydatetime(warn=False), hi.to_pydatetime(warn=False)]  # a day range needs no nanoseconds
    for column, values in (("source", f.sources), ("source_type", f.source_types), ("language", f.languages)):
        if values:
            clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
            params += list(values)
    if f.actor:
        clauses.append("id IN (SELECT doc_id FROM doc_actors WHERE canonical_id = ?)")
        params.append(f.actor)
    if f.themes:
        clauses.append(f"id IN (SELECT doc_id FROM ({ASSIGNED_THEMES}) WHERE topic_id IN "
                       f"({', '.join('?' * len(f.themes))}))")
        params += [run_id if run_id is not None else -1, *f.themes]
    return Scope(" AND ".join(clauses) or "TRUE", tuple(params))


def period_expression(granularity: str, column: str = "d.date") -> str:
    """SQL for the start of the period a date falls in."""
    if granularity not in PERIOD_UNITS:
        raise UNKNOWN_GRANULARITY.error(value=granularity, choices=", ".join(PERIOD_UNITS))
    return f"CAST(date_trunc('{PERIOD_UNITS[granularity]}', {column}) AS TIMESTAMP)"


@contextlib.contextmanager
def within(con: duckdb.DuckDBPyConnection, docs: Iterable[str] | Scope | None,
           column: str = "doc_id", on_documents: bool = False, by_code: bool = False) -> Iterator[tuple[str, list]]:
    """A WHERE-clause fragment, and its parameters, keeping rows whose `column` names one of the documents:
    a Scope (counted in the store), a list of ids (handed over as a registered frame), or every row (None).
    `on_documents`: the rows are the documents table's own (its `id` column), so a Scope is its own conditions,
    not a semi-join of the table with itself (at a million documents that join cost a quarter of a second).
    `by_code`: the rows also carry the document's integer code (doc_code, schema v7), and a Scope is matched on
    it rather than on the string id (doc_actors: a fifth of the time at a million documents)."""
    if docs is None:
        yield "TRUE", []
        return
    if isinstance(docs, Scope):
        if on_documents:
            yield f"({docs.sql})", list(docs.params)
        elif by_code:
            yield f"doc_code IN (SELECT doc_code FROM documents WHERE {docs.sql})", list(docs.params)
        else:
            yield f"{column} IN (SELECT id FROM documents WHERE {docs.sql})", list(docs.params)
        return
    ids = docs if isinstance(docs, pd.Series) else pd.Series(list(docs), dtype=object)
    con.register("_page_ids", pd.DataFrame({"id": ids.to_numpy(dtype=object)}))
    try:
        yield f"{column} IN (SELECT id FROM _page_ids)", []
    finally:
        con.unregister("_page_ids")
