"""The chart system on stores whose right answers are known: stacked shares that never pass 100 %, periods without
documents drawn as gaps (never 0 %), smoothed shares and bands from the same pooled counts, colours that stay with
their theme or actor across views and after a merge, a palette with enough contrast that stays apart for colour-blind
readers, event labels that never overlap, and the layout every chart shares."""

from __future__ import annotations

import itertools
import json
import random
import re

import numpy as np
import pandas as pd
import pytest
from apptest_store import build_app_store, store_planted_fit
from planted import planted_corpus, store_documents

from analytics import Corpus, Filters, charts, edits, store
from analytics import schema as s
from analytics.charts import colours, events, layout, stacked, tooltips
from analytics.timeline import wilson_interval

GAP = ("2016-04-01", "2016-07-01")  # the planted store has no document dated in these three months


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    return build_app_store(tmp_path_factory.mktemp("charts") / "app.duckdb")


@pytest.fixture(scope="module")
def gap_db(tmp_path_factory):
    """Planted documents of 2016 without April, May and June; every theme's documents and events known."""
    db = tmp_path_factory.mktemp("gaps") / "gaps.duckdb"
    docs = planted_corpus(n_per_theme=40, start="2016-01-01")
    docs = docs[(docs["date"] < GAP[0]) | (docs["date"] >= GAP[1])].reset_index(drop=True)
    con = store.connect(db)
    store_documents(con, docs)
    store_planted_fit(con, docs)
    store.replace_events(con, pd.DataFrame({
        "date": pd.to_datetime(["2016-02-10", "2016-02-12", "2016-09-01", "2016-11-20"]),
        "date_precision": "day", "label": ["First event", "Second event, two days later", "Third", "Fourth"],
        "description": ["one", "two", "three", "four"], "kind": "policy"}))
    store.set_meta(con, "corpus_name", "Planted corpus with a gap")
    con.close()
    return db


def datasets(chart) -> dict[str, list[dict]]:
    return chart.to_dict()["datasets"]


def walk(node):
    """Every dict inside a spec."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def layer_data(chart, mark: str, **where) -> list[dict]:
    """The rows of the first layer drawn with `mark` whose mark properties include `where`."""
    spec = chart.to_dict()
    for layer in spec["layer"]:
        m = layer["mark"]
        m = m if isinstance(m, dict) else {"type": m}
        if m["type"] == mark and all(m.get(k) == v for k, v in where.items()):
            return spec["datasets"][layer["data"]["name"]]
    raise AssertionError(f"no {mark} layer with {where}")


def colour_map(chart) -> dict[str, str]:
    """Series label → colour, from the chart's colour scale."""
    for node in walk(chart.to_dict()):
        scale = node.get("scale") if isinstance(node.get("scale"), dict) else None
        if node.get("field") in ("series", s.LABEL, s.CANONICAL_NAME) and scale and "range" in scale:
            return dict(zip(scale["domain"], scale["range"], strict=True))
    raise AssertionError("no colour scale")


# -- stacked shares ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("granularity", ["month", "quarter", "year"])
@pytest.mark.parametrize("smooth", [1, 3])
def test_stacked_shares_never_pass_100_percent(app_db, granularity, smooth):
    table = Corpus.open(app_db).theme_shares(granularity, smooth=smooth, top=2)
    chart = charts.themes_chart(table, granularity=granularity)
    bands = pd.DataFrame(layer_data(chart, "area"))
    assert bands["y1"].max() <= 1 + 1e-9 and bands["y0"].min() >= -1e-9
    cells = pd.DataFrame(layer_data(chart, "rect", fillOpacity=0.001))
    tops = cells.groupby(s.PERIOD)["y1"].max()
    assert np.allclose(tops, 1.0)  # each period's themes, other themes and outliers fill the column exactly
    spec = chart.to_json()
    assert '"monotone"' not in spec and '"basis"' not in spec and '"cardinal"' not in spec
    assert '"stack"' not in spec  # stacked here, not by Vega-Lite (which would fill a gap with 0)
    y_scales = [n["scale"] for n in walk(chart.to_dict()) if n.get("field") == "y1" and "scale" in n]
    assert y_scales and all(sc["domain"] == [0, 1.0] and sc.get("nice") is False for sc in y_scales)


