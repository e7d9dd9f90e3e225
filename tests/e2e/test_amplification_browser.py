"""The Amplification page as a person uses it: a real server on the simulated social corpus ingested for real, a
real browser; the planted group is seen, a member's posts are opened and read, the network is downloaded as GEXF
and GraphML and opened again with networkx."""

from __future__ import annotations

import networkx as nx
import pytest
from browser_tools import MEASURE, Server, download, inside, open_row, shot, wait_for_app
from social_store import build_social_store

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def social(tmp_path_factory):
    return build_social_store(tmp_path_factory.mktemp("social-e2e"), seed=7)


@pytest.fixture(scope="module")
def server(social, tmp_path_factory):
    srv = Server(social.db, tmp_path_factory.mktemp("social-e2e-data"))
    yield srv
    srv.stop()


def tall_shot(page, name: str, width: int) -> None:
    """The whole page (Streamlit scrolls inside its own frame, so the window is made as tall as the page)."""
    measure = "document.querySelector('[data-testid=\\'stMainBlockContainer\\']').scrollHeight"
    height = 1000
    for _ in range(4):  # charts grow when they get room: measure until the height holds
        page.set_viewport_size({"width": width, "height": min(height + 200, 16_000)})
        page.wait_for_timeout(2000)
        grown = int(page.evaluate(measure))
        if grown + 200 <= height + 200 and grown <= height:
            break
        height = grown
    shot(page, name)
    page.set_viewport_size({"width": width, "height": 1000})


def open_amplification(server, page, width: int = 1440) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(f"{server.url}/amplification")
    wait_for_app(page, "Accounts that post together")
    page.get_by_text("Group 1: 10 accounts").first.wait_for(timeout=60_000)
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    page.wait_for_timeout(1500)  # vega-embed draws after the element appears


def charts_keep_their_plots_and_legends(page) -> None:
    """The page's three charts (network, cascades, traces over time): each plot at its own height, each legend and
    the drawing inside the chart's frame (a legend below the plot adds to the figure; it never squeezes the plot)."""
    charts = page.locator("[data-testid='stVegaLiteChart']")
    assert charts.count() == 3
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
        m = charts.nth(i).evaluate(MEASURE)
        assert inside(m["svg"], m["chart"]), (i, m)
        assert all(inside(legend, m["chart"]) for legend in m["legends"]), (i, m)
        assert m["plot"]["height"] >= 150, (i, m["plot"])


def test_see_the_planted_group_and_read_a_members_post(server, social, page):
    open_amplification(server, page)
    charts_keep_their_plots_and_legends(page)
    tall_shot(page, "20-amplification-1440", 1440)
    assert page.get_by_text("Fast organic reactors").count() >= 1
    groups = page.locator("[data-testid='stDataFrame']").first
    open_row(page, groups, 0, page.get_by_text("posts behind group 1").first)
    documents = page.locator("[data-testid='stDataFrame']").nth(1)
    open_row(page, documents, 0, page.get_by_text("· social-media post ·").first)  # the reading view's metadata
    shot(page, "21-amplification-group-post")
    account = page.get_by_text("· social-media post ·").first.inner_text()
    assert any(a in account for a in social.planted_accounts), account


@pytest.mark.parametrize("fmt, read", [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_download_the_network_and_open_it_with_networkx(server, social, page, fmt, read):
    def reopen():
        open_amplification(server, page)
        page.get_by_text("Export the groups, the pairs and the network").click()

    reopen()
    graph = read(download(page, page.get_by_role("button", name=f"Network ({fmt.upper()})"), reopen=reopen))
    assert social.planted_accounts <= set(graph.nodes)
    for node in social.planted_accounts:
        attrs = graph.nodes[node]
        assert int(attrs["cluster"]) == 0 and int(attrs["activity"]) > 0 and attrs["source_type"] == "social"
    assert all("q_value" in d and "shared_items" in d for _, _, d in graph.edges(data=True))


def test_download_every_cascade_not_only_those_drawn(server, social, page):
    import pandas as pd

    from analytics import Corpus

    total = Corpus.open(social.db).cascades(kinds=("text", "url")).total
    open_amplification(server, page)
    button = page.get_by_role("button", name=f"All {total:,} cascades (CSV)")
    table = pd.read_csv(download(page, button, reopen=lambda: open_amplification(server, page)))
    assert len(table) == total and {"first_account", "followers", "n_accounts"} <= set(table.columns)


def test_the_page_on_a_phone(server, page):
    open_amplification(server, page, width=390)
    charts_keep_their_plots_and_legends(page)
    tall_shot(page, "22-amplification-390", 390)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1  # nothing wider than the screen
