"""Topic fits: topics, assignments, passage weights, the change log, and the user's labels and merges."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import duckdb
import pandas as pd

from ..errors import MERGE_INTO_ITSELF
from .connection import _now, insert_frame, transaction
from .queries import with_openings
from .runs import finish_run, last_run
from .scope import ASSIGNED_THEME_CODES, ASSIGNED_THEMES, Scope, period_expression


def topic_run_id(con: duckdb.DuckDBPyConnection) -> int | None:
    """The run id of the newest finished topic fit."""
    run = last_run(con, "topics")
    return int(run["run_id"]) if run else None


def save_topic_fit(
    con: duckdb.DuckDBPyConnection, run_id: int, topics: pd.DataFrame | Callable[[], pd.DataFrame],
    doc_topics: pd.DataFrame | Iterable[pd.DataFrame], weights: pd.DataFrame | Iterable[pd.DataFrame],
    changes: pd.DataFrame, counts: dict | Callable[[], dict] | None = None,
) -> None:
    """Write one fit's topics, assignments, passage weights and change log in one transaction; with `counts`
    the run is marked finished in the same transaction, so a fit is either complete and current or absent.

    Assignments and weights may come in chunks (frames made while they are written: a million documents' rows
    are never all in memory); `topics` and `counts` may then be functions called after the chunks are written
    (theme sizes are known only then)."""
    with transaction(con):
        for table in ("topics", "doc_topics", "doc_topic_weights", "topic_changes"):
            con.execute(f"DELETE FROM {table} WHERE run_id = ?", [run_id])
        for table, frames in (("doc_topics", doc_topics), ("doc_topic_weights", weights)):
            for frame in [frames] if isinstance(frames, pd.DataFrame) else frames:
                insert_frame(con, table, frame)
        _code_doc_topics(con, run_id)
        insert_frame(con, "topics", topics() if callable(topics) else topics)
        insert_frame(con, "topic_changes", changes)
        if counts is not None:
            finish_run(con, run_id, counts() if callable(counts) else counts)


def add_doc_topics(con: duckdb.DuckDBPyConnection, doc_topics: pd.DataFrame, weights: pd.DataFrame) -> None:
    """Add assignments of new documents to an existing fit (transform without refitting)."""
    with transaction(con):
        insert_frame(con, "doc_topics", doc_topics)
        insert_frame(con, "doc_topic_weights", weights)
        for run_id in pd.unique(doc_topics["run_id"]) if len(doc_topics) else []:
            _code_doc_topics(con, int(run_id))


def _code_doc_topics(con: duckdb.DuckDBPyConnection, run_id: int) -> None:
    """Give this fit's assignments written without it their document's integer code (schema v7), in the
    caller's transaction."""
    con.execute("UPDATE doc_topics SET doc_code = d.doc_code FROM documents d "
                "WHERE doc_topics.run_id = ? AND doc_topics.doc_code IS NULL AND d.id = doc_topics.doc_id", [run_id])


def topic_table(con: duckdb.DuckDBPyConnection, run_id: int) -> pd.DataFrame:
    """Topics of a run with the user's labels and merges applied: topic_id, label, words, size, centroid."""
    return con.execute(
        """
        SELECT t.topic_id, t.label AS auto_label, l.custom_label,
               coalesce(l.custom_label, t.label) AS label, t.words, t.centroid,
               m.into_topic_id AS merged_into,
               (SELECT count(*) FROM doc_topics d WHERE d.run_id = t.run_id AND d.topic_id = t.topic_id) AS size
        FROM topics t
        LEFT JOIN topic_labels l ON l.topic_id = t.topic_id
        LEFT JOIN topic_merges m ON m.from_topic_id = t.topic_id
        WHERE t.run_id = ?
        ORDER BY size DESC, t.topic_id
        """,
        [run_id],
    ).df()


def doc_topic_table(con: duckdb.DuckDBPyConnection, run_id: int) -> pd.DataFrame:
    """Each document's topic (merges applied) with its probability."""
    return con.execute(
        """
        SELECT d.doc_id, coalesce(m.into_topic_id, d.topic_id) AS topic_id, d.topic_id AS fitted_topic_id,
               d.probability
        FROM doc_topics d LEFT JOIN topic_merges m ON m.from_topic_id = d.topic_id
        WHERE d.run_id = ?
        """,
        [run_id],
    ).df()


def unassigned_doc_ids(con: duckdb.DuckDBPyConnection, run_id: int) -> list[str]:
    """Documents stored after the fit that have no topic in it yet."""
    rows = con.execute(
        "SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM doc_topics WHERE run_id = ?) ORDER BY id",
        [run_id],
    ).fetchall()
    return [r[0] for r in rows]


def set_topic_label(con: duckdb.DuckDBPyConnection, topic_id: int, label: str | None) -> None:
    """Rename a topic (None or empty restores the automatic label); survives refits by stable topic id."""
    with transaction(con):
        con.execute("DELETE FROM topic_labels WHERE topic_id = ?", [topic_id])
        if label and label.strip():
            con.execute("INSERT INTO topic_labels VALUES (?, ?, ?)", [topic_id, label.strip(), _now()])


