"""Every page through streamlit.testing.v1.AppTest, on a small analysed store with known content; and on a broken
store, a locked one and a page that fails: a sentence with what to do, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
from apptest_pages import open_at
from apptest_store import XSS_ID, XSS_TITLE, build_app_store
from streamlit.testing.v1 import AppTest

from analytics import Corpus, glossary, jobs, store
from analytics import schema as s

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ["overview", "themes", "explorer", "actors", "sources", "amplification", "documents", "corpus", "about"]


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    return build_app_store(tmp_path_factory.mktemp("appstore") / "app.duckdb")


def open_app(page: str, timeout: float = 120, unfold: tuple[str, ...] = (), **params) -> AppTest:
    return open_at(page, params, timeout, unfold)


@pytest.fixture
def app(app_db, monkeypatch, tmp_path):
    monkeypatch.setenv("NARRATIVE_DB", str(app_db))
    monkeypatch.setenv("NARRATIVE_DATA", str(tmp_path / "data"))

    def open_page(page: str, unfold: tuple[str, ...] = (), **params) -> AppTest:
        at = open_app(page, unfold=unfold, **params)
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def texts(at: AppTest) -> str:
    return " ".join(e.value for kind in ("markdown", "caption", "subheader", "success", "warning", "error", "info")
                    for e in getattr(at, kind))


def param(at: AppTest, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_error(app, page):
    at = app(page)
    assert at.title and not at.error
    # The app sends its charts without Altair's schema checks (analytics/app/chart_draw.py): every spec it sent is
    # checked here against the Vega-Lite schema instead.
    for chart in at.get("vega_lite_chart"):
        alt.vegalite.v6.schema.core.Root.validate(json.loads(chart.proto.spec))


def test_overview_counts_every_document(app):
    at = app("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Documents"] == "121"
    assert metrics["Sources"] == "4"
    assert metrics["Date span"] == "Jan–Dec 2016"  # short enough never to be cut


def test_granularities_offered_are_those_not_mostly_thin(app):
    at = app("themes")
    # 121 documents over one year: most days and weeks hold fewer than five documents, months do not.
    assert at.selectbox(key="f_gran").options == ["month", "quarter (3 months)", "year"]
    at.selectbox(key="f_gran").set_value("quarter").run()
    assert not at.exception and param(at, "gran") == "quarter"


def test_typed_dates_filter_every_count(app, app_db):
    at = app("overview", **{"from": "2016-07-01"})
    assert at.date_input(key="f_from").value.isoformat() == "2016-07-01"
    with store.opened(app_db, read_only=True) as con:
        expected = con.execute("SELECT count(*) FROM documents WHERE date >= '2016-07-01'").fetchone()[0]
    assert f"With the filters: {expected:,} dated documents" in texts(at)


def test_a_selection_in_the_url_lists_the_documents_behind_it(app, app_db):
    with store.opened(app_db, read_only=True) as con:
        run = store.topic_run_id(con)
        topics = store.topic_table(con, run)
        assign = store.doc_topic_table(con, run)
        docs = store.timeline_documents(con)
    first = topics.iloc[0]
    in_april = docs[(docs["date"] >= "2016-04-01") & (docs["date"] < "2016-05-01")]["id"]
    expected = int(assign[(assign.topic_id == first.topic_id) & assign.doc_id.isin(in_april)].shape[0])
    label = Corpus.open(app_db).labels()[int(first.topic_id)]
    at = app("themes", period="2016-04-01", theme=label)
    heading = [s.value for s in at.subheader if "documents in April 2016" in s.value]
    assert heading and heading[0].startswith(f"{expected} of {len(in_april)} documents")


def test_a_shared_link_opens_the_clicked_point_and_the_document(app, app_db):
    corpus = Corpus.open(app_db)
    behind = corpus.documents_behind(period="2016-04-01", granularity="month", themes=[0])
    doc_id = behind["id"].iloc[0]
    at = app("themes", period="2016-04-01", theme=corpus.labels()[0], doc=doc_id)
    assert any(f"id {doc_id}" in c.value for c in at.caption)  # the reading view's header
    assert param(at, "doc") == doc_id and param(at, "period") == "2016-04-01"


def test_filters_and_chosen_themes_survive_a_change_of_page(app):
    at = app("themes", source="Outlet A", topics="0|2")
    assert at.multiselect(key="topics_pick").value == [0, 2]
    at.switch_page("analytics/app/pages/overview.py").run()
    assert at.multiselect(key="f_src").value == ["Outlet A"] and param(at, "source") == "Outlet A"
    at.switch_page("analytics/app/pages/themes.py").run()
    assert not at.exception
    assert at.multiselect(key="topics_pick").value == [0, 2]
    assert param(at, "topics") == "0|2" and param(at, "source") == "Outlet A"


@pytest.mark.flow
def test_renaming_a_theme_is_confirmed_logged_and_undone(app, app_db):
    at = app("explorer")
    topic_id = int(param(at, "topic") or at.selectbox(key="explore_topic").value)
    before = Corpus.open(app_db).labels()[topic_id]
    at.text_input(key=f"label_{topic_id}").input("Renamed by the test").run()
    at.button(key="save_label").click().run()
    assert Corpus.open(app_db).labels()[topic_id] == before  # asked, not done
    assert any("Rename" in m.value for m in at.markdown)
    at.button(key="rename_confirm").click().run()
    assert not at.exception
    assert Corpus.open(app_db).labels()[topic_id] == "Renamed by the test"
    assert any("Label saved" in s.value for s in at.success)
    again = app("explorer", topic=str(topic_id))
    assert again.text_input(key=f"label_{topic_id}").value == "Renamed by the test"
    assert "Renamed" in texts(again)  # the history lists it
    at.button(key="edit_undo_last").click().run()
    assert Corpus.open(app_db).labels()[topic_id] == before


@pytest.mark.flow
def test_a_merge_is_previewed_confirmed_shown_at_once_and_undone(app, app_db):
    at = app("explorer", unfold=("explorer_suggested_open",))
    at.button(key="suggested_merge_0").click().run()
    preview = texts(at)
    assert "together:" in preview and "Distinctive words of the merged theme" in preview
    with store.opened(app_db, read_only=True) as con:
        assert not con.execute("SELECT count(*) FROM topic_merges").fetchone()[0]  # a preview changes nothing
    at.button(key="merge_confirm").click().run()
    assert not at.exception
    with store.opened(app_db, read_only=True) as con:
        merged = con.execute("SELECT from_topic_id, into_topic_id FROM topic_merges").fetchall()
    assert len(merged) == 1
    source, target = merged[0]
    assert any("Merged" in s.value for s in at.success)
    sizes = Corpus.open(app_db).theme_sizes().set_index("topic_id")["documents"]
    assert source not in sizes.index
    # the theme picker counts the merged theme's documents at once
    options = at.selectbox(key="explore_topic")
    assert source not in options.options
    at.button(key="edit_undo_last").click().run()
    with store.opened(app_db, read_only=True) as con:
        assert not con.execute("SELECT count(*) FROM topic_merges").fetchone()[0]


def test_hostile_document_is_shown_as_text_and_its_title_kept_behind_the_warning(app):
    at = app("documents", doc=XSS_ID)
    header = " ".join(c.value for c in at.caption if f"id {XSS_ID}" in c.value)
    assert header and "Hostile title" not in header  # title and actors are behind the warning
    assert any("Content warning" in e.label for e in at.expander)
    rendered = " ".join(m.value for m in at.markdown)
    assert "Hostile title" in rendered  # inside the closed expander
    for tag in ("<script", "<img", "<iframe", "<b "):
        assert tag not in rendered
    assert "&lt;script&gt;" in rendered and "&lt;img" in rendered


def test_search_shows_keyword_in_context_aligned_and_hides_propaganda_context(app):
    at = app("documents", q="telegram")
    kwic = [d for d in at.dataframe if "keyword" in d.value.columns]
    assert kwic, "no keyword-in-context table"
    table = kwic[0].value
    assert list(table.columns[:5]) == ["date", "source", "left", "keyword", "right"]
    assert set(table["keyword"].str.lower()) == {"telegram"}
    assert table["date"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()
    hostile = table[table["id"] == XSS_ID]
    assert not hostile.empty and set(hostile["right"]) == {"[propaganda source: open the document to read]"}
    titles = [d.value for d in at.dataframe if "title" in d.value.columns]
    assert titles and XSS_TITLE not in set(titles[0]["title"]) and "language" in titles[0].columns


def test_plain_words_on_the_actors_page(app):
    at = app("actors", unfold=("actors_top_open", "actors_together_open"))
    headers = [c for d in at.dataframe for c in d.value.columns]
    assert "PMI" not in headers and "canonical_name" not in headers
    assert "named together more often than chance" in texts(at).lower()


def test_the_folded_sections_are_made_only_when_opened(app):
    """The network of actors named together, the numbers under a chart and the export buttons are asked and drawn
    only once their section is opened; opened, they hold the same numbers."""
    closed = app("actors")
    assert not [d for d in closed.dataframe if "with" in d.value.columns]  # no pairs asked
    assert not closed.get("download_button")
    opened = app("actors", unfold=("actors_together_open", "actors_table_open", "actors-over-time-export"))
    pairs = [d.value for d in opened.dataframe if "with" in d.value.columns]
    assert pairs and len(pairs[0]) > 0 and (pairs[0].iloc[:, 2] >= 2).all()
    assert "ZIP for publication" in {b.label for b in opened.get("download_button")}
    assert len(opened.get("vega_lite_chart")) == len(closed.get("vega_lite_chart")) + 1  # the network


def test_the_about_page_sends_its_methods_note_only_when_opened(app, app_db):
    """The full methods note is a code block, and the browser loads a syntax highlighter for any code block, a
    closed section's too (0.2 s of a fresh tab of About): it is sent once the section is opened, and it is
    this corpus's own note."""
    closed = app("about")
    assert any(e.label.startswith("The full methods note") for e in closed.expander)
    assert not closed.code
    opened = app("about", unfold=("about_note_open",))
    note = json.loads(opened.code[0].value)
    assert note["documents_in_store"] == Corpus.open(app_db).counts()["documents"] > 0


