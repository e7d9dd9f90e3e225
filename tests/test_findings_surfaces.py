"""One code path: the overview, the Themes, Actors and Sources pages, `narrative report` and `narrative findings`
show the same findings for the same filters (all from `Corpus.findings`); on a store whose dates are shuffled, every
one of them stays silent."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from apptest_pages import open_at
from click.testing import CliRunner
from findings_store import build_findings_store, listed_findings
from streamlit.testing.v1 import AppTest

from analytics import Corpus, Filters, cli
from analytics.report import build_report

pytestmark = pytest.mark.flow  # whole stores and surfaces end to end: `make test` and CI, not the quick set

APP = str(Path(__file__).resolve().parents[1] / "app.py")
FILTERS = Filters(start="2015-01-01", source_types=("news",))
APP_PARAMS = {"gran": "quarter", "from": "2015-01-01", "stype": "news"}
CLI_FILTERS = ["--granularity", "quarter", "--from", "2015-01-01", "--source-type", "news"]


@pytest.fixture(scope="module")
def planted_db(tmp_path_factory):
    return build_findings_store(tmp_path_factory.mktemp("surfaces") / "planted.duckdb")


@pytest.fixture(scope="module")
def shuffled_db(tmp_path_factory):
    return build_findings_store(tmp_path_factory.mktemp("surfaces") / "shuffled.duckdb", shuffle_seed=7)


def _page(db: Path, page: str, monkeypatch, params: dict[str, str]) -> AppTest:
    monkeypatch.setenv("NARRATIVE_DB", str(db))
    at = open_at(page, params, timeout=240)
    assert not at.exception, [e.value for e in at.exception]
    return at


def _cli_records(db: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(cli.main, ["findings", "--json", *args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_same_filters_give_the_same_findings_on_every_surface(planted_db, monkeypatch):
    found = Corpus.open(planted_db).findings("quarter", FILTERS)
    expected = [f.sentence for f in found.significant]
    kinds = {f.kind for f in found.significant}
    assert len(expected) >= 4 and {"shift", "event_impact"} <= kinds  # the planted step is there under the filters
    assert len(found.tested) > len(expected)  # and not everything tested passes

    records = _cli_records(planted_db, *CLI_FILTERS)
    assert [r["sentence"] for r in records if r["significant"]] == expected
    assert len(records) == len(found.tested)

    page = build_report(Corpus.open(planted_db), "quarter", FILTERS)
    assert all(html.escape(sentence) in page for sentence in expected)
    assert f"{len(found.tested)} hypotheses tested by quarter" in page

    overview = _page(planted_db, "overview", monkeypatch, APP_PARAMS)
    assert listed_findings(overview) == expected
    overview.selectbox(key="overview_finding_pick").select(0).run()  # the documents behind the first finding
    behind = found.significant[0].doc_ids
    assert any(f"The {len(behind)} documents behind" in m.value for m in overview.markdown)
    actors = listed_findings(_page(planted_db, "actors", monkeypatch, APP_PARAMS))
    assert set(actors) <= set(expected) and actors
    assert {f.sentence for f in found.migration} <= set(actors)  # the platform migration, as tested findings
    themes = listed_findings(_page(planted_db, "themes", monkeypatch, APP_PARAMS))
    assert themes == [f.sentence for f in found.about("theme")] and themes  # the themes shown are both themes
    sources = listed_findings(_page(planted_db, "sources", monkeypatch, APP_PARAMS))
    assert sources == [f.sentence for f in found.about(kinds=("lead_lag", "share_of_voice"))]


def test_past_the_first_few_the_findings_are_folded_in_order(planted_db, monkeypatch):
    """A corpus with dozens of real changes lists the strongest in full and folds the rest, none lost."""
    from analytics.app import findings_view

    monkeypatch.setattr(findings_view, "FIRST_SHOWN", 2)
    expected = [f.sentence for f in Corpus.open(planted_db).findings("quarter", FILTERS).significant]
    overview = _page(planted_db, "overview", monkeypatch, APP_PARAMS)
    folded = [e for e in overview.expander if e.label == f"{len(expected) - 2} more findings (weaker evidence, "
              "still significant)"]
    assert len(folded) == 1
    assert listed_findings(folded[0]) == expected[2:]
    assert listed_findings(overview) == expected  # the first two in full, then the folded ones, in order


def test_the_unfiltered_run_differs_from_the_filtered_one(planted_db):
    """The filters reach the engine: twice the documents, a different set of tests."""
    everything = Corpus.open(planted_db).findings("quarter")
    filtered = Corpus.open(planted_db).findings("quarter", FILTERS)
    assert sum(f.n_documents for f in everything.tested if f.kind == "shift") > sum(
        f.n_documents for f in filtered.tested if f.kind == "shift")
    assert [r["sentence"] for r in _cli_records(planted_db, "--granularity", "quarter") if r["significant"]] == [
        f.sentence for f in everything.significant]


def test_a_store_with_shuffled_dates_is_silent_everywhere(shuffled_db, monkeypatch):
    found = Corpus.open(shuffled_db).findings("quarter")
    assert len(found.tested) >= 20 and not found.significant
    assert not any(r["significant"] for r in _cli_records(shuffled_db, "--granularity", "quarter"))
    text = CliRunner().invoke(cli.main, ["findings", "--granularity", "quarter", "--db", str(shuffled_db)]).output
    assert f"{len(found.tested)} hypotheses tested by quarter, 0 significant" in text
    page = build_report(Corpus.open(shuffled_db), "quarter")
    assert "No finding passes" in page and "No finding about a platform passes" in page
    at = _page(shuffled_db, "overview", monkeypatch, {"gran": "quarter"})
    assert not listed_findings(at)
    assert any("None of them here" in c.value for c in at.caption)
