"""The per-document actor counts (doc_actors) and the page queries over them, on small stores whose right
answer is known: the counts equal a GROUP BY of the stored mentions after a first run, an alias-list edit, an
incremental run and a migration of an older store, and the page tables built from them equal the tables built
from every mention."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import oracles
import pandas as pd
import pytest

from analytics import entities, store, timeline
from analytics.ingest import ingest

ALIASES = Path(__file__).resolve().parents[1] / "corpora" / "aliases.csv"

DOCS = [
    # Telegram three times, Europol twice, TamTam once: the planted counts of the first document.
    {"id": "d1", "date": "2019-11-25", "source": "Europol", "text": "Europol and Telegram removed channels. "
     "Telegram said so. Supporters moved from Telegram to TamTam, Europol said."},
    {"id": "d2", "date": "2015-11-16", "source": "Wire", "text": "Anonymous declared war on ISIS after the attacks. "
     "GhostSec said it had reported thousands of Twitter accounts to Twitter."},
    {"id": "d3", "date": "2019-12-02", "source": "Wire", "text": "Telegram and Europol again. TamTam too."},
    {"id": "d4", "date": "2016-03-01", "source": "Blog", "text": "Twitter suspended accounts. Anonymous and "
     "GhostSec published lists of Twitter accounts."},
]
MORE = [
    {"id": "d5", "date": "2020-01-05", "source": "Wire", "text": "Hoop Messenger and Threema were named, and "
     "Telegram too."},
]


def extract(con, aliases: Path) -> dict:
    """The entity stage with the alias list alone on a blank English pipeline: the fast profile's components,
    without loading the spaCy model (this module is about the counts, not the model)."""
    import spacy

    return entities.run_entities(con, aliases, profile="fast", nlp=spacy.blank("en"))


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def raw_counts(con) -> pd.DataFrame:
    """doc_actors recomputed from the raw mentions: the right answer."""
    return con.execute("SELECT doc_id, canonical_id, min(canonical_name) AS canonical_name, min(label) AS label, "
                       "count(*) AS mentions FROM entities GROUP BY doc_id, canonical_id ORDER BY doc_id, canonical_id"
                       ).df()


def stored_counts(con) -> pd.DataFrame:
    return store.doc_actors(con)


def assert_counts_match(con) -> None:
    expected = raw_counts(con)
    got = stored_counts(con)
    assert not expected.empty
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False)
    assert_codes_match(con)


def assert_codes_match(con) -> None:
    """The integer codes doc_actors carries (schema v7) name its document and actor, and its sentence starts are
    the mentions' own: what the pairs are counted from."""
    codes = con.execute("SELECT count(*), count(DISTINCT doc_code), count(doc_code) FROM documents").fetchone()
    assert codes[0] == codes[1] == codes[2], "documents without a code of their own"
    total, actors, ids = con.execute("SELECT count(*), count(DISTINCT actor), count(DISTINCT canonical_id) "
                                     "FROM actor_codes").fetchone()
    assert total == actors == ids, "an actor code given twice"
    wrong = con.execute(
        "SELECT count(*) FROM doc_actors a LEFT JOIN documents d ON d.id = a.doc_id "
        "LEFT JOIN actor_codes c ON c.canonical_id = a.canonical_id "
        "WHERE a.doc_code IS DISTINCT FROM d.doc_code OR a.actor IS DISTINCT FROM c.actor "
        "OR (a.canonical_id IS NOT NULL AND a.actor IS NULL)").fetchone()[0]
    assert wrong == 0, "doc_actors rows whose codes name another document or actor"
    sentences = con.execute(
        "SELECT a.doc_id, a.canonical_id, a.sentences, e.starts FROM doc_actors a JOIN (SELECT doc_id, canonical_id, "
        "list_sort(list_distinct(list(sent_start))) AS starts FROM entities GROUP BY ALL) e "
        "ON e.doc_id = a.doc_id AND e.canonical_id IS NOT DISTINCT FROM a.canonical_id").fetchall()
    assert len(sentences) == len(stored_counts(con))
    uncoded = con.execute("SELECT count(*) FROM doc_topics t JOIN documents d ON d.id = t.doc_id "
                          "WHERE t.doc_code IS DISTINCT FROM d.doc_code").fetchone()[0]
    assert uncoded == 0, "theme assignments without their document's code"
    assert all(list(row[2]) == list(row[3]) for row in sentences), "sentence starts that are not the mentions'"


