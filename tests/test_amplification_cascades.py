"""Cascades and near-duplicate clusters on chains whose order is known."""

from __future__ import annotations

import pandas as pd
import pytest
from social_corpus import social_corpus

from analytics.amplification import contracts as c
from analytics.amplification import near_duplicate_clusters
from analytics.amplification.cascades import cascade_events, cascades
from analytics.amplification.items import hashtag_sequences


def test_planted_near_duplicate_chains_give_the_first_poster_and_the_order():
    data = social_corpus(3)
    table = cascades(data.posts, data.traces, kinds=(c.TEXT,))
    owner = data.posts.set_index("id")["source"]
    assert len(data.planted_chains) >= 5
    for chain in data.planted_chains:
        row = table[table["first_doc"] == chain[0]]
        assert len(row) == 1
        row = row.iloc[0]
        assert row[c.DOC_IDS] == chain
        assert row["first_account"] == owner[chain[0]]
        followers = list(dict.fromkeys(owner[chain[1:]]))
        assert row["followers"] == [a for a in followers if a != owner[chain[0]]]
        assert row[c.N_DOCUMENTS] == len(chain)
        # the campaign's posts fall within a minute of each other
        assert row["hours"] * 3600 <= 60


def test_first_poster_comes_from_dates_not_from_the_stored_original():
    """The store links copies to the first one it ingested; here that is the second post in time."""
    posts = pd.DataFrame({
        "id": ["c1", "a1", "b1", "a2", "z"],
        "date": pd.to_datetime(["2024-01-05 10:00", "2024-01-05 09:00", "2024-01-05 11:00", "2024-01-05 12:00",
                                "2024-01-06 08:00"], utc=True),
        "source": ["C", "A", "B", "A", "Z"],
        "source_type": ["social", "news", "social", "news", "social"],
        "duplicate_of": [None, "c1", "c1", "c1", None],
    })
    traces = pd.DataFrame(columns=["doc_id", "kind", "value", "position"])
    assignments = pd.DataFrame({"doc_id": ["c1", "a1", "b1", "a2", "z"], "topic_id": [2, 2, -1, 5, 7]})
    table = cascades(posts, traces, assignments)
    assert len(table) == 1
    row = table.iloc[0]
    assert row[c.CASCADE_ID] == "text:c1"
    assert (row["first_doc"], row["first_account"], row["first_source_type"]) == ("a1", "A", "news")
    assert row[c.DOC_IDS] == ["a1", "c1", "b1", "a2"]
    assert row["followers"] == ["C", "B"]
    assert (row[c.N_DOCUMENTS], row["n_accounts"], row["n_sources"], row["n_source_types"]) == (4, 3, 3, 2)
    assert row["source_types"] == ["news", "social"]  # two of each: ties alphabetical
    assert row["hours"] == pytest.approx(3.0)
    assert row["themes"] == [2, -1, 5] and row["theme"] == 2
    events = cascade_events(posts, traces, assignments)
    assert events["doc_id"].tolist() == ["a1", "c1", "b1", "a2"]
    assert events["rank"].tolist() == [1, 2, 3, 4]
    assert events["hours_since_first"].tolist() == pytest.approx([0.0, 1.0, 2.0, 3.0])
    assert events["new_account"].tolist() == [True, True, True, False]
    assert events["topic_id"].tolist() == [2, 2, -1, 5]


def test_links_and_hashtags_are_cascades_only_when_two_accounts_share_them():
    posts = pd.DataFrame({
        "id": ["p1", "p2", "p3", "p4"], "source": ["A", "A", "B", "C"],
        "date": pd.to_datetime(["2024-03-01 10:00", "2024-03-01 10:05", "2024-03-01 11:00", "2024-03-02 09:00"]),
    })
    traces = pd.DataFrame({
        "doc_id": ["p1", "p2", "p3", "p4", "p1", "p3", "p4"],
        "kind": ["url", "url", "url", "url", "hashtag", "hashtag", "hashtag"],
        "value": ["solo.example/x", "solo.example/x", "shared.example/y", "shared.example/y", "#tag", "#tag", "#tag"],
        "position": [10, 10, 10, 10, 0, 0, 0],
    })
    table = cascades(posts, traces).set_index(c.CASCADE_ID)
    assert set(table.index) == {"url:shared.example/y", "hashtag:#tag"}
    assert table.loc["hashtag:#tag", "followers"] == ["B", "C"]
    assert table.loc["url:shared.example/y", "first_account"] == "B"
    assert table.loc["url:shared.example/y", "followers"] == ["C"]
    assert pd.isna(table.loc["hashtag:#tag", "theme"]) and table.loc["hashtag:#tag", "themes"] == []
    assert table.index[0] == "hashtag:#tag"  # the widest reach first


