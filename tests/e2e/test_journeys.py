"""Journeys through the app in a real browser: an upload whose analysis is interrupted and resumed, a shared link
that opens a document, keyword-in-context rows that open documents, a merge previewed, confirmed and undone."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from apptest_store import build_app_store
from browser_tools import Server, choose, click_row, no_exception, script_done, shot, wait_for_app
from planted import PLANTED_THEMES
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from analytics import Corpus

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("journeys")
    srv = Server(build_app_store(folder / "app.duckdb"), folder / "data")
    srv.db, srv.data = folder / "app.duckdb", folder / "data"
    yield srv
    srv.stop()
    for status in (folder / "data").rglob("*.job.json"):  # a job left running by a failed test: end it
        pid = json.loads(status.read_text()).get("pid")
        if pid and json.loads(status.read_text()).get("state") in ("starting", "running"):
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass


# Enough documents that the fast analysis runs for some seconds after they are stored (48 took 6 s in all, too
# quick to be interrupted on purpose once its themes' code came compiled from the cache).
UPLOADED = 2000


def planted_csv(path: Path, n: int = UPLOADED) -> Path:
    rng = random.Random(42)
    rows = ["date,source,text"]
    for i in range(n):
        theme = list(PLANTED_THEMES)[i % 4]
        words = " ".join(rng.choice(PLANTED_THEMES[theme]) for _ in range(40))
        rows.append(f"2019-{i % 12 + 1:02d}-{i % 27 + 1:02d},Outlet {i % 3},\"{words.capitalize()}.\"")
    path.write_text("\n".join(rows) + "\n")
    return path


def job_status(server, slug: str) -> dict:
    path = server.data / "corpora" / f"{slug}.duckdb.job.json"
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def upload_for_preview(page, name: str, files: list[Path], shown: str) -> None:
    """On the Corpus page: name the new corpus, choose the files, ask for their preview, and wait for `shown`."""
    page.get_by_role("textbox", name="Name of the corpus").fill(name)
    page.locator("input[type='file']").set_input_files([str(f) for f in files])
    page.get_by_text(files[0].name).first.wait_for()
    page.get_by_role("button", name="Upload and preview").click()
    wait_for_app(page, shown)


def test_an_interrupted_upload_is_resumed_and_completes(server, page, tmp_path):
    """Upload, check the preview, start the analysis, leave the page and come back, reload; the job's process is
    then killed (as a stopped server or machine would): the page says so and offers to resume; resumed, the
    analysis completes. No exception on any screen."""
    csv = planted_csv(tmp_path / "posts.csv")
    page.goto(f"{server.url}/corpus")
    wait_for_app(page, "Add documents")
    upload_for_preview(page, "browser upload", [csv], "What are these documents?")
    page.get_by_text("CSV with a header row").first.wait_for()
    no_exception(page)
    shot(page, "08-upload-preview")
    page.get_by_role("button", name="Store and analyse").click()
    wait_for_app(page, "no source type chosen")  # asked, not guessed: propaganda would need the warning
    page.locator(".st-key-upload_source_type").click()
    page.get_by_role("option", name="news report").click()
    page.locator(".st-key-upload_profile").get_by_text("fast").click()
    page.get_by_role("button", name="Store and analyse").click()
    page.get_by_text("Analysis running").first.wait_for(timeout=60_000)
    no_exception(page)
    shot(page, "09-analysis-running")

    page.get_by_role("link", name="Themes timeline").click()  # away: the job goes on, the page says so
    page.get_by_text(re.compile("Analysis running|Themes over time")).first.wait_for(timeout=60_000)
    no_exception(page)
    for _ in range(3):  # and back (a click that lands while the page reruns is lost: again)
        page.get_by_role("link", name="Corpus").click()
        try:
            page.get_by_text("Add documents").first.wait_for(timeout=20_000)
            break
        except PlaywrightTimeout:
            continue
    page.get_by_text(re.compile(f"Analysis running|Stored {UPLOADED:,}")).first.wait_for(timeout=60_000)
    page.reload()
    page.get_by_text(re.compile(f"Analysis running|Stored {UPLOADED:,}")).first.wait_for(timeout=60_000)
    no_exception(page)

    deadline = time.time() + 240  # interrupted once the files are stored: the next step has begun
    while job_status(server, "browser-upload").get("stage") in (None, "ingest") and time.time() < deadline:
        time.sleep(0.2)
    status = job_status(server, "browser-upload")
    assert status.get("state") == "running", f"the job ended before it could be interrupted: {status}"
    os.kill(status["pid"], signal.SIGKILL)
    page.reload()
    wait_for_app(page, "stopped before it finished", timeout=60_000)
    no_exception(page)
    shot(page, "10-analysis-interrupted")
    page.get_by_role("button", name="Resume analysis").click()
    page.get_by_text(re.compile("Analysis running|actors found|themes")).first.wait_for(timeout=60_000)
    deadline = time.time() + 400
    while job_status(server, "browser-upload").get("state") in ("starting", "running") and time.time() < deadline:
        time.sleep(1)
    assert job_status(server, "browser-upload").get("state") == "done", job_status(server, "browser-upload")
    page.get_by_text(re.compile(r"\d+ themes")).first.wait_for(timeout=60_000)  # the page redraws by itself
    no_exception(page)
    shot(page, "11-analysis-resumed-and-done")
    corpus = Corpus.open(server.data / "corpora" / "browser-upload.duckdb")
    assert corpus.counts()["documents"] == UPLOADED and corpus.run() is not None
    assert list(corpus.jobs()["status"]) == ["done", "interrupted"]
    page.goto(f"{server.url}/?corpus=browser-upload")
    wait_for_app(page, "Documents")
    page.locator('[data-testid="stMetricValue"]', has_text=f"{UPLOADED:,}").first.wait_for(timeout=60_000)


EXPORTS = Path(__file__).parents[1] / "data" / "exports"


def test_platform_exports_and_an_unsure_csv_are_previewed_before_anything_is_stored(server, page, tmp_path):
    """Two platform exports are recognised and show their first rows and the rows they would reject (with the
    reason); a CSV whose column names give nothing away asks which column is which, and the preview follows the
    choice. Nothing is stored until "Store and analyse"."""
    page.goto(f"{server.url}/corpus")
    wait_for_app(page, "Add documents")
    upload_for_preview(page, "exports preview", [EXPORTS / "crowdtangle.csv", EXPORTS / "telegram_chat" / "result.json"],
                       "What are these documents?")
    for shown in ("CrowdTangle CSV", "Telegram Desktop export", "Would be rejected — row 2: Photo without text",
                  "Would be rejected — row 5: media without text (photo)"):
        page.get_by_text(shown).first.wait_for()
    # the tables are drawn on a canvas: their rows are checked by test_readers' preview test, here that they are shown
    assert page.get_by_text("No record of this file could be read").count() == 0
    assert page.get_by_text("row 2: row 2:").count() == 0
    no_exception(page)
    shot(page, "15-upload-platform-exports-preview")
    assert not (server.data / "corpora" / "exports-preview.duckdb").exists()
    page.get_by_role("button", name="Cancel").click()
    wait_for_app(page, "Add documents")

    odd = tmp_path / "nachrichten.csv"
    odd.write_text("Kennung,Datum,Quelle,Inhalt\n1,22.11.2019,Beispielzeitung,\"Die Behörden sperrten dutzende "
                   "Kanäle, die Propaganda verbreitet hatten.\"\n", encoding="utf-8")
    upload_for_preview(page, "unsure csv", [odd], "Which column is which")
    page.get_by_text("Please check: no column was recognised as the text.").first.wait_for()
    page.get_by_text("No record of this file could be read").first.wait_for()
    for key, column in (("upload_map_text", "Inhalt"), ("upload_map_date", "Datum"), ("upload_map_source", "Quelle")):
        choose(page, key, column)
        script_done(page)
    page.locator(".st-key-upload_dayfirst").click()
    script_done(page)
    assert page.get_by_text("no column was recognised as the text").count() == 0
    assert page.get_by_text("No record of this file could be read").count() == 0  # its first row is now shown
    no_exception(page)
    shot(page, "16-upload-column-mapping")
    assert not (server.data / "corpora" / "unsure-csv.duckdb").exists()
    page.get_by_role("button", name="Cancel").click()
    wait_for_app(page, "Add documents")


def test_a_shared_link_restores_the_point_and_the_open_document(server, browser):
    corpus = Corpus.open(server.db)
    label = corpus.labels()[0]
    behind = corpus.documents_behind(period="2016-04-01", granularity="month", themes=[0])
    doc_id, title = behind["id"].iloc[0], behind["title"].iloc[0]
    context = browser.new_context(viewport={"width": 1440, "height": 1000})  # a fresh session: nothing remembered
    page = context.new_page()
    page.goto(f"{server.url}/themes?gran=month&period=2016-04-01&theme={quote(label)}&doc={doc_id}")
    wait_for_app(page, "documents in April 2016")
    page.get_by_role("button", name="Close").wait_for(timeout=30_000)
    page.get_by_role("heading", name=title).wait_for(timeout=30_000)
    assert f"doc={doc_id}" in page.url
    no_exception(page)
    shot(page, "12-shared-link-document")
    context.close()


def test_keyword_in_context_rows_open_their_documents(server, page):
    page.goto(f"{server.url}/documents?q=ghostsec")
    wait_for_app(page, "Keyword in context")
    grid = page.locator("[data-testid='stDataFrame']").first
    page.wait_for_timeout(1000)
    click_row(page, grid, 1)
    page.get_by_role("button", name="Close").wait_for(timeout=30_000)
    assert "doc=" in page.url
    doc_id = re.search(r"doc=([0-9a-z]+)", page.url).group(1)
    assert "ghostsec" in Corpus.open(server.db).document(doc_id).record["text"].lower()
    no_exception(page)
    shot(page, "13-kwic-opens-document")


def test_a_merge_is_previewed_confirmed_and_undone(server, page):
    corpus = Corpus.open(server.db)
    sizes = corpus.theme_sizes().set_index("topic_id")["documents"]
    page.goto(f"{server.url}/explorer?topic=3")
    wait_for_app(page, "Merge themes")
    target = corpus.labels()[1]
    choose(page, "merge_target", target)
    page.get_by_role("button", name="Preview the merge").click()
    wait_for_app(page, "together:")
    expect(page.get_by_text(f"together: {int(sizes[3]) + int(sizes[1])}")).to_be_visible()
    shot(page, "14-merge-preview")
    assert corpus.theme_sizes()["topic_id"].tolist() == sizes.index.tolist()  # the preview changed nothing
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text(re.compile("^Merged “")).wait_for(timeout=60_000)  # the success message, not the preview's words
    wait_for_app(page, "Merge themes")
    assert 3 not in Corpus.open(server.db).theme_sizes()["topic_id"].tolist()
    shot(page, "15-merged")
    page.get_by_role("button", name="Undo").first.click()
    page.get_by_text(re.compile("^Undone: ")).wait_for(timeout=60_000)
    wait_for_app(page, "Merge themes")
    assert 3 in Corpus.open(server.db).theme_sizes()["topic_id"].tolist()
    no_exception(page)