@pytest.fixture(scope="module")
def analysed_store(tmp_path_factory) -> Path:
    """The four documents ingested and their entities extracted, once for the module."""
    folder = tmp_path_factory.mktemp("analysed")
    (folder / "in").mkdir()
    with store.opened(folder / "s.duckdb") as con:
        ingest([write_jsonl(folder / "in" / "a.jsonl", DOCS)], con)
        extract(con, ALIASES)
    return folder / "s.duckdb"


@pytest.fixture
def analysed(analysed_store, tmp_path):
    """A copy of the analysed store of its own for each test (tests change it)."""
    shutil.copyfile(analysed_store, tmp_path / "s.duckdb")
    con = store.connect(tmp_path / "s.duckdb")
    yield con, tmp_path
    con.close()


def doc_of(con, external_id: str) -> str:
    return con.execute("SELECT id FROM documents WHERE external_id = ?", [external_id]).fetchall()[0][0]


def test_doc_actors_hold_the_planted_counts_and_equal_the_raw_mentions(analysed):
    con, _ = analysed
    assert_counts_match(con)
    counts = stored_counts(con)
    d1 = counts[counts["doc_id"] == doc_of(con, "d1")].set_index("canonical_id")["mentions"].to_dict()
    assert d1 == {"telegram": 3, "europol": 2, "tamtam": 1}


