"""The charts in a real browser, measured: legends and plots inside their chart at 1440 and 390 pixels, the legend
under the plot and its event strip (on a phone the whole plot on the first screen), a plot that keeps its height,
a click that selects the band under the pointer, an empty period drawn as a gap, the table route to the same
documents, and the publication ZIP with every part. Screenshots of every chart page at both widths."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from apptest_store import build_app_store
from browser_tools import MEASURE, Server, download, inside, shot, wait_for_app
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from analytics.charts import MIN_PLOT_HEIGHT

pytestmark = pytest.mark.e2e

GAP = ("2016-03-01", "2016-06-01")  # no planted document in March, April and May 2016
PAGES = {"overview": ("", "Documents per period"), "themes": ("themes", "Themes over time"),
         "explorer": ("explorer", "Theme explorer"), "actors": ("actors", "Actors"), "sources": ("sources", "Sources")}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e-charts")
    srv = Server(build_app_store(folder / "charts.duckdb", gap=GAP), folder / "data")
    yield srv
    srv.stop()


def open_page(browser, server, path: str, title: str, width: int, height: int = 1000):
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server.url}/{path}")
    wait_for_app(page, title)
    page.locator("[data-testid='stVegaLiteChart'] svg").first.wait_for(timeout=60_000)
    settled(page)
    return context, page


def settled(page, quiet_ms: int = 2000, calm: int = 3) -> None:
    """Wait until the script has run to its end and the charts are laid out: a page draws its later charts after
    slower sums (lead and lag, the network), well after its first, and Streamlit shows its 'running' sign only
    after a delay; so wait until no 'running' sign and the same number of drawn charts `calm` times in a row."""
    seen, still = -1, 0
    for _ in range(120):
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                               timeout=120_000)
        page.wait_for_timeout(quiet_ms)
        drawn = page.locator("[data-testid='stVegaLiteChart'] svg").count()
        still = still + 1 if drawn == seen and not page.locator("[data-testid='stStatusWidget']").count() else 0
        seen = drawn
        if still >= calm:
            return




# The lowest written event label of a chart (its strip below the x axis), in page pixels (0 without labels).
STRIP_BOTTOM = """el => Math.max(0, ...Array.from(el.querySelectorAll('svg g.mark-text text'))
    .filter(t => !t.closest('g.role-legend') && !t.closest('g.role-axis') && !t.closest('g.role-title'))
    .map(t => t.getBoundingClientRect().bottom))"""
PHONE_SCREEN = 844  # px: the height of a 390 px wide phone's screen (iPhone 12 to 15)


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_chart_keeps_its_legend_and_plot_inside_at_both_widths(server, browser, name, width):
    path, title = PAGES[name]
    context, page = open_page(browser, server, path, title, width, height=2600)
    try:
        shot(page, f"charts-{name}-{width}")
        charts = page.locator("[data-testid='stVegaLiteChart']")
        assert charts.count() >= 1
        if name == "overview":  # its four figures share lines (two a line on a phone), never one under another
            figures = page.locator("[data-testid='stMetric']")
            lines = {round(figures.nth(k).bounding_box()["y"]) for k in range(figures.count())}
            assert figures.count() == 4 and len(lines) <= (2 if width == 390 else 1), lines
        for i in range(charts.count()):
            m = charts.nth(i).evaluate(MEASURE)
            assert inside(m["svg"], m["chart"]), (name, i, m)
            for legend in m["legends"]:
                assert inside(legend, m["chart"]), (name, i, legend, m["chart"])
            assert m["plot"] is None or inside(m["plot"], m["chart"])
            if m["plot"] is not None and m["plot"]["height"] > 100:
                assert m["plot"]["width"] >= (230 if width == 390 else 400), (name, i, m["plot"])
            if name == "themes" and i == 0:
                assert m["plot"]["height"] >= MIN_PLOT_HEIGHT - 1
                assert {"Other themes", "Unassigned (outliers)"} <= set(m["labels"]) or {
                    "Unassigned (outliers)"} <= set(m["labels"])
                # every legend entry is the theme's whole name, listed once: none dropped, none cut
                assert len(m["labels"]) == len(set(m["labels"])) >= 5 and not any("…" in t for t in m["labels"])
                # the legend sits below the plot and its event strip, never on the plot
                assert all(legend["y"] >= m["plot"]["bottom"] - 1 for legend in m["legends"])
                strip = charts.nth(i).evaluate(STRIP_BOTTOM)
                assert all(legend["y"] >= strip - 1 for legend in m["legends"]), (strip, m["legends"])
                if width == 390:  # a phone's first screen (390 × 844) shows the whole plot, the legend after it
                    assert m["plot"]["bottom"] <= PHONE_SCREEN, m["plot"]
    finally:
        context.close()


def tooltip_text(page) -> str:
    tip = page.locator("#vg-tooltip-element")
    tip.wait_for(state="visible", timeout=10_000)
    return tip.inner_text()


def test_a_click_selects_the_band_under_the_pointer_and_outlines_it(server, browser):
    context, page = open_page(browser, server, "themes", "Themes over time", 1440)
    try:
        chart = page.locator("[data-testid='stVegaLiteChart']").first
        plot = chart.evaluate(MEASURE)["plot"]
        for share_from_top in (0.04, 0.85):  # the top band (unassigned or other themes), then a bottom band
            x, y = plot["x"] + plot["width"] * 0.72, plot["y"] + plot["height"] * share_from_top
            page.mouse.move(x, y)
            text = tooltip_text(page)
            theme = re.search(r"theme\s+(.+)", text).group(1).strip()
            period = re.search(r"period\s+(.+)", text).group(1).strip()
            page.mouse.click(x, y)
            # the list of the band's documents: the heading names the period and the band the pointer was over
            heading = page.get_by_text(re.compile(rf"^\d+ of \d+ documents in .+: {re.escape(theme)}$"))
            heading.first.wait_for(timeout=30_000)
            page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
            outlined = chart.evaluate("el => el.querySelectorAll('path[stroke=\"#111111\"]').length")
            assert outlined == 1
            assert period.split()[-1] in page.url or "period=" in page.url
        shot(page, "charts-themes-selected")
    finally:
        context.close()


def test_an_empty_period_is_a_gap_in_the_browser(server, browser):
    context, page = open_page(browser, server, "themes?gran=month", "Themes over time", 1440)
    try:
        chart = page.locator("[data-testid='stVegaLiteChart']").first
        shades = chart.locator("path[fill='#EFEFEF']")
        assert shades.count() == 3  # March, April, May 2016
        box = shades.nth(1).bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        text = tooltip_text(page)
        assert "April 2016" in text and "no documents: a gap, not a zero" in text
        shot(page, "charts-themes-gap")
    finally:
        context.close()


def test_the_table_under_the_chart_opens_the_same_documents(server, browser):
    context, page = open_page(browser, server, "themes?gran=quarter", "Themes over time", 1440)
    try:
        page.get_by_text("The numbers behind this chart").first.click()
        grid = page.locator("[data-testid='stDataFrame']").first
        grid.wait_for(timeout=30_000)
        settled(page)
        heading = page.get_by_text(re.compile(r"^\d+ of \d+ documents in Q1 2016: ")).first
        for attempt in range(3):
            grid.scroll_into_view_if_needed()  # the table opens below the first screen: a click there misses
            box = grid.bounding_box()
            page.mouse.click(box["x"] + 60, box["y"] + 52)  # the first period's row, its 'period' cell
            settled(page)  # that click reruns the script: a key pressed meanwhile is lost
            page.keyboard.press("ArrowRight")  # to the first theme's cell: the keyboard selects it
            try:
                heading.wait_for(timeout=15_000)
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise
        shot(page, "charts-themes-table-route")
    finally:
        context.close()


def test_the_publication_zip_holds_every_part(server, browser):
    context, page = open_page(browser, server, "themes", "Themes over time", 1440)
    try:
        page.get_by_text("Export this chart, its data and its documents").click()
        archive = zipfile.ZipFile(io.BytesIO(download(page, page.get_by_role("button", name="ZIP for publication"))
                                             .read_bytes()))
        names = {n.split("/", 1)[1] for n in archive.namelist()}
        assert names == {"themes-over-time.png", "themes-over-time.svg", "themes-over-time-data.csv",
                         "themes-over-time-documents.csv", "methods.txt", "methods.json", "README.txt"}
        svg = next(archive.read(n) for n in archive.namelist() if n.endswith(".svg")).decode("utf-8")
        assert "Themes over time" in svg and "Data: Planted test corpus" in svg
        assert archive.read(next(n for n in archive.namelist() if n.endswith("-data.csv")))[:3] == b"\xef\xbb\xbf"
    finally:
        context.close()


@pytest.mark.parametrize("width", [1440, 390])
def test_the_network_of_actors_opens_folded_and_a_node_lists_its_documents(server, browser, width):
    """The network is made when its section is opened; it keeps its plot inside the chart, and a click on a node
    lists that actor's documents under the section (a reading view's own folds cannot sit inside a fold)."""
    context, page = open_page(browser, server, "actors", "Actors", width, height=2600)
    try:
        charts = page.locator("[data-testid='stVegaLiteChart']")
        closed = charts.count()
        page.get_by_text("Who is named together").first.click()
        page.wait_for_function(f"() => document.querySelectorAll(\"[data-testid='stVegaLiteChart'] svg\").length"
                               f" > {closed}", timeout=60_000)
        settled(page)
        network = charts.nth(closed)
        m = network.evaluate(MEASURE)
        assert inside(m["svg"], m["chart"]) and (m["plot"] is None or inside(m["plot"], m["chart"])), m
        node = network.locator("g.mark-symbol path").first
        node.scroll_into_view_if_needed()
        box = node.bounding_box()
        heading = page.get_by_text(re.compile(r"^\d[\d,]* documents naming .+"))
        for attempt in range(3):  # a click while the chart still settles can miss the node
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            try:
                heading.first.wait_for(timeout=20_000)
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise
                box = node.bounding_box()
        settled(page)
        assert page.locator("[data-testid='stException']").count() == 0
        shot(page, f"charts-actors-network-{width}")
    finally:
        context.close()
