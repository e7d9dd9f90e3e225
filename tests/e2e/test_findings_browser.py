"""The findings panel in a real browser: the overview's "What changed" on a store with planted findings, at a
desktop and a phone width (screenshots under tests/artifacts/ for people to look at)."""

from __future__ import annotations

import pytest
from browser_tools import Server, shot, wait_for_app
from findings_store import build_findings_store

from analytics import Corpus

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e-findings")
    db = build_findings_store(folder / "planted.duckdb")
    srv = Server(db, folder / "data")
    yield srv, db
    srv.stop()


@pytest.mark.parametrize("width", [1440, 390])
def test_the_overview_lists_what_changed(server, browser, width):
    srv, db = server
    context = browser.new_context(viewport={"width": width, "height": 1600})
    page = context.new_page()
    try:
        page.goto(f"{srv.url}/?gran=quarter")
        wait_for_app(page, "What changed")
        caption = page.get_by_text("hypotheses tested by quarter").first
        caption.wait_for(timeout=90_000)
        text = caption.inner_text()
        found = Corpus.open(db).findings("quarter")
        assert f"{len(found)} hypotheses tested by quarter" in text
        assert f"{len(found.significant)} significant" in text
        page.get_by_text("What changed").first.scroll_into_view_if_needed()
        shot(page, f"findings-overview-{width}")
        picker = page.get_by_role("combobox", name="The documents behind a finding")
        picker.scroll_into_view_if_needed()
        picker.click(timeout=60_000)
        page.get_by_role("option").first.click(timeout=60_000)
        first = found.significant[0]
        wait_for_app(page, f"The {len(first.doc_ids)} documents behind")
        page.get_by_text(f"The {len(first.doc_ids)} documents behind").first.scroll_into_view_if_needed()
        shot(page, f"findings-documents-behind-{width}")
    finally:
        context.close()
