"""What the Amplification page draws and exports, on known data: CSV files with list cells written out and formulas
made inert, the chart builders' data and encodings (groups coloured, nodes sized by posts, the first post of a
cascade marked, significant pairs only unless asked)."""

from __future__ import annotations

import io

import networkx as nx
import pandas as pd
from social_corpus import social_corpus

from analytics import charts, charts_amplification
from analytics.amplification import cascade_events, coordination, coordination_graph
from analytics.app.tables import csv_bytes, flat


def test_csv_writes_lists_out_and_makes_formulas_inert():
    frame = pd.DataFrame({"accounts": [["a", "b"], ["=cmd|' /C calc'!A0"]], "value": ["@public01", "+1-2"],
                          "n": [-3, 4]})
    assert flat(frame)["accounts"].tolist() == ["a; b", "=cmd|' /C calc'!A0"]
    back = pd.read_csv(io.BytesIO(csv_bytes(frame)))
    assert back["accounts"].tolist() == ["a; b", "'=cmd|' /C calc'!A0"]
    assert back["value"].tolist() == ["@public01", "'+1-2"]  # a bare handle calls nothing and stays as it is
    assert back["n"].tolist() == [-3, 4]  # numbers are numbers


def planted():
    data = social_corpus(3, n_organic=120, days=7, n_actions=12)
    return data, coordination(data.posts, data.traces)


def layer_data(chart, index: int) -> pd.DataFrame:
    return chart.layer[index].data


def test_network_chart_colours_groups_sizes_by_posts_and_hides_pairs_that_did_not_pass():
    data, result = planted()
    graph = coordination_graph(result, data.posts, significant_only=False)
    chart = charts_amplification.network_chart(graph)
    nodes = layer_data(chart, 1)
    assert set(nodes["account"]) == data.planted_accounts  # only accounts of pairs that passed
    posts = data.posts.groupby("source").size()
    assert (nodes.set_index("account")["posts"] == posts.reindex(nodes["account"]).to_numpy()).all()
    assert set(nodes["group"]) == {"group 1"}
    spec = chart.to_dict()
    colour = spec["layer"][1]["encoding"]["color"]
    assert colour["scale"]["range"][0] == charts.PALETTE[0] and colour["legend"]["orient"] == "bottom"
    assert spec["layer"][1]["encoding"]["size"]["field"] == "posts"
    everything = charts_amplification.network_chart(graph, significant_only=False)
    assert len(layer_data(everything, 1)) == graph.number_of_nodes() >= len(nodes)
    assert charts_amplification.network_chart(nx.Graph()).to_dict()  # an empty network draws (nothing)


def test_cascades_chart_marks_the_first_post_and_names_each_cascade_once():
    data, _ = planted()
    events = cascade_events(data.posts, data.traces, kinds=("text",))
    events = events.assign(theme_label="no theme", what=events["item_value"])
    chart = charts_amplification.cascades_chart(events)
    names = layer_data(chart, 1)
    assert len(names) == events["cascade_id"].nunique() and names["rank"].eq(1).all()
    spec = chart.to_dict()
    assert spec["layer"][2]["encoding"]["size"]["condition"]["test"] == "datum.first"
    assert spec["layer"][0]["encoding"]["y"]["axis"] is None  # names sit in the plot, not on a wide axis


def test_cascades_over_days_tick_whole_days_named_by_their_date():
    """A week of cascades: ticks on whole days labelled '6 May', so a wide plot cannot end up with only '12 PM' under
    it (what Vega's own ticks gave on a fortnight at 1440 px); a cascade within hours keeps Vega's hour ticks."""
    data, _ = planted()
    events = cascade_events(data.posts, data.traces, kinds=("text",))
    events = events.assign(theme_label="no theme", what=events["item_value"])
    assert events["date"].max() - events["date"].min() > pd.Timedelta(days=5)
    axis = charts_amplification.cascades_chart(events).to_dict()["layer"][0]["encoding"]["x"]["axis"]
    assert axis["format"] == "%-d %b" and axis["tickMinStep"] == 86_400_000
    one = events[events["cascade_id"] == events["cascade_id"].iloc[0]]
    assert one["date"].max() - one["date"].min() < pd.Timedelta(days=1)
    axis = charts_amplification.cascades_chart(one).to_dict()["layer"][0]["encoding"]["x"]["axis"]
    assert "format" not in axis and "tickMinStep" not in axis