def test_near_duplicate_clusters_follow_chains_cycles_and_missing_originals():
    posts = pd.DataFrame({
        "id": ["a", "b", "c", "x", "y", "p", "q", "lonely", "solo"],
        "duplicate_of": [None, "a", "b", "y", "x", "gone", "gone", "gone2", None],
    })
    clusters = near_duplicate_clusters(posts).set_index("doc_id")[c.CLUSTER].to_dict()
    assert clusters == {"a": "a", "b": "a", "c": "a", "x": "x", "y": "x", "p": "gone", "q": "gone"}


def test_hashtag_sequences_keep_the_order_of_appearance():
    traces = pd.DataFrame({
        "doc_id": ["d1", "d1", "d1", "d2", "d3", "d3"], "kind": ["hashtag"] * 5 + ["url"],
        "value": ["#b", "#a", "#c", "#a", "#z", "x.example"], "position": [20, 3, 40, 0, 0, 1],
    })
    seq = hashtag_sequences(traces).set_index("doc_id")["value"].to_dict()
    assert seq == {"d1": "#a #b #c", "d2": "#a", "d3": "#z"}
    assert set(hashtag_sequences(traces, min_hashtags=2)["doc_id"]) == {"d1"}


def test_cascades_take_the_themes_of_their_documents():
    data = social_corpus(1)
    assignments = pd.DataFrame({"doc_id": data.posts["id"], "topic_id": data.posts.index % 3})
    table = cascades(data.posts, data.traces, assignments)
    by_doc = assignments.set_index("doc_id")["topic_id"]
    for row in table.head(20).itertuples(index=False):
        counts = by_doc[row.doc_ids].value_counts()
        assert row.themes[0] in set(counts[counts == counts.max()].index)
        assert sorted(row.themes) == sorted(counts.index)


def test_numeric_ids_in_one_frame_and_text_in_another_still_join():
    posts = pd.DataFrame({"id": [1, 2, 3], "source": ["a", "b", "c"],
                          "date": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 09:00", "2024-01-01 11:00"])})
    traces = pd.DataFrame({"doc_id": ["1", "2", "3"], "kind": "url", "value": "x.example/1"})
    row = cascades(posts, traces, pd.DataFrame({"doc_id": [1, 2, 3], "topic_id": [4, 4, 9]})).iloc[0]
    assert (row["first_doc"], row["followers"], row[c.DOC_IDS], row["theme"]) == ("2", ["a", "c"], ["2", "1", "3"], 4)


def test_lists_per_cascade_are_those_of_groupby_agg_list():
    """The cascade table gathers doc ids, followers, source types and themes per cascade without pandas' Python
    call per group; each list must be the one groupby(...).agg(list) gives, in row order, missing keys left out."""
    import random

    from analytics.amplification.cascades import _lists

    rng = random.Random(42)
    keys = pd.Series([rng.choice(["u:a", "t:b", "h:c", None, "u:d"]) for _ in range(500)], dtype="str")
    values = pd.Series([f"doc{rng.randrange(1000)}" for _ in range(500)], dtype="str")
    expected = pd.DataFrame({"k": keys, "v": values}).groupby("k", sort=False)["v"].agg(list)
    found = _lists(keys, values)
    assert found.to_dict() == expected.to_dict() and list(found.index) == list(expected.index)
    numbers = pd.Series(range(500))
    assert _lists(keys, numbers).to_dict() == pd.DataFrame({"k": keys, "v": numbers}).groupby("k")["v"].agg(list).to_dict()
    assert _lists(keys[:0], values[:0]).empty
