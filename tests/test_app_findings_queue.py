"""Findings tested in the background: a page draws everything else while its findings are tested and shows them
when they are done — the same findings `Corpus.findings` gives — each set tested once, a failure tested again."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from findings_store import build_findings_store, listed_findings
from streamlit.testing.v1 import AppTest

from analytics import Corpus, Filters
from analytics.app import findings_queue

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    return build_findings_store(tmp_path_factory.mktemp("queue") / "planted.duckdb")


@pytest.fixture
def held(monkeypatch):
    """The background tests held until the test releases them (as a large corpus's take their time)."""
    release = threading.Event()
    plain = findings_queue._test
    asked: list[tuple] = []

    def slow(path, granularity, filters):
        asked.append((granularity, filters))
        assert release.wait(120)
        return plain(path, granularity, filters)

    monkeypatch.setattr(findings_queue, "_test", slow)
    monkeypatch.setattr(findings_queue, "WAIT_SMALL", 0.2)
    findings_queue.forget()
    yield release, asked
    release.set()
    findings_queue.forget()


def test_the_overview_draws_on_while_its_findings_are_tested_then_shows_the_same_findings(app_db, monkeypatch,
                                                                                          tmp_path, held):
    release, asked = held
    monkeypatch.setenv("NARRATIVE_DB", str(app_db))
    monkeypatch.setenv("NARRATIVE_DATA", str(tmp_path / "data"))
    corpus = Corpus.open(app_db)
    granularity = "quarter"
    expected = [f.sentence for f in corpus.findings(granularity).significant]
    assert expected  # the planted store has findings to show

    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["gran"] = granularity
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("the findings appear here by themselves" in c.value for c in at.caption)
    assert {m.label for m in at.metric} >= {"Documents", "Sources", "Themes"}  # the rest of the page is drawn
    assert not listed_findings(at)
    assert asked == [(granularity, Filters())]

    release.set()
    findings_queue.result(app_db, corpus.stamp(), granularity, Filters())
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert listed_findings(at) == expected
    assert not any("the findings appear here by themselves" in c.value for c in at.caption)
    assert asked == [(granularity, Filters())]  # tested once, for both runs of the page


def test_a_page_waits_for_a_small_corpus_findings_and_hardly_for_a_large_ones():
    assert findings_queue.wait_for(300) == findings_queue.WAIT_SMALL >= 2.0
    assert findings_queue.wait_for(100_000) == findings_queue.WAIT_LARGE <= 0.5


def test_each_set_of_findings_is_tested_once_and_a_failure_again(app_db, monkeypatch):
    findings_queue.forget()
    calls: list[tuple] = []
    plain = findings_queue._test

    def counted(path, granularity, filters):
        calls.append((granularity, filters))
        if filters.source_types == ("nonesuch",) and len(calls) == 1:
            raise RuntimeError("the first try fails")
        return plain(path, granularity, filters)

    monkeypatch.setattr(findings_queue, "_test", counted)
    stamp = Corpus.open(app_db).stamp()
    first = findings_queue.result(app_db, stamp, "quarter", Filters())
    again = findings_queue.result(app_db, stamp, "quarter", None)  # no filters are Filters()
    assert again is first and calls == [("quarter", Filters())]
    assert [f.sentence for f in first.tested] == [f.sentence for f in Corpus.open(app_db).findings(
        "quarter").tested]
    assert findings_queue.ready(app_db, stamp, "quarter", Filters()) is first  # done: no wait
    findings_queue.result(app_db, stamp, "month", Filters(source_types=("news",)))
    assert len(calls) == 2

    calls.clear()
    odd = Filters(source_types=("nonesuch",))
    with pytest.raises(RuntimeError, match="first try"):
        findings_queue.result(app_db, stamp, "quarter", odd)
    assert len(findings_queue.result(app_db, stamp, "quarter", odd)) == 0  # asked again: tested again
    assert len(calls) == 2
    findings_queue.forget()


def test_tests_no_page_waits_for_begin_when_the_pages_run_has_ended(app_db, monkeypatch):
    findings_queue.forget()
    began = threading.Event()
    plain = findings_queue._test

    def noted(path, granularity, filters):
        began.set()
        return plain(path, granularity, filters)

    monkeypatch.setattr(findings_queue, "_test", noted)
    stamp = Corpus.open(app_db).stamp()
    with findings_queue.page_run():
        assert findings_queue.ready(app_db, stamp, "quarter", Filters()) is None  # the page does not wait
        assert not began.wait(1.0)  # held while a page runs
    assert began.wait(30)  # begun once the run ended
    assert findings_queue.result(app_db, stamp, "quarter", Filters()) is not None

    findings_queue.forget()
    began.clear()
    with findings_queue.page_run():  # a page that waits for them lets them begin at once
        found = findings_queue.ready(app_db, stamp, "month", Filters(), wait_until=time.monotonic() + 60)
        assert found is not None and began.is_set()
    findings_queue.forget()
