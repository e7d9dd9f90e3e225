"""Documents, rejects and duplicates: what ingest stored, what it refused, and exports of any table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .. import schema as s
from ..errors import EXPORT_FORMAT, UNKNOWN_TABLE


def stored_runs(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, int]:
    """Which of these document ids are already stored, with the run that stored each."""
    frame = pd.DataFrame({"id": list(ids)})
    if frame.empty:
        return {}
    con.register("_probe_ids", frame)
    try:
        found = con.execute("SELECT d.id, d.run_id FROM documents d JOIN _probe_ids p USING (id)").fetchall()
    finally:
        con.unregister("_probe_ids")
    return {r[0]: r[1] for r in found}


def documents(
    con: duckdb.DuckDBPyConnection,
    columns: list[str] | None = None,
    ids: Iterable[str] | None = None,
    with_text: bool = True,
) -> pd.DataFrame:
    """Documents as a DataFrame, optionally only some ids or columns."""
    cols = columns or [c for c in s.DOCUMENT_COLUMNS if with_text or c != s.TEXT]
    select = ", ".join(f'"{c}"' for c in cols)
    if ids is None:
        return con.execute(f"SELECT {select} FROM documents ORDER BY date NULLS LAST, id").df()
    frame = pd.DataFrame({"id": list(ids)})
    con.register("_want_ids", frame)
    try:
        return con.execute(
            f"SELECT {select} FROM documents JOIN _want_ids USING (id) ORDER BY date NULLS LAST, id"
        ).df()
    finally:
        con.unregister("_want_ids")


def minhash_signature_batches(con: duckdb.DuckDBPyConnection, size: int
                              ) -> Iterator[tuple[list[str], np.ndarray]]:
    """(doc ids, MinHash signatures as rows of uint64) of every stored original, `size` at a time, for the
    near-duplicate index: a million signatures are 1 GB of bytes objects when fetched whole."""
    cursor = con.cursor()
    reader = None
    try:
        reader = cursor.sql("SELECT doc_id, signature FROM minhashes").to_arrow_reader(size)
        for batch in reader:
            ids = batch.column(0).to_pylist()
            blobs = batch.column(1).to_pylist()
            yield ids, np.frombuffer(b"".join(blobs), dtype=np.uint64).reshape(len(ids), -1)
    finally:
        if reader is not None:
            reader.close()
        cursor.close()


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of the main tables."""
    out = {}
    for table in ("documents", "duplicates", "rejects", "entities", "doc_topics", "runs"):
        out[table] = int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    return out


def language_counts(con: duckdb.DuckDBPyConnection) -> dict[str | None, int]:
    """The number of stored documents per language code (None: not detected)."""
    return dict(con.execute("SELECT language, count(*) FROM documents GROUP BY 1").fetchall())


