"""Analysis as a background job: its state in the status file and the store, the sentence a finished job leaves,
nothing re-run when nothing is new, and an interrupted job (its process killed) told apart and resumed."""

from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import asdict
from pathlib import Path

import pytest
from planted import planted_corpus

from analytics import Corpus, jobs, store
from analytics.errors import JOB_RUNNING, StoreBusyError
from analytics.jobs.runner import job_lock


def write_csv(path: Path, n_per_theme: int, seed: int = 42) -> Path:
    docs = planted_corpus(n_per_theme=n_per_theme, seed=seed)
    docs[["date", "source", "text"]].assign(date=docs["date"].dt.strftime("%Y-%m-%d")).to_csv(path, index=False)
    return path


def fast_spec(*paths: Path, topics: bool = False) -> jobs.JobSpec:
    """Alias-only actors and no theme model: the job's mechanics without loading any model."""
    return jobs.JobSpec(profile="fast", paths=[str(p) for p in paths], topics=topics,
                        ingest={"defaults": {"source_type": "news"}, "workers": 1})


@pytest.mark.slow  # the alias-only actor pass loads the spaCy model's tokenizer
def test_a_job_records_its_steps_and_ends_with_a_sentence(tmp_path):
    db = tmp_path / "c.duckdb"
    csv = write_csv(tmp_path / "posts.csv", 10)
    results = jobs.run(db, fast_spec(csv))
    assert results["ingest"].stored == 40
    found = jobs.state(db)
    assert found.state == "done" and found.fraction == 1.0
    assert found.message.startswith("Stored 40 new document(s); actors found in 40 document(s)")
    history = Corpus.open(db).jobs()
    assert list(history["status"]) == ["done"] and history["kind"][0] == "add files and analyse"
    assert history["params"][0]["paths"] == [str(csv)]


@pytest.mark.slow  # the alias-only actor pass loads the spaCy model's tokenizer
def test_the_same_files_again_store_nothing_and_analyse_nothing(tmp_path):
    db = tmp_path / "c.duckdb"
    csv = write_csv(tmp_path / "posts.csv", 10)
    jobs.run(db, fast_spec(csv))
    again = jobs.run(db, fast_spec(csv))
    assert again["ingest"].stored == 0 and again["ingest"].already_stored == 40
    assert "entities" not in again  # nothing new, every document analysed: the analysis is not run
    assert jobs.state(db).message == "Nothing new to store (40 already stored)."


def test_a_job_whose_process_is_gone_is_interrupted_and_resumable(tmp_path):
    db = tmp_path / "c.duckdb"
    spec = fast_spec(tmp_path / "x.csv", topics=True)
    # What a killed job leaves: the status file says running; no process holds the job lock.
    jobs.status_path(db).write_text(json.dumps({
        "state": "running", "spec": asdict(spec), "stage": "entities", "done": 30, "total": 60,
        "started_at": "2020-01-01T00:00:00+00:00", "updated_at": "2020-01-01T00:00:00+00:00", "pid": 999999}))
    found = jobs.state(db)
    assert found.state == "interrupted" and found.resumable and not found.running
    # ingest done, half of the entities; the themes and the word index to come
    assert found.fraction == pytest.approx((1 + 0.5) / 4)
    assert "Resume" in found.message and "38%" in found.message


def test_a_second_job_of_the_same_corpus_is_refused_while_one_runs(tmp_path):
    db = tmp_path / "c.duckdb"
    with job_lock(db):
        jobs.status_path(db).write_text(json.dumps({"state": "running", "spec": {}, "pid": os.getpid(),
                                                    "started_at": "2020-01-01T00:00:00+00:00"}))
        assert jobs.state(db).running
        with pytest.raises(StoreBusyError) as err:
            jobs.start(db, fast_spec())
        assert err.value.code == JOB_RUNNING.code
        with pytest.raises(StoreBusyError):
            jobs.run(db, fast_spec())


def wait_for(db: Path, states: set[str], timeout: float = 120) -> jobs.JobState:
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = jobs.state(db)
        if found.state in states:
            return found
        time.sleep(0.05)
    raise AssertionError(f"job still {jobs.state(db)} after {timeout} s")


@pytest.mark.slow  # the alias-only actor pass loads the spaCy model's tokenizer
def test_a_background_job_killed_mid_way_is_resumed_to_the_uninterrupted_result(tmp_path):
    """The job's own process, killed while it works (as when the machine or the server is stopped), then resumed
    from the state the pages show: every record ends up stored once, every document analysed."""
    db = tmp_path / "c.duckdb"
    csv = write_csv(tmp_path / "posts.csv", 1500)  # 6,000 rows: long enough to be caught mid-way
    started = jobs.start(db, fast_spec(csv))
    assert started.running and started.pid
    running = wait_for(db, {"running", "done"})
    assert running.state == "running", "the job finished before it could be interrupted"
    wait_for(db, {"running"})
    deadline = time.time() + 60
    while jobs.state(db).stage is None and time.time() < deadline:
        time.sleep(0.05)
    os.kill(jobs.state(db).pid, signal.SIGKILL)
    interrupted = wait_for(db, {"interrupted"}, timeout=30)
    assert interrupted.resumable
    jobs.resume(db)
    done = wait_for(db, {"done", "failed"}, timeout=300)
    assert done.state == "done", done.message
    corpus = Corpus.open(db)
    assert corpus.counts()["documents"] == 6000
    assert corpus.analysis_pending()["without_actors"] == 0
    history = corpus.jobs()
    assert list(history["status"]) == ["done", "interrupted"]
    with store.opened(db, read_only=True) as con:  # one finished ingest, never half of one
        ingests = store.runs(con, "ingest")
    assert (ingests["status"] == "done").sum() == 1
