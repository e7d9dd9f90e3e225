"""Amplification through the store: a simulated social corpus written as a 4CAT export, ingested for real (traces
from the texts, near-identical copies by MinHash), then read back by `Corpus` and `narrative coordination`.
The answers are planted: the coordinated accounts, the near-identical chains in posting order, a hashtag that
takes off in the last days; the same corpus without the planted accounts must give no group."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from social_store import EMERGING_TAG, LABELS, UNTIMED_POSTS, build_social_store

from analytics import Corpus, Filters, cli, store
from analytics.amplification import near_duplicate_clusters
from analytics.amplification.contracts import CLUSTER_JSON_KEYS

pytestmark = pytest.mark.flow  # whole stores and surfaces end to end: `make test` and CI, not the quick set

SEEDS = (7, 8)


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """Per seed, the store with the planted accounts and the store of the same corpus without them."""
    built = {}
    for seed in SEEDS:
        built[seed] = build_social_store(tmp_path_factory.mktemp(f"planted{seed}"), seed=seed)
        built[-seed] = build_social_store(tmp_path_factory.mktemp(f"organic{seed}"), seed=seed, n_planted=0)
    return built


def precision_recall(found: set[str], truth: set[str]) -> tuple[float, float]:
    hit = len(found & truth)
    return (hit / len(found) if found else 0.0), hit / len(truth)


def accounts(data) -> dict[str, str]:
    """Store id -> the account that posted it."""
    source = data.corpus.posts.set_index("id")["source"]
    return {doc: source[post] for post, doc in data.store_ids.items()}


def coordination_json(db) -> list[dict]:
    result = CliRunner().invoke(cli.main, ["coordination", "--json", "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_store_holds_every_post_with_its_time_and_its_copies(stores):
    data = stores[7]
    view = Corpus.open(data.db).posts_in_view()
    posts = data.corpus.posts
    assert view.documents == len(posts) == len(data.store_ids)
    assert view.timed == view.documents - UNTIMED_POSTS
    assert view.accounts == posts["source"].nunique()
    assert view.near_duplicates == len(near_duplicate_clusters(posts))  # MinHash found every planted copy


@pytest.mark.parametrize("seed", SEEDS)
def test_cli_json_recovers_the_planted_group_and_stays_silent_without_it(stores, seed):
    data = stores[seed]
    groups = coordination_json(data.db)
    best = max(groups, key=lambda g: len(set(g["accounts"]) & data.planted_accounts))
    precision, recall = precision_recall(set(best["accounts"]), data.planted_accounts)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)
    assert len(groups) == 1
    assert list(best)[1:10] == list(CLUSTER_JSON_KEYS)
    assert 0 < best["p_value"] <= best["q_value"] < 0.05 and best["score"] > 5
    assert best["n_documents"] == len(best["doc_ids"]) and best["first_seen"] <= best["last_seen"]
    owner = accounts(data)
    assert {owner[d] for d in best["doc_ids"]} <= data.planted_accounts  # the evidence is the group's own posts
    assert {d for p in best["pairs"] for d in p["doc_ids"]} == set(best["doc_ids"])
    assert coordination_json(stores[-seed].db) == []


def test_without_the_planted_accounts_many_pairs_are_compared_and_none_passes(stores):
    found = Corpus.open(stores[-7].db).coordination()
    assert found.clusters.empty and not found.pairs["significant"].any()
    assert found.result.pairs_compared > 100
    assert "forming 0 groups" in found.summary


def test_cascades_on_planted_chains_name_the_first_poster_and_the_order(stores):
    data = stores[7]
    corpus = Corpus.open(data.db)
    cascades = corpus.cascades(kinds=("text",))
    by_members = {frozenset(row.doc_ids): row for row in cascades.table.itertuples()}
    with store.opened(data.db, read_only=True) as con:
        kept_as_original = set(store.documents(con, columns=["id", "duplicate_of"]).query("duplicate_of.isna()")["id"])
    account = accounts(data)
    original_not_first = 0
    assert len(data.chains) >= 3
    for chain in data.chains:
        row = by_members[frozenset(chain)]
        assert row.doc_ids == chain  # posting order (posts within the same second by id, as the store keeps them)
        assert row.first_doc == chain[0] and row.first_account == account[chain[0]]
        assert row.n_documents == len(chain) and row.followers == list(dict.fromkeys(account[d] for d in chain))[1:]
        assert row.theme_label == LABELS[0]  # the campaigns were written on the first topic
        assert row.what.startswith(corpus.document(chain[0]).record["text"][:40])
        original_not_first += chain[0] not in kept_as_original
        events = cascades.events[cascades.events["cascade_id"] == row.cascade_id]
        assert events["doc_id"].tolist() == chain and events["rank"].tolist() == list(range(1, len(chain) + 1))
        assert (events["hours_since_first"].diff().dropna() >= 0).all()
    # the export was shuffled: the copy the store kept as the original is mostly not the first post
    assert original_not_first >= len(data.chains) // 2


def test_trace_trends_count_posts_out_of_all_dated_posts_and_find_the_hashtag_that_took_off(stores):
    data = stores[7]
    corpus = Corpus.open(data.db)
    trends = corpus.trace_trends("hashtag", "day", top=5)
    per_day = corpus.volume("day").set_index("period")["count"]
    totals = trends.shares.drop_duplicates("period").set_index("period")["total"]
    assert (totals == per_day.reindex(totals.index)).all()  # the denominator is every dated post of the day
    assert (trends.shares["count"] <= trends.shares["total"]).all()
    significant = trends.changes[trends.changes["significant"]]
    assert significant["subject"].tolist() == [EMERGING_TAG] and significant["kind"].tolist() == ["emerging"]
    texts = corpus.keyword_in_context(EMERGING_TAG.lstrip("#"), significant.iloc[0]["doc_ids"])
    assert texts["doc_id"].nunique() == len(significant.iloc[0]["doc_ids"])
    assert "is emerging" in significant.iloc[0]["sentence"]
    top = trends.top_per_period
    assert (top.groupby("period")["rank"].max() <= 10).all() and (top["count"] <= top["total"]).all()
    for kind in ("domain", "url", "mention"):
        assert not corpus.trace_trends(kind, "day").changes["significant"].any(), kind


def test_filters_reach_every_amplification_view(stores):
    data = stores[7]
    corpus = Corpus.open(data.db)
    first_days = Filters(end=pd.Timestamp("2024-03-08"))
    found = corpus.coordination(first_days)
    everything = corpus.coordination()
    assert 0 < found.result.n_posts < everything.result.n_posts
    dates = corpus.documents_behind(ids=found.evidence())["date"]
    assert len(dates) and (dates < pd.Timestamp("2024-03-09")).all()
    assert (corpus.cascades(first_days).events["date"] < pd.Timestamp("2024-03-09")).all()
    nothing = Filters(source_types=("news",))
    assert corpus.posts_in_view(nothing).documents == 0
    assert corpus.coordination(nothing).summary.startswith("No posts with a time of day")
    assert corpus.cascades(nothing).table.empty and corpus.trace_trends("hashtag", "day", nothing).shares.empty


def test_the_evidence_of_a_group_and_of_an_account_are_its_posts(stores):
    data = stores[7]
    found = Corpus.open(data.db).coordination()
    group = found.clusters.iloc[0]
    behind = found.evidence(cluster=0)
    assert set(behind) == set(group["doc_ids"]) and len(behind) == len(group["doc_ids"])
    dates = Corpus.open(data.db).documents_behind(ids=behind).set_index("id").loc[behind, "date"]
    assert dates.is_monotonic_increasing
    one = found.evidence(account="planted03")
    owner = accounts(data)
    assert one and all(owner[d] == "planted03" for d in one)


@pytest.mark.parametrize("fmt, read", [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_the_network_files_open_in_networkx_with_node_attributes(stores, tmp_path, fmt, read):
    data = stores[7]
    path = tmp_path / f"network.{fmt}"
    result = CliRunner().invoke(cli.main, ["coordination", "--network", str(path), "--db", str(data.db)],
                                catch_exceptions=False)
    assert result.exit_code == 0 and f"wrote {path}" in result.output
    graph = read(path)
    activity = data.corpus.posts.groupby("source").size()
    assert data.planted_accounts <= set(graph.nodes)
    for node, attrs in graph.nodes(data=True):
        assert int(attrs["activity"]) == activity[node]
        assert int(attrs["cluster"]) == (0 if node in data.planted_accounts else -1)
        assert attrs["source_type"] == "social"
    significant = [(a, b) for a, b, d in graph.edges(data=True) if str(d["significant"]).lower() == "true"]
    assert len(significant) == 45


def test_posts_read_again_once_the_store_has_changed(stores, tmp_path):
    """The posts of a filter are kept for the store version they were read from (corpus/amplification.py): new
    posts ingested into the store are counted at the next question."""
    import shutil

    db = tmp_path / "copy.duckdb"
    shutil.copy(stores[7].db, db)
    corpus = Corpus.open(db)
    before = corpus.posts_in_view()
    assert corpus.posts_in_view() == before  # asked again, unchanged
    new = tmp_path / "more.csv"
    pd.DataFrame({"text": [f"A new post number {i} about the harbour and its ferries, written late." for i in range(3)],
                  "date": ["2024-03-01 10:00:00", "2024-03-01 10:05:00", "2024-03-01 10:09:00"],
                  "author": ["late_one", "late_two", "late_three"]}).to_csv(new, index=False)
    result = CliRunner().invoke(cli.main, ["ingest", str(new), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    after = Corpus.open(db).posts_in_view()
    assert after.documents == before.documents + 3 and after.accounts == before.accounts + 3


def test_a_shared_text_is_named_by_its_opening_words_not_by_an_id(stores):
    """A group's shared near-identical texts: the JSON keeps each item's id and adds its opening words
    (shared_texts), taken from the text of the post the item names; the CLI's text prints the words."""
    data = stores[7]
    groups = coordination_json(data.db)
    best = max(groups, key=lambda g: len(set(g["accounts"]) & data.planted_accounts))
    text_items = [i for i in best["shared_items"] if i.startswith("text:")]
    assert text_items and set(best["shared_texts"]) == set(text_items)
    corpus = Corpus.open(data.db)
    for item, opening in best["shared_texts"].items():
        text = " ".join(corpus.document(item.removeprefix("text:")).record["text"].split())
        assert len(opening) >= 20 and text.startswith(opening.strip())
    shown = CliRunner().invoke(cli.main, ["coordination", "--db", str(data.db)], catch_exceptions=False).output
    assert f"text: “{best['shared_texts'][text_items[0]]}”" in shown