def test_periods_without_documents_are_gaps_not_zeros(gap_db):
    corpus = Corpus.open(gap_db)
    table = corpus.theme_shares("month")
    empty = table[(table[s.PERIOD] >= GAP[0]) & (table[s.PERIOD] < GAP[1])]
    assert len(empty) and empty[s.SHARE].isna().all() and (empty[s.TOTAL] == 0).all()
    chart = charts.themes_chart(table, granularity="month")
    bands = pd.DataFrame(layer_data(chart, "area"))
    bands[s.PERIOD] = pd.to_datetime(bands[s.PERIOD])
    inside = bands[(bands[s.PERIOD] >= GAP[0]) & (bands[s.PERIOD] < GAP[1])]
    # The only points in the gap close the March steps at 1 April, at March's own values (never a fall to 0).
    assert set(inside[s.PERIOD]) == {pd.Timestamp(GAP[0])}
    march = bands[bands[s.PERIOD] == "2016-03-01"].set_index("series")
    assert np.allclose(inside.set_index("series").loc[march.index, "y1"], march["y1"])
    assert (inside["y1"] > 0).any()
    # Each band is two segments, one before and one after the gap.
    assert (bands.groupby("series")["segment"].nunique() == 2).all()
    cells = pd.DataFrame(layer_data(chart, "rect", fillOpacity=0.001))
    assert not pd.to_datetime(cells[s.PERIOD]).between(GAP[0], "2016-06-30").any()
    shade = pd.DataFrame(layer_data(chart, "rect", color="#EFEFEF"))
    assert sorted(pd.to_datetime(shade[s.PERIOD]).dt.month) == [4, 5, 6]
    assert set(shade["note"]) == {"no documents: a gap, not a zero"}
    # The compact table and the data file say so too: '–' in the table, empty cells in the CSV.
    wide, periods = charts.compact_table(table, s.LABEL, granularity="month")
    assert (wide.loc[[i for i, p in enumerate(periods) if GAP[0] <= str(p.date()) < GAP[1]]]
            .drop(columns="period") == "–").all().all()
    data = charts.readable_data(table, "month")
    assert data.loc[data["period"] == "May 2016", "share"].isna().all()


def test_a_gap_breaks_lines_too(gap_db):
    corpus = Corpus.open(gap_db)
    one = corpus.theme_shares("month", keep=[0])
    chart = charts.share_with_band(one[one[s.TOPIC_ID] == 0], granularity="month")
    line = pd.DataFrame(layer_data(chart, "line"))
    assert line["line_id"].nunique() == 2
    assert not pd.to_datetime(line[s.PERIOD]).between(GAP[0], "2016-06-30").any()


def test_year_granularity_is_drawn_as_years(app_db):
    table = Corpus.open(app_db).theme_shares("year", top=2)
    chart = charts.themes_chart(table, granularity="year")
    spec = chart.to_dict()
    axes = [n["axis"] for n in walk(spec) if n.get("field") == s.PERIOD and isinstance(n.get("axis"), dict)]
    assert axes and all(a["format"] == "%Y" and a["tickCount"] == {"interval": "year", "step": 1} for a in axes)
    assert {layer["mark"]["interpolate"] for layer in spec["layer"] if isinstance(layer["mark"], dict)
            and layer["mark"]["type"] == "area"} == {"step-after"}
    cells = pd.DataFrame(layer_data(chart, "rect", fillOpacity=0.001))
    spans = pd.to_datetime(cells["period_end"]) - pd.to_datetime(cells[s.PERIOD])
    assert (spans >= pd.Timedelta(days=365)).all()  # each step covers its whole year


# -- smoothing: one set of pooled counts for the share, its band and its words ------------------------------------

def test_smoothed_share_band_and_tooltip_come_from_the_same_pooled_counts(app_db):
    corpus = Corpus.open(app_db)
    raw = corpus.theme_shares("month", keep=[0])
    pooled = corpus.theme_shares("month", smooth=3, keep=[0])
    one, one_raw = (t[t[s.TOPIC_ID] == 0].reset_index(drop=True) for t in (pooled, raw))
    chart = charts.share_with_band(one, granularity="month")
    band = pd.DataFrame(layer_data(chart, "area"))
    points = pd.DataFrame(layer_data(chart, "point", size=46))
    for i in range(1, len(one) - 1):  # interior months pool the month before and after
        k, n = one_raw[s.COUNT][i - 1:i + 2].sum(), one_raw[s.TOTAL][i - 1:i + 2].sum()
        assert (one[s.COUNT][i], one[s.TOTAL][i]) == (k, n)
        low, high = wilson_interval(np.array([k]), np.array([n]))
        row = band[pd.to_datetime(band[s.PERIOD]) == one[s.PERIOD][i]].iloc[0]
        assert np.isclose(row[s.CI_LOW], low[0]) and np.isclose(row[s.CI_HIGH], high[0])
        assert np.isclose(row[s.SHARE], k / n)
        words = points[pd.to_datetime(points[s.PERIOD]) == one[s.PERIOD][i]].iloc[0]
        first, last = (one[s.PERIOD][i] + pd.DateOffset(months=d) for d in (-1, 1))
        assert words["documents_text"] == (f"{k} of {n} documents (pooled over 3 months: {first:%B %Y} – "
                                           f"{last:%B %Y})")
        assert words["interval_text"] == f"{tooltips.percent(low[0])} to {tooltips.percent(high[0])}"
    texts = " ".join(points["documents_text"])
    assert not re.search(r"\d\.\d", texts)  # whole documents only


