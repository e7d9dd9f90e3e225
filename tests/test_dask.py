"""Scale-out on Dask gives the results of a local run: a LocalCluster of two worker processes extracts the
entities (the statistical model included) and embeds the passages; the driver writes the store."""

from __future__ import annotations

import pytest
from analysis_rows import analysis_rows

from analytics import config, entities, pipeline, store
from analytics.ingest import ingest
from analytics.scale import executor
from analytics.topics import TopicParams, run_topics

pytestmark = pytest.mark.slow
FILES = ["2019.jsonl", "2020.jsonl"]


def written() -> int:
    """How many documents the two years' files hold (one per line)."""
    return sum(len((config.DEMO_CORPUS_DIR / "documents" / f).read_text(encoding="utf-8").splitlines()) for f in FILES)


def build(path):
    con = store.connect(path)
    ingest([config.DEMO_CORPUS_DIR / "documents" / f for f in FILES], con)
    return con


def test_dask_local_cluster_gives_the_local_results(tmp_path):
    local = build(tmp_path / "local.duckdb")
    entities.run_entities(local, config.DEFAULT_ALIASES, profile="quality")
    run_topics(local, params=TopicParams(backend="static"))
    expected = analysis_rows(local)
    local.close()

    remote = build(tmp_path / "dask.duckdb")
    with executor("local") as mapper:
        assert type(mapper).__name__ == "DaskMap"
        summary = entities.run_entities(remote, config.DEFAULT_ALIASES, profile="quality", mapper=mapper)
        assert summary["documents"] == written()
        run_topics(remote, params=TopicParams(backend="static"), mapper=mapper)
    got = analysis_rows(remote)
    remote.close()
    assert len(expected["entities"]) > 500
    assert got == expected


def test_cli_path_with_dask_local(tmp_path):
    db = tmp_path / "cli.duckdb"
    build(db).close()
    out = pipeline.analyze(db, profile="fast", dask="local")
    assert out["entities"]["documents"] == written() and out["topics"]["action"] == "fit"
