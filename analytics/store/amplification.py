"""Posts and their traces under a scope: the frames the amplification functions read (their contracts are in
analytics/amplification/contracts.py), and short openings of texts to name what a cascade carried."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from .scope import ASSIGNED_THEMES, Scope, within

# Hashtags and mentions are stored as ingest normalised them (case-folded, without their sign); the amplification
# functions and everything a reader sees write them with it, so "#tag" and "@name" never look like words.
TRACE_VALUE = "CASE kind WHEN 'hashtag' THEN '#' || value WHEN 'mention' THEN '@' || value ELSE value END"


def posts(con: duckdb.DuckDBPyConnection, where: Scope, run_id: int | None = None) -> pd.DataFrame:
    """The scope's documents as posts, by date: id, date, date_precision, source, source_type, author,
    duplicate_of, and topic_id (the theme of the fit `run_id`, merges applied; missing without a fit or when the
    fit has not placed the document)."""
    return con.execute(
        f"SELECT d.id, d.date, d.date_precision, d.source, d.source_type, d.author, d.duplicate_of, t.topic_id "
        f"FROM (SELECT id, date, date_precision, source, source_type, author, duplicate_of FROM documents "
        f"WHERE {where.sql}) d LEFT JOIN ({ASSIGNED_THEMES}) t ON t.doc_id = d.id ORDER BY d.date NULLS LAST, d.id",
        [*where.params, run_id if run_id is not None else -1]).df()


def post_traces(con: duckdb.DuckDBPyConnection, where: Scope, kinds: Iterable[str] | None = None) -> pd.DataFrame:
    """The traces of the scope's documents (optionally of some kinds only): doc_id, kind, value (hashtags as
    "#tag", mentions as "@name"), position; by document and position."""
    kinds = list(kinds or [])
    of_kind = f"AND kind IN ({', '.join('?' * len(kinds))})" if kinds else ""
    with within(con, where, "doc_id") as (inside, params):
        return con.execute(
            f"SELECT doc_id, kind, {TRACE_VALUE} AS value, position FROM doc_traces WHERE {inside} {of_kind} "
            f"ORDER BY doc_id, position NULLS LAST, kind, value", [*params, *kinds]).df()


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