def test_doc_actors_follow_an_alias_list_edit(analysed, tmp_path):
    con, _ = analysed
    rows = list(csv.DictReader(open(ALIASES, encoding="utf-8")))
    edited = []
    for row in rows:
        if row["canonical_id"] == "ghostsec":
            continue  # removed from the list
        if row["canonical_id"] == "telegram":
            row = {**row, "canonical_id": "telegram_app", "canonical_name": "Telegram app"}  # a new canonical id
        edited.append(row)
    new_path = tmp_path / "aliases-edited.csv"
    with open(new_path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(edited)
    summary = extract(con, new_path)
    assert summary["renormalised"] > 0
    assert_counts_match(con)
    counts = stored_counts(con)
    assert "ghostsec" not in set(counts["canonical_id"]) and "telegram" not in set(counts["canonical_id"])
    d1 = counts[counts["doc_id"] == doc_of(con, "d1")].set_index("canonical_id")
    assert d1.loc["telegram_app", "mentions"] == 3 and d1.loc["telegram_app", "canonical_name"] == "Telegram app"


def test_doc_actors_grow_with_an_incremental_run(analysed):
    con, tmp_path = analysed
    before = stored_counts(con)
    (tmp_path / "in").mkdir(exist_ok=True)
    ingest([write_jsonl(tmp_path / "in" / "b.jsonl", MORE)], con)
    assert extract(con, ALIASES)["documents"] == 1
    assert_counts_match(con)
    after = stored_counts(con)
    new = after[after["doc_id"] == doc_of(con, "d5")]
    assert {"hoop_messenger", "threema", "telegram"} <= set(new["canonical_id"])
    # The documents analysed before keep exactly their rows.
    pd.testing.assert_frame_equal(after[after["doc_id"] != doc_of(con, "d5")].reset_index(drop=True),
                                  before.reset_index(drop=True))


def version_2_store(tmp_path) -> tuple:
    """An analysed store made to look like schema version 2 (no doc_actors yet), and the counts it should get."""
    db = tmp_path / "old.duckdb"
    con = store.connect(db)
    (tmp_path / "in").mkdir()
    ingest([write_jsonl(tmp_path / "in" / "a.jsonl", DOCS)], con)
    extract(con, ALIASES)
    expected = raw_counts(con)
    con.execute("DROP TABLE doc_actors")
    con.execute("DELETE FROM schema_version WHERE version >= 3")
    con.close()
    return db, expected


def test_an_older_store_is_migrated_with_its_counts(tmp_path):
    db, _ = version_2_store(tmp_path)
    con = store.connect(db)
    assert store.schema_version(con) == store.SCHEMA_VERSION
    assert_counts_match(con)
    con.close()


def test_a_failed_batch_leaves_neither_mentions_nor_counts(analysed):
    con, _ = analysed
    before_mentions = store.counts(con)["entities"]
    before = stored_counts(con)
    row = con.execute("SELECT * FROM entities LIMIT 1").df().assign(doc_id="ghost")
    with pytest.raises(RuntimeError), store.transaction(con):
        store.insert_mentions(con, row, ["ghost"])
        raise RuntimeError("killed mid-write")
    assert store.counts(con)["entities"] == before_mentions
    pd.testing.assert_frame_equal(stored_counts(con), before)


@pytest.mark.parametrize("granularity", ["week", "month", "quarter", "year"])
def test_actor_period_table_from_the_store_equals_the_one_from_every_mention(analysed, granularity):
    con, _ = analysed
    docs = store.timeline_documents(con)
    subset = docs[docs["source"] != "Blog"]  # a filter, as the sidebar applies
    expected = oracles.mention_counts(subset, store.mentions(con), granularity)
    got = timeline.actor_period_table(subset, store.actor_period_counts(con, granularity, subset["id"]), granularity)
    key = ["period", "canonical_id"]
    pd.testing.assert_frame_equal(got.sort_values(key, ignore_index=True), expected.sort_values(key, ignore_index=True),
                                  check_dtype=False)
    platforms = store.actor_period_counts(con, granularity, subset["id"], labels=("PLATFORM",))
    pd.testing.assert_frame_equal(
        timeline.platform_share_table(timeline.actor_period_table(subset, platforms, granularity))
        .sort_values(key, ignore_index=True),
        oracles.platform_shares(subset, store.mentions(con), granularity).sort_values(key, ignore_index=True),
        check_dtype=False)


def test_the_documents_behind_a_point_come_from_the_counts(analysed):
    con, _ = analysed
    docs = store.timeline_documents(con)
    mentions = store.mentions(con)
    for actor in ("telegram", "twitter", "europol"):
        expected = sorted(set(mentions.loc[mentions["canonical_id"] == actor, "doc_id"]))
        assert store.actor_documents(con, [actor]) == expected
    wire = docs[docs["source"] == "Wire"]["id"]
    assert store.actor_documents(con, ["telegram"], wire) == sorted([doc_of(con, "d3")])
    assert store.actor_documents(con, ["Twitter"], by="canonical_name") == sorted([doc_of(con, "d2"), doc_of(con, "d4")])
    totals = store.actor_totals(con).set_index("canonical_id")
    assert totals.loc["telegram", "documents"] == 2 and totals.loc["telegram", "mentions"] == 4
    assert totals.loc["twitter", "documents"] == 2 and totals.loc["twitter", "mentions"] == 4


@pytest.mark.parametrize(("unit", "granularity"), [("document", None), ("sentence", None), ("document", "year")])
def test_cooccurrence_from_the_store_equals_the_one_from_every_mention(analysed, unit, granularity):
    con, _ = analysed
    docs = store.timeline_documents(con)
    mentions = store.mentions(con)
    expected = oracles.cooccurrence(docs, mentions, granularity, unit=unit, min_count=1)
    got = timeline.pmi_table(timeline.pair_counts(*store.actor_incidence(con, docs["id"], unit, granularity),
                                                  min_count=1))
    assert not expected.empty
    key = ["period", "a", "b"]
    if granularity is None:  # the single period's stamp differs (pandas epoch vs SQL epoch); compare the rest
        expected, got = expected.drop(columns="period"), got.drop(columns="period")
        key = ["a", "b"]
    pd.testing.assert_frame_equal(got.sort_values(key, ignore_index=True), expected.sort_values(key, ignore_index=True),
                                  check_dtype=False)
    if unit == "document" and granularity is None:
        pair = got.set_index(["a", "b"]).loc[("europol", "telegram")]
        assert pair["count"] == 2 and pair["units"] == 4


def ilike_search(con, query: str) -> list[str]:
    """The reference: every word as an ILIKE substring of text or title."""
    clauses, params = [], []
    for word in query.split():
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append("(text ILIKE ? ESCAPE '\\' OR title ILIKE ? ESCAPE '\\')")
        params += [pattern, pattern]
    where = " AND ".join(clauses) or "TRUE"
    return sorted(r[0] for r in con.execute(f"SELECT id FROM documents WHERE {where}", params).fetchall())


@pytest.mark.parametrize("query", ["telegram", "TELEGRAM europol", "tam", "rocket.chat", "Rocket.Chat", "channels.",
                                   "a.b", "100%", "c++", "(x", "\\", "ghostsec twitter's", "", "hostile"])
def test_search_matches_case_insensitive_substrings_like_ilike(analysed, query):
    con, _ = analysed
    con.execute("UPDATE documents SET title = 'Hostile title: Rocket.Chat (x' WHERE external_id = 'd4'")
    con.execute("UPDATE documents SET text = text || ' 100% c++ a.b \\ twitter''s' WHERE external_id = 'd2'")
    got = sorted(store.search_documents(con, query)["id"])
    assert got == ilike_search(con, query)
    some = [doc_of(con, "d1"), doc_of(con, "d2")]
    assert sorted(store.search_documents(con, query, ids=some)["id"]) == sorted(set(got) & set(some))


def test_a_reader_of_an_older_store_is_told_to_migrate_and_never_writes(tmp_path):
    from analytics.errors import StoreOutdatedError

    db, expected = version_2_store(tmp_path)
    before = db.read_bytes()
    with pytest.raises(StoreOutdatedError) as err, store.opened(db, read_only=True):
        pass
    assert "narrative migrate" in err.value.user_message() and err.value.code == "E103"
    assert db.read_bytes() == before  # a read-only open wrote nothing
    assert store.migrate_store(db) == (2, store.SCHEMA_VERSION)
    with store.opened(db, read_only=True) as con:  # as the app opens it, after `narrative migrate`
        pd.testing.assert_frame_equal(stored_counts(con), expected, check_dtype=False)


def test_mentions_written_again_for_counted_documents_are_recounted(analysed):
    con, _ = analysed
    d1 = doc_of(con, "d1")
    again = con.execute("SELECT * FROM entities WHERE doc_id = ?", [d1]).df()  # an older version's rows remain
    with store.transaction(con):
        store.insert_mentions(con, again, [d1, "no-mentions-doc"])
    assert_counts_match(con)
    counts = stored_counts(con)
    assert counts[counts["doc_id"] == d1].set_index("canonical_id")["mentions"].to_dict() == {
        "telegram": 6, "europol": 4, "tamtam": 2}


def test_no_id_list_means_every_dated_document(analysed):
    con, _ = analysed
    con.execute("UPDATE documents SET date = NULL WHERE external_id = 'd4'")  # an undated document is skipped
    docs = store.timeline_documents(con)
    dated = docs[docs["date"].notna()]["id"]
    assert store.dated_count(con) == len(dated) == 3
    pd.testing.assert_frame_equal(store.actor_period_counts(con, "month"),
                                  store.actor_period_counts(con, "month", docs["id"]))
    for unit in ("document", "sentence"):
        pd.testing.assert_frame_equal(store.actor_incidence(con, None, unit)[0].sort_values(["unit", "actor"],
                                                                                           ignore_index=True),
                                      store.actor_incidence(con, docs["id"], unit)[0].sort_values(
                                          ["unit", "actor"], ignore_index=True))


def test_the_corpus_counts_over_exactly_the_filtered_documents(analysed):
    from analytics import Corpus, Filters

    con, tmp_path = analysed
    d3 = doc_of(con, "d3")
    con.execute("UPDATE documents SET date = NULL WHERE id = ?", [d3])  # names telegram, but has no date
    docs = store.timeline_documents(con)
    mentions = store.mentions(con)
    con.close()
    corpus = Corpus.open(tmp_path / "s.duckdb")
    dated = docs[docs["date"].notna()]
    # Every dated document (the default filters): the counts skip the undated one; its documents are not offered.
    assert d3 not in set(corpus.documents_behind(actors=["telegram"])["id"])
    assert d3 in set(corpus.search("", include_undated=True)["id"])  # still there, and found without a date
    key = ["period", "canonical_id"]
    pd.testing.assert_frame_equal(corpus.actor_counts("month").sort_values(key, ignore_index=True),
                                  oracles.mention_counts(dated, mentions, "month").sort_values(key, ignore_index=True),
                                  check_dtype=False)
    totals = corpus.actors().set_index("canonical_id")
    assert totals.loc["telegram", "documents"] == 1  # d1 only
    wire = dated[dated["source"] == "Wire"]
    assert set(corpus.actors(Filters(sources=["Wire"]))["canonical_id"]) == set(
        mentions[mentions["doc_id"].isin(wire["id"])]["canonical_id"])
    # A date filter keeps the documents of those days, both ends included.
    november = Filters(start="2019-11-25", end="2019-11-25")
    assert set(corpus.documents(november)["id"]) == {doc_of_path(tmp_path, "d1")}
    assert corpus.summary(november).in_scope == 1 and corpus.summary().in_scope == len(dated)


def doc_of_path(tmp_path, external_id: str) -> str:
    with store.opened(tmp_path / "s.duckdb", read_only=True) as con:
        return doc_of(con, external_id)


def test_the_leading_actors_per_period_are_the_first_of_the_whole_counts_ties_included(fresh_db):
    """Per period, the `per_period` actors named in the most documents (ties by mentions, then id), read with
    the floor that skips ranking the rest: the same rows as ranking every count. Ties sit at the cut: in January
    three actors share the second count and two of them the same mentions; in February fewer actors than asked."""
    named = {  # period → actor → [mentions in each document naming it]
        "2020-01": {"a": [1] * 5, "b": [2, 1, 1, 1], "c": [1, 1, 1, 2], "d": [3, 1, 1, 1], "e": [9]},
        "2020-02": {"b": [1], "e": [1, 1]},
    }
    docs, rows = [], []
    for month, actors in named.items():
        for actor, counts in actors.items():
            for i, mentions in enumerate(counts):
                doc_id = f"{month}-{actor}-{i}"
                docs.append({"id": doc_id, "date": pd.Timestamp(f"{month}-{i + 1:02d}"), "date_precision": "day",
                             "date_origin": "field", "source_type": "news", "text": "x"})
                rows += [{"doc_id": doc_id, "start_char": k, "end_char": k + 1, "sent_start": 0, "sent_end": 1,
                          "text": "x", "label": "ORG", "canonical_id": actor, "canonical_name": actor.upper(),
                          "origin": "alias", "pipeline_version": "test"} for k in range(mentions)]
    con = fresh_db
    store.insert_frame(con, "documents", pd.DataFrame(docs))
    store.insert_mentions(con, pd.DataFrame(rows), [d["id"] for d in docs])  # counted into doc_actors, with codes
    every = store.actor_period_counts(con, "month", store.scope())
    for n in (1, 2, 3, 4):
        want = (every.sort_values(["period", "documents", "mentions", "canonical_id"],
                                  ascending=[True, False, False, True])
                .groupby("period").head(n).sort_values(["period", "canonical_id"], ignore_index=True))
        got = store.actor_period_counts(con, "month", store.scope(), per_period=n)
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert list(store.actor_period_counts(con, "month", store.scope(), per_period=2)["canonical_id"]) == [
        "a", "d", "b", "e"]


def corpus_pairs_against_the_oracle(db: Path) -> int:
    """Corpus.actor_pairs under each filter, unit, granularity and minimum equals the pairs counted from every
    mention of the filtered documents (oracles.cooccurrence); returns how many pairs were compared."""
    import datetime as dt

    from analytics import Corpus, Filters

    with store.opened(db, read_only=True) as con:
        docs, mentions = store.timeline_documents(con), store.mentions(con)
    corpus = Corpus.open(db)
    europol_docs = set(mentions.loc[mentions["canonical_id"] == "europol", "doc_id"])
    cases = {
        Filters(): docs,
        Filters(start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31)): docs[docs["date"].dt.year == 2019],
        Filters(sources=("Wire",)): docs[docs["source"] == "Wire"],
        Filters(actor="europol"): docs[docs["id"].isin(europol_docs)],
    }
    compared = 0
    for filters, subset in cases.items():
        for unit, granularity, min_count in [("document", None, 1), ("document", None, 2), ("sentence", None, 1),
                                             ("document", "year", 1), ("sentence", "month", 1)]:
            got = corpus.actor_pairs(filters, unit=unit, granularity=granularity, min_count=min_count)
            expected = oracles.cooccurrence(subset, mentions, granularity, unit=unit, min_count=min_count)
            key = ["period", "a", "b"]
            if granularity is None:  # the single period's stamp differs (pandas epoch vs SQL epoch)
                expected, got = expected.drop(columns="period"), got.drop(columns="period")
                key = ["a", "b"]
            pd.testing.assert_frame_equal(got.sort_values(key, ignore_index=True),
                                          expected.sort_values(key, ignore_index=True), check_dtype=False)
            compared += len(got)
    return compared


