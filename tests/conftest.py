"""Shared fixtures: fresh stores, planted corpora, the real seeds and demo corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from planted import PLANTED_THEMES, planted_corpus, store_documents  # noqa: F401 - re-exported for tests

from analytics import store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"

@pytest.fixture
def fresh_db(tmp_path):
    """A new, migrated store in a temporary folder."""
    con = store.connect(tmp_path / "test.duckdb")
    yield con
    con.close()


@pytest.fixture
def seeds_dir() -> Path:
    """The four real scraped seed articles (beside the repository)."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    return SEEDS