# -- the narrow reads give the answers of the whole posts frame ------------------------------------------------------
# The Corpus counts posts in the store and reads only the posts that carry an item (at a million documents reading
# every post cost a second a question); each answer must be the one the amplification functions give on every post
# under the filters, read whole as before. Filters that cut near-identical chains and accounts apart are among them.

CUTS = [Filters(), Filters(end=pd.Timestamp("2024-03-05")), Filters(start=pd.Timestamp("2024-03-04")),
        Filters(themes=(0,)), Filters(themes=(1, 2)), Filters(sources=("planted03", "planted04")),
        Filters(source_types=("news",))]


def whole_view(db, filters):
    """Every post under the filters with its theme, every trace, and the store's count of traced posts."""
    with store.opened(db, read_only=True) as con:
        run_id = store.topic_run_id(con)
        where = store.scope(filters, run_id)
        return store.posts(con, where, run_id), store.post_traces(con, where), store.traced_documents(con, where)


@pytest.mark.parametrize("filters", CUTS, ids=str)
def test_posts_in_view_counted_in_the_store_are_those_of_every_post(stores, filters):
    from analytics.amplification.coordination import timed
    from analytics.corpus.amplification import PostsInView

    posts, _, traced = whole_view(stores[7].db, filters)
    items = posts[["id", "date"]].rename(columns={"id": "doc_id"})
    expected = PostsInView(documents=len(posts), timed=int(timed(items, posts).sum()), with_traces=traced,
                           near_duplicates=len(near_duplicate_clusters(posts)), accounts=int(posts["source"].nunique()))
    assert Corpus.open(stores[7].db).posts_in_view(filters) == expected
    if filters == Filters():
        assert expected.near_duplicates > 0 and expected.timed < expected.documents  # the counts are not trivial


