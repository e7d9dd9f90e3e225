"""Documents for the pages, the report and the Corpus: counts per period, lists, search, one document."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import duckdb
import pandas as pd

from .scope import ASSIGNED_THEMES, Scope, period_expression, within

DOC_LIST_COLUMNS = "id, date, date_precision, source, source_type, title, language, url, words"
# A list's columns with the start of each text and its metadata (an export's documents: excerpt and citation).
DOC_CITE_COLUMNS = f"{DOC_LIST_COLUMNS}, author, left(text, 700) AS text_start, metadata"


def timeline_documents(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every document's timeline fields (no text): the frame the timeline functions filter and count."""
    return con.execute(f"SELECT {DOC_LIST_COLUMNS}, author FROM documents ORDER BY date NULLS LAST, id").df()


def dated_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many stored documents have a date (the ones the timeline and the actor counts use)."""
    return int(con.execute("SELECT count(*) FROM documents WHERE date IS NOT NULL").fetchall()[0][0])


def with_openings(con: duckdb.DuckDBPyConnection, docs: pd.DataFrame, length: int = 200) -> pd.DataFrame:
    """A list of documents (id, title) with `opening`: the first `length` characters of the text of each one
    without a title (a post, a speech; None for the others), so a list of posts is not a column of "(untitled)".

    Read after the list is cut, for the untitled documents only: a text column in the list's own query made
    DuckDB read every candidate's text before the ORDER BY … LIMIT (at a million documents, +0.4 s of CPU for a
    search of a common word whose documents all had titles)."""
    untitled = docs.loc[docs["title"].fillna("").str.strip() == "", "id"].tolist() if len(docs) else []
    found: dict[str, str] = {}
    if untitled:
        found = dict(con.execute(f"SELECT id, left(text, {int(length)}) FROM documents "
                                 "WHERE id IN (SELECT unnest(?::VARCHAR[]))", [untitled]).fetchall())
    return docs.assign(opening=docs["id"].map(found).astype(object) if found else None)


def document(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict[str, Any] | None:
    """One document with its text and metadata."""
    df = con.execute("SELECT * FROM documents WHERE id = ?", [doc_id]).df()
    if df.empty:
        return None
    row = df.iloc[0].to_dict()
    row["metadata"] = json.loads(row["metadata"]) if row.get("metadata") else {}
    return row


def document_entities(con: duckdb.DuckDBPyConnection, doc_id: str) -> pd.DataFrame:
    """The entity mentions of one document, in text order."""
    return con.execute(
        "SELECT start_char, end_char, text, label, canonical_id, canonical_name, origin "
        "FROM entities WHERE doc_id = ? ORDER BY start_char", [doc_id]
    ).df()


def processed_versions(con: duckdb.DuckDBPyConnection, doc_id: str, stage: str) -> list[str]:
    """The versions of a stage that processed one document, as the stage marked them (in text order)."""
    return [row[0] for row in con.execute(
        "SELECT version FROM processed WHERE doc_id = ? AND stage = ? ORDER BY version", [doc_id, stage]).fetchall()]


def document_mentions_version(con: duckdb.DuckDBPyConnection, doc_id: str) -> str | None:
    """The pipeline version that wrote one document's stored mentions (None when it has none)."""
    return con.execute("SELECT max(pipeline_version) FROM entities WHERE doc_id = ?", [doc_id]).fetchall()[0][0]


def search_documents(
    con: duckdb.DuckDBPyConnection, query: str = "", ids: Iterable[str] | Scope | None = None, limit: int = 200
) -> pd.DataFrame:
    """Documents whose title or text contains every word of `query` (case-insensitive), optionally within ids
    or a Scope.

    Matched with RE2's case-insensitive literal search rather than ILIKE: the same substrings, found without
    lower-casing every text first — about six times faster over 100k documents (no fts extension offline).
    """
    clauses, params = [], []
    for word in query.split():
        clauses.append("(regexp_matches(text, ?) OR regexp_matches(title, ?))")
        pattern = "(?i)" + re.escape(word)
        params += [pattern, pattern]
    with within(con, ids, "id", on_documents=True) as (inside, inside_params):
        where = " AND ".join([*clauses, inside])
        return con.execute(
            f"SELECT {DOC_LIST_COLUMNS} FROM documents WHERE {where} ORDER BY date NULLS LAST, id LIMIT {int(limit)}",
            [*params, *inside_params],
        ).df()


