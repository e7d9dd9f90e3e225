"""What leaves the package: the network files Gephi opens, the JSON of `narrative coordination --json`, the settings,
and the plain errors bad frames get."""

from __future__ import annotations

import json
from functools import cache

import networkx as nx
import pandas as pd
import pytest
from social_corpus import social_corpus

from analytics.amplification import (
    SETTINGS,
    AmplificationInputError,
    CoordinationParams,
    cluster_sentences,
    clusters_json,
    coordination,
    coordination_summary,
    shared_items,
)
from analytics.amplification import contracts as c
from analytics.amplification.network import coordination_graph, network_bytes, write_network


@cache
def planted():
    data = social_corpus(1)
    return data, coordination(data.posts, data.traces)


@pytest.mark.parametrize("suffix", ["gexf", "graphml"])
def test_network_files_reopen_with_their_attributes(tmp_path, suffix):
    data, result = planted()
    graph = coordination_graph(result, data.posts)
    path = write_network(graph, tmp_path / f"network.{suffix}")
    back = nx.read_gexf(path) if suffix == "gexf" else nx.read_graphml(path)
    assert set(back.nodes) == data.planted_accounts
    assert back.number_of_edges() == len(result.significant_pairs) == 45
    posts_per_account = data.posts.groupby("source").size()
    for node, attrs in back.nodes(data=True):
        assert int(attrs["activity"]) == posts_per_account[node]
        assert int(attrs["cluster"]) == 0
        assert attrs["source_type"] == "social"
    pairs = result.pairs.set_index([c.ACCOUNT_A, c.ACCOUNT_B])
    for a, b, attrs in back.edges(data=True):
        row = pairs.loc[tuple(sorted((a, b)))]
        assert int(attrs["weight"]) == row[c.CO_POSTS]
        assert attrs["shared_items"].split(" | ") == row[c.SHARED_ITEMS]
        assert float(attrs["q_value"]) == pytest.approx(row[c.Q_VALUE])


def test_corpus_text_in_names_and_items_is_escaped_in_the_files():
    data, _ = planted()
    odd = {a: f'<b>{a}</b> & "co"' for a in data.planted_accounts}
    posts = data.posts.assign(source=data.posts["source"].replace(odd))
    traces = data.traces.assign(value=data.traces["value"].str.replace("campaign.example", "<script>x</script>"))
    result = coordination(posts, traces)
    graph = coordination_graph(result, posts)
    for fmt, read in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        raw = network_bytes(graph, fmt)
        assert b"<script>" not in raw and b"<b>" not in raw
        back = read(pd.io.common.BytesIO(raw))
        assert set(back.nodes) == set(odd.values())
        items = " | ".join(d["shared_items"] for _, _, d in back.edges(data=True))
        assert "<script>x</script>" in items


def test_json_view_has_the_issue_keys_and_serialises():
    data, result = planted()
    records = clusters_json(result)
    assert len(records) == 1
    record = records[0]
    assert list(record)[1:10] == list(c.CLUSTER_JSON_KEYS)
    assert set(record) == {"cluster", "pairs", *c.CLUSTER_JSON_KEYS}
    text = json.dumps(records)
    assert json.loads(text) == records
    assert set(record["accounts"]) == data.planted_accounts
    assert record["n_documents"] == len(record["doc_ids"])
    assert record["first_seen"] <= record["last_seen"] and record["first_seen"].endswith("Z")
    assert 0 < record["p_value"] <= record["q_value"] < 0.05
    assert len(record["pairs"]) == 45
    docs_in_pairs = {d for p in record["pairs"] for d in p["doc_ids"]}
    assert docs_in_pairs == set(record["doc_ids"])


def test_every_parameter_is_a_declared_setting_with_help():
    assert set(CoordinationParams.names()) <= set(SETTINGS)
    for name, setting in SETTINGS.items():
        assert setting.name == name and len(setting.help) > 20
    defaults = CoordinationParams()
    assert defaults.coordination_window == 60 and defaults.null_window == 1800 and defaults.min_repeats == 3


@pytest.mark.parametrize("options, message", [
    ({"coordination_window": 2000}, "shorter than the null window"),
    ({"min_repeats": 0}, "min_repeats must be at least 1"),
    ({"coordination_kinds": "url,tweets"}, "unknown coordination kind(s) tweets"),
    ({"cluster_method": "magic"}, "unknown cluster method"),
])
def test_bad_settings_are_refused_with_the_reason(options, message):
    with pytest.raises(AmplificationInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        CoordinationParams(**options)


def test_bad_frames_name_the_frame_the_row_and_the_reason():
    posts = pd.DataFrame({"id": ["a", "b", "a"], "date": pd.to_datetime(["2024-01-01"] * 3), "source": "x"})
    traces = pd.DataFrame({"doc_id": ["a"], "kind": ["url"], "value": ["u.example"]})
    with pytest.raises(AmplificationInputError, match=r"posts: row 0: document id 'a' appears more than once"):
        shared_items(posts, traces, ("url",))
    with pytest.raises(AmplificationInputError, match=r"posts: missing column\(s\) source"):
        shared_items(posts.drop(columns="source").iloc[:2], traces, ("url",))
    bad = pd.DataFrame({"doc_id": ["a", "b"], "kind": ["url", "tweet"], "value": ["u", "v"]})
    with pytest.raises(AmplificationInputError, match=r"traces: row 1: unknown trace kind 'tweet'"):
        shared_items(posts.iloc[:2], bad, ("url",))
    with pytest.raises(AmplificationInputError, match=r"traces: missing column\(s\) value"):
        coordination(posts.iloc[:2], traces.drop(columns="value"))


def test_empty_inputs_give_empty_tables_not_errors():
    posts = pd.DataFrame({"id": pd.Series(dtype=str), "date": pd.Series(dtype="datetime64[ns]"),
                          "source": pd.Series(dtype=str)})
    traces = pd.DataFrame({"doc_id": pd.Series(dtype=str), "kind": pd.Series(dtype=str),
                           "value": pd.Series(dtype=str)})
    result = coordination(posts, traces)
    assert result.pairs.empty and result.clusters.empty and clusters_json(result) == []
    assert coordination_graph(result).number_of_nodes() == 0


def test_sentences_say_what_was_compared_and_found_in_plain_words():
    data, result = planted()
    summary = coordination_summary(result)
    assert f"{result.pairs_compared:,} pairs of accounts" in summary and "forming 1 group." in summary
    (sentence,) = cluster_sentences(result)
    group = result.clusters.iloc[0]
    # each campaign action is one moment (organic chance coincidences of members could add one or two)
    assert 20 <= group["moments"] <= 22
    assert sentence.startswith("Group 1: 10 accounts") and f"at {group['moments']} different moments" in sentence


def test_summary_names_what_was_left_out():
    posts = pd.DataFrame({"id": ["a", "b"], "source": ["x", "y"], "date": pd.to_datetime(["2024-02-01"] * 2)})
    traces = pd.DataFrame({"doc_id": ["a", "b"], "kind": "url", "value": "u.example/1"})
    summary = coordination_summary(coordination(posts, traces))
    assert summary.startswith("No posts with a time of day") and "2 posts were left out" in summary
