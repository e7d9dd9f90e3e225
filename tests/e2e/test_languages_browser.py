"""Languages in a real browser, on the planted app store with an Arabic, an English and a French document added: the
sidebar's language filter, an Arabic word found with its proclitic in the keyword in context, and the row opening its
document, whose reading view says its actors come from the alias list alone."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from apptest_store import ARABIC_ID, add_language_documents, build_app_store
from browser_tools import Server, choose, click_row, no_exception, shot, wait_for_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("languages_browser")
    db = build_app_store(folder / "app.duckdb")
    add_language_documents(db)
    srv = Server(db, folder / "data")
    yield srv
    srv.stop()


def test_the_language_filter_lists_only_that_languages_documents(server, page):
    page.goto(f"{server.url}/documents")
    wait_for_app(page, "Documents")
    choose(page, "f_lang", "French (fr)")  # the multiselect opens as a select box does
    page.keyboard.press("Escape")
    page.get_by_text("1 document(s)").wait_for(timeout=60_000)
    assert "lang=fr" in page.url
    no_exception(page)


def test_an_arabic_word_is_found_with_its_proclitic_and_opens_its_document(server, page):
    page.goto(f"{server.url}/documents?q={quote('تلغرام')}")
    wait_for_app(page, "Keyword in context")
    page.get_by_text("1 occurrence(s)").wait_for(timeout=30_000)  # written بتلغرام in the text
    grid = page.locator("[data-testid='stDataFrame']").first
    page.wait_for_timeout(1000)
    click_row(page, grid, 0)
    page.get_by_role("button", name="Close").wait_for(timeout=30_000)
    assert re.search(r"doc=([^&]+)", page.url).group(1) == ARABIC_ID
    page.get_by_text("Actors found from the alias list only (no name recogniser for Arabic").wait_for(timeout=30_000)
    assert page.get_by_text("linked by its Latin spelling").count() == 1
    no_exception(page)
    shot(page, "languages-arabic-kwic-opens-document")
