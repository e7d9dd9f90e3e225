"""Shared fixtures: fresh stores, planted corpora, the seed pages; and the guard that keeps every test not marked
slow or e2e (the quick set, `-m "not slow and not e2e and not flow"`, and the whole-flow tests) from loading any
model."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings
from model_guard import refuse as _refuse
from planted import PLANTED_THEMES, planted_corpus, store_documents  # noqa: F401 - re-exported for tests

from analytics import store

# Property tests that write a store per example draw 60 examples in the full suite (`make test`, CI); the quick set
# (`make test-fast`, `--hypothesis-profile quick`) draws 15 of the same strategies.
settings.register_profile("full", max_examples=60)
settings.register_profile("quick", max_examples=15)
settings.load_profile("full")

REPO = Path(__file__).resolve().parents[1]
# Four scraped-page look-alikes written for these tests (own words, the furniture real pages carry: glued
# navigation bars, datelines, app banners, teaser lists, job ads, copyright footers).
SEEDS = Path(__file__).with_name("data") / "seeds"


@pytest.fixture(autouse=True)
def no_model_in_quick_tests(request, monkeypatch):
    """Quick tests load no model: every place the library loads one (the pinned spaCy model, MiniLM, the static
    model and its distillation) raises here unless the test is marked slow or e2e."""
    if request.node.get_closest_marker("slow") or request.node.get_closest_marker("e2e"):
        yield
        return
    from analytics.embeddings import minilm, static
    from analytics.entities import pipeline

    monkeypatch.setattr(pipeline, "model_dir", _refuse("the spaCy model"))
    monkeypatch.setattr(minilm.MiniLMBackend, "model", _refuse("MiniLM"))
    monkeypatch.setattr(static.StaticBackend, "model", _refuse("the static embedding model"))
    monkeypatch.setattr(static, "distill_static_model", _refuse("the static model's distillation"))
    yield


@pytest.fixture(scope="session", autouse=True)
def streamlit_components_scanned_once():
    """Each AppTest scans the metadata of every installed package for Streamlit components (about half a second,
    15 % of the quick set's time); the installed packages do not change during a test run, so the first scan's
    answer is kept for the rest of the session."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    found = scan()
    manifest_scanner.scan_component_manifests = lambda max_workers=None: list(found)
    yield
    manifest_scanner.scan_component_manifests = scan


@pytest.fixture
def fresh_db(tmp_path):
    """A new, migrated store in a temporary folder."""
    con = store.connect(tmp_path / "test.duckdb")
    yield con
    con.close()


@pytest.fixture
def seeds_dir() -> Path:
    """Four scraped news pages (tests/data/seeds)."""
    return SEEDS
