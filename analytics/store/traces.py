"""Traces of posts (URLs, domains, hashtags, mentions, retweet/quote/reply/forward links) and copy links."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from .connection import insert_frame

TRACE_COLUMNS = ["doc_id", "kind", "value", "position", "post_id"]


def insert_traces(con: duckdb.DuckDBPyConnection, traces: pd.DataFrame) -> int:
    """Append trace rows (doc_id, kind, value, position, post_id) of newly stored documents."""
    return insert_frame(con, "doc_traces", traces[TRACE_COLUMNS]) if len(traces) else 0


def link_copies(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild doc_copies: every retweet or forward, with its original when the store holds it.

    The original is the document whose external id is the post id the platform gave; else a document of the
    repeated account (source or author, case-insensitive) whose text is the copy's text without its "RT @user:"
    prefix (a retweet cut short with "…" matches the start of the original); the smallest id wins a tie. Call
    inside the ingest's transaction. Returns the number of copies linked to an original.
    """
    con.execute("DELETE FROM doc_copies")
    con.execute(
        r"""
        INSERT INTO doc_copies
        WITH copies AS (
            SELECT t.doc_id, min(t.kind) AS kind, min(t.value) AS account, min(t.post_id) AS post_id,
                   min(d.text) AS text
            FROM doc_traces t JOIN documents d ON d.id = t.doc_id
            WHERE t.kind IN ('retweet_of', 'forward_from') GROUP BY t.doc_id
        ),
        bodies AS (
            SELECT *, rtrim(regexp_replace(regexp_replace(text, '^\s*RT @\w+:?\s*', ''), '…$', '')) AS body
            FROM copies
        ),
        by_id AS (
            SELECT c.doc_id, min(o.id) AS original_id FROM bodies c
            JOIN documents o ON o.external_id = c.post_id AND o.id <> c.doc_id GROUP BY c.doc_id
        ),
        by_text AS (
            SELECT c.doc_id, min(o.id) AS original_id FROM bodies c
            JOIN documents o ON (lower(o.source) = lower(c.account) OR lower(o.author) = lower(c.account))
                AND o.id <> c.doc_id AND length(c.body) > 0
                AND (o.text = c.body OR (length(c.body) >= 20 AND starts_with(o.text, c.body)))
            WHERE c.doc_id NOT IN (SELECT doc_id FROM by_id) GROUP BY c.doc_id
        )
        SELECT c.doc_id, c.kind, coalesce(i.original_id, x.original_id)
        FROM bodies c LEFT JOIN by_id i USING (doc_id) LEFT JOIN by_text x USING (doc_id)
        """
    )
    return int(con.execute("SELECT count(*) FROM doc_copies WHERE original_id IS NOT NULL").fetchone()[0])


def traces(con: duckdb.DuckDBPyConnection, kinds: Iterable[str] | None = None) -> pd.DataFrame:
    """Trace rows, optionally of some kinds only, by document and position."""
    kinds = list(kinds or [])
    where = f"WHERE kind IN ({', '.join('?' for _ in kinds)})" if kinds else ""
    return con.execute(f"SELECT * FROM doc_traces {where} ORDER BY doc_id, position NULLS LAST, kind, value",
                       kinds).df()


def copies(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Documents that are retweets or forwards (kind) and their stored original (None when not in the corpus)."""
    return con.execute("SELECT * FROM doc_copies ORDER BY doc_id").df()


def platform_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Documents by platform (from their metadata; "-" for files that are no platform's export) and source type."""
    return con.execute(
        "SELECT coalesce(json_extract_string(metadata, '$.platform'), '-') AS platform, source_type, "
        "count(*) AS documents FROM documents GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2"
    ).df()
