"""The phone layout (390 px) in a real browser: keyword in context as a table a phone's column holds (short left
context, keyword, short right context first), the wide table on a wide screen, and a row of the phone's table
opening its document. Screenshots at both widths."""

from __future__ import annotations

import re

import pytest
from apptest_store import build_app_store
from browser_tools import Server, no_exception, open_row, shot, wait_for_app

from analytics import Corpus

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e-phone")
    srv = Server(build_app_store(folder / "phone.duckdb"), folder / "data")
    srv.db = folder / "phone.duckdb"
    yield srv
    srv.stop()


@pytest.mark.parametrize("width", [390, 1440])
def test_keyword_in_context_fits_the_screen_it_is_read_on(server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{server.url}/documents?q=telegram")
        wait_for_app(page, "Keyword in context")
        page.wait_for_timeout(1000)
        wide, phone = page.locator(".st-key-kwic"), page.locator(".st-key-kwic_phone")
        shown, hidden = (phone, wide) if width == 390 else (wide, phone)
        shown.wait_for(state="visible", timeout=15_000)  # the width rules apply once the page has settled
        hidden.wait_for(state="hidden", timeout=15_000)
        box = shown.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
        if width == 390:  # a row of the phone's table opens its document
            grid = shown.locator("[data-testid='stDataFrame']")
            open_row(page, grid, 0, page.get_by_role("button", name="Close"))
            doc_id = re.search(r"doc=([0-9a-z]+)", page.url).group(1)
            assert "telegram" in Corpus.open(server.db).document(doc_id).record["text"].lower()
        no_exception(page)
        shot(page, f"kwic-{width}")
    finally:
        context.close()