def test_actors_not_named_under_the_filters_say_so_and_the_rest_of_the_page_stays(app):
    """Mosul is named in the battle documents only; with the propaganda source type alone (the hostile document,
    which names Telegram and Europol) the chart gives way to a sentence, and the platforms are still shown."""
    at = app("actors", actors="mosul", stype="propaganda")
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="actors_pick").value == ["mosul"]
    assert any("None of the actors chosen is named" in i.value for i in at.info)
    assert any("Platforms" in h.value for h in at.subheader)
    named = app("actors", actors="mosul")
    assert not any("None of the actors chosen" in i.value for i in named.info)
    assert len(named.get("vega_lite_chart")) == len(at.get("vega_lite_chart")) + 1  # the actors chart


def test_the_actors_page_starts_from_the_corpus_own_most_named_actors(app, app_db):
    """No Twitter in this corpus: the page compares its three most named actors, not a platform pair it lacks."""
    most_named = list(Corpus.open(app_db).actors(top=3)["canonical_id"])
    assert "twitter" not in most_named
    assert app("actors").multiselect(key="actors_pick").value == most_named


def test_the_migration_pair_is_the_first_comparison_only_where_the_corpus_tells_it():
    from analytics.app.sidebar import default_actors

    demo_like = dict.fromkeys(["islamic_state", "twitter", "syria", "telegram", "iraq", "facebook"], "")
    speeches = dict.fromkeys(["united_states", "united_kingdom", "france", "paris", "berlin", "telegram"], "")
    assert default_actors(demo_like) == ["twitter", "telegram"]
    assert default_actors(speeches) == ["united_states", "united_kingdom", "france"]
    assert default_actors({}) == []


