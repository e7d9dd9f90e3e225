"""The report and the app's overview take each shared figure from the same Corpus call (same method, same
arguments), and show the same numbers."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from apptest_store import build_app_store
from streamlit.testing.v1 import AppTest

from analytics import Corpus
from analytics.app import state
from analytics.report import build_report

APP = str(Path(__file__).resolve().parents[1] / "app.py")
SHARED = ("summary", "theme_sizes", "findings")  # the figures both surfaces print


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    return build_app_store(tmp_path_factory.mktemp("report") / "app.duckdb")


# The app's pages ask for the findings through `findings_ready` (the same findings, tested in the background; a
# page draws on while they are tested), with the same granularity and filters.
IN_THE_APP = {"findings": "findings_ready"}


def recorder(cls, calls: list, names: dict[str, str] | None = None) -> None:
    """Record each call of the shared methods on `cls` as (method, its bound arguments); `names`: the method of
    `cls` that asks a shared method's question, where it has another name."""
    for name in SHARED:
        attribute = (names or {}).get(name, name)
        method = getattr(cls, attribute)
        signature = inspect.signature(getattr(Corpus, name))

        def spy(self, *args, _method=method, _name=name, _signature=signature, **kwargs):
            asked = {k: v for k, v in kwargs.items() if k in _signature.parameters}
            bound = _signature.bind(self, *args, **asked)
            bound.apply_defaults()
            calls.append((_name, tuple((k, v) for k, v in bound.arguments.items() if k != "self")))
            return _method(self, *args, **kwargs)

        setattr(cls, attribute, spy)


@pytest.mark.flow
def test_report_and_overview_ask_the_same_calls_and_print_the_same_numbers(app_db, monkeypatch):
    report_calls: list = []
    overview_calls: list = []
    with monkeypatch.context() as patch:
        for name in SHARED:
            patch.setattr(Corpus, name, getattr(Corpus, name))  # restored after the with-block
        recorder(Corpus, report_calls)
        # The overview counts by the sidebar's granularity (the corpus's default at first); the report by the one
        # it is given: the same granularity must give the same calls.
        page = build_report(Corpus.open(app_db), Corpus.open(app_db).filter_options().granularity)
    with monkeypatch.context() as patch:
        for name in SHARED:
            attribute = IN_THE_APP.get(name, name)
            patch.setattr(state.CachedCorpus, attribute, getattr(state.CachedCorpus, attribute))
        recorder(state.CachedCorpus, overview_calls, IN_THE_APP)
        patch.setenv("NARRATIVE_DB", str(app_db))
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    for name in SHARED:
        overview = {args for method, args in overview_calls if method == name}
        assert overview, f"the overview does not call {name}"
        assert overview <= {args for method, args in report_calls if method == name}, name
    # The same numbers on both surfaces.
    metrics = {m.label: m.value for m in at.metric}
    assert f"<p>{metrics['Documents']} documents" in page
    tables = [t.value for t in at.dataframe]
    top_themes = next(t for t in tables if "theme" in t.columns)
    section = page.split("largest themes</h2>")[1].split("</table>")[0]
    listed = re.findall(r"<tr><td>([^<]+)</td><td><details><summary>(\d+) documents", section)
    assert [(label.replace("&amp;", "&"), int(n)) for label, n in listed] == list(
        zip(top_themes["theme"], top_themes["documents"], strict=True))
