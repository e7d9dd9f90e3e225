"""The store: migrations, transactions, runs, exports, edits."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from analytics import store
from analytics.errors import NarrativeError


def test_new_store_is_migrated_to_the_current_version(tmp_path):
    con = store.connect(tmp_path / "s.duckdb")
    assert store.schema_version(con) == store.SCHEMA_VERSION
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"documents", "rejects", "runs", "entities", "topics", "doc_topics", "embeddings"} <= tables
    con.close()
    # opening again does not re-run migrations
    con = store.connect(tmp_path / "s.duckdb")
    assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == store.SCHEMA_VERSION


def test_a_store_opened_again_takes_a_frame_at_once(tmp_path):
    """Opening an existing store reads its schema version and nothing else; the connection is then free for any
    statement, a registered frame included (DuckDB 2 refuses to register one while a result is still open)."""
    store.connect(tmp_path / "s.duckdb").close()
    con = store.connect(tmp_path / "s.duckdb")
    rows = pd.DataFrame({"doc_id": ["a"], "stage": ["entities"], "version": ["v1"]})
    assert store.insert_frame(con, "processed", rows) == 1
    assert store.processed_versions(con, "a", "entities") == ["v1"]
    con.close()


def test_transaction_rolls_back_everything_on_error(fresh_db):
    frame = pd.DataFrame({"id": ["a"], "date_precision": ["day"], "date_origin": ["field"], "source_type": ["news"],
                          "text": ["x"]})
    with pytest.raises(RuntimeError), store.transaction(fresh_db):
        store.insert_frame(fresh_db, "documents", frame)
        raise RuntimeError("killed half way")
    assert fresh_db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_runs_record_params_and_counts(fresh_db):
    run = store.start_run(fresh_db, "ingest", {"paths": ["x"]}, {"duckdb": duckdb.__version__})
    assert store.last_run(fresh_db, "ingest") is None  # not finished yet
    store.finish_run(fresh_db, run, {"stored": 3})
    last = store.last_run(fresh_db, "ingest")
    assert last["run_id"] == run and last["counts"] == {"stored": 3} and last["params"] == {"paths": ["x"]}


def test_export_writes_csv_and_parquet(fresh_db, tmp_path):
    frame = pd.DataFrame({"id": ["a", "b"], "date_precision": "day", "date_origin": "field", "source_type": "news",
                          "text": ["one", "two"]})
    store.insert_frame(fresh_db, "documents", frame)
    store.export_table(fresh_db, "documents", tmp_path / "d.csv")
    store.export_table(fresh_db, "documents", tmp_path / "d.parquet")
    assert pd.read_csv(tmp_path / "d.csv")["id"].tolist() == ["a", "b"]
    assert pd.read_parquet(tmp_path / "d.parquet")["text"].tolist() == ["one", "two"]
    with pytest.raises(NarrativeError, match="unknown table"):
        store.export_table(fresh_db, "secrets", tmp_path / "x.csv")


def test_read_only_open_of_a_missing_store_says_what_to_do(tmp_path):
    with pytest.raises(NarrativeError) as err:
        store.connect(tmp_path / "missing.duckdb", read_only=True)
    assert "missing.duckdb" in err.value.user_message() and "narrative ingest" in err.value.user_message()


def test_merge_follows_chains_and_cannot_merge_into_itself(fresh_db):
    store.merge_topic(fresh_db, 1, 2)
    store.merge_topic(fresh_db, 2, 3)
    rows = dict(fresh_db.execute("SELECT from_topic_id, into_topic_id FROM topic_merges").fetchall())
    assert rows == {1: 3, 2: 3}
    with pytest.raises(NarrativeError):
        store.merge_topic(fresh_db, 3, 3)
