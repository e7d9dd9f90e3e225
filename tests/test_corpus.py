"""The Corpus read model on stores whose right answer is known: planted themes stored as the fit, gaps in the
collection, filters; every figure compared with the plain pandas oracle or counted by hand."""

from __future__ import annotations

import hashlib
import math
import pickle

import numpy as np
import oracles
import pandas as pd
import pytest
from apptest_store import THEME_IDS, build_app_store, planted_fit, store_planted_fit
from planted import planted_corpus, store_documents

from analytics import Corpus, Filters, store
from analytics import schema as s
from analytics.embeddings import BackendBase
from analytics.errors import BAD_FILTER, StoreOutdatedError, UsageError
from analytics.timeline import wilson_interval


@pytest.fixture(scope="module")
def app_store(tmp_path_factory):
    return build_app_store(tmp_path_factory.mktemp("corpus") / "app.duckdb")


@pytest.fixture(scope="module")
def gappy(tmp_path_factory):
    """Planted documents over 2016 with no document at all in March and in June: two gaps."""
    docs = planted_corpus(n_per_theme=30, start="2016-01-01")
    docs = docs[~docs["date"].dt.month.isin([3, 6])].reset_index(drop=True)
    db = tmp_path_factory.mktemp("gappy") / "gappy.duckdb"
    with store.opened(db) as con:
        store_documents(con, docs)
        store_planted_fit(con, docs)
    return db, docs