def merge_topic(con: duckdb.DuckDBPyConnection, from_topic_id: int, into_topic_id: int) -> None:
    """Merge one topic into another (persisted; applied when reading)."""
    if from_topic_id == into_topic_id:
        raise MERGE_INTO_ITSELF.error()
    with transaction(con):
        # Topics already merged into `from` follow it into the new target.
        con.execute("UPDATE topic_merges SET into_topic_id = ? WHERE into_topic_id = ?", [into_topic_id, from_topic_id])
        con.execute("DELETE FROM topic_merges WHERE from_topic_id = ?", [from_topic_id])
        con.execute("INSERT INTO topic_merges VALUES (?, ?, ?)", [from_topic_id, into_topic_id, _now()])


def unmerge_topic(con: duckdb.DuckDBPyConnection, from_topic_id: int) -> None:
    """Undo a merge."""
    con.execute("DELETE FROM topic_merges WHERE from_topic_id = ?", [from_topic_id])


def topic_changes(con: duckdb.DuckDBPyConnection, run_id: int) -> pd.DataFrame:
    """The change log of a fit against the previous one."""
    return con.execute("SELECT * FROM topic_changes WHERE run_id = ? ORDER BY topic_id", [run_id]).df()


def document_topics(con: duckdb.DuckDBPyConnection, doc_id: str, run_id: int) -> pd.DataFrame:
    """A document's topic weights from its passages (merges applied), with labels."""
    return con.execute(
        """
        SELECT coalesce(m.into_topic_id, w.topic_id) AS topic_id, sum(w.weight) AS weight
        FROM doc_topic_weights w LEFT JOIN topic_merges m ON m.from_topic_id = w.topic_id
        WHERE w.run_id = ? AND w.doc_id = ? GROUP BY 1 ORDER BY 2 DESC
        """,
        [run_id, doc_id],
    ).df()


def representative_documents(con: duckdb.DuckDBPyConnection, run_id: int, topic_id: int, n: int = 5) -> pd.DataFrame:
    """The documents closest to a topic's centre (highest probability), merges applied; `opening` as in lists."""
    docs = con.execute(
        f"""
        SELECT d.id, d.date, d.source, d.source_type, d.title, d.language, t.probability
        FROM doc_topics t
        LEFT JOIN topic_merges m ON m.from_topic_id = t.topic_id
        JOIN documents d ON d.id = t.doc_id
        WHERE t.run_id = ? AND coalesce(m.into_topic_id, t.topic_id) = ?
        ORDER BY t.probability DESC, d.id LIMIT {int(n)}
        """,
        [run_id, topic_id],
    ).df()
    return with_openings(con, docs)


# -- over a scope (the Corpus's filters) ---------------------------------------------------------------------------


def theme_counts(con: duckdb.DuckDBPyConnection, run_id: int, where: Scope, granularity: str | None = None,
                 by: str | None = None) -> pd.DataFrame:
    """Dated documents of the scope per theme of the fit (merges applied; -1 the outliers), per period when
    `granularity` is given and per value of `by` (source, source_type, language; missing: "unknown"):
    [period], [by], topic_id, count. Documents the fit has not placed yet are not counted."""
    keys = []
    if granularity:
        keys.append(f"{period_expression(granularity)} AS period")
    if by:
        if by not in ("source", "source_type", "language"):
            raise ValueError(f"not a grouping column: {by!r}")
        keys.append(f"coalesce(CAST(d.{by} AS VARCHAR), 'unknown') AS {by}")
    keys.append("a.topic_id")
    group = ", ".join(str(i + 1) for i in range(len(keys)))
    return con.execute(
        f"SELECT {', '.join(keys)}, count(*) AS count "
        f"FROM (SELECT id, date, source, source_type, language FROM documents "
        f"WHERE {where.sql} AND date IS NOT NULL) d "
        f"JOIN ({ASSIGNED_THEMES}) a ON a.doc_id = d.id GROUP BY {group} ORDER BY {group}",
        [*where.params, run_id]).df()


def assignments(con: duckdb.DuckDBPyConnection, run_id: int, where: Scope) -> pd.DataFrame:
    """Each dated document of the scope with its theme (merges applied): id, date, source, source_type, doc_id,
    topic_id."""
    return con.execute(
        f"SELECT d.id, d.date, d.source, d.source_type, a.doc_id, a.topic_id FROM (SELECT id, date, source, "
        f"source_type FROM documents WHERE {where.sql} "
        f"AND date IS NOT NULL) d JOIN ({ASSIGNED_THEMES}) a ON a.doc_id = d.id ORDER BY d.date, d.id",
        [*where.params, run_id]).df()