def test_the_corpus_pairs_equal_the_oracle_under_filters_edits_and_an_incremental_run(analysed, tmp_path):
    con, _ = analysed
    db = tmp_path / "s.duckdb"
    con.close()
    assert corpus_pairs_against_the_oracle(db) > 0
    with store.opened(db) as con:  # an incremental run: a new document, new actors, new codes
        (tmp_path / "in").mkdir(exist_ok=True)
        ingest([write_jsonl(tmp_path / "in" / "b.jsonl", MORE)], con)
        extract(con, ALIASES)
        assert_codes_match(con)
    assert corpus_pairs_against_the_oracle(db) > 0
    rows = list(csv.DictReader(open(ALIASES, encoding="utf-8")))
    renamed = [{**r, "canonical_id": "telegram_app", "canonical_name": "Telegram app"}
               if r["canonical_id"] == "telegram" else r for r in rows]
    edited = tmp_path / "aliases-edited.csv"
    with open(edited, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(renamed)
    with store.opened(db) as con:  # an alias-list edit: every mention re-normalised, a canonical id new to the codes
        assert extract(con, edited)["renormalised"] > 0
        assert_codes_match(con)
    assert corpus_pairs_against_the_oracle(db) > 0
    with store.opened(db, read_only=True) as con:
        assert "telegram_app" in set(store.mentions(con)["canonical_id"])


def test_the_first_documents_naming_an_actor_and_how_many_there_are(analysed):
    from analytics import Corpus, Filters

    con, tmp_path = analysed
    d1, d3 = doc_of(con, "d1"), doc_of(con, "d3")
    con.close()
    corpus = Corpus.open(tmp_path / "s.duckdb")
    every = corpus.documents_behind(actors=["telegram"])
    assert every["id"].tolist() == [d1, d3]  # by date
    assert corpus.documents_behind(actors=["telegram"], limit=1)["id"].tolist() == [d1]
    assert corpus.count_behind(actors=["telegram"]) == 2
    assert corpus.count_behind(Filters(sources=("Wire",)), actors=["telegram"]) == 1
    assert corpus.count_behind(actors=["telegram", "twitter"]) == 4
    assert corpus.count_behind(actors=["telegram", "europol"], every_actor=True) == 2
    assert corpus.count_behind(actors=["Twitter"], actor_key="canonical_name") == 2
    assert corpus.count_behind(actors=["telegram"], period=pd.Timestamp("2019-12-01"), granularity="month") == 1
    assert corpus.count_behind(ids=[d1, doc_of_closed(tmp_path, "d2")], actors=["telegram"]) == 1


def doc_of_closed(tmp_path: Path, external_id: str) -> str:
    with store.opened(tmp_path / "s.duckdb", read_only=True) as con:
        return doc_of(con, external_id)


def test_the_themes_actor_counts_follow_a_fit_its_additions_and_merges(analysed):
    """A fit's assignments get their documents' codes when written (a fit, then documents added to it), and the
    theme sizes and actor counts read over those codes equal the ones counted from the mentions."""
    con, tmp_path = analysed
    ids = {e: doc_of(con, e) for e in ("d1", "d2", "d3", "d4")}
    run_id = store.start_run(con, "topics", {}, {})
    topics = pd.DataFrame({"run_id": run_id, "topic_id": [0, 1, 2], "label": ["a", "b", "c"], "size": [2, 1, 1]})
    fitted = pd.DataFrame({"run_id": run_id, "doc_id": [ids["d1"], ids["d3"], ids["d2"]], "topic_id": [0, 0, 1],
                           "probability": 1.0})
    no_rows = pd.DataFrame(columns=["run_id", "doc_id", "topic_id", "weight"])
    store.save_topic_fit(con, run_id, topics, fitted, no_rows, pd.DataFrame(columns=["run_id", "topic_id"]),
                         {"topics": 3})
    store.add_doc_topics(con, pd.DataFrame({"run_id": [run_id], "doc_id": [ids["d4"]], "topic_id": [2],
                                            "probability": [1.0]}), no_rows)
    assert_codes_match(con)
    assert con.execute("SELECT count(doc_code) FROM doc_topics").fetchone()[0] == 4
    store.merge_topic(con, 2, 1)  # d4's theme merged into d2's: {d1, d3} and {d2, d4}
    sizes, counts = store.theme_sizes_and_actor_counts(con, run_id, store.scope(None, run_id), 0.5)
    assert dict(zip(sizes["topic_id"], sizes["documents"], strict=True)) == {0: 2, 1: 2}
    mentions = store.mentions(con)
    theme = {ids["d1"]: 0, ids["d3"]: 0, ids["d2"]: 1, ids["d4"]: 1}
    expected = (mentions.assign(topic_id=mentions["doc_id"].map(theme)).drop_duplicates(["doc_id", "canonical_id"])
                .groupby(["topic_id", "canonical_id"]).size())
    # the bound: int(0.5 × the smallest theme's 2 documents) = 1, so every pair is counted
    assert dict(zip(zip(counts["topic_id"], counts["canonical_id"], strict=True), counts["documents"],
                    strict=True)) == expected.to_dict()
    assert counts.set_index(["topic_id", "canonical_id"]).loc[(0, "telegram"), "documents"] == 2
    pd.testing.assert_frame_equal(counts, store.theme_actor_counts(con, run_id, store.scope(None, run_id)),
                                  check_dtype=False)
