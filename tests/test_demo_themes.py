"""Themes on real text whose right answer is known: the demo corpus was written to carry 12 themes (each
document's `theme` field, which the model never sees). MiniLM and the static backend, as users run them."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pandas as pd
import pytest
from sklearn.metrics import normalized_mutual_info_score

from analytics import config, store
from analytics.ingest import ingest
from analytics.topics import TopicParams, run_topics

pytestmark = pytest.mark.slow


def themes_of(con) -> pd.DataFrame:
    run = store.topic_run_id(con)
    frame = con.execute("SELECT d.id, d.metadata, t.topic_id FROM documents d JOIN doc_topics t ON t.doc_id = d.id "
                        "WHERE t.run_id = ? ORDER BY d.id", [run]).df()
    frame["theme"] = frame["metadata"].map(lambda m: json.loads(m)["theme"])
    return frame


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = store.connect(path)
    ingest([config.DEMO_CORPUS_DIR], con)
    summary = run_topics(con, profile="quality")
    yield con, summary
    con.close()


def test_demo_corpus_themes_are_found(demo_store):
    con, summary = demo_store
    frame = themes_of(con)
    assert summary["outliers"] <= 0.20
    assert normalized_mutual_info_score(frame["theme"], frame["topic_id"]) >= 0.5
    assigned = frame[frame["topic_id"] != -1]
    majority = assigned.groupby("topic_id")["theme"].agg(lambda t: t.value_counts().index[0])
    # at least 10 of the 12 written themes lead a topic of their own
    assert majority.nunique() >= 10, majority.value_counts()


def test_shuffled_input_gives_the_same_topics(demo_store, tmp_path):
    con, _ = demo_store
    rows = []
    for path in sorted((config.DEMO_CORPUS_DIR / "documents").glob("*.jsonl")):
        rows += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    random.Random(5).shuffle(rows)
    folder = tmp_path / "shuffled"
    folder.mkdir()
    (folder / "all.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    other = store.connect(tmp_path / "shuffled.duckdb")
    ingest([folder / "all.jsonl"], other)
    # The same passages' vectors: copy the embedding cache so this test times the fit, not MiniLM again.
    cache = con.execute("SELECT * FROM embeddings").df()
    store.insert_frame(other, "embeddings", cache)
    run_topics(other, profile="quality")
    a = themes_of(con).set_index("id")[["topic_id"]]
    b = themes_of(other).set_index("id")[["topic_id"]]
    assert a.equals(b)
    other.close()


def test_static_backend_finds_the_same_themes_fast(tmp_path):
    con = store.connect(tmp_path / "static.duckdb")
    ingest([config.DEMO_CORPUS_DIR], con)
    summary = run_topics(con, params=TopicParams(backend="static"))
    frame = themes_of(con)
    assert summary["outliers"] <= 0.20
    assert normalized_mutual_info_score(frame["theme"], frame["topic_id"]) >= 0.45
    con.close()


def test_static_model_distillation_is_reproducible(tmp_path):
    from analytics.embeddings import distill_static_model, sha256_of

    first = distill_static_model(tmp_path / "a")
    second = distill_static_model(tmp_path / "b")
    assert sha256_of(first / "model.safetensors") == sha256_of(second / "model.safetensors")
    assert Path(first / "narrative.sha256.json").is_file()
