"""Every page through streamlit.testing.v1.AppTest, on a small analysed store with known content."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_store import XSS_ID, build_app_store
from streamlit.testing.v1 import AppTest

from analytics import store

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ["overview", "themes", "explorer", "actors", "sources", "amplification", "documents", "corpus", "about"]


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    return build_app_store(tmp_path_factory.mktemp("appstore") / "app.duckdb")


@pytest.fixture
def app(app_db, monkeypatch):
    monkeypatch.setenv("NARRATIVE_DB", str(app_db))

    def open_page(page: str, **params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(f"analytics/app/pages/{page}.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_error(app, page):
    at = app(page)
    assert at.title and not at.error


def test_overview_counts_every_document(app):
    at = app("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Documents"] == "121"
    assert metrics["Sources"] == "4"


def test_themes_page_changes_granularity_and_lists_a_selected_point(app):
    at = app("themes", period="2016-04-01", theme="Unassigned (outliers)")
    at.selectbox(key="f_gran").select("quarter").run()
    assert not at.exception
    assert at.query_params["gran"] == ["quarter"] or at.query_params["gran"] == "quarter"
    at = app("themes", period="2016-04-01")
    labels = [s.value for s in at.subheader]
    assert not any("documents in the period" in v for v in labels)  # no theme chosen, no list


def test_a_selection_in_the_url_lists_the_documents_behind_it(app, app_db):
    with store.opened(app_db, read_only=True) as con:
        run = store.topic_run_id(con)
        topics = store.topic_table(con, run)
        assign = store.doc_topic_table(con, run)
        docs = store.timeline_documents(con)
    first = topics.iloc[0]
    in_april = docs[(docs["date"] >= "2016-04-01") & (docs["date"] < "2016-05-01")]["id"]
    expected = int(assign[(assign.topic_id == first.topic_id) & assign.doc_id.isin(in_april)].shape[0])
    duplicated = (topics["label"] == first.label).sum() > 1
    at = app("themes", period="2016-04-01", theme=f"{first.label} (#{first.topic_id})" if duplicated else first.label)
    heading = [s.value for s in at.subheader if "documents in the period" in s.value]
    assert heading and heading[0].startswith(f"{expected} of {len(in_april)} documents")


def test_renaming_a_theme_is_stored_and_shown_after_a_reload(app, app_db):
    at = app("explorer")
    topic_id = int(at.query_params["topic"][0] if isinstance(at.query_params["topic"], list)
                   else at.query_params["topic"])
    at.text_input(key=f"label_{topic_id}").input("Renamed by the test").run()
    at.button(key="save_label").click().run()
    with store.opened(app_db, read_only=True) as con:
        assert store.topic_table(con, store.topic_run_id(con)).set_index("topic_id").loc[topic_id, "label"] == \
            "Renamed by the test"
    again = app("explorer", topic=str(topic_id))
    assert again.text_input(key=f"label_{topic_id}").value == "Renamed by the test"
    with store.opened(app_db) as con:
        store.set_topic_label(con, topic_id, None)


def test_hostile_document_is_shown_as_text_and_collapsed_behind_the_warning(app):
    at = app("documents", doc=XSS_ID)
    rendered = " ".join(m.value for m in at.markdown)
    assert "Hostile title" in rendered
    # every tag arrives escaped, so Markdown shows it as text and the browser never parses it as HTML
    for tag in ("<script", "<img", "<iframe", "<b "):
        assert tag not in rendered
    assert "&lt;script&gt;" in rendered and "&lt;img" in rendered
    assert any("Content warning" in e.label for e in at.expander)


def test_search_finds_documents_by_word(app):
    at = app("documents")
    at.text_input(key="q").input("ghostsec").run()
    caption = " ".join(c.value for c in at.caption)
    assert "document(s)" in caption and not caption.startswith("0 ")


def test_a_suggested_merge_is_applied_and_can_be_undone(app, app_db):
    with store.opened(app_db, read_only=True) as con:
        suggestions = store.last_run(con, "topics")["counts"]["merge_suggestions"]
    assert suggestions, "the planted store's fit offers merges"
    at = app("explorer")
    at.button(key="suggested_merge_0").click().run()
    assert not at.exception
    with store.opened(app_db) as con:
        merges = con.execute("SELECT from_topic_id, into_topic_id FROM topic_merges").fetchall()
        assert len(merges) == 1 and set(merges[0]) == set(suggestions[0]["topics"])
        store.unmerge_topic(con, merges[0][0])


@pytest.mark.slow  # fits BERTopic on static vectors (the fast profile's model)
def test_refit_with_known_themes_from_the_explorer(tmp_path, monkeypatch):
    db = build_app_store(tmp_path / "refit.duckdb")
    monkeypatch.setenv("NARRATIVE_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    at.switch_page("analytics/app/pages/explorer.py")
    at.run()
    at.radio(key="refit_profile").set_value("fast")
    at.radio(key="refit_mode").set_value("guided (seed words)")
    at.button(key="refit_go").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    with store.opened(db, read_only=True) as con:
        runs = store.runs(con, "topics")
        last = store.last_run(con, "topics")
    assert len(runs) == 2 and last["params"]["backend"] == "static"
    assert len(last["params"]["seed_topics"]) == 8  # the shipped known_themes.csv
    assert any("Refitted" in s.value for s in at.success)