def oracle_frames(docs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    return docs[["id", "date", "source", "source_type"]], planted_fit(docs)[["doc_id", "topic_id"]]


def test_theme_shares_equal_the_pandas_oracle_and_keep_gaps_as_gaps(gappy):
    db, docs = gappy
    got = Corpus.open(db).theme_shares("month")
    want = oracles.shares(*oracle_frames(docs), "month")
    merged = got.merge(want, on=["period", "topic_id"], suffixes=("", "_oracle"), validate="one_to_one")
    assert len(merged) == len(got) == len(want) == 12 * 5  # every month of 2016, four themes and the outliers
    assert (merged["count"] == merged["count_oracle"]).all() and (merged["total"] == merged["total_oracle"]).all()
    filled = merged["total"] > 0
    np.testing.assert_allclose(merged.loc[filled, ["share", "ci_low", "ci_high"]].to_numpy(),
                               merged.loc[filled, ["share_oracle", "ci_low_oracle", "ci_high_oracle"]].to_numpy())
    gaps = merged[~filled]
    assert set(gaps["period"].dt.month) == {3, 6}  # the two months without documents
    assert gaps[["share", "ci_low", "ci_high"]].isna().all().all() and gaps["incomplete"].all()
    sums = got[got["total"] > 0].groupby("period")["share"].sum()
    np.testing.assert_allclose(sums, 1.0)
    assert set(got["label"]) >= {"Takedowns & channels", s.OUTLIER_LABEL}


def test_smoothing_pools_counts_and_totals_so_share_and_band_agree(gappy):
    db, _ = gappy
    corpus = Corpus.open(db)
    raw = corpus.theme_shares("month")
    pooled = corpus.theme_shares("month", smooth=3)
    topic = THEME_IDS["battle"]
    k = raw[raw["topic_id"] == topic]["count"].to_numpy()
    n = raw[raw["topic_id"] == topic]["total"].to_numpy()
    want_k = np.array([k[max(0, i - 1):i + 2].sum() for i in range(len(k))])
    want_n = np.array([n[max(0, i - 1):i + 2].sum() for i in range(len(n))])
    row = pooled[pooled["topic_id"] == topic]
    assert row["count"].tolist() == want_k.tolist() and row["total"].tolist() == want_n.tolist()
    assert row["periods_pooled"].tolist() == [2] + [3] * 10 + [2]
    shown = row[row["total"] > 0]
    own_totals = n[row["total"].to_numpy() > 0]
    low, high = wilson_interval(shown["count"].to_numpy(), shown["total"].to_numpy())
    open_ = own_totals > 0  # a gap stays a gap, smoothed or not
    np.testing.assert_allclose(shown["share"].to_numpy()[open_], (shown["count"] / shown["total"]).to_numpy()[open_])
    np.testing.assert_allclose(shown["ci_low"].to_numpy()[open_], low[open_])
    np.testing.assert_allclose(shown["ci_high"].to_numpy()[open_], high[open_])
    assert row.loc[row["period"].dt.month.isin([3, 6]), "share"].isna().all()


def test_top_themes_are_named_and_the_rest_fold_into_other_themes(app_store):
    corpus = Corpus.open(app_store)
    full = corpus.theme_shares("quarter")
    top = corpus.theme_shares("quarter", top=2)
    sizes = corpus.theme_sizes()
    kept = sizes["topic_id"].head(2).tolist()
    assert set(top["topic_id"]) == {*kept, s.OTHER_TOPIC, s.OUTLIER_TOPIC}
    assert set(top.loc[top["topic_id"] == s.OTHER_TOPIC, "label"]) == {s.OTHER_LABEL}
    rest = full[~full["topic_id"].isin([*kept, s.OUTLIER_TOPIC])].groupby("period")["count"].sum()
    other = top[top["topic_id"] == s.OTHER_TOPIC].set_index("period")["count"]
    pd.testing.assert_series_equal(other, rest, check_names=False)
    assert (top.groupby("period")["total"].first() == full.groupby("period")["total"].first()).all()


def test_filters_count_exactly_the_documents_they_let_through(app_store):
    corpus = Corpus.open(app_store)
    with store.opened(app_store, read_only=True) as con:
        docs = store.timeline_documents(con)
        assign = store.doc_topic_table(con, store.topic_run_id(con))
        europol = set(store.actor_documents(con, ["europol"]))
    chosen = docs[(docs["source"].isin(["Outlet A", "Outlet C"])) & (docs["source_type"] == "news")]
    filters = Filters(sources=["Outlet C", "Outlet A"], source_types="news")
    got = corpus.theme_shares("month", filters)
    want = oracles.shares(chosen, assign, "month")
    assert got["count"].tolist() == want["count"].tolist() and got["total"].tolist() == want["total"].tolist()
    assert corpus.summary(filters).in_scope == len(chosen)
    # an actor, a theme, dates (both days included)
    assert set(corpus.documents(Filters(actor="europol"))["id"]) == europol & set(docs["id"])
    battle = set(assign[assign["topic_id"] == THEME_IDS["battle"]]["doc_id"])
    assert set(corpus.documents(Filters(themes=[THEME_IDS["battle"]]))["id"]) == battle
    day = docs["date"].iloc[10].date()
    on_day = set(docs[docs["date"].dt.date == day]["id"])
    assert set(corpus.documents(Filters(start=day, end=day))["id"]) == on_day
    assert Filters(sources=["b", "a", "a"]) == Filters(sources=("a", "b")) and hash(Filters()) == hash(Filters())
    with pytest.raises(UsageError) as err:
        Filters(start="2020-01-02", end="2020-01-01")
    assert err.value.code == BAD_FILTER.code


def test_the_documents_behind_a_point_are_its_count(app_store):
    corpus = Corpus.open(app_store)
    table = corpus.theme_shares("month")
    for row in table[table["count"] > 0].sample(6, random_state=42).itertuples():
        behind = corpus.documents_behind(period=row.period, granularity="month", themes=[row.topic_id])
        assert len(behind) == row.count
        assert (behind["topic_id"] == row.topic_id).all() and (behind["date"] >= row.period).all()
        assert len(corpus.documents_behind(period=row.period, granularity="month")) == row.total


def test_actor_platform_and_pair_tables_equal_the_oracles(app_store):
    corpus = Corpus.open(app_store)
    with store.opened(app_store, read_only=True) as con:
        docs, mentions = store.timeline_documents(con), store.mentions(con)
    key = ["period", "canonical_id"]
    pd.testing.assert_frame_equal(corpus.actor_counts("quarter").sort_values(key, ignore_index=True),
                                  oracles.mention_counts(docs, mentions, "quarter").sort_values(key, ignore_index=True),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(
        corpus.platform_shares("quarter").sort_values(key, ignore_index=True),
        oracles.platform_shares(docs, mentions, "quarter").sort_values(key, ignore_index=True), check_dtype=False)
    pairs = corpus.actor_pairs(min_count=1).set_index(["a", "b"])
    want = oracles.cooccurrence(docs, mentions, min_count=1).set_index(["a", "b"])
    assert pairs["count"].to_dict() == want["count"].to_dict()


def test_reading_a_corpus_never_writes_and_an_old_store_asks_for_migrate(app_store, tmp_path):
    corpus = Corpus.open(app_store)
    before = hashlib.sha256(app_store.read_bytes()).hexdigest()
    corpus.summary(), corpus.theme_shares("week", smooth=2), corpus.findings(), corpus.actor_pairs()
    corpus.document(corpus.documents()["id"].iloc[0]), corpus.search("telegram")
    assert hashlib.sha256(app_store.read_bytes()).hexdigest() == before
    old = tmp_path / "old.duckdb"
    old.write_bytes(app_store.read_bytes())
    with store.opened(old) as con:
        con.execute("DELETE FROM schema_version WHERE version = ?", [store.SCHEMA_VERSION])
    with pytest.raises(StoreOutdatedError) as err:
        Corpus.open(old)
    assert f"narrative migrate --db {old}" in err.value.user_message()


def test_a_custom_backend_on_workers_either_works_or_says_why(fresh_db):
    from analytics.embeddings import passage_vectors
    from analytics.errors import BACKEND_NOT_FOR_WORKERS

    class Remote:
        """A mapper that runs elsewhere: what it runs is pickled there and back, as Dask does."""

        remote = True

        def map(self, fn, items, *args):
            for item in items:
                yield pickle.loads(pickle.dumps(fn))(item, *[pickle.loads(pickle.dumps(a)) for a in args])

    docs = pd.DataFrame({"id": ["a", "b"], "text": ["One short text.", "Another short text here."]})
    with pytest.raises(UsageError) as err:
        passage_vectors(fresh_db, docs, LocalOnly(), mapper=Remote())
    assert err.value.code == BACKEND_NOT_FOR_WORKERS.code
    vectors = passage_vectors(fresh_db, docs, Rebuildable(), mapper=Remote())
    assert len(vectors) == 2 and vectors["vector"].iloc[0].shape == (3,)


class LocalOnly(BackendBase):
    """A backend of one's own that says nothing about workers (the base class's default: it cannot be rebuilt)."""

    name, dimension = "local-only", 3

    def encode(self, texts):
        return np.ones((len(texts), 3), dtype=np.float32) / np.sqrt(3)



def _rebuild():
    return Rebuildable()


class Rebuildable(LocalOnly):
    name = "rebuildable"

    def worker_factory(self):
        return _rebuild


def test_actor_counts_are_read_again_once_the_store_has_changed(app_store, tmp_path):
    """The same question asked again is answered alike, and mentions written into the store are counted at the
    next question (a cache of actor counts keyed without the store version fails here: checked with one)."""
    import shutil

    db = tmp_path / "copy.duckdb"
    shutil.copy(app_store, db)
    corpus = Corpus.open(db)
    before = corpus.actor_counts("quarter")
    pd.testing.assert_frame_equal(corpus.actor_counts("quarter"), before)
    with store.opened(db) as con:
        docs = store.timeline_documents(con)
        dated = docs[docs["date"].notna()]["id"].head(5).tolist()
        rows = pd.DataFrame({"doc_id": dated, "canonical_id": "new_actor", "canonical_name": "New Actor",
                             "label": "ORG", "start_char": 0, "end_char": 3, "sent_start": 0, "sent_end": 10,
                             "text": "new", "origin": "alias"})
        with store.transaction(con):
            store.insert_mentions(con, rows, dated)
    after = Corpus.open(db).actor_counts("quarter")
    assert after[after["canonical_id"] == "new_actor"]["documents"].sum() == 5
    assert before[before["canonical_id"] == "new_actor"].empty


def test_actor_counts_of_chosen_actors_and_the_leading_actors_equal_the_whole_table(app_store):
    """The Actors page asks for the actors it draws and the leading actors of each period, never for every actor
    times every period (posts can name hundreds of thousands of accounts): both equal the cut of the whole table."""
    corpus = Corpus.open(app_store)
    whole = corpus.actor_counts("quarter")
    chosen = tuple(corpus.actors(top=3)["canonical_id"])
    key = ["period", "canonical_id"]
    pd.testing.assert_frame_equal(
        corpus.actor_counts("quarter", actors=chosen).sort_values(key, ignore_index=True),
        whole[whole["canonical_id"].isin(chosen)].sort_values(key, ignore_index=True), check_dtype=False)
    assert corpus.actor_counts("quarter", actors=()).empty
    named = whole[whole["documents"] > 0].sort_values(["period", "documents", "mentions", "canonical_id"],
                                                      ascending=[True, False, False, True], kind="stable")
    want = named.groupby("period").head(2).reset_index(drop=True)
    got = corpus.leading_actors("quarter", per_period=2)
    assert len(got) == len(want) and got["period"].nunique() == want["period"].nunique()
    pd.testing.assert_frame_equal(got.sort_values(key, ignore_index=True), want.sort_values(key, ignore_index=True),
                                  check_dtype=False)


def test_leading_actors_read_narrowly_are_those_of_the_whole_counts(tmp_path):
    """The merge check reads only the theme × actor counts that can lead a theme and the actors that can be named
    everywhere (at a million documents the whole tables took two seconds): its leading actors must be those the
    whole counts give. One actor is added to 60 % of the documents (named everywhere: left out), one to most of
    one theme's documents and a few others (leading there only), and many to one or two documents (never)."""
    from analytics.corpus.themes import EVERYWHERE, LEADING_SHARE

    db = build_app_store(tmp_path / "actors.duckdb")
    con = store.connect(db)
    docs = con.execute("SELECT id, text FROM documents ORDER BY id").df()
    run_id = store.topic_run_id(con)
    themes = store.doc_topic_table(con, run_id).set_index("doc_id")["topic_id"]
    battle = [d for d in docs["id"] if themes.get(d) == THEME_IDS["battle"]]
    named = {"everywhere": list(docs["id"].iloc[: int(len(docs) * 0.6)]),
             "battle_lead": battle[: int(len(battle) * 0.7)] + list(docs["id"].iloc[-5:])}
    named |= {f"rare{i}": list(docs["id"].iloc[i:i + 1 + i % 2]) for i in range(40)}
    # and one on the edge: in just LEADING_SHARE of the smallest theme's documents (the narrow read's bound)
    sizes = store.theme_counts(con, run_id, store.scope(None, run_id)).query("topic_id != -1")
    smallest = sizes.sort_values(["count", "topic_id"]).iloc[0]
    members = [d for d in docs["id"] if themes.get(d) == smallest["topic_id"]]
    named["edge"] = members[: math.ceil(LEADING_SHARE * smallest["count"])]
    rows = [{"doc_id": d, "start_char": 0, "end_char": 1, "sent_start": 0, "sent_end": 1, "text": "x",
             "label": "PERSON", "canonical_id": actor, "canonical_name": actor.title(), "origin": "alias",
             "pipeline_version": "test"} for actor, ids in named.items() for d in ids]
    store.insert_mentions(con, pd.DataFrame(rows), [r["doc_id"] for r in rows])
    where = store.scope(None, run_id)
    counts = store.theme_actor_counts(con, run_id, where)  # the whole tables, as read before
    dated = store.summary(con, where)["in_scope"]
    everywhere = store.actor_totals(con, where)
    con.close()
    corpus = Corpus.open(db)
    sizes = corpus.theme_sizes().set_index("topic_id")["documents"]
    common = set(everywhere.loc[everywhere["documents"] > EVERYWHERE * max(dated, 1), "canonical_id"])
    counts = counts[~counts["canonical_id"].isin(common)]
    counts = counts.assign(share=counts["documents"] / counts["topic_id"].map(sizes).clip(lower=1))
    expected = {int(t): part for t, part in counts[counts["share"] >= LEADING_SHARE].groupby("topic_id")}
    found = corpus._leading_actors()
    assert "everywhere" in common and set(found) == set(expected)
    for topic, part in expected.items():
        pd.testing.assert_frame_equal(found[topic].reset_index(drop=True), part.reset_index(drop=True))
    assert "battle_lead" in set(found[THEME_IDS["battle"]]["canonical_id"])
    assert "edge" in set(found[int(smallest["topic_id"])]["canonical_id"])
    assert not any(set(part["canonical_id"]) & ({"everywhere"} | {f"rare{i}" for i in range(40)})
                   for part in found.values())


def test_a_citation_leaves_out_an_author_or_link_the_document_does_not_have(tmp_path):
    """When some documents of a list have an author (or a URL) and others not, the missing ones come out of the
    store as NaN, not None: a citation must leave them out, never cite "nan"."""
    db = build_app_store(tmp_path / "cite.duckdb")
    con = store.connect(db)
    ids = [r[0] for r in con.execute("SELECT id FROM documents ORDER BY id LIMIT 3").fetchall()]
    con.execute("UPDATE documents SET author = 'Jane Roe', url = 'https://example.org/a' WHERE id = ?", [ids[0]])
    con.close()
    cited = Corpus.open(db).documents_to_cite(ids=ids).set_index("id")["citation"]
    assert cited[ids[0]].startswith("Jane Roe, “Report ") and cited[ids[0]].endswith(", https://example.org/a.")
    for doc in ids[1:]:
        assert "nan" not in cited[doc].lower() and cited[doc].startswith("“Report ") and cited[doc].endswith("2016.")