# -- colours ---------------------------------------------------------------------------------------------------------

MACHADO = {  # Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def lab(colour: str, vision: str | None = None) -> np.ndarray:
    """CIELAB of a colour as seen with `vision` (None: typical colour vision)."""
    rgb = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    if vision:
        linear = np.clip(np.array(MACHADO[vision]) @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_palette_has_contrast_on_white_and_stays_apart_for_colour_blind_readers():
    every = [*colours.PALETTE, colours.OTHER_GREY, colours.UNASSIGNED_GREY, *colours.SOURCE_TYPE_COLOURS.values()]
    assert min(colours.contrast_ratio(c) for c in every) >= 3.0
    assert "#F0E442" not in {c.upper() for c in every}
    assert round(colours.contrast_ratio("#F0E442"), 2) == 1.32 and round(colours.contrast_ratio("#000000")) == 21
    for vision in (None, *MACHADO):
        distances = [np.linalg.norm(lab(a, vision) - lab(b, vision))
                     for a, b in itertools.combinations([*colours.PALETTE, colours.OTHER_GREY,
                                                         colours.UNASSIGNED_GREY], 2)]
        assert min(distances) >= 9.5, vision  # CIELAB ΔE: clearly different side by side
    assert np.linalg.norm(lab(colours.OTHER_GREY) - lab(colours.UNASSIGNED_GREY)) >= 25


def test_a_series_keeps_its_colour_whatever_else_the_view_shows():
    rng = random.Random(42)
    own = {n: colours.PALETTE[n % len(colours.PALETTE)] for n in range(len(colours.PALETTE))}
    for _ in range(200):
        shown = rng.sample(range(40), rng.randint(1, 14))
        got = colours.series_colours({n: n for n in shown})
        assert all(got[n] == own[n] for n in shown if n < len(colours.PALETTE))  # the first twelve never move
        if len(shown) <= len(colours.PALETTE):
            assert len(set(got.values())) == len(shown)  # and no two series of one view share a colour
    fixed = colours.theme_colours([s.OUTLIER_TOPIC, s.OTHER_TOPIC, 0])
    assert fixed[s.OUTLIER_TOPIC] == colours.UNASSIGNED_GREY and fixed[s.OTHER_TOPIC] == colours.OTHER_GREY


def test_theme_colours_are_the_same_in_every_view_and_after_a_merge(app_db, tmp_path):
    corpus = Corpus.open(app_db)
    everything = colour_map(charts.themes_chart(corpus.theme_shares("quarter")))
    two = colour_map(charts.themes_chart(corpus.theme_shares("month", top=2)))
    one_source = colour_map(charts.themes_chart(corpus.theme_shares("quarter", Filters(sources=["Outlet B"]),
                                                                     keep=[2, 3])))
    single = colour_map(charts.share_with_band(corpus.theme_shares("month", keep=[1, 3])))
    for view in (two, one_source, single):
        for label, colour in view.items():
            if label != s.OTHER_LABEL:
                assert everything[label] == colour, label
    db = tmp_path / "merged.duckdb"
    db.write_bytes(app_db.read_bytes())
    labels = corpus.labels()
    edits.merge_themes(db, 3, 1)  # economy into battle
    merged = colour_map(charts.themes_chart(Corpus.open(db).theme_shares("quarter")))
    assert labels[3] not in merged
    assert {label: merged[label] for label in merged} == {label: everything[label] for label in merged}


def test_an_actor_has_one_colour_on_every_chart(app_db):
    corpus = Corpus.open(app_db)
    order = corpus.actors()[s.CANONICAL_ID].tolist()
    counts = corpus.actor_counts("quarter")
    pairs = [["telegram", "europol"], ["telegram", "mosul", "anonymous"], ["anonymous", "telegram"]]
    seen = [colour_map(charts.actors_chart(counts[counts[s.CANONICAL_ID].isin(p)], corpus_order=order))
            for p in pairs]
    seen.append(colour_map(charts.platform_chart(corpus.platform_shares("quarter"), corpus_order=order)))
    assert len({view["Telegram"] for view in seen}) == 1
    assert seen[1]["Anonymous"] == seen[2]["Anonymous"]


# -- events ------------------------------------------------------------------------------------------------------------

def test_event_labels_never_overlap_and_wider_charts_write_more():
    rng = random.Random(42)
    dates = sorted(pd.Timestamp("2014-01-01") + pd.Timedelta(days=rng.randrange(0, 7 * 365)) for _ in range(75))
    ev = pd.DataFrame({s.DATE: dates, s.LABEL: [f"Event number {i} " + "x" * rng.randrange(0, 25) for i in range(75)],
                       "description": "", "kind": "policy", events.IMPORTANCE: [rng.randrange(0, 30) for _ in range(75)]})
    placed = events.place_labels(ev)
    assert len(placed) == 75
    written = []
    for width in (240, 300, 390, 600, 900, 1300):
        shown = placed[placed["min_width"] <= width]
        written.append(set(shown.index))
        for row in range(events.ROWS):
            same = shown[shown["row"] == row].index
            for i, j in itertools.combinations(same, 2):
                assert events._apart(placed, i, j, width), (width, i, j)
    assert all(a <= b for a, b in itertools.pairwise(written)) and len(written[0]) < len(written[-1])
    most = placed.loc[placed[events.IMPORTANCE].idxmax()]
    assert most["min_width"] == 0  # the most important event is always written
    assert (placed["text"].str.len() <= events.LABEL_CHARS).all()


def test_events_sit_in_a_strip_below_the_plot_with_every_event_hoverable(gap_db):
    corpus = Corpus.open(gap_db)
    evs = corpus.events()
    assert evs["documents_after"].tolist() == [
        int(((corpus.documents()[s.DATE] >= d) & (corpus.documents()[s.DATE] < d + pd.Timedelta(weeks=4))).sum())
        for d in evs[s.DATE]]
    chart = charts.themes_chart(corpus.theme_shares("month"), events=evs, granularity="month")
    spec = chart.to_dict()
    ticks = [layer for layer in spec["layer"] if layer["mark"] == {"type": "rule", "color": layout.MUTED,
                                                                    "strokeWidth": 1.5}]
    assert len(ticks) == 1 and ticks[0]["encoding"]["y"]["value"] > spec["height"]  # below the plot
    assert len(spec["datasets"][ticks[0]["data"]["name"]]) == len(evs)
    assert spec["height"] == layout.PLOT_HEIGHT  # the strip adds to the figure, not taken from the plot


# -- layout --------------------------------------------------------------------------------------------------------------

def test_every_chart_follows_its_column_keeps_its_plot_height_and_lists_every_legend_entry(app_db):
    corpus = Corpus.open(app_db)
    built = [charts.themes_chart(corpus.theme_shares("month")), charts.share_with_band(corpus.theme_shares(
        "month", keep=[0])), charts.actors_chart(corpus.actor_counts("month")),
        charts.volume_chart(corpus.volume("month", by=s.SOURCE_TYPE)), charts.heatmap(corpus.share_of_voice()),
        charts.platform_chart(corpus.platform_shares("month"))]
    for chart in built:
        spec = chart.to_dict()
        assert spec["width"] == "container" and spec["autosize"]["type"] == "fit-x"
        assert spec["height"] >= (charts.MIN_PLOT_HEIGHT if chart is not built[4] else 24 * 4)
        assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"
        for legend in (n["legend"] for n in walk(spec) if isinstance(n.get("legend"), dict)):
            if "columns" in legend:  # the house legend: below the plot, every entry listed, columns by width
                assert legend["orient"] == "bottom"
                assert legend["symbolLimit"] == 0 and "expr" in legend["columns"]


def test_the_heatmap_names_every_source_and_says_its_colours_in_words(app_db):
    corpus = Corpus.open(app_db)
    voice = corpus.share_of_voice(themes=2)
    assert set(voice[s.TOPIC_ID]) <= {0, 1, 2, 3, s.OTHER_TOPIC, s.OUTLIER_TOPIC}
    assert len(set(voice[s.TOPIC_ID]) - {s.OTHER_TOPIC, s.OUTLIER_TOPIC}) == 2
    assert voice.groupby("source")[s.COUNT].sum().sum() == corpus.summary().in_scope
    spec = charts.heatmap(voice).to_dict()
    sources = voice["source"].nunique()
    assert spec["height"] == 24 * sources
    y = next(n for n in walk(spec) if n.get("field") == "source" and "sort" in n)
    assert len(y["sort"]) == sources and y["axis"]["labelOverlap"] is False
    legend = next(n["legend"] for n in walk(spec) if isinstance(n.get("legend"), dict) and "labelExpr" in n["legend"])
    assert "predicts" in legend["labelExpr"] and "residual" not in str(legend).lower()
    x = next(n for n in walk(spec) if n.get("field") == "theme" and "axis" in n)
    assert "truncate(datum.label" in x["axis"]["labelExpr"]


# -- words ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("granularity", "period", "label"), [
    ("year", "2016-01-01", "2016"), ("quarter", "2016-07-01", "Q3 2016"), ("month", "2016-03-01", "March 2016"),
    ("week", "2016-03-07", "week of 7 Mar 2016"), ("day", "2016-03-07", "7 Mar 2016")])
