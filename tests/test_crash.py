"""Crash safety: SIGKILL the real CLI at random points during ingest and analysis, ten times. After each kill
the store opens, its invariants hold, and a re-run ends in exactly the state an uninterrupted run reaches (a killed
ingest is resumed from its last commit)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from planted import planted_corpus

from analytics import store

pytestmark = pytest.mark.slow
KILLS = 10
PLATFORMS = ["Telegram", "Twitter", "TamTam", "Europol", "Anonymous", "ISIS"]


@pytest.fixture(scope="module")
def corpus_csv(tmp_path_factory) -> Path:
    frame = planted_corpus(n_per_theme=400, seed=3)
    rng = random.Random(3)
    frame["text"] = [f"{t} {rng.choice(PLATFORMS)} was named." for t in frame["text"]]
    path = tmp_path_factory.mktemp("crash") / "corpus.csv"
    frame[["date", "source", "source_type", "text"]].to_csv(path, index=False)
    return path


def pipeline(csv: Path, db: Path) -> list[list[str]]:
    cli = [sys.executable, "-m", "analytics"]
    # commits every 100 records, so that kills land between ingest's commits as well as before the first
    return [cli + ["ingest", str(csv), "--db", str(db), "--commit-every", "100"],
            cli + ["analyze", "--profile", "fast", "--db", str(db)]]


def run_all(csv: Path, db: Path) -> None:
    for cmd in pipeline(csv, db):
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)


def state(db: Path) -> dict:
    """What a finished pipeline leaves, without run ids (a re-run numbers its runs on)."""
    with store.opened(db, read_only=True) as con:
        run = store.topic_run_id(con)
        return {
            "documents": sorted(r[0] for r in con.execute("SELECT id FROM documents").fetchall()),
            "entities": sorted(con.execute("SELECT doc_id, start_char, end_char, canonical_id, label FROM entities")
                               .fetchall()),
            "processed": sorted(con.execute("SELECT doc_id, stage, version FROM processed").fetchall()),
            "doc_topics": sorted(con.execute("SELECT doc_id, topic_id FROM doc_topics WHERE run_id = ?", [run])
                                 .fetchall()),
            "topics": sorted(con.execute("SELECT topic_id, label, size FROM topics WHERE run_id = ?", [run])
                             .fetchall()),
            "search_index": index_pairs(con),
        }


def index_pairs(con) -> list[tuple[str, str]]:
    """The word index as (document, term) pairs: what it says, whatever codes a run gave the documents and terms."""
    return sorted(con.execute(
        "SELECT d.doc_id, t.term FROM (SELECT term_id, unnest(docs) AS doc_code FROM search_postings) p "
        "JOIN search_docs d USING (doc_code) JOIN search_terms t USING (term_id)").fetchall())


def check_invariants(db: Path) -> None:
    with store.opened(db, read_only=True) as con:
        q = con.execute
        for table in ("entities", "processed", "doc_topics", "embeddings", "minhashes"):
            orphans = q(f"SELECT count(*) FROM {table} t WHERE NOT EXISTS "
                        f"(SELECT 1 FROM documents d WHERE d.id = t.doc_id)").fetchone()[0]
            assert orphans == 0, f"{table} rows for missing documents"
        # ingest commits in steps, each with its run's counts so far: a killed run's documents are counted too
        stored = q("SELECT coalesce(sum(CAST(json_extract(counts, '$.stored') AS BIGINT)), 0) FROM runs "
                   "WHERE kind = 'ingest'").fetchone()[0]
        assert stored == q("SELECT count(*) FROM documents").fetchone()[0], "documents disagree with ingest runs"
        resumable = q("SELECT count(*) FROM runs WHERE kind = 'ingest' AND status = 'running'").fetchone()[0]
        assert resumable <= 1, "more than one ingest left to resume"
        unfinished = q("SELECT count(*) FROM doc_topics t JOIN runs r USING (run_id) WHERE r.status <> 'done'"
                       ).fetchone()[0]
        assert unfinished == 0, "topic assignments of an unfinished fit"
        without_mark = q("SELECT count(DISTINCT doc_id) FROM entities e WHERE NOT EXISTS (SELECT 1 FROM processed p "
                         "WHERE p.doc_id = e.doc_id AND p.stage = 'entities')").fetchone()[0]
        assert without_mark == 0, "mentions of a document whose batch did not finish"
        counted = ("SELECT doc_id, canonical_id, min(canonical_name), min(label), count(*) FROM entities "
                   "GROUP BY doc_id, canonical_id",
                   "SELECT doc_id, canonical_id, canonical_name, label, mentions FROM doc_actors")
        miscounted = q(f"SELECT count(*) FROM (({counted[0]} EXCEPT ALL {counted[1]}) UNION ALL "
                       f"({counted[1]} EXCEPT ALL {counted[0]}))").fetchone()[0]
        assert miscounted == 0, "per-document actor counts that disagree with the mentions"
        miscoded = q("SELECT count(*) FROM doc_actors a LEFT JOIN documents d ON d.id = a.doc_id "
                     "LEFT JOIN actor_codes c ON c.canonical_id = a.canonical_id "
                     "WHERE a.doc_code IS DISTINCT FROM d.doc_code OR a.actor IS DISTINCT FROM c.actor").fetchone()[0]
        assert miscoded == 0, "per-document actor rows whose codes name another document or actor"
        uncoded = q("SELECT count(*) FROM doc_topics t JOIN documents d ON d.id = t.doc_id "
                    "WHERE t.doc_code IS DISTINCT FROM d.doc_code").fetchone()[0]
        assert uncoded == 0, "theme assignments without their document's code"
        indexed = ("SELECT doc_id FROM search_docs", "SELECT doc_id FROM processed WHERE stage = 'search_index'")
        unmarked = q(f"SELECT count(*) FROM (({indexed[0]} EXCEPT ALL {indexed[1]}) UNION ALL "
                     f"({indexed[1]} EXCEPT ALL {indexed[0]}))").fetchone()[0]
        assert unmarked == 0, "indexed documents without their processed mark, or marks without the index"
        assert q("SELECT count(*) FROM search_terms").fetchone()[0] == q(
            "SELECT count(DISTINCT term) FROM search_terms").fetchone()[0], "a term indexed twice"


def test_kills_during_ingest_and_analysis_lose_nothing(corpus_csv, tmp_path):
    reference = tmp_path / "reference.duckdb"
    started = time.monotonic()
    run_all(corpus_csv, reference)
    full_seconds = time.monotonic() - started
    expected = state(reference)
    assert len(expected["documents"]) == 1600 and expected["entities"] and expected["doc_topics"]

    rng = random.Random(11)
    survived = 0
    for attempt in range(KILLS):
        db = tmp_path / f"killed-{attempt}.duckdb"
        # Half of the kills land in the ingest command, half in the analysis, at a random moment of each.
        stage = attempt % 2
        for cmd in pipeline(corpus_csv, db)[:stage]:
            subprocess.run(cmd, check=True, capture_output=True, timeout=600)
        proc = subprocess.Popen(pipeline(corpus_csv, db)[stage], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.3, full_seconds / 2))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if db.exists():
            check_invariants(db)
        run_all(corpus_csv, db)
        check_invariants(db)
        assert state(db) == expected, f"kill {attempt} (during {'ingest analysis'.split()[stage]})"
        survived += 1
    print(f"kills survived: {survived} of {KILLS}; records lost: 0; uninterrupted pipeline {full_seconds:.1f} s")
    assert survived == KILLS


def test_reader_sees_committed_state_while_a_writer_runs(corpus_csv, tmp_path):
    """The app's read-only opens during a CLI ingest either wait and see a whole run, or say the store is busy."""
    db = tmp_path / "busy.duckdb"
    writer = subprocess.Popen(pipeline(corpus_csv, db)[0], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = set()
    from analytics.errors import StoreBusyError

    while writer.poll() is None:
        try:
            with store.opened(db, read_only=True) as con:
                seen.add(con.execute("SELECT count(*) FROM documents").fetchone()[0])
        except StoreBusyError:
            seen.add("busy")
        except Exception as exc:  # a store still being created by the writer
            assert "no store here" in str(exc) or "lock" in str(exc).lower(), exc
        time.sleep(0.2)
    assert writer.returncode == 0
    counts = {s for s in seen if s != "busy"}
    assert counts <= {0, 1600}, f"a half-written state was visible: {sorted(counts)}"


def test_kills_during_the_word_index_leave_it_whole(corpus_csv, tmp_path):
    """The word index alone, 20 documents per transaction, killed five times after a random number of batches
    (and a random few milliseconds more, so some kills land inside a transaction): each kill leaves whole batches,
    marked and indexed together, and a re-run ends with the index an uninterrupted run writes."""
    stored = tmp_path / "stored.duckdb"
    subprocess.run(pipeline(corpus_csv, stored)[0], check=True, capture_output=True, timeout=600)
    index = [sys.executable, "-c", "import sys; from analytics import store, search_index\n"
             "with store.opened(sys.argv[1]) as con:\n"
             "    search_index.run_search_index(con, lambda d, t: print(d, flush=True), batch_size=20)"]
    reference = tmp_path / "reference.duckdb"
    shutil.copy(stored, reference)
    subprocess.run([*index, str(reference)], check=True, capture_output=True, timeout=600)
    with store.opened(reference, read_only=True) as con:
        expected = index_pairs(con)
    assert len({doc for doc, _ in expected}) == 1600
    rng = random.Random(5)
    for attempt in range(5):
        db = tmp_path / f"killed-index-{attempt}.duckdb"
        shutil.copy(stored, db)
        proc = subprocess.Popen([*index, str(db)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                start_new_session=True)
        after = rng.randrange(1, 60) * 20  # documents indexed before the kill
        for line in proc.stdout:
            if int(line) >= after:
                break
        time.sleep(rng.uniform(0, 0.02))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        check_invariants(db)
        with store.opened(db, read_only=True) as con:
            indexed = store.index_size(con)["documents"]
        assert after <= indexed < 1600 and indexed % 20 == 0, f"kill {attempt}: {indexed} documents indexed"
        subprocess.run([*index, str(db)], check=True, capture_output=True, timeout=600)
        check_invariants(db)
        with store.opened(db, read_only=True) as con:
            assert index_pairs(con) == expected, f"kill {attempt}"