@pytest.mark.parametrize("filters", CUTS, ids=str)
@pytest.mark.parametrize("kinds", [("text", "url"), ("text",), ("hashtag", "url")])
def test_cascades_from_the_carrying_posts_are_those_of_every_post(stores, filters, kinds):
    from analytics import amplification as amp
    from analytics.config import setting

    posts, traces, _ = whole_view(stores[7].db, filters)
    themes = posts.loc[posts["topic_id"].notna(), ["id", "topic_id"]].rename(columns={"id": "doc_id"})
    events = amp.cascade_events(posts, traces[traces["kind"].isin(kinds)], themes.astype({"topic_id": int}), kinds,
                                min_accounts=int(setting("min_cascade_accounts")))
    found = Corpus.open(stores[7].db).cascades(filters, kinds=kinds)
    pd.testing.assert_frame_equal(found.table.drop(columns=["theme_label", "what"]),
                                  amp.cascades_from_events(events), check_dtype=False)
    pd.testing.assert_frame_equal(found.events.drop(columns=["theme_label", "what"]), events.reset_index(drop=True),
                                  check_dtype=False)
    if filters == Filters():
        assert len(found.table) > 0


@pytest.mark.parametrize("filters", CUTS, ids=str)
def test_coordination_from_the_carrying_posts_is_that_of_every_post(stores, filters):
    from analytics import amplification as amp

    posts, traces, _ = whole_view(stores[7].db, filters)
    expected = amp.coordination(posts, traces)
    graph = amp.coordination_graph(expected, posts, significant_only=False)
    found = Corpus.open(stores[7].db).coordination(filters)
    for part in ("pairs", "clusters", "co_posts", "crowds"):
        pd.testing.assert_frame_equal(getattr(found.result, part), getattr(expected, part), check_dtype=False)
    pd.testing.assert_series_equal(found.result.activity, expected.activity, check_dtype=False)
    assert (found.result.n_posts, found.result.n_untimed, found.result.pairs_compared) == (
        expected.n_posts, expected.n_untimed, expected.pairs_compared)
    assert dict(found.network.nodes(data=True)) == dict(graph.nodes(data=True))
    assert sorted(found.network.edges(data=True)) == sorted(graph.edges(data=True))
    if filters == Filters():
        assert len(found.clusters) == 1 and found.network.number_of_nodes() >= 10


