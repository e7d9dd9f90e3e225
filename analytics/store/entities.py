"""Entity mentions and their per-document actor counts (doc_actors), written together."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb
import pandas as pd

from ..frames import among
from .connection import insert_frame

# One row per (doc_id, canonical_id): a canonical id has one label, and its name is the same in a document
# but for model mentions whose surface forms differ in case ("ISIS", "Isis"), where the smallest is kept. With it,
# the integer codes of the document and the actor, and the starts of the sentences naming the actor (schema v7:
# the pairs named together are counted over these, without a join on string ids).
_DOC_ACTORS_COLUMNS = "doc_id, canonical_id, canonical_name, label, mentions, doc_code, actor, sentences"


def _doc_actors_select(mentions: str, where: str = "", documents: str = "documents", codes: str = "actor_codes"
                       ) -> str:
    """The doc_actors rows counted from a table of mentions (entities, or a batch registered under a name), with
    the documents' codes from `documents` (id, doc_code) and the actors' from `codes` (canonical_id, actor)."""
    return (f"SELECT m.doc_id, m.canonical_id, min(m.canonical_name), min(m.label), count(*), any_value(d.doc_code), "
            f"any_value(c.actor), list_sort(list_distinct(list(m.sent_start))) FROM {mentions} m "
            f"LEFT JOIN {documents} d ON d.id = m.doc_id LEFT JOIN {codes} c ON c.canonical_id = m.canonical_id "
            f"{where} GROUP BY m.doc_id, m.canonical_id")


def _code_new_actors(con: duckdb.DuckDBPyConnection, mentions: str) -> None:
    """Give every canonical id of these mentions that has no code yet its code (in the caller's transaction)."""
    con.execute(f"INSERT INTO actor_codes (canonical_id) SELECT DISTINCT canonical_id FROM {mentions} "
                "WHERE canonical_id IS NOT NULL AND canonical_id NOT IN (SELECT canonical_id FROM actor_codes) "
                "ORDER BY 1")


_LOOKUP_CHUNK = 1000  # ids per IN list: a list of constants is looked up in the primary key's index


def _batch_codes(con: duckdb.DuckDBPyConnection, mentions: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The codes of one batch's documents (id, doc_code) and actors (canonical_id, actor), coding the actors new
    to the store (in the caller's transaction). Looked up by key, not by joining the batch to every document and
    every actor code: at a million documents that cost 60 ms of each 400-document batch of the entity stage."""
    def lookup(table: str, key: str, code: str, values: list[str]) -> pd.DataFrame:
        parts = [con.execute(f"SELECT {key}, {code} FROM {table} WHERE {key} IN ({', '.join('?' * len(chunk))})",
                             chunk).df() for chunk in (values[i:i + _LOOKUP_CHUNK]
                                                       for i in range(0, len(values), _LOOKUP_CHUNK))]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[key, code])

    doc_ids = [r[0] for r in con.execute(f"SELECT DISTINCT doc_id FROM {mentions}").fetchall()]
    actor_ids = sorted(r[0] for r in con.execute(
        f"SELECT DISTINCT canonical_id FROM {mentions} WHERE canonical_id IS NOT NULL").fetchall())
    codes = lookup("actor_codes", "canonical_id", "actor", actor_ids)
    new = sorted(set(actor_ids) - set(codes["canonical_id"]))
    if new:
        con.register("_new_actor_ids", pd.DataFrame({"canonical_id": new}))
        try:
            con.execute("INSERT INTO actor_codes (canonical_id) SELECT canonical_id FROM _new_actor_ids ORDER BY 1")
        finally:
            con.unregister("_new_actor_ids")
        codes = pd.concat([codes, lookup("actor_codes", "canonical_id", "actor", new)], ignore_index=True)
    return lookup("documents", "id", "doc_code", doc_ids), codes


def insert_mentions(con: duckdb.DuckDBPyConnection, mentions: Any, doc_ids: Iterable[str]) -> int:
    """Append entity mention rows of these documents and count them into doc_actors.

    Call inside the transaction that writes them, so the counts never disagree with the mentions after a crash.
    Documents new to doc_actors are counted from these rows alone (no scan of the 1.6M stored mentions per
    batch); a document counted before — mentions of an older pipeline version remain — is recounted from entities.
    """
    written = insert_frame(con, "entities", mentions)
    ids = pd.DataFrame({"doc_id": list(dict.fromkeys(doc_ids))})
    if ids.empty:
        return written
    con.register("_actor_docs", ids)
    try:
        seen = [r[0] for r in con.execute(
            "SELECT DISTINCT doc_id FROM doc_actors WHERE doc_id IN (SELECT doc_id FROM _actor_docs)").fetchall()]
    finally:
        con.unregister("_actor_docs")
    if seen:
        refresh_doc_actors(con, seen)
    counted = ["doc_id", "canonical_id", "canonical_name", "label", "sent_start"]
    if isinstance(mentions, pd.DataFrame):
        fresh = mentions[~among(mentions["doc_id"], seen)][counted] if seen else mentions[counted]
    else:  # an Arrow table (the entity stage's writer thread)
        import pyarrow as pa
        import pyarrow.compute as pc

        fresh = mentions.select(counted)
        if seen:
            fresh = fresh.filter(pc.invert(pc.is_in(fresh["doc_id"], value_set=pa.array(seen, pa.string()))))
    if len(fresh):
        con.register("_new_mentions", fresh)
        try:
            documents, codes = _batch_codes(con, "_new_mentions")
            con.register("_batch_documents", documents)
            con.register("_batch_actors", codes)
            con.execute(f"INSERT INTO doc_actors ({_DOC_ACTORS_COLUMNS}) "
                        f"{_doc_actors_select('_new_mentions', documents='_batch_documents', codes='_batch_actors')}")
        finally:
            for name in ("_new_mentions", "_batch_documents", "_batch_actors"):
                con.unregister(name)
    return written


def refresh_doc_actors(con: duckdb.DuckDBPyConnection, doc_ids: Iterable[str] | None = None) -> None:
    """Recount doc_actors from the entities table: for these documents, or all of them (None).

    Counted from the stored mentions, not from the rows just written, so the table equals a GROUP BY of
    entities even where a document holds mentions of an older pipeline version.
    """
    if doc_ids is None:
        _code_new_actors(con, "entities")
        con.execute("DELETE FROM doc_actors")
        con.execute(f"INSERT INTO doc_actors ({_DOC_ACTORS_COLUMNS}) {_doc_actors_select('entities')}")
        return
    frame = pd.DataFrame({"doc_id": list(dict.fromkeys(doc_ids))})
    if frame.empty:
        return
    con.register("_actor_docs", frame)
    try:
        con.execute("DELETE FROM doc_actors WHERE doc_id IN (SELECT doc_id FROM _actor_docs)")
        recounted = "(SELECT * FROM entities WHERE doc_id IN (SELECT doc_id FROM _actor_docs))"
        _code_new_actors(con, recounted)
        con.execute(f"INSERT INTO doc_actors ({_DOC_ACTORS_COLUMNS}) {_doc_actors_select(recounted)}")
    finally:
        con.unregister("_actor_docs")


def replace_mentions(con: duckdb.DuckDBPyConnection, mentions: pd.DataFrame) -> int:
    """Replace every stored mention (an alias-list edit) and recount doc_actors; call inside a transaction."""
    con.execute("DELETE FROM entities")
    written = insert_frame(con, "entities", mentions)
    refresh_doc_actors(con)
    return written


def unprocessed_documents(con: duckdb.DuckDBPyConnection, stage: str, versions: Iterable[str]) -> list[str]:
    """Ids of documents that no run of `stage` in one of these versions has processed yet, in id order."""
    versions = list(versions)
    return [r[0] for r in con.execute(
        "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM processed p WHERE p.doc_id = d.id "
        f"AND p.stage = ? AND p.version IN ({', '.join('?' * len(versions))})) ORDER BY id",
        [stage, *versions]).fetchall()]


def stored_mentions(con: duckdb.DuckDBPyConnection, columns: list[str]) -> pd.DataFrame:
    """Every stored mention with these columns and its row id (`rid`), for re-normalising them."""
    return con.execute(f"SELECT rowid AS rid, {', '.join(columns)} FROM entities").df()
