"""The app's warm-up (analytics/app/warm_up.py), in a fresh process (it runs once per process): the pages' modules
imported, one chart built, the sidebar's choices asked for a corpus with documents; started twice, it runs once. A
missing store is not asked (nor created)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from apptest_store import build_app_store

from analytics.app import warm_up

REPO = Path(__file__).resolve().parents[1]
PROBE = """
import json, sys
from pathlib import Path
from analytics.app import warm_up
warm_up.start(Path(sys.argv[1]))
warm_up.start(Path(sys.argv[1]))
done = warm_up.wait(120)
print(json.dumps({"done": done, "steps": warm_up.DONE_STEPS,
                  "missing": [m for m in warm_up.PAGE_MODULES if m not in sys.modules]}))
"""


def _warm(db: Path, tmp_path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, str(db)], capture_output=True, text=True, cwd=REPO,
                         timeout=180, env={"NARRATIVE_DATA": str(tmp_path / "data"), "PATH": "/usr/bin:/bin",
                                           "PYTHONPATH": str(REPO)})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    return build_app_store(tmp_path_factory.mktemp("warmstore") / "app.duckdb")


def test_warm_up_readies_modules_chart_and_sidebar(app_db, tmp_path):
    found = _warm(app_db, tmp_path)
    assert found["done"] and not found["missing"]
    assert found["steps"] == ["modules", "chart", "sidebar"]  # once: a second run would repeat the steps


def test_warm_up_asks_nothing_of_a_missing_store(tmp_path):
    assert not warm_up._sidebar_choices(tmp_path / "none.duckdb")
    assert not (tmp_path / "none.duckdb").exists()