def test_periods_are_named_as_readers_name_them(granularity, period, label):
    assert tooltips.period_label(period, granularity) == label


def test_filters_and_counts_in_words():
    assert charts.filters_in_words(None, "quarter") == "all dated documents; by quarter"
    words = charts.filters_in_words(Filters(start="2015-01-01", source_types=["news", "statement"],
                                            actor="telegram"), "month", {"telegram": "Telegram"})
    assert words == "2015-01-01 to the end, news and statement sources, naming Telegram; by month"
    assert stacked.PICK == "pick"


def test_the_network_keeps_every_actor_and_its_name_inside_the_plot():
    pairs = pd.DataFrame({"a_name": ["Europol", "Europol"], "b_name": ["Telegram", "Twitter"], "count": [5, 2]})
    spec = charts.network_chart(pairs).to_dict()
    dots = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "circle")
    nodes = spec["datasets"][dots["data"]["name"]]
    assert {n["name"] for n in nodes} == {"Europol", "Telegram", "Twitter"}
    for axis in ("x", "y"):
        low, high = next(n["scale"]["domain"] for n in walk(spec) if n.get("field") == axis and "scale" in n)
        values = [n[axis] for n in nodes]
        margin = 0.1 * (max(values) - min(values))  # room for the widest dot and the name above it
        assert low <= min(values) - margin and high >= max(values) + margin


