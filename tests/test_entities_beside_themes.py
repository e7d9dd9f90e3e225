"""Entities extracted in a process of their own while the themes are fitted (pipeline.analyze, fast profile, two
cores): the store holds exactly what one stage after the other writes, and a worker process that dies leaves
nothing undone."""

from __future__ import annotations

import multiprocessing
import threading

import pytest
from analysis_rows import analysis_rows

from analytics import config, pipeline, scale, store
from analytics.ingest import ingest

FILES = ["2019.jsonl", "2020.jsonl"]
GiB = 1024**3


def build(path):
    with store.opened(path) as con:
        ingest([config.DEMO_CORPUS_DIR / "documents" / f for f in FILES], con)
    return path


def stored(path) -> dict:
    with store.opened(path, read_only=True) as con:
        return {**analysis_rows(con), "runs": sorted(con.execute("SELECT kind, status FROM runs").fetchall())}


def test_beside_only_where_extraction_would_have_one_core():
    big = 64 * GiB
    assert scale.entities_beside_themes(2_772, "fast", cores=2, memory_bytes=big)
    assert not scale.entities_beside_themes(2_772, "fast", cores=1, memory_bytes=big)
    assert not scale.entities_beside_themes(scale.MIN_DOCS_BESIDE - 1, "fast", cores=2, memory_bytes=big)
    assert not scale.entities_beside_themes(5_000, "quality", cores=2, memory_bytes=big)  # spaCy takes both cores
    assert scale.entities_beside_themes(5_000, "quality", n_process=1, cores=2, memory_bytes=big)
    assert not scale.entities_beside_themes(5_000, "fast", n_process=2, cores=2, memory_bytes=big)
    assert not scale.entities_beside_themes(5_000, "fast", cores=2, memory_bytes=scale.PROCESS_MEMORY_BYTES)


@pytest.mark.slow
def test_beside_the_themes_stores_what_one_after_the_other_stores(tmp_path, monkeypatch):
    serial = build(tmp_path / "serial.duckdb")
    monkeypatch.setattr(scale, "MIN_DOCS_BESIDE", 10**9)
    one_after = pipeline.analyze(serial, profile="fast")
    assert "beside_themes" not in one_after["entities"]

    beside = build(tmp_path / "beside.duckdb")
    monkeypatch.setattr(scale, "MIN_DOCS_BESIDE", 1)
    monkeypatch.setattr(scale, "available_cores", lambda: 2)
    out = pipeline.analyze(beside, profile="fast")
    assert out["entities"]["beside_themes"] is True
    assert out["entities"]["documents"] == one_after["entities"]["documents"] > 50
    expected, got = stored(serial), stored(beside)
    assert len(expected["entities"]) > 100
    assert got == expected
    assert {status for _, status in got["runs"]} == {"done"}


@pytest.mark.slow
def test_a_worker_that_dies_leaves_no_document_without_its_entities(tmp_path, monkeypatch):
    serial = build(tmp_path / "serial.duckdb")
    monkeypatch.setattr(scale, "MIN_DOCS_BESIDE", 10**9)
    pipeline.analyze(serial, profile="fast")

    broken = build(tmp_path / "broken.duckdb")
    monkeypatch.setattr(scale, "MIN_DOCS_BESIDE", 1)
    monkeypatch.setattr(scale, "available_cores", lambda: 2)
    killed: list[int] = []
    stop = threading.Event()

    def kill_the_worker() -> None:
        # as soon as the worker process is up (it then loads spaCy and extracts its first batch), end it as the
        # kernel would: out of memory, a kill
        while not stop.wait(0.01):
            for child in multiprocessing.active_children():
                if child.name.startswith("ForkServerProcess"):
                    child.kill()
                    killed.append(child.pid)
                    return

    watcher = threading.Thread(target=kill_the_worker, daemon=True)
    watcher.start()
    try:
        out = pipeline.analyze(broken, profile="fast")
    finally:
        stop.set()
    assert killed
    assert out["entities"]["beside_themes"] is False
    expected, got = stored(serial), stored(broken)
    assert got["entities"] == expected["entities"] and got["processed"] == expected["processed"]
    assert got["doc_topics"] == expected["doc_topics"]


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["fast", "quality", "multilingual"])
def test_the_version_read_without_spacy_is_the_built_pipelines(profile):
    from analytics.entities import cached_pipeline, load_aliases
    from analytics.entities.pipeline import pipeline_version

    assert pipeline_version(profile) == cached_pipeline(load_aliases(config.DEFAULT_ALIASES), profile).version
