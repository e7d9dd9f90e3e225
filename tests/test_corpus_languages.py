"""The Corpus across languages, on planted stores whose right answers are known: each theme's language mix, its
words per language and its label beside them, the language filter in every counting method, the language in every
document list, and search and keyword in context that find Arabic words with proclitics and other spellings.

No model is loaded: the themes are planted as the fit (as in the app tests)."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from apptest_store import ACTOR_WORDS, THEME_IDS, THEME_LABELS, planted_fit, store_fit
from planted import PLANTED_THEMES, planted_corpus

from analytics import Corpus, Filters, config, store
from analytics import schema as s

LANGUAGES = ("en", "fr", "ar")

# Arabic documents planted for search: the id, the text, and whether a search for تلغرام must find it.
ARABIC = [
    ("ar-tg-plain", "أغلقت شركة تلغرام مئات القنوات التابعة للتنظيم هذا الأسبوع.", True),
    ("ar-tg-clitic", "وقال باحثون إن الأنصار انتقلوا إلى فيسبوك ثم وتلغرام بعد الحظر.", True),
    ("ar-tg-variant", "ونشر التنظيم بيانه بتيليغرام قبل أن تحذفه الشركة.", True),
    ("ar-tg-spelling", "تيليجرام ما زال المنصة المفضلة لدى أنصار التنظيم في العام الماضي.", True),
    ("ar-tg-marks", "حذفت إدارة تِلِغْرام القناة الرسمية لوكالة أعماق.", True),
    ("ar-other", "أعلن التحالف استعادة السيطرة على المدينة بعد أسابيع من القتال في الأحياء القديمة.", False),
    ("ar-facebook", "حذف فيسبوك آلاف الحسابات التي نشرت مواد دعائية للتنظيم.", False),
]
ENGLISH_SEARCH = [
    ("en-tg", "Telegram removed hundreds of channels this week.", True),
    ("en-tg-lower", "Supporters moved to telegram after the ban.", True),
    ("en-tgs", "Researchers counted Telegrams sent by supporters.", True),  # a substring, as the search always was
    ("en-other", "Facebook removed thousands of accounts.", False),
]


def planted_documents() -> pd.DataFrame:
    """The planted corpus with a language each (a third each, by position), plus the search documents."""
    docs = planted_corpus(n_per_theme=30, start="2016-01-01")
    docs = docs.assign(language=[LANGUAGES[i % 3] for i in range(len(docs))])
    extra = [{"id": doc_id, "date": pd.Timestamp("2016-07-01") + pd.Timedelta(days=i), "source": "Outlet A",
              "source_type": "news", "text": text, "theme": "takedown", "language": "ar" if doc_id[:2] == "ar" else "en"}
             for i, (doc_id, text, _) in enumerate(ARABIC + ENGLISH_SEARCH)]
    return pd.concat([docs, pd.DataFrame(extra)], ignore_index=True)


def write_store(db, docs: pd.DataFrame, words_by_language: bool = True, fit: pd.DataFrame | None = None) -> None:
    """Documents, the planted fit (`fit`: doc_id, topic_id; default planted_fit's; with per-language words when
    asked), mentions of the planted actors, events, and the shipped framing lexicon."""
    fit = planted_fit(docs) if fit is None else fit[fit["doc_id"].isin(set(docs["id"]))]
    with store.opened(db) as con:
        store.insert_frame(con, "documents", docs.drop(columns=["theme"]).assign(
            date_precision="day", date_origin="field", title="Report", words=docs["text"].str.split().str.len()))
        by_language = {}
        if words_by_language:  # as a multilingual fit keeps them: planted words, in each theme's languages
            for theme, words in PLANTED_THEMES.items():
                part = docs[docs["theme"] == theme]
                by_language[THEME_IDS[theme]] = {
                    lang: {"documents": int((part["language"] == lang).sum()), "words": [f"{w}-{lang}" for w in words]}
                    for lang in LANGUAGES}
        run_id = store_fit(con, fit[["doc_id", "topic_id"]],
                           {THEME_IDS[t]: THEME_LABELS[t] for t in THEME_IDS},
                           {THEME_IDS[t]: w for t, w in PLANTED_THEMES.items()})
        for topic_id, words in by_language.items():
            record = json.loads(con.execute("SELECT words FROM topics WHERE run_id = ? AND topic_id = ?",
                                            [run_id, topic_id]).fetchone()[0])
            record.update(by_language=words, label_language="en")
            con.execute("UPDATE topics SET words = ? WHERE run_id = ? AND topic_id = ?",
                        [json.dumps(record, ensure_ascii=False), run_id, topic_id])
        rows = []
        for doc_id, text in zip(docs["id"], docs["text"], strict=True):
            for word, (name, label) in ACTOR_WORDS.items():
                start = text.lower().find(word)
                if start >= 0:
                    rows.append({"doc_id": doc_id, "start_char": start, "end_char": start + len(word), "sent_start": 0,
                                 "sent_end": len(text), "text": text[start:start + len(word)], "label": label,
                                 "canonical_id": word, "canonical_name": name, "origin": "alias",
                                 "pipeline_version": "test"})
        store.insert_mentions(con, pd.DataFrame(rows), [r["doc_id"] for r in rows])
        store.replace_events(con, pd.DataFrame({
            "date": pd.to_datetime(["2016-03-22", "2016-08-18"]), "date_precision": "day",
            "label": ["Brussels attacks", "Twitter suspensions"], "description": ["", ""],
            "kind": ["attack", "platform"]}))
        store.set_meta(con, "framing_path", str(config.FRAMING_LEXICON))


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """The whole planted store, and a store of its French documents alone (the same fit, mentions, events)."""
    folder = tmp_path_factory.mktemp("languages")
    docs = planted_documents()
    write_store(folder / "all.duckdb", docs)
    write_store(folder / "fr.duckdb", docs[docs["language"] == "fr"].reset_index(drop=True), fit=planted_fit(docs))
    return Corpus.open(folder / "all.duckdb"), Corpus.open(folder / "fr.duckdb"), docs


def test_theme_languages_count_each_themes_documents_per_language(stores):
    corpus, _, docs = stores
    mix = corpus.theme_languages()
    fit = planted_fit(docs).merge(docs[["id", "language"]], left_on="doc_id", right_on="id")
    want = fit.groupby(["topic_id", "language"]).size()
    got = mix.set_index(["topic_id", "language"])["documents"]
    assert got.sort_index().to_dict() == want.sort_index().to_dict()
    np.testing.assert_allclose(mix.groupby("topic_id")["share"].sum(), 1.0)
    assert set(mix[mix["topic_id"] == THEME_IDS["battle"]]["language"]) == set(LANGUAGES)
    assert (mix["label"] == mix["topic_id"].map(corpus.labels())).all()
    only_ar = corpus.theme_languages(Filters(languages=["ar"]))
    assert set(only_ar["language"]) == {"ar"} and (only_ar["share"] == 1.0).all()


# Every counting method of the Corpus, as a function of (corpus, filters) giving a frame to compare.
COUNTING = {
    "summary (in scope)": lambda c, f: pd.DataFrame({"in_scope": [c.summary(f).in_scope]}),
    "volume": lambda c, f: c.volume("month", f),
    "volume by source": lambda c, f: c.volume("quarter", f, by=s.SOURCE),
    "theme_sizes": lambda c, f: c.theme_sizes(f, outliers=True),
    "theme_shares": lambda c, f: c.theme_shares("month", f, smooth=3, top=2),
    "actors": lambda c, f: c.actors(f),
    "actor_counts": lambda c, f: c.actor_counts("quarter", f),
    "platform_shares": lambda c, f: c.platform_shares("quarter", f),
    "leading_actors": lambda c, f: c.leading_actors("quarter", f),
    "actor_pairs": lambda c, f: c.actor_pairs(f, granularity="quarter", min_count=1),
    "share_of_voice": lambda c, f: c.share_of_voice(f),
    "findings": lambda c, f: c.findings("month", f).frame(),
    "framing": lambda c, f: c.framing("quarter", f).table,
    "documents": lambda c, f: c.documents(f),
    "documents_behind": lambda c, f: c.documents_behind(f, period="2016-04-01", granularity="quarter",
                                                        themes=[THEME_IDS["takedown"]]),
    "search": lambda c, f: c.search("telegram", f),
    "theme_languages": lambda c, f: c.theme_languages(f),
}


@pytest.mark.parametrize("method", list(COUNTING))
def test_the_language_filter_counts_exactly_that_languages_documents(stores, method):
    """Every counting method under Filters(languages=["fr"]) gives what it gives on a store holding the French
    documents alone."""
    corpus, french, _ = stores
    filtered = COUNTING[method](corpus, Filters(languages=["fr"]))
    alone = COUNTING[method](french, Filters())
    assert len(alone) > 0 or method == "findings", method
    pd.testing.assert_frame_equal(filtered.reset_index(drop=True), alone.reset_index(drop=True), check_dtype=False)


def test_the_language_filter_is_not_a_no_op(stores):
    corpus, _, docs = stores
    assert corpus.summary(Filters(languages=["fr"])).in_scope == int((docs["language"] == "fr").sum())
    assert corpus.summary(Filters(languages=["fr", "ar"])).in_scope == int(docs["language"].isin(["fr", "ar"]).sum())
    assert corpus.summary().in_scope == len(docs)


def test_every_document_list_names_each_documents_language(stores):
    corpus, _, docs = stores
    language = dict(zip(docs["id"], docs["language"], strict=True))
    lists = {
        "documents": corpus.documents(),
        "documents_behind": corpus.documents_behind(themes=[THEME_IDS["battle"]]),
        "search": corpus.search("تلغرام"),
        "representative_documents": corpus.representative_documents(THEME_IDS["takedown"], n=20),
        "keyword_in_context": corpus.keyword_in_context("تلغرام", docs["id"]).rename(columns={s.DOC_ID: s.ID}),
    }
    for name, frame in lists.items():
        assert len(frame) and s.LANGUAGE in frame, name
        assert (frame[s.LANGUAGE] == frame[s.ID].map(language)).all(), name
    assert corpus.document(docs["id"].iloc[1]).record[s.LANGUAGE] == docs["language"].iloc[1]


def test_search_finds_an_arabic_word_with_proclitics_and_the_alias_lists_other_spellings(stores):
    corpus, _, _ = stores
    found = set(corpus.search("تلغرام")[s.ID])
    want = {doc_id for doc_id, _, hit in ARABIC if hit}
    assert found == want
    assert set(corpus.search("وتلغرام")[s.ID]) == want  # typed with its proclitic: the same name
    assert set(corpus.search("فيسبوك")[s.ID]) == {"ar-tg-clitic", "ar-facebook"}
    assert set(corpus.search("تلغرام القناة")[s.ID]) == {"ar-tg-marks"}  # every word must be there


@pytest.mark.parametrize("query", ["تلغرام", "وتلغرام", "telegram"])
def test_attention_over_time_counts_the_documents_the_search_finds(stores, query):
    """The Documents page draws the query's share over time above the search's list: both count one set."""
    corpus, _, _ = stores
    found = set(corpus.search(query, include_undated=False)[s.ID])
    if query != "telegram":
        assert found == {doc_id for doc_id, _, hit in ARABIC if hit}
    table = corpus.term_over_time(query, "year")
    assert int(table[s.COUNT].sum()) == len(found)


def test_an_english_search_is_matched_as_before(stores):
    """Latin-script words: a case-insensitive substring, exactly as the store's search always matched."""
    corpus, _, docs = stores
    for query in ("Telegram", "telegram channels", "europol"):
        words = [re.compile(re.escape(w), re.IGNORECASE) for w in query.split()]
        want = {i for i, text in zip(docs["id"], docs["text"], strict=True)
                if all(w.search(text) or w.search("Report") for w in words)}
        assert set(corpus.search(query)[s.ID]) == want, query
    assert {"en-tg", "en-tg-lower", "en-tgs"} <= set(corpus.search("telegram")[s.ID])