def test_time_axes_never_tick_finer_than_the_period_and_platform_gaps_say_what_is_missing(app_db):
    for granularity, days in (("month", 28), ("quarter", 89)):
        axis = layout.time_axis(granularity).to_dict()
        assert axis["tickMinStep"] == days * 86_400_000
    # a quarterly axis names quarters with their year ('Q4 2015'), never a bare month (ticks may fall in October)
    assert "'Q' + quarter(datum.value) + ' ' + year(datum.value)" in layout.time_axis("quarter").to_dict()["labelExpr"]
    table = pd.DataFrame({s.PERIOD: pd.to_datetime(["2016-01-01", "2016-02-01"]), s.CANONICAL_ID: "telegram",
                          s.CANONICAL_NAME: "Telegram", "mentions": [3, 0], "platform_total": [3, 0]})
    rows = stacked.stack_table(stacked.platform_table(table), s.CANONICAL_ID, s.CANONICAL_NAME, ["telegram"],
                               granularity="month", unit="platform mentions")
    assert rows["documents_text"].tolist() == ["3 of 3 platform mentions", "no platform mentions in this period"]
    assert rows["note"].iloc[1] == "no platform mentions: a gap, not a zero" and np.isnan(rows["y1"].iloc[1])


def test_a_long_title_is_written_in_lines_on_a_narrow_plot_and_never_cut(app_db):
    title = "Documents per period, by source type"
    spec = charts.volume_chart(Corpus.open(app_db).volume("month", by=s.SOURCE_TYPE), title=title).to_dict()
    expr = spec["title"]["text"]["expr"]
    narrow, wide = re.match(r"width < (\d+) \? (\[.*\]) : (\".*\")$", expr).group(2, 3)
    assert " ".join(json.loads(narrow)) == json.loads(wide) == title
    assert all(len(line) <= layout.TITLE_LINE_CHARS for line in json.loads(narrow))
    assert charts.themes_chart(Corpus.open(app_db).theme_shares("month"), title="Short").to_dict()["title"][
        "text"] == "Short"
