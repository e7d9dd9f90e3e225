"""The passage-vector cache: vectors per document, passage and embedding model."""

from __future__ import annotations

import duckdb
import pandas as pd

from .connection import transaction


def cached_embeddings(con: duckdb.DuckDBPyConnection, model: str, doc_ids: list[str]) -> pd.DataFrame:
    """Stored passage vectors of these documents for this model."""
    frame = pd.DataFrame({"doc_id": doc_ids})
    con.register("_emb_ids", frame)
    try:
        return con.execute(
            "SELECT e.doc_id, e.passage, e.start_char, e.end_char, e.vector FROM embeddings e "
            "JOIN _emb_ids USING (doc_id) WHERE e.model = ? ORDER BY e.doc_id, e.passage", [model]
        ).df()
    finally:
        con.unregister("_emb_ids")


def save_embeddings(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, new_keys: bool = False) -> int:
    """Cache passage vectors (doc_id, model, passage, start_char, end_char, vector); existing keys are kept.
    `new_keys`: the caller knows no key is stored yet, so the conflict check (most of the insert) is skipped."""
    if frame.empty:
        return 0
    import numpy as np
    import pyarrow as pa

    # Through Arrow: one flat float32 buffer instead of a column of Python objects (several times faster).
    matrix = np.vstack(frame["vector"].to_list()).astype(np.float32)
    vectors = pa.ListArray.from_arrays(pa.array(np.arange(0, matrix.size + 1, matrix.shape[1], dtype=np.int32)),
                                       pa.array(matrix.ravel()))
    table = pa.table({"doc_id": frame["doc_id"].to_numpy(), "model": frame["model"].to_numpy(),
                      "passage": frame["passage"].to_numpy(), "start_char": frame["start_char"].to_numpy(),
                      "end_char": frame["end_char"].to_numpy(), "vector": vectors})
    con.register("_new_emb", table)
    try:
        with transaction(con):
            con.execute(
                "INSERT INTO embeddings SELECT doc_id, model, passage, start_char, end_char, vector "
                "FROM _new_emb" + ("" if new_keys else " ON CONFLICT DO NOTHING")
            )
    finally:
        con.unregister("_new_emb")
    return len(frame)


def has_embeddings(con: duckdb.DuckDBPyConnection, model: str) -> bool:
    """Whether any passage vector of this model is cached (the cache query joins every id: skip it when not)."""
    return bool(con.execute("SELECT 1 FROM embeddings WHERE model = ? LIMIT 1", [model]).fetchall())
