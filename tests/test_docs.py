"""The README's Python API example runs as written, on a store of the demo corpus whose themes are the ones its
documents were written to carry (stored as the fit: no model is fitted) and whose actors come from the alias list
on a blank English pipeline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from apptest_store import store_fit

from analytics import config, entities, store
from analytics.ingest import ingest

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> Path:
    import spacy

    db = tmp_path_factory.mktemp("docs") / "demo.duckdb"
    with store.opened(db) as con:
        ingest([config.DEMO_CORPUS_DIR], con)
        entities.run_entities(con, config.DEFAULT_ALIASES, profile="fast", nlp=spacy.blank("en"))
        written = written_documents()
        themes = sorted(written["theme"].unique())
        stored = store.documents(con, columns=["id", "external_id"])
        topic = stored["external_id"].map(dict(zip(written["doc_id"], written["theme"], strict=True))).map(
            {theme: i for i, theme in enumerate(themes)})
        store_fit(con, pd.DataFrame({"doc_id": stored["id"], "topic_id": topic.astype(int)}),
                  dict(enumerate(themes)))
    return db


def written_documents() -> pd.DataFrame:
    return pd.concat([pd.read_json(p, lines=True) for p in sorted((config.DEMO_CORPUS_DIR / "documents").glob("*.jsonl"))])


def python_api_example() -> str:
    section = README.read_text(encoding="utf-8").split("## Python API", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


@pytest.mark.flow
def test_the_readme_python_api_example_runs(demo_store, capsys):
    code = python_api_example().replace('"data/narrative.duckdb"', json.dumps(str(demo_store)))
    exec(compile(code, "README.md (Python API)", "exec"), {})  # noqa: S102 - our own README's example
    out = capsys.readouterr().out
    assert f"Summary(documents={len(written_documents())}" in out and "ci_low" in out and "periods_pooled" in out
    assert "Twitter" in out and "Telegram" in out  # the platform migration the demo corpus carries