# -- over a scope (the Corpus's filters) ---------------------------------------------------------------------------


def summary(con: duckdb.DuckDBPyConnection, where: Scope) -> dict[str, Any]:
    """The whole store's size (documents, dated, undated, sources, first and last date) and how many dated
    documents the scope holds."""
    total, dated, sources, first, last = con.execute(
        "SELECT count(*), count(date), count(DISTINCT source), min(date), max(date) FROM documents").fetchone()
    in_scope = con.execute(f"SELECT count(*) FROM documents WHERE {where.sql}", list(where.params)).fetchone()[0]
    return {"documents": int(total), "dated": int(dated), "undated": int(total - dated), "sources": int(sources),
            "first": first, "last": last, "in_scope": int(in_scope)}


def date_range(con: duckdb.DuckDBPyConnection, where: Scope) -> tuple[Any, Any]:
    """The first and last date of the scope's dated documents (None, None when it has none)."""
    first, last = con.execute(f"SELECT min(date), max(date) FROM documents WHERE {where.sql} AND date IS NOT NULL",
                              list(where.params)).fetchone()
    return first, last


def period_counts(con: duckdb.DuckDBPyConnection, granularity: str, where: Scope, by: str | None = None
                  ) -> pd.DataFrame:
    """Dated documents of the scope per period (and per value of `by`: source, source_type or language; a missing
    value counts as "unknown"): period, [by], count. Periods without documents are absent."""
    period = period_expression(granularity, "date")
    key = f", coalesce(CAST({_column(by)} AS VARCHAR), 'unknown') AS {by}" if by else ""
    group = "1, 2" if by else "1"
    return con.execute(
        f"SELECT {period} AS period{key}, count(*) AS count FROM documents WHERE {where.sql} AND date IS NOT NULL "
        f"GROUP BY {group} ORDER BY {group}", list(where.params)).df()


def _list_conditions(where: Scope, *, period: tuple[Any, Any] | None = None, themes: Iterable[int] | None = None,
                     run_id: int | None = None, actors: Iterable[str] | None = None, every_actor: bool = False,
                     actor_key: str = "canonical_id", query: str = "", patterns: Iterable[str] = ()
                     ) -> tuple[list[str], list]:
    """document_list's conditions over the documents table, and their parameters in order."""
    clauses, params = [where.sql], list(where.params)
    for pattern in [*("(?i)" + re.escape(word) for word in query.split()), *patterns]:
        clauses.append("(regexp_matches(text, ?) OR regexp_matches(title, ?))")
        params += [pattern] * 2
    if period is not None:
        clauses.append("date >= ? AND date < ?")
        params += [pd.Timestamp(period[0]).to_pydatetime(), pd.Timestamp(period[1]).to_pydatetime()]
    if themes is not None:
        themes = [int(t) for t in themes]
        clauses.append(f"id IN (SELECT doc_id FROM ({ASSIGNED_THEMES}) WHERE topic_id IN "
                       f"({', '.join('?' * len(themes)) or 'NULL'}))")
        params += [run_id if run_id is not None else -1, *themes]
    if actors is not None:
        actors = list(dict.fromkeys(actors))
        if actor_key not in ("canonical_id", "canonical_name"):
            raise ValueError(f"unknown actor key {actor_key!r}")
        having = f" GROUP BY doc_code HAVING count(DISTINCT {actor_key}) = {len(actors)}" if every_actor else ""
        # on the documents' integer codes (schema v7): a semi-join on the string ids cost 0.1 s at 170k documents
        clauses.append(f"doc_code IN (SELECT doc_code FROM doc_actors WHERE {actor_key} IN "
                       f"({', '.join('?' * len(actors)) or 'NULL'}){having})")
        params += actors
    return clauses, params