@pytest.mark.slow  # fits BERTopic on static vectors (the fast profile's model), in a background job
def test_refit_with_known_themes_from_the_explorer_runs_as_a_job_and_can_be_undone(tmp_path, monkeypatch):
    db = build_app_store(tmp_path / "refit.duckdb")
    monkeypatch.setenv("NARRATIVE_DB", str(db))
    at = open_app("explorer", timeout=300, unfold=("explorer_refit_open",))
    at.radio(key="refit_profile").set_value("fast")
    at.radio(key="refit_mode").set_value("guided (seed words)")
    at.button(key="refit_go").click().run()
    at.button(key="refit_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    deadline = time.time() + 600
    while jobs.state(db).running and time.time() < deadline:
        time.sleep(1)
    assert jobs.state(db).state == "done", jobs.state(db).message
    corpus = Corpus.open(db)
    last = corpus.run()
    assert len(corpus.jobs()) == 1 and last["params"]["backend"] == "static"
    assert len(last["params"]["seed_topics"]) == 8  # the shipped known_themes.csv
    log = corpus.edit_history()
    assert log.loc[0, "kind"] == "refit"
    from analytics import edits

    edits.undo(db, int(log.loc[0, "edit_id"]))
    assert Corpus.open(db).run()["params"]["backend"] == "tfidf"  # the planted fit is current again


# -- a broken, a locked, a busy store; a page that fails ---------------------------------------------------------


def test_a_broken_store_is_a_sentence_on_every_page(tmp_path, monkeypatch):
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"this is not a DuckDB file" * 100)
    monkeypatch.setenv("NARRATIVE_DB", str(broken))
    monkeypatch.setenv("NARRATIVE_DATA", str(tmp_path / "data"))
    for page in PAGES:
        at = open_app(page)
        assert not at.exception, (page, [e.value for e in at.exception])
        shown = texts(at)
        assert "not a store this program can open" in shown or "E105" in shown, (page, shown[:300])


