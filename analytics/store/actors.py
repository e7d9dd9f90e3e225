"""Actors in the store: per-document counts (doc_actors), totals, counts per period, the documents naming an
actor, and which actors each document or sentence names (for pairs)."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from ..errors import UNKNOWN_GRANULARITY
from .scope import PERIOD_UNITS, Scope, period_expression, within

Documents = Iterable[str] | Scope | None  # a Scope (filters), a list of document ids, or every document (None)


def mentions(con: duckdb.DuckDBPyConnection, labels: Iterable[str] | None = None) -> pd.DataFrame:
    """Every entity mention: doc_id, canonical id and name, label, offsets and sentence bounds."""
    where, params = "", []
    if labels:
        labels = list(labels)
        where = f"WHERE label IN ({', '.join('?' * len(labels))})"
        params = labels
    return con.execute(
        "SELECT doc_id, canonical_id, canonical_name, label, start_char, end_char, sent_start, sent_end, text, origin "
        f"FROM entities {where} ORDER BY doc_id, start_char",
        params,
    ).df()


def _labels_clause(labels: Iterable[str] | None) -> tuple[str, list[str]]:
    labels = list(labels or [])
    return (f"label IN ({', '.join('?' * len(labels))})", labels) if labels else ("TRUE", [])


def doc_actors(con: duckdb.DuckDBPyConnection, doc_ids: Documents = None) -> pd.DataFrame:
    """Mentions counted per document and actor: doc_id, canonical_id, canonical_name, label, mentions."""
    with within(con, doc_ids) as (where, params):
        return con.execute(
            f"SELECT doc_id, canonical_id, canonical_name, label, mentions FROM doc_actors WHERE {where} "
            "ORDER BY doc_id, canonical_id", params
        ).df()


def actor_totals(
    con: duckdb.DuckDBPyConnection, doc_ids: Documents = None, labels: Iterable[str] | None = None,
    top: int | None = None, more_than: int | None = None,
) -> pd.DataFrame:
    """Per canonical actor: name, label, documents naming it and mentions, most documents first; only the actors
    named in more than `more_than` documents when given."""
    label_where, label_params = _labels_clause(labels)
    limit = f"LIMIT {int(top)}" if top else ""
    # Actors named in no more rows of doc_actors than `more_than` are left out before the scope's semi-join (at a
    # million documents that join, over every actor, was most of the time).
    # By the actors' and documents' integer codes (schema v7), not their strings.
    many = ("AND actor IN (SELECT actor FROM doc_actors WHERE actor IS NOT NULL "
            "GROUP BY actor HAVING count(*) > ?)" if more_than is not None else "")
    having = "HAVING count(*) > ?" if more_than is not None else ""
    bounds = [int(more_than)] if more_than is not None else []
    with within(con, doc_ids, by_code=True) as (where, params):
        return con.execute(
            f"""
            SELECT canonical_id, min(canonical_name) AS canonical_name, min(label) AS label,
                   count(*) AS documents, CAST(sum(mentions) AS BIGINT) AS mentions
            FROM doc_actors WHERE canonical_id IS NOT NULL {many} AND {where} AND {label_where}
            GROUP BY canonical_id {having} ORDER BY documents DESC, mentions DESC, canonical_id {limit}
            """,
            [*bounds, *params, *label_params, *bounds],
        ).df()


def actor_period_counts(
    con: duckdb.DuckDBPyConnection, granularity: str, doc_ids: Documents = None,
    labels: Iterable[str] | None = None, canonical_ids: Iterable[str] | None = None, per_period: int | None = None,
) -> pd.DataFrame:
    """Per period and canonical actor over dated documents: period, canonical_id, canonical_name, mentions,
    documents — the counts timeline.actor_period_table turns into shares. Only these actors with
    `canonical_ids`; only the `per_period` named in the most documents of each period with `per_period` (ties by
    mentions, then id)."""
    period = period_expression(granularity)
    label_where, label_params = _labels_clause(labels)
    wanted = [] if canonical_ids is None else list(canonical_ids)
    id_where = ("TRUE" if canonical_ids is None else
                f"a.canonical_id IN ({', '.join('?' * len(wanted))})" if wanted else "FALSE")
    counts = f"""
        SELECT {period} AS period, a.canonical_id,
               min(a.canonical_name) AS canonical_name, CAST(sum(a.mentions) AS BIGINT) AS mentions,
               count(*) AS documents
        FROM doc_actors a JOIN (SELECT doc_code, date FROM documents WHERE date IS NOT NULL AND {{where}}) d
             ON d.doc_code = a.doc_code
        WHERE a.canonical_id IS NOT NULL AND {label_where} AND {id_where}
        GROUP BY 1, 2"""
    # The id filter goes on the documents side of the join: probing 100k ids once, not once per actor row. The
    # join is on the documents' integer codes (schema v7), not their string ids.
    with within(con, doc_ids, "id", on_documents=True) as (where, params):
        if not per_period:
            return con.execute(f"SELECT * FROM ({counts.format(where=where)}) ORDER BY 1, 2",
                               [*params, *label_params, *wanted]).df()
        # Ranked only among the actors named in at least as many documents as the period's n-th most named one
        # (ties with it included, so the ranking below is the same): at a million documents the window over
        # every (period, actor) count (half a million) was most of the time.
        n = int(per_period)
        return con.execute(
            f"""
            WITH counts AS ({counts.format(where=where)}),
            floors AS (SELECT period, list_min(max(documents, {n})) AS floor FROM counts GROUP BY period)
            SELECT c.* FROM counts c JOIN floors f ON f.period = c.period WHERE c.documents >= f.floor
            QUALIFY row_number() OVER (PARTITION BY c.period ORDER BY c.documents DESC, c.mentions DESC,
                                       c.canonical_id) <= {n}
            ORDER BY 1, 2
            """,
            [*params, *label_params, *wanted],
        ).df()


def actor_documents(
    con: duckdb.DuckDBPyConnection, canonical_ids: Iterable[str], doc_ids: Documents = None,
    by: str = "canonical_id",
) -> list[str]:
    """Ids of the documents naming any of these actors (by canonical id, or by canonical_name with by=...)."""
    if by not in ("canonical_id", "canonical_name"):
        raise ValueError(f"unknown actor key {by!r}")
    wanted = list(canonical_ids)
    if not wanted:
        return []
    with within(con, doc_ids) as (where, params):
        rows = con.execute(
            f"SELECT DISTINCT doc_id FROM doc_actors WHERE {by} IN ({', '.join('?' * len(wanted))}) AND {where} "
            "ORDER BY doc_id",
            [*wanted, *params],
        ).fetchall()
    return [r[0] for r in rows]


def actor_incidence_codes(
    con: duckdb.DuckDBPyConnection, doc_ids: Documents = None, unit: str = "document",
    granularity: str | None = None,
) -> pd.DataFrame:
    """Which actor each unit (document or sentence) of the dated documents names, as integers for a sparse
    matrix: (period, unit, actor) rows, one per unit and actor; `actor` is the actor's stored code (actor_codes,
    turned into ids and names by actor_names).

    Read from doc_actors alone, joined to the documents on their integer codes (schema v7): a sentence is its
    document's code and its start offset in one integer, from the starts stored with each document's actor."""
    if unit not in ("document", "sentence"):
        raise ValueError(f"unknown unit {unit!r}")
    if granularity is not None and granularity not in PERIOD_UNITS:
        raise UNKNOWN_GRANULARITY.error(value=granularity, choices=", ".join(PERIOD_UNITS))
    period = period_expression(granularity) if granularity else "TIMESTAMP '1970-01-01'"
    # A sentence is its document's code and its start in one integer; sentences come sorted, so that the pairs
    # number them by their runs rather than by hashing millions of keys (timeline.unit_numbers).
    table, unit_key, order = ("doc_actors", "m.doc_code", "") if unit == "document" else (
        "(SELECT doc_code, actor, unnest(sentences) AS sent_start FROM doc_actors)",
        "m.doc_code * 4294967296 + m.sent_start", "ORDER BY unit")
    with within(con, doc_ids, "id", on_documents=True) as (where, params):
        return con.execute(
            f"""
            SELECT {period} AS period, CAST({unit_key} AS BIGINT) AS unit, m.actor
            FROM {table} m
            JOIN (SELECT doc_code, date FROM documents WHERE date IS NOT NULL AND {where}) d ON d.doc_code = m.doc_code
            WHERE m.actor IS NOT NULL {order}
            """, params
        ).df()


def actor_names(con: duckdb.DuckDBPyConnection, codes: Iterable[int]) -> pd.DataFrame:
    """The canonical id and name of these actor codes: actor, canonical_id, canonical_name (the smallest of the
    actor's names in doc_actors, as every actor table shows it)."""
    wanted = pd.DataFrame({"actor": pd.unique(pd.Series(list(codes), dtype="int64"))})
    con.register("_actor_codes_wanted", wanted)
    try:
        return con.execute(
            "SELECT c.actor, c.canonical_id, a.canonical_name FROM (SELECT d.actor, min(d.canonical_name) AS "
            "canonical_name FROM doc_actors d JOIN _actor_codes_wanted w ON w.actor = d.actor GROUP BY d.actor) a "
            "JOIN actor_codes c ON c.actor = a.actor ORDER BY c.canonical_id"
        ).df()
    finally:
        con.unregister("_actor_codes_wanted")


def actor_incidence(
    con: duckdb.DuckDBPyConnection, doc_ids: Documents = None, unit: str = "document",
    granularity: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """actor_incidence_codes' rows and the actors they name (actor_names of every code in them): what
    timeline.pair_counts takes. The Corpus names only the actors of the pairs it keeps (a few hundred, where the
    rows name hundreds of thousands of accounts)."""
    rows = actor_incidence_codes(con, doc_ids, unit, granularity)
    return rows, actor_names(con, rows["actor"].unique())