def test_keyword_in_context_finds_every_spelling_and_marks_the_word_with_its_proclitic(stores):
    corpus, _, docs = stores
    kwic = corpus.keyword_in_context("تلغرام", docs["id"])
    text = dict(zip(docs["id"], docs["text"], strict=True))
    assert set(kwic[s.DOC_ID]) == {doc_id for doc_id, _, hit in ARABIC if hit}
    matched = {d: text[d][a:b] for d, a, b in zip(kwic[s.DOC_ID], kwic["match_start"], kwic["match_end"],
                                                    strict=True)}
    assert matched == {"ar-tg-plain": "تلغرام", "ar-tg-clitic": "وتلغرام", "ar-tg-variant": "بتيليغرام",
                       "ar-tg-spelling": "تيليجرام", "ar-tg-marks": "تِلِغْرام"}
    assert (kwic["sentence"].str.len() > 0).all()
    english = corpus.keyword_in_context("telegram", docs["id"])
    # whole words only, as before: "Telegrams" is another word
    assert {"en-tg", "en-tg-lower"} <= set(english[s.DOC_ID]) and "en-tgs" not in set(english[s.DOC_ID])


def test_theme_words_by_language_and_the_label_beside_them(stores):
    corpus, _, _ = stores
    words = corpus.theme_words_by_language(n=3)
    battle = words[words["topic_id"] == THEME_IDS["battle"]].set_index("language")
    assert set(battle.index) == set(LANGUAGES)
    assert battle.loc["ar", "words"] == [f"{w}-ar" for w in PLANTED_THEMES["battle"][:3]]
    assert (words["label"] == words["topic_id"].map(corpus.labels())).all()
    labels = corpus.theme_labels_across_languages(n=2).set_index("topic_id")
    row = labels.loc[THEME_IDS["battle"]]
    assert row["label"] == THEME_LABELS["battle"] and row["label_language"] == "en"
    assert row["other_languages"] == {lang: [f"{w}-{lang}" for w in PLANTED_THEMES["battle"][:2]]
                                      for lang in ("fr", "ar")}


