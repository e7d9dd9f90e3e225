"""Every page at a desktop width (1440 px) and a phone width (390 px), saved under tests/artifacts/ for people to
look at; each page drawn without an exception and with its title."""

from __future__ import annotations

import pytest
from apptest_store import build_app_store
from browser_tools import Server, no_exception, shot, wait_for_app

pytestmark = pytest.mark.e2e

PAGES = {
    "overview": ("", "Planted test corpus"),
    "themes": ("themes?period=2016-04-01&theme=Mosul%2C%20Raqqa%20%26%20offensive", "Themes over time"),
    "explorer": ("explorer", "Theme explorer"),
    "actors": ("actors", "Actors"),
    "sources": ("sources", "Sources"),
    "documents": ("documents?q=telegram", "Keyword in context"),
    "amplification": ("amplification", "Amplification"),
    "corpus": ("corpus", "Add documents"),
    "about": ("about", "About the method"),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("screens")
    srv = Server(build_app_store(folder / "app.duckdb"), folder / "data")
    yield srv
    srv.stop()


@pytest.mark.parametrize("width", [1440, 390])
def test_every_page_at_desktop_and_phone_width(server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for name, (path, text) in PAGES.items():
        page.goto(f"{server.url}/{path}")
        wait_for_app(page, text)
        page.wait_for_timeout(1000)  # charts draw after the script ends
        no_exception(page)
        shot(page, f"page-{name}-{width}")
    context.close()
