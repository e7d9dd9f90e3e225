"""The Amplification page through AppTest, on the simulated social corpus ingested for real (a planted group of ten
accounts, planted near-identical chains, a hashtag that takes off) and on the news-like test store (no times)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from apptest_pages import open_at
from apptest_store import build_app_store
from social_store import EMERGING_TAG, build_social_store
from streamlit.testing.v1 import AppTest

from analytics import Corpus, store
from analytics.amplification import CoordinationParams

pytestmark = pytest.mark.flow  # a simulated social corpus ingested for real, then its page: `make test` and CI

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "analytics/app/pages/amplification.py"


@pytest.fixture(scope="module")
def social(tmp_path_factory):
    return build_social_store(tmp_path_factory.mktemp("social"), seed=7)


def open_page(db: Path, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("NARRATIVE_DB", str(db))
    at = open_at("amplification", params)
    assert not at.exception, [e.value for e in at.exception]
    return at


def text_of(at: AppTest) -> str:
    """Everything the page wrote, Markdown escapes taken out."""
    shown = " ".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info])
    return re.sub(r"\\(.)", r"\1", shown)


def test_the_page_shows_the_planted_group_its_posts_and_the_exports(social, monkeypatch):
    at = open_page(social.db, monkeypatch)
    assert at.title[0].value == "Amplification" and not at.error
    shown = text_of(at)
    assert "forming 1 group" in shown and "Group 1: 10 accounts" in shown
    assert "rules out" in shown and "Fast organic reactors" in shown  # what a group is and is not
    groups = at.dataframe(key="amp_groups").value
    assert len(groups) == 1 and set(groups.iloc[0]["accounts"].split("; ")) == social.planted_accounts
    labels = {b.label for b in at.get("download_button")}
    assert {"Groups (CSV)", "Pairs (CSV)", "Network (GEXF)", "Network (GRAPHML)"} <= labels
    # every cascade is exported, not only the ones drawn
    total = Corpus.open(social.db).cascades(kinds=("text", "url")).total
    assert f"All {total:,} cascades (CSV)" in labels
    # the cascades list names the first poster of each planted chain
    cascades = at.dataframe[1].value if len(at.dataframe) > 1 else None
    assert cascades is not None and "first_account" in cascades.columns
    # the hashtag that took off is reported, with its numbers
    assert f"“{EMERGING_TAG}” is emerging" in shown


def test_a_narrower_window_is_passed_to_the_test(social, monkeypatch):
    at = open_page(social.db, monkeypatch)
    at.number_input(key="amp_window").set_value(5).run()
    assert not at.exception
    expected = Corpus.open(social.db).coordination(params=CoordinationParams(coordination_window=5)).summary
    assert "within 5 seconds" in expected and expected in text_of(at)


def test_the_hashtag_view_lists_the_rising_one_and_its_posts(social, monkeypatch):
    at = open_page(social.db, monkeypatch)
    at.radio(key="amp_trend_kind").set_value("hashtag").run()
    assert at.selectbox(key="amp_change_pick").value == EMERGING_TAG
    at.radio(key="amp_trend_kind").set_value("domain").run()
    assert not at.exception and "rose or fell lately beyond chance" in text_of(at)


def test_a_corpus_without_times_says_so_in_one_sentence(tmp_path, monkeypatch):
    db = build_app_store(tmp_path / "news.duckdb")
    at = open_page(db, monkeypatch)
    assert len(at.info) == 1 and "has a time of day" in at.info[0].value
    assert not at.error and not at.get("download_button")


def test_hostile_account_names_are_shown_as_text(tmp_path, monkeypatch):
    data = build_social_store(tmp_path, seed=8)
    hostile = '<img src=x onerror="window.__xss=1">*planted*'
    with store.opened(data.db) as con:
        con.execute("UPDATE documents SET source = ? WHERE source = 'planted03'", [hostile])
    at = open_page(data.db, monkeypatch)
    sentence = next(m.value for m in at.markdown if "Group 1: 10 accounts" in m.value)
    assert "&lt;img src=x" in sentence and "\\*planted\\*" in sentence  # escaped: no tag, no emphasis
    assert not any("<img" in m.value for m in at.markdown)
    groups = at.dataframe(key="amp_groups").value
    assert hostile in groups.iloc[0]["accounts"]  # in a table it is data, shown as it is