def document_list(con: duckdb.DuckDBPyConnection, where: Scope, *, period: tuple[Any, Any] | None = None,
                  themes: Iterable[int] | None = None, run_id: int | None = None,
                  actors: Iterable[str] | None = None, every_actor: bool = False, actor_key: str = "canonical_id",
                  doc_ids: Iterable[str] | None = None, limit: int | None = None,
                  columns: str = DOC_LIST_COLUMNS, with_theme: bool = False, query: str = "",
                  patterns: Iterable[str] = (), openings: bool = False) -> pd.DataFrame:
    """The scope's documents (no text), by date: optionally only those dated in [period start, end), in these
    themes of the fit `run_id` (merges applied), naming any of these actors (all of them with `every_actor`;
    canonical ids, or names with actor_key="canonical_name"), or among these ids; the first `limit` of them.
    `with_theme` adds each document's topic_id in the fit `run_id` (merges applied; missing when the fit has not
    placed it). `query`: only documents whose title or text contains every one of its words (as search_documents
    matches them); `patterns`: only documents whose title or text matches every one of these regular expressions
    (RE2; the Corpus's search builds them, languages/search.py). `openings`: with_openings' column too (needs id,
    title)."""
    clauses, params = _list_conditions(where, period=period, themes=themes, run_id=run_id, actors=actors,
                                       every_actor=every_actor, actor_key=actor_key, query=query, patterns=patterns)
    cap = f" LIMIT {int(limit)}" if limit else ""
    with within(con, doc_ids, "id", on_documents=True) as (inside, inside_params):
        listed = (f"SELECT {columns} FROM documents WHERE {' AND '.join([*clauses, inside])} "
                  f"ORDER BY date NULLS LAST, id{cap}")
        if not with_theme:
            docs = con.execute(listed, [*params, *inside_params]).df()
        else:  # the theme is joined to the documents listed, not the list to every document's theme
            docs = con.execute(
                f"SELECT l.*, t.topic_id FROM ({listed}) l LEFT JOIN ({ASSIGNED_THEMES}) t ON t.doc_id = l.id "
                "ORDER BY l.date NULLS LAST, l.id",
                [*params, *inside_params, run_id if run_id is not None else -1]).df()
    return with_openings(con, docs) if openings else docs


def listed_count(con: duckdb.DuckDBPyConnection, where: Scope, *, doc_ids: Iterable[str] | None = None,
                   **conditions: Any) -> int:
    """How many documents document_list lists with the same arguments (no limit): a count, no rows read."""
    clauses, params = _list_conditions(where, **conditions)
    with within(con, doc_ids, "id", on_documents=True) as (inside, inside_params):
        return int(con.execute(f"SELECT count(*) FROM documents WHERE {' AND '.join([*clauses, inside])}",
                               [*params, *inside_params]).fetchall()[0][0])


def texts(con: duckdb.DuckDBPyConnection, where: Scope, doc_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Id, date, source, language and text of the scope's documents (optionally only these ids), by date."""
    return document_list(con, where, doc_ids=doc_ids, columns="id, date, source, language, text")


def texts_with_types(con: duckdb.DuckDBPyConnection, where: Scope, doc_ids: Iterable[str] | None = None
                     ) -> pd.DataFrame:
    """Id, date, source, source type, language, title and text of the scope's documents (or these ids), by date."""
    return document_list(con, where, doc_ids=doc_ids, columns="id, date, source, source_type, language, title, text")


def with_words(where: Scope, query: str = "", patterns: Iterable[str] = ()) -> Scope:
    """The scope narrowed to documents whose title or text contains every word of `query` (as search_documents
    matches them: case-insensitive, anywhere in a word) and matches every one of `patterns` (RE2, as
    document_list takes them: the Corpus's search builds them, languages/search.py)."""
    clauses, params = [where.sql], list(where.params)
    for pattern in [*("(?i)" + re.escape(word) for word in query.split()), *patterns]:
        clauses.append("(regexp_matches(text, ?) OR regexp_matches(coalesce(title, ''), ?))")
        params += [pattern] * 2
    return Scope(" AND ".join(clauses), tuple(params))


def distinct_values(con: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    """The values a column takes (source, source_type or language), sorted; missing values left out."""
    return [r[0] for r in con.execute(
        f"SELECT DISTINCT {_column(column)} FROM documents WHERE {_column(column)} IS NOT NULL ORDER BY 1").fetchall()]


def dates(con: duckdb.DuckDBPyConnection) -> pd.Series:
    """Every stored date (undated documents left out), to choose a default granularity."""
    return con.execute("SELECT date FROM documents WHERE date IS NOT NULL").df()["date"]


def _column(name: str) -> str:
    """A column the grouping queries may name (never a string from outside)."""
    if name not in ("source", "source_type", "language"):
        raise ValueError(f"not a grouping column: {name!r}")
    return name
