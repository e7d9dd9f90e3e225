"""Background analysis jobs: one row per job (what it runs, the stage it reached, how it ended). The job writes
its own row (it holds the write lock while it runs); its live progress goes to a status file beside the store."""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pandas as pd

from .connection import _now

JOB_COLUMNS = ["job_id", "kind", "status", "params", "started_at", "finished_at", "stage", "message", "pid"]


def start_job(con: duckdb.DuckDBPyConnection, kind: str, params: dict[str, Any], pid: int) -> int:
    """Record a job starting now and return its id. One writer holds the store at a time, so a job still marked
    running was stopped before it could say so: it is marked interrupted."""
    con.execute("UPDATE jobs SET status = 'interrupted', finished_at = ? WHERE status = 'running'", [_now()])
    job_id = int(con.execute("SELECT nextval('job_seq')").fetchone()[0])
    con.execute("INSERT INTO jobs VALUES (?, ?, 'running', ?, ?, NULL, NULL, NULL, ?)",
                [job_id, kind, json.dumps(params, default=str), _now(), pid])
    return job_id


def job_stage(con: duckdb.DuckDBPyConnection, job_id: int, stage: str) -> None:
    """Note the stage a running job has reached (ingest, entities, topics)."""
    con.execute("UPDATE jobs SET stage = ? WHERE job_id = ?", [stage, job_id])


def finish_job(con: duckdb.DuckDBPyConnection, job_id: int, status: str, message: str) -> None:
    """Mark a job done or failed, with the sentence a person reads about it."""
    con.execute("UPDATE jobs SET status = ?, finished_at = ?, message = ? WHERE job_id = ?",
                [status, _now(), message, job_id])


def jobs(con: duckdb.DuckDBPyConnection, limit: int = 20) -> pd.DataFrame:
    """The latest jobs, newest first, params parsed."""
    table = con.execute(f"SELECT * FROM jobs ORDER BY job_id DESC LIMIT {int(limit)}").df()
    table["params"] = [json.loads(p) if p else {} for p in table["params"]]
    return table


def pending_analysis(con: duckdb.DuckDBPyConnection, topic_run_id: int | None) -> dict[str, int]:
    """Documents the analysis has not reached yet: without an entity pass (any version), and without a theme in the
    current fit (every document when there is no fit)."""
    no_actors = con.execute("SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM processed p "
                            "WHERE p.doc_id = d.id AND p.stage = 'entities')").fetchone()[0]
    if topic_run_id is None:
        no_theme = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    else:
        no_theme = con.execute("SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM doc_topics t "
                               "WHERE t.doc_id = d.id AND t.run_id = ?)", [topic_run_id]).fetchone()[0]
    return {"without_actors": int(no_actors), "without_theme": int(no_theme)}
