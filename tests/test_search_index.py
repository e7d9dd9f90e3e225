"""The word index behind the search (analytics/search_index.py): a search and attention over time find exactly
what reading every text finds — Arabic with proclitics, varied letters and the alias list's spellings, substrings
inside words, words holding punctuation, titles, several words — while the index narrows the texts read; documents
stored after the last analysis are still found, the next analysis indexes them, and a store without the index
answers by reading every text.

The stores are the languages tests' planted stores (test_corpus_languages) plus documents written for the cases
the index must not miss; the right answer is the same Corpus reading every text (a store whose index is empty)."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from test_corpus_languages import ARABIC, ENGLISH_SEARCH, planted_documents, write_store

from analytics import Corpus, search_index, store
from analytics import schema as s

# Documents the index must not miss: a substring inside a word, words written with punctuation, a match in the
# title alone, case variants (title, id, whether the search for "migra" must find it).
EDGE = [
    ("edge-immigration", "Net IMMIGRATION figures rose again.", "Figures", True),
    ("edge-qaeda", "Analysts said al-Qaeda's media arm went quiet.", "Media arms", False),
    ("edge-us", "The U.S. State Department named the network.", "Designations", False),
    ("edge-title", "Nothing in the text names the word.", "Migration and the vote", True),
    ("edge-emigrant", "An emigrant's letter, 1914 (digitised).", "Letters", True),
    # other whitespace than space, tab and line breaks stays inside an index term: still found
    ("edge-spaces", "Supporters\u00a0moved to\tTamTam\nand\r\nZello.", "Apps", False),
    # an alias spelling of several words: "داعش" finds it through the alias list's "الدولة الإسلامية"
    ("edge-daesh", "أعلن تنظيم الدولة الإسلامية مسؤوليته عن الهجوم.", "بيان", False),
]
QUERIES = ["moved", "Zello", "TamTam", "Supporters", "migra", "MIGRA", "immigration", "al-Qaeda", "qaeda's", "U.S.", "u.s", "State Department",
           "(digitised)", "1914", "figures", "telegram", "Telegram channels", "europol", "report", "zqxjv",
           "تلغرام", "وتلغرام", "داعش", "الدولة", "فيسبوك", "تلغرام القناة", "بتيليغرام", "تِلِغْرام", "#", "-", "a"]


def documents() -> pd.DataFrame:
    docs = planted_documents()
    extra = pd.DataFrame([{"id": doc_id, "date": pd.Timestamp("2016-09-01"), "source": "Outlet B",
                           "source_type": "news", "text": text, "theme": "takedown", "language": "en"}
                          for doc_id, text, _, _ in EDGE])
    return pd.concat([docs, extra], ignore_index=True)


def titled(db) -> None:
    """Give the edge documents their own titles (write_store titles every document "Report")."""
    with store.opened(db) as con:
        for doc_id, _, title, _ in EDGE:
            con.execute("UPDATE documents SET title = ? WHERE id = ?", [title, doc_id])


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """(the store with its index, the same store with none: the right answers)."""
    folder = tmp_path_factory.mktemp("search_index")
    scanned = folder / "scanned.duckdb"
    write_store(scanned, documents())
    titled(scanned)
    indexed = folder / "indexed.duckdb"
    shutil.copy(scanned, indexed)
    with store.opened(indexed) as con:
        search_index.run_search_index(con, batch_size=100)  # several batches
    return Corpus.open(indexed), Corpus.open(scanned)


def candidates(corpus: Corpus, query: str, share: float = 1.0):
    with store.opened(corpus.path, read_only=True) as con:
        return store.word_candidates(con, search_index.term_patterns(query, corpus.alias_spellings()), share)


def candidate_ids(corpus: Corpus, query: str) -> set[str]:
    return set(candidates(corpus, query).column("doc_id").to_pylist())


@pytest.mark.parametrize("share", [1.0, search_index.MAX_SHARE])
def test_the_search_through_the_index_finds_what_reading_every_text_finds(corpora, monkeypatch, share):
    """Every query, looked up in the index for every word (share 1.0) and with the shipped cap."""
    indexed, scanned = corpora
    monkeypatch.setattr(search_index, "MAX_SHARE", share)
    for query in QUERIES:
        want = scanned.search(query, limit=10_000)
        got = indexed.search(query, limit=10_000)
        assert list(got[s.ID]) == list(want[s.ID]), query
        assert got.equals(want), query
        assert indexed.term_over_time(query, "month").equals(scanned.term_over_time(query, "month")), query


def test_the_index_knows_the_known_answers(corpora):
    """The planted answers themselves, not only agreement with the scan."""
    indexed, _ = corpora
    assert set(indexed.search("migra")[s.ID]) == {doc_id for doc_id, *_, hit in EDGE if hit}
    assert set(indexed.search("تلغرام")[s.ID]) == {doc_id for doc_id, _, hit in ARABIC if hit}
    assert {d for d, _, hit in ENGLISH_SEARCH if hit} == set(indexed.search("telegram")[s.ID]) & {
        d for d, _, _ in ENGLISH_SEARCH}
    assert set(indexed.search("al-Qaeda")[s.ID]) == {"edge-qaeda"}


def test_the_index_narrows_the_texts_read(corpora):
    """A rare word's candidates are the few documents holding one of its terms, a superset of the matches; a word
    in every document (beyond the cap) is searched by reading every text."""
    indexed, _ = corpora
    assert candidate_ids(indexed, "migra") == {"edge-immigration", "edge-title", "edge-emigrant"}
    assert candidate_ids(indexed, "al-Qaeda") == {"edge-qaeda"}  # its longest run, "Qaeda"
    assert candidate_ids(indexed, "تلغرام") == {doc_id for doc_id, _, hit in ARABIC if hit}
    assert candidate_ids(indexed, "zqxjv") == set()
    assert candidate_ids(indexed, "#") == set()
    assert "edge-spaces" in candidate_ids(indexed, "moved")
    assert candidates(indexed, "report", share=search_index.MAX_SHARE) is None  # every title: read them all
    with store.opened(indexed.path, read_only=True) as con:  # the share is of the documents searched
        assert store.word_candidates(con, ["(?i)migra"], 0.5, scope_size=4) is None  # 3 postings of 4
        assert store.word_candidates(con, ["(?i)migra"], 0.5, scope_size=7).num_rows == 3


def test_a_store_without_the_index_reads_every_text(corpora):
    _, scanned = corpora
    with store.opened(scanned.path, read_only=True) as con:
        assert store.index_size(con)["documents"] == 0
    assert candidates(scanned, "migra") is None
    assert set(scanned.search("migra")[s.ID]) == {doc_id for doc_id, *_, hit in EDGE if hit}


def test_documents_stored_after_the_analysis_are_found_and_the_next_one_indexes_them(corpora, tmp_path):
    indexed, _ = corpora
    db = tmp_path / "grown.duckdb"
    shutil.copy(indexed.path, db)
    late = pd.DataFrame([{"id": "late-1", "date": pd.Timestamp("2016-10-01"), "date_precision": "day",
                          "date_origin": "field", "source": "Outlet C", "source_type": "news", "title": "Late",
                          "text": "Immigration rules changed; Telegram was not named.", "language": "en", "words": 7}])
    with store.opened(db) as con:
        store.insert_frame(con, "documents", late)
    corpus = Corpus.open(db)
    assert "late-1" in set(corpus.search("migra")[s.ID])  # not indexed yet: read
    assert "late-1" in candidate_ids(corpus, "migra")
    with store.opened(db) as con:
        report = search_index.run_search_index(con)
        assert report["documents"] == 1  # only the new one
        assert store.index_size(con)["documents"] == store.document_count(con)
    assert candidate_ids(corpus, "migra") == {doc_id for doc_id, *_, hit in EDGE if hit} | {"late-1"}  # indexed
    assert set(corpus.search("migra")[s.ID]) == {doc_id for doc_id, *_, hit in EDGE if hit} | {"late-1"}
    with store.opened(db) as con:
        assert search_index.run_search_index(con)["documents"] == 0


def test_term_patterns_of_words_with_punctuation_and_phrases():
    """A word is its own term pattern (no match of it crosses a space); an alias spelling of several words is
    looked up by its longest word."""
    assert search_index.term_pattern("al-Qaeda") == "(?i)" + re.escape("al-Qaeda")
    assert search_index.term_pattern("U.S.") == "(?i)" + re.escape("U.S.")
    assert search_index.term_pattern(" ") is None
    phrase = search_index.term_pattern("الدولة", [("is", "الدولة"), ("is", "الدولة الإسلامية")])
    assert "\\s" not in phrase and phrase.count("|") == 1


def test_a_word_is_answered_by_the_index_without_reading_texts(corpora, monkeypatch):
    """Where the index's term pattern is the word's own pattern (a Latin-script word, an Arabic word whose
    spellings are single words) its answer is exact, so the texts
    of the candidates are not checked again (at a million documents that check was most of a search's time);
    Arabic spellings, words too common to look up and documents not indexed yet are still checked. The answers
    are the scan's (test above); here, which scopes still read the texts."""
    from analytics.languages import substring_pattern

    indexed, _ = corpora
    everything = store.Scope("TRUE")

    def reads_texts(query: str) -> bool:
        aliases = indexed.alias_spellings()
        patterns = [substring_pattern(w, aliases) for w in query.split()]
        with store.opened(indexed.path, read_only=True) as con, store.words_scope(
                con, everything, patterns, search_index.term_patterns(query, aliases), 1.0) as scope:
            return "regexp_matches" in scope.sql

    assert not reads_texts("migra") and not reads_texts("State Department") and not reads_texts("U.S.")
    assert not reads_texts("تلغرام")  # one spelling of one word: as exact as a Latin word
    assert reads_texts("داعش")  # spellings of several words: checked in the texts
    monkeypatch.setattr(search_index, "MAX_SHARE", 0.0)  # nothing is looked up: every text is read
    with store.opened(indexed.path, read_only=True) as con, store.words_scope(
            con, everything, ["(?i)migra"], ["(?i)migra"], 0.0) as scope:
        assert "regexp_matches" in scope.sql