def status_tables(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The breakdowns `narrative status` prints: by source, source type, language and year."""
    q = {
        "source_type": "SELECT source_type, count(*) AS documents FROM documents GROUP BY 1 ORDER BY 2 DESC",
        "source": "SELECT source, count(*) AS documents FROM documents GROUP BY 1 ORDER BY 2 DESC, 1",
        "language": "SELECT language, count(*) AS documents FROM documents GROUP BY 1 ORDER BY 2 DESC",
        "year": "SELECT coalesce(CAST(year(date) AS VARCHAR), 'no date') AS year, count(*) AS documents "
        "FROM documents GROUP BY 1 ORDER BY 1",
        "date_precision": "SELECT date_precision, count(*) AS documents FROM documents GROUP BY 1 ORDER BY 2 DESC",
    }
    return {name: con.execute(sql).df() for name, sql in q.items()}


def rejects(con: duckdb.DuckDBPyConnection, run_id: int | None = None) -> pd.DataFrame:
    """Rejected input records with file, row and reason."""
    where = "WHERE run_id = ?" if run_id is not None else ""
    return con.execute(
        f"SELECT * FROM rejects {where} ORDER BY run_id, input_file, input_row", [run_id] if run_id else []
    ).df()


def duplicates(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Exact duplicates (not stored again) and near-duplicates (stored, linked to their original)."""
    return con.execute(
        """
        SELECT run_id, input_file, input_row, original_id, kind, similarity FROM duplicates
        UNION ALL
        SELECT run_id, input_file, input_row, duplicate_of AS original_id, 'near' AS kind, similarity
        FROM documents WHERE duplicate_of IS NOT NULL
        ORDER BY 1, 2, 3
        """
    ).df()


EXPORTABLE_TABLES = (
    "documents", "rejects", "duplicates", "runs", "entities", "topics", "doc_topics", "events", "topic_changes",
    "doc_traces", "doc_copies",
)


def export_table(con: duckdb.DuckDBPyConnection, table: str, out: Path) -> Path:
    """Write one table to Parquet or CSV, chosen by the file suffix."""
    if table not in EXPORTABLE_TABLES:
        raise UNKNOWN_TABLE.error(table=table, choices=", ".join(EXPORTABLE_TABLES))
    out.parent.mkdir(parents=True, exist_ok=True)
    fmt = "PARQUET" if out.suffix.lower() == ".parquet" else "CSV, HEADER"
    if out.suffix.lower() not in (".parquet", ".csv"):
        raise EXPORT_FORMAT.error(path=out)
    source = "(SELECT * FROM duplicates)" if table != "duplicates" else None
    if table == "duplicates":
        con.register("_dups", duplicates(con))
        source = "_dups"
    else:
        source = table
    con.execute(f"COPY {source} TO '{str(out).replace(chr(39), chr(39) * 2)}' (FORMAT {fmt})")
    return out


def corpus_texts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Id and text of every stored document, with whether it is a near-duplicate and of which document."""
    return con.execute(
        "SELECT id, text, duplicate_of IS NOT NULL AS is_duplicate, duplicate_of FROM documents ORDER BY id"
    ).df()


def corpus_batches(con: duckdb.DuckDBPyConnection, size: int, columns: tuple[str, ...] = ("text",),
                   ) -> Iterator[pd.DataFrame]:
    """Every stored document (id, the given columns, and duplicate_of: the document a near-copy repeats) in
    batches of at most `size`, in the store's order (no sort of the whole table: sorting a million texts would hold
    them all). The caller may write to the store between batches.

    Each batch is a query of its own over a range of row ids, finished before it is given: no query stays open
    between batches. An open one would keep a transaction alive while the caller writes, and DuckDB's checkpoints
    after those writes could then only append: the theme stage's million passage vectors were left in small row
    groups that the next checkpoint with nothing open (the fit's commit) merged all at once, holding them in memory
    (2 GB at 1M). Batches are smaller than `size` where documents were deleted."""
    select = ", ".join(f'"{c}"' for c in (s.ID, *columns, "duplicate_of"))
    last = con.execute("SELECT max(rowid) FROM documents").fetchall()[0][0]
    for start in range(0, -1 if last is None else int(last) + 1, size):
        frame = con.execute(f"SELECT {select} FROM documents WHERE rowid >= ? AND rowid < ? ORDER BY rowid",
                            [start, start + size]).df()
        if len(frame):
            yield frame


def document_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many documents the store holds."""
    return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])


def document_batches(con: duckdb.DuckDBPyConnection, ids: list[str], size: int) -> Iterator[pd.DataFrame]:
    """The documents of these ids (id, text, language, source type) in batches of `size`, in id order, streamed
    from one query: a query per batch scans the documents table each time, which grows with the store."""
    con.register("_batch_ids", pd.DataFrame({s.ID: ids}))
    reader = None
    try:
        reader = con.sql(f'SELECT d."{s.ID}", d."{s.TEXT}", d."{s.LANGUAGE}", d."{s.SOURCE_TYPE}" FROM documents d '
                         f'JOIN _batch_ids USING ("{s.ID}") ORDER BY d."{s.ID}"').to_arrow_reader(size)
        for batch in reader:
            yield batch.to_pandas()
    finally:
        if reader is not None:
            reader.close()  # stopped early (an error): free the connection for what follows
        con.unregister("_batch_ids")