@pytest.mark.parametrize("filters", CUTS, ids=str)
@pytest.mark.parametrize("kind", ["hashtag", "domain", "mention"])
def test_trace_trends_are_those_of_every_post(stores, filters, kind):
    from analytics import amplification as amp
    from analytics import findings as engine
    from analytics.corpus.amplification import _periods_enough

    posts, traces, _ = whole_view(stores[7].db, filters)
    traces = traces[traces["kind"] == kind]
    granularity = _periods_enough(posts["date"], "week")
    carriers = traces[["doc_id", "value"]].drop_duplicates()
    items = pd.DataFrame({"doc_id": carriers["doc_id"].to_numpy(), "subject_type": kind,
                          "subject": carriers["value"].to_numpy(), "subject_id": carriers["value"].to_numpy()})
    changes = engine.findings_frame(engine.run(posts[["id", "date", "source", "source_type"]], items, None,
                                               granularity, engine.FindingsSettings(kinds=("emerging", "fading"))))
    found = Corpus.open(stores[7].db).trace_trends(kind, "week", filters, top=5, finer_if_needed=True)
    assert found.granularity == granularity
    pd.testing.assert_frame_equal(found.shares, amp.trace_shares(posts, traces, kind, granularity, top=5),
                                  check_dtype=False)
    pd.testing.assert_frame_equal(found.top_per_period, amp.top_per_period(posts, traces, kind, granularity),
                                  check_dtype=False)
    if changes.empty:
        assert found.changes.empty
    else:
        pd.testing.assert_frame_equal(found.changes, changes, check_dtype=False)