@pytest.mark.flow
def test_theme_words_of_a_fit_without_them_are_counted_from_its_documents(tmp_path):
    """A fit of one language keeps no words per language: they are counted from the theme's documents."""
    docs = planted_corpus(n_per_theme=20, start="2016-01-01")
    docs = docs.assign(language=["en" if i % 4 else "fr" for i in range(len(docs))])
    write_store(tmp_path / "plain.duckdb", docs, words_by_language=False)
    corpus = Corpus.open(tmp_path / "plain.duckdb")
    words = corpus.theme_words_by_language(n=5)
    assert set(words["language"]) == {"en", "fr"}
    for row in words.itertuples():
        theme = next(t for t, i in THEME_IDS.items() if i == row.topic_id)
        assert len(row.words) == 5 and set(row.words) <= set(PLANTED_THEMES[theme]), (theme, row.words)
    labels = corpus.theme_labels_across_languages()
    assert labels["label_language"].isna().all()  # the stored labels were not made per language


def test_theme_profile_says_which_profile_built_the_themes(stores):
    corpus, french, docs = stores
    profile = corpus.theme_profile()
    assert profile.backend == "tfidf" and profile.profile == "tfidf"  # the planted fit records tfidf
    assert profile.non_english_share == pytest.approx((docs["language"] != "en").mean(), abs=1e-4)
    assert profile.advice and "--profile multilingual" in profile.advice
    assert "tfidf" in profile.sentence and f"{profile.non_english_share:.0%}" in profile.sentence
    assert french.theme_profile().non_english_share == 1.0