def theme_actor_counts(con: duckdb.DuckDBPyConnection, run_id: int, where: Scope, min_documents: int = 1
                       ) -> pd.DataFrame:
    """Per theme of the fit (merges applied) and actor: dated documents of the scope naming it (topic_id,
    canonical_id, canonical_name, label, documents); only the pairs with at least `min_documents`."""
    # An actor named in fewer rows of doc_actors than `min_documents` cannot reach it in one theme: leaving such
    # actors out before the join spares grouping a million rows over every actor (most are named a few times).
    # doc_actors is joined on the documents' integer codes (schema v7), not their string ids.
    few = ("WHERE actor IN (SELECT actor FROM doc_actors WHERE actor IS NOT NULL GROUP BY actor "
           "HAVING count(*) >= ?)" if min_documents > 1 else "WHERE actor IS NOT NULL")
    return con.execute(
        f"SELECT a.topic_id, x.canonical_id, min(x.canonical_name) AS canonical_name, min(x.label) AS label, "
        f"count(*) AS documents FROM (SELECT doc_code FROM documents WHERE {where.sql} AND date IS NOT NULL) d "
        f"JOIN ({ASSIGNED_THEME_CODES}) a ON a.doc_code = d.doc_code "
        f"JOIN (SELECT doc_code, canonical_id, canonical_name, label FROM doc_actors {few}) x "
        f"ON x.doc_code = d.doc_code GROUP BY 1, 2 HAVING count(*) >= ? ORDER BY 1, documents DESC, 2",
        [*where.params, run_id, *([int(min_documents)] if min_documents > 1 else []), int(min_documents)]).df()


def theme_sizes_and_actor_counts(con: duckdb.DuckDBPyConnection, run_id: int, where: Scope, share: float
                                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The scope's dated documents per theme of the fit (merges applied; outliers left out): topic_id,
    documents; and theme_actor_counts' rows with min_documents = int(share × the smallest theme's documents)
    (at least 1): the actors that can be named in `share` of a theme's documents. One pass over the join of the
    documents and their themes (the costly part at a million documents), not two."""
    rows = con.execute(
        f"""
        WITH placed AS MATERIALIZED (
            SELECT d.doc_code, a.topic_id FROM (SELECT doc_code FROM documents WHERE {where.sql}
                                                AND date IS NOT NULL) d
            JOIN ({ASSIGNED_THEME_CODES}) a ON a.doc_code = d.doc_code),
        sizes AS (SELECT topic_id, count(*) AS documents FROM placed WHERE topic_id <> -1 GROUP BY topic_id),
        bound AS (SELECT greatest(coalesce(CAST(trunc(? * greatest(min(documents), 1)) AS BIGINT), 1), 1) AS n
                  FROM sizes),
        named AS (SELECT doc_code, canonical_id, canonical_name, label FROM doc_actors
                  WHERE actor IN (SELECT actor FROM doc_actors WHERE actor IS NOT NULL GROUP BY actor
                                  HAVING count(*) >= (SELECT n FROM bound))),
        counts AS (SELECT p.topic_id, x.canonical_id, min(x.canonical_name) AS canonical_name, min(x.label) AS label,
                          count(*) AS documents FROM placed p JOIN named x ON x.doc_code = p.doc_code
                   GROUP BY 1, 2 HAVING count(*) >= (SELECT n FROM bound))
        SELECT 0 AS part, topic_id, NULL AS canonical_id, NULL AS canonical_name, NULL AS label, documents FROM sizes
        UNION ALL
        SELECT 1, topic_id, canonical_id, canonical_name, label, documents FROM counts
        """, [*where.params, run_id, float(share)]).df()
    sizes = rows[rows["part"] == 0][["topic_id", "documents"]].sort_values("topic_id", ignore_index=True)
    counts = rows[rows["part"] == 1].drop(columns="part").sort_values(
        ["topic_id", "documents", "canonical_id"], ascending=[True, False, True], ignore_index=True)
    return sizes.astype({"topic_id": "int64", "documents": "int64"}), counts


def theme_texts(con: duckdb.DuckDBPyConnection, run_id: int, where: Scope, per_group: int = 300) -> pd.DataFrame:
    """Texts of the scope's dated documents with their theme (merges applied) and language: id, language, text,
    topic_id; at most `per_group` documents (the first by id) of each theme and language, which bounds the cost
    of counting their words on a large corpus."""
    return con.execute(
        f"SELECT d.id, coalesce(nullif(d.language, ''), 'und') AS language, d.text, a.topic_id "
        f"FROM (SELECT id, language, text FROM documents WHERE {where.sql} AND date IS NOT NULL) d "
        f"JOIN ({ASSIGNED_THEMES}) a ON a.doc_id = d.id "
        f"QUALIFY row_number() OVER (PARTITION BY a.topic_id, coalesce(nullif(d.language, ''), 'und') "
        f"ORDER BY d.id) <= ? ORDER BY d.id",
        [*where.params, run_id, int(per_group)]).df()