@pytest.mark.flow  # another process holds the store while two pages open
def test_a_store_locked_by_another_program_is_a_sentence_not_a_wait(app_db, tmp_path, monkeypatch):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('locked', flush=True); time.sleep(120)"),
        str(app_db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setenv("NARRATIVE_DB", str(app_db))
        monkeypatch.setenv("NARRATIVE_DATA", str(tmp_path / "data"))
        for page in ("overview", "corpus"):
            at = open_app(page)
            assert not at.exception, [e.value for e in at.exception]
            assert "writing to this corpus" in texts(at) or "locked by another process" in texts(at)
    finally:
        holder.kill()
        holder.wait()


def test_a_running_analysis_shows_its_progress_on_every_page(app_db, tmp_path, monkeypatch):
    from analytics.jobs.runner import job_lock

    monkeypatch.setenv("NARRATIVE_DB", str(app_db))
    monkeypatch.setenv("NARRATIVE_DATA", str(tmp_path / "data"))
    with job_lock(app_db):
        jobs.status_path(app_db).write_text(json.dumps({
            "state": "running", "spec": {"profile": "fast"}, "stage": "entities", "done": 10, "total": 40,
            "started_at": "2026-01-01T00:00:00+00:00", "pid": 1}))
        try:
            for page in ("themes", "corpus"):
                at = open_app(page)
                assert not at.exception
                assert "Analysis running, 12%" in " ".join(p.text for p in at.get("progress")) or \
                    any("Analysis running" in str(p.proto) for p in at.get("progress"))
        finally:
            jobs.status_path(app_db).unlink()


def test_an_unexpected_failure_is_a_sentence_with_details_folded(app_db, tmp_path, monkeypatch):
    monkeypatch.setenv("NARRATIVE_DB", str(app_db))
    monkeypatch.setenv("NARRATIVE_DATA", str(tmp_path / "data"))

    def broken(*args, **kwargs):
        raise RuntimeError("a bug planted by the test")

    from analytics import charts

    monkeypatch.setattr(charts, "themes_chart", broken)
    at = open_app("themes")
    assert not at.exception
    assert any("Something went wrong" in e.value and "Your data is safe" in e.value for e in at.error)
    assert any(e.label == "Technical details" for e in at.expander)


def test_a_store_of_ones_own_not_yet_analysed_is_never_filled_with_the_demo(tmp_path, monkeypatch):
    """`narrative app --db mine.duckdb` before `narrative analyze`: the app says to run the analysis and leaves the
    store as it is (it once took any store without themes for an unfinished demo build and ingested the demo
    corpus into it)."""
    from planted import planted_corpus, store_documents

    mine = tmp_path / "mine.duckdb"
    docs = planted_corpus(n_per_theme=5, start="2019-01-01")
    with store.opened(mine) as con:
        store_documents(con, docs)
    monkeypatch.setenv("NARRATIVE_DB", str(mine))
    monkeypatch.setenv("NARRATIVE_DATA", str(tmp_path / "data"))
    at = open_app("overview")
    assert not at.exception, [e.value for e in at.exception]
    assert not jobs.status_path(mine).exists()  # no build was started
    assert Corpus.open(mine).counts()["documents"] == len(docs)
    assert "First run: building the demo corpus" not in texts(at)
    assert at.sidebar.selectbox(key="corpus_pick").format_func("demo") == "mine"  # named as the reader's, not "demo"


def test_the_upload_preview_does_not_claim_a_source_type_nobody_chose(app, tmp_path):
    """A CSV without a source-type column: the preview says to choose one (it used to show "news report", the
    reader's fallback, before anyone had chosen); once chosen, the choice is shown."""
    from analytics.app.upload import _STATE

    csv = tmp_path / "speeches.csv"
    pd.DataFrame({"date": ["1790-01-08", "1790-12-08"], "speaker": ["Washington", "Washington"],
                  "text": ["Fellow-Citizens of the Senate and House of Representatives: the state of the Union.",
                           "Fellow-Citizens of the Senate and House of Representatives: in meeting you again."]}
                 ).to_csv(csv, index=False)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[_STATE] = {"slug": "speeches", "paths": [str(csv)]}
    at.switch_page("analytics/app/pages/corpus.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    previews = [d.value for d in at.dataframe if "text" in d.value.columns]
    assert previews and set(previews[0]["source_type"]) == {"(choose above)"}
    at.selectbox(key="upload_source_type").set_value("statement").run()
    previews = [d.value for d in at.dataframe if "text" in d.value.columns]
    assert set(previews[0]["source_type"]) == {glossary.source_type_name("statement")}


def test_a_corpus_stored_by_an_older_version_is_updated_from_the_app(app_db, monkeypatch, tmp_path):
    """A reader who upgrades the program finds their corpus of an older schema: every page says so in words with
    one button that updates it (no command line), the Corpus page still lets them add a new corpus, and after the
    update the pages read it again with nothing lost."""
    import shutil

    db = tmp_path / "old.duckdb"
    shutil.copy(app_db, db)
    with store.opened(db) as con:
        documents = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        con.execute("DELETE FROM schema_version WHERE version = ?", [store.SCHEMA_VERSION])
    monkeypatch.setenv("NARRATIVE_DB", str(db))
    monkeypatch.setenv("NARRATIVE_DATA", str(tmp_path / "data"))

    corpus_page = open_app("corpus")
    assert not corpus_page.exception, [e.value for e in corpus_page.exception]
    assert "older version" in texts(corpus_page) and "Add documents" in [h.value for h in corpus_page.header]
    overview = open_app("overview")
    assert not overview.exception and not overview.error and "older version" in texts(overview)
    overview.button(key="update_store").click().run()
    assert not overview.exception, [e.value for e in overview.exception]
    assert "older version" not in texts(overview) and not overview.error
    assert Corpus.open(db).counts()["documents"] == documents  # opens read-only: raises on an older schema


def test_a_document_without_a_title_is_listed_by_its_first_words_and_propaganda_stays_hidden(app_db, monkeypatch,
                                                                                            tmp_path):
    """Posts and speeches have no title: a list of them read "(untitled)" on every row. The list shows the start
    of the text in quotes instead; a propaganda document's start stays behind the content warning."""
    import shutil

    from analytics.app.reading import HIDDEN_TITLE

    db = tmp_path / "untitled.duckdb"
    shutil.copy(app_db, db)
    with store.opened(db) as con:
        plain_id, text = con.execute("SELECT id, text FROM documents WHERE source_type = 'news' AND "
                                     "text ILIKE '%telegram%' ORDER BY id LIMIT 1").fetchone()
        con.execute("UPDATE documents SET title = NULL WHERE id IN (?, ?)", [plain_id, XSS_ID])
    monkeypatch.setenv("NARRATIVE_DB", str(db))
    monkeypatch.setenv("NARRATIVE_DATA", str(tmp_path / "data"))
    at = open_app("documents", q="telegram")
    assert not at.exception, [e.value for e in at.exception]
    lists = [d.value for d in at.dataframe if "title" in d.value.columns and "id" in d.value.columns]
    assert lists
    titles = dict(zip(lists[0]["id"], lists[0]["title"], strict=True))
    first_words = " ".join(text.split()[:4])
    assert titles[plain_id].startswith(f"“{first_words}") and titles[plain_id].endswith(("”", "…”"))
    assert titles[XSS_ID] == HIDDEN_TITLE and "(untitled)" not in titles.values()
    reading = open_app("documents", doc=plain_id)
    assert any(m.value.startswith(f"#### “{first_words}") for m in reading.markdown)  # the reading view's heading


def test_list_titles_quote_the_start_of_a_text_cut_at_a_word():
    from analytics.app.reading import list_titles

    docs = pd.DataFrame({s.TITLE: ["A headline", None, "  ", None],
                         "opening": [None, "We   shall fight\non the beaches, we shall fight on the landing grounds",
                                     "Short post", None]})
    shown = list_titles(docs, width=30).tolist()
    assert shown == ["A headline", "“We shall fight on the beaches…”", "“Short post”", "(untitled)"]


def test_a_point_behind_many_documents_lists_the_first_and_says_how_many(app, app_db, monkeypatch):
    """The Actors page lists the first documents behind a point and says how many there are in all (at a million
    documents listing 170,000 took half a second); a shared link to one past the first rows still opens it."""
    import analytics.app.reading as reading

    counts = Corpus.open(app_db).actor_counts("month")
    point = counts.sort_values("documents", ascending=False).iloc[0]
    assert point["documents"] >= 3
    monkeypatch.setattr(reading, "LISTED", 2)
    period = pd.Timestamp(point[s.PERIOD]).date().isoformat()
    at = app("actors", period=period, actor_point=point[s.CANONICAL_ID])
    heading = next(h.value for h in at.subheader if "documents naming" in h.value)
    assert heading.startswith(f"{int(point['documents']):,} documents naming") and "the first 2 by date" in heading
    listed = next(d.value for d in at.dataframe if "title" in d.value.columns and "id" in d.value.columns)
    assert len(listed) == 2
    every = Corpus.open(app_db).documents_behind(period=point[s.PERIOD], granularity="month",
                                                        actors=[point[s.CANONICAL_ID]])
    last = str(every[s.ID].iloc[-1])  # past the first two
    opened = app("actors", period=period, actor_point=point[s.CANONICAL_ID], doc=last)
    assert any(f"id {last}" in c.value for c in opened.caption)
