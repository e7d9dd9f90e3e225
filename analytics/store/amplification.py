"""Posts and their traces under a scope: the frames the amplification functions read (their contracts are in
analytics/amplification/contracts.py), and short openings of texts to name what a cascade carried."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from .connection import arrow_frame
from .scope import ASSIGNED_THEMES, Scope, within

# Hashtags and mentions are stored as ingest normalised them (case-folded, without their sign); the amplification
# functions and everything a reader sees write them with it, so "#tag" and "@name" never look like words.
TRACE_VALUE = "CASE kind WHEN 'hashtag' THEN '#' || value WHEN 'mention' THEN '@' || value ELSE value END"


def posts(con: duckdb.DuckDBPyConnection, where: Scope, run_id: int | None = None) -> pd.DataFrame:
    """The scope's documents as posts, by date: id, date, date_precision, source, source_type, author,
    duplicate_of, and topic_id (the theme of the fit `run_id`, merges applied; missing without a fit or when the
    fit has not placed the document)."""
    return arrow_frame(
        con, f"SELECT d.id, d.date, d.date_precision, d.source, d.source_type, d.author, d.duplicate_of, t.topic_id "
        f"FROM (SELECT id, date, date_precision, source, source_type, author, duplicate_of FROM documents "
        f"WHERE {where.sql}) d LEFT JOIN ({ASSIGNED_THEMES}) t ON t.doc_id = d.id ORDER BY d.date NULLS LAST, d.id",
        [*where.params, run_id if run_id is not None else -1])


def post_dates(con: duckdb.DuckDBPyConnection, where: Scope) -> pd.DataFrame:
    """The scope's documents as the trace trends count them, by date: id, date, source, source_type (no theme)."""
    return arrow_frame(con, f"SELECT id, date, source, source_type FROM documents WHERE {where.sql} "
                       f"ORDER BY date NULLS LAST, id", list(where.params))


def post_counts(con: duckdb.DuckDBPyConnection, where: Scope, untimed_precisions: Iterable[str]) -> dict[str, int]:
    """What the scope holds as posts, counted in the store: documents; of them, `timed` ones (a date precision not
    among `untimed_precisions` and not at exactly midnight, where dates without a time are stored); `with_traces`
    (carrying at least one trace); and `accounts` (distinct sources)."""
    coarse = list(untimed_precisions)
    not_coarse = f"AND date_precision NOT IN ({', '.join('?' * len(coarse))})" if coarse else ""
    documents, timed, with_traces, accounts = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE date IS NOT NULL AND date <> date_trunc('day', date) {not_coarse}),"
        f" count(*) FILTER (WHERE id IN (SELECT doc_id FROM doc_traces)), count(DISTINCT source) "
        f"FROM documents WHERE {where.sql}", [*coarse, *where.params]).fetchall()[0]
    return {"documents": int(documents), "timed": int(timed), "with_traces": int(with_traces),
            "accounts": int(accounts)}


def near_duplicate_links(con: duckdb.DuckDBPyConnection, where: Scope) -> pd.DataFrame:
    """The scope's documents that take part in a near-duplicate link inside it: every one that copies another
    (its duplicate_of set) and every one another of them copies. id, duplicate_of: all the rows of the scope's
    posts `amplification.near_duplicate_clusters` reads, without the million that copy nothing."""
    return arrow_frame(
        con, f"SELECT id, duplicate_of FROM documents WHERE ({where.sql}) AND (duplicate_of IS NOT NULL OR id IN "
        f"(SELECT duplicate_of FROM documents WHERE ({where.sql}) AND duplicate_of IS NOT NULL)) ORDER BY id",
        [*where.params, *where.params])


def carrying(where: Scope, trace_kinds: Iterable[str], copies: bool) -> Scope:
    """The scope narrowed to the documents that can carry an item a cascade or the coordination search compares:
    those with a trace of these kinds and, with `copies`, those in a near-duplicate link inside the scope (copying
    another, or copied by one of the scope's). A post carrying none adds nothing to either, and at a million
    documents reading them all cost a second."""
    kinds = list(trace_kinds)
    parts: list[str] = []
    params: list = []
    if kinds:
        parts.append(f"id IN (SELECT doc_id FROM doc_traces WHERE kind IN ({', '.join('?' * len(kinds))}))")
        params += kinds
    if copies:
        parts.append(f"duplicate_of IS NOT NULL OR id IN (SELECT duplicate_of FROM documents WHERE ({where.sql}) "
                     f"AND duplicate_of IS NOT NULL)")
        params += where.params
    return Scope(f"({where.sql}) AND ({' OR '.join(parts) or 'FALSE'})", (*where.params, *params))


def posts_per_account(con: duckdb.DuckDBPyConnection, where: Scope) -> pd.DataFrame:
    """The scope's documents counted per source and source type (documents without a source left out): source,
    source_type, posts."""
    return arrow_frame(con, f"SELECT source, source_type, count(*) AS posts FROM documents WHERE ({where.sql}) AND "
                       f"source IS NOT NULL GROUP BY source, source_type ORDER BY source, source_type",
                  list(where.params))


def post_traces(con: duckdb.DuckDBPyConnection, where: Scope, kinds: Iterable[str] | None = None) -> pd.DataFrame:
    """The traces of the scope's documents (optionally of some kinds only): doc_id, kind, value (hashtags as
    "#tag", mentions as "@name"), position; by document and position."""
    kinds = list(kinds or [])
    of_kind = f"AND kind IN ({', '.join('?' * len(kinds))})" if kinds else ""
    with within(con, where, "doc_id") as (inside, params):
        return arrow_frame(
            con, f"SELECT doc_id, kind, {TRACE_VALUE} AS value, position FROM doc_traces WHERE {inside} {of_kind} "
            f"ORDER BY doc_id, position NULLS LAST, kind, value", [*params, *kinds])


def traced_documents(con: duckdb.DuckDBPyConnection, where: Scope) -> int:
    """How many of the scope's documents carry at least one trace."""
    with within(con, where, "doc_id") as (inside, params):
        return int(con.execute(f"SELECT count(DISTINCT doc_id) FROM doc_traces WHERE {inside}", params).fetchone()[0])


def openings(con: duckdb.DuckDBPyConnection, doc_ids: Iterable[str], chars: int = 160) -> pd.DataFrame:
    """The first `chars` characters of these documents' texts (whitespace runs as one space): id, opening."""
    ids = list(dict.fromkeys(doc_ids))
    if not ids:
        return pd.DataFrame({"id": pd.Series(dtype=object), "opening": pd.Series(dtype=object)})
    with within(con, ids, "id") as (inside, params):
        return con.execute(
            f"SELECT id, left(regexp_replace(text, '\\s+', ' ', 'g'), {int(chars)}) AS opening FROM documents "
            f"WHERE {inside}", params).df()
