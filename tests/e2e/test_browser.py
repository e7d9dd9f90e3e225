"""The app as a person uses it: a real server, a real browser, clicks, reloads, uploads, downloads."""

from __future__ import annotations

import re

import pytest
from apptest_store import XSS_ID, build_app_store
from browser_tools import Server, download, shot, wait_for_app
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e")
    srv = Server(build_app_store(folder / "app.duckdb"), folder / "data")
    yield srv
    srv.stop()


def test_open_the_app_and_change_the_granularity(server, page):
    page.goto(f"{server.url}/themes")
    wait_for_app(page, "Themes over time")
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    shot(page, "01-themes-month")
    page.get_by_role("combobox", name="Period").click()
    page.get_by_role("option", name="quarter").click()
    page.wait_for_url("**gran=quarter**", timeout=30_000)
    wait_for_app(page, "Themes over time")
    shot(page, "02-themes-quarter")
    assert "gran=quarter" in page.url


def test_the_speed_benchmark_waits_until_the_charts_and_tables_are_drawn(server, browser):
    """benchmarks/app_speed times a page until it is on screen. In a fresh tab Streamlit loads the chart library and
    the data grid after the script has ended (placeholders meanwhile): its wait must not end before they draw."""
    from benchmarks.app_speed import PAGES, _wait_idle

    context = browser.new_context(viewport={"width": 1440, "height": 1000})  # an empty browser cache
    page = context.new_page()
    page.goto(f"{server.url}/")
    page.locator("[data-testid='stMain']").get_by_text(PAGES[""]).first.wait_for(timeout=60_000)
    _wait_idle(page)
    drawn = page.evaluate("""() => ({
        placeholders: document.querySelectorAll('[data-testid="stSkeleton"]').length,
        charts: [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].map(e => !!e.querySelector('canvas, svg')),
        tables: [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(e => !!e.querySelector('canvas'))})""")
    context.close()
    assert drawn["placeholders"] == 0
    assert drawn["charts"] and all(drawn["charts"])  # the Overview's chart of documents per period
    assert drawn["tables"] and all(drawn["tables"])  # its top themes and top actors


def test_select_a_point_and_see_its_documents(server, page):
    page.goto(f"{server.url}/themes")
    wait_for_app(page, "Themes over time")
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.locator("path.background").first.wait_for(timeout=30_000)  # vega-embed draws after the element appears
    plot = chart.locator("path.background").first.bounding_box()
    # the lowest band of the stacked shares, in the last third of the time axis (a planted theme is there)
    page.mouse.click(plot["x"] + plot["width"] * 0.72, plot["y"] + plot["height"] * 0.9)
    heading = page.get_by_text(re.compile(r"^\d+ of \d+ documents in .+: .+")).locator("visible=true").first
    heading.wait_for(timeout=30_000)
    shot(page, "03-point-selected")
    assert "period=" in page.url and "theme=" in page.url
    page.locator("[data-testid='stDataFrame']").locator("visible=true").first.wait_for(timeout=30_000)


def test_rename_a_theme_and_see_the_label_after_a_reload(server, page):
    page.goto(f"{server.url}/explorer")
    wait_for_app(page, "Theme explorer")
    field = page.get_by_label("Label", exact=True)
    field.fill("Takedowns (renamed in the browser)")
    field.press("Enter")
    page.get_by_role("button", name="Save label").click()
    wait_for_app(page, "Everyone who opens this corpus will see the change")
    page.get_by_role("button", name="Confirm").click()
    wait_for_app(page, "Label saved")
    page.reload()
    wait_for_app(page, "Theme explorer")
    expect(page.get_by_label("Label", exact=True)).to_have_value("Takedowns (renamed in the browser)", timeout=60_000)
    shot(page, "04-renamed")


def test_export_a_png(server, page):
    page.goto(f"{server.url}/themes")
    wait_for_app(page, "Themes over time")
    page.get_by_text("Export this chart, its data and its documents").click()
    data = download(page, page.get_by_role("button", name="PNG", exact=True)).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000
    shot(page, "05-export")


def test_hostile_document_payloads_do_not_run(server, page):
    page.add_init_script("window.__xss = 0")
    page.goto(f"{server.url}/documents?doc={XSS_ID}")
    wait_for_app(page, "Documents")
    page.get_by_text("Content warning").first.click()
    page.get_by_text("Telegram channels were removed").first.wait_for(timeout=30_000)
    shot(page, "06-hostile-document")
    assert page.evaluate("window.__xss") == 0
    assert page.locator("script", has_text="window.__xss").count() == 0
    assert page.get_by_text("<script>window.__xss = 1</script>", exact=False).count() >= 1
