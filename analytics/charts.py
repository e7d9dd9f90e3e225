"""Chart builders: data in, `alt.Chart` out. No Streamlit and no file I/O here (export returns bytes).

Colours follow the Okabe–Ito palette, which stays distinguishable for the common forms of colour blindness;
beyond its eight colours, a theme list is cut to the largest themes plus "Other themes".
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from . import schema as s
from .config import setting

OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
EXTRA = ["#999999", "#882255", "#44AA99", "#117733", "#332288", "#DDCC77", "#AA4499", "#88CCEE"]
PALETTE = OKABE_ITO + EXTRA
OUTLIER_LABEL = s.OUTLIER_LABEL
SOURCE_TYPE_COLOURS = {"news": "#0072B2", "statement": "#009E73", "propaganda": "#D55E00", "research": "#CC79A7",
                       "social": "#56B4E9", "other": "#999999"}

alt.data_transformers.disable_max_rows()


def _colour(domain: list[str]) -> alt.Scale:
    return alt.Scale(domain=domain, range=[PALETTE[i % len(PALETTE)] for i in range(len(domain))])


def volume_chart(volume: pd.DataFrame, by: str = "source_type", title: str = "Documents per period") -> alt.Chart:
    """Stacked bars of documents per period, coloured by `by` (e.g. source type)."""
    domain = sorted(volume[by].unique()) if by in volume else []
    colours = [SOURCE_TYPE_COLOURS.get(v, PALETTE[i % len(PALETTE)]) for i, v in enumerate(domain)]
    return alt.Chart(volume, title=title).mark_bar().encode(
        x=alt.X(f"{s.PERIOD}:T", title=None),
        y=alt.Y(f"{s.COUNT}:Q", title="documents", stack=True),
        color=alt.Color(f"{by}:N", scale=alt.Scale(domain=domain, range=colours), title=by.replace("_", " ")),
        tooltip=[alt.Tooltip(f"{s.PERIOD}:T", title="period"), alt.Tooltip(f"{by}:N"),
                 alt.Tooltip(f"{s.COUNT}:Q", title="documents")],
    ).properties(height=220)


def themes_chart(
    table: pd.DataFrame,
    measure: str = s.SHARE,
    events: pd.DataFrame | None = None,
    selectable: bool = True,
    title: str = "Themes over time",
) -> alt.Chart:
    """The heart of the app: stacked areas of theme shares (or counts) per period, event rules on top.

    `table` has period, label, count, total, share, ci_low, ci_high (Corpus.theme_shares). Clicking a point
    selects a (period, label); the app lists the documents behind it. A gap (share NaN) is drawn as 0 so the
    stack stays closed; its tooltip says it has no documents.
    """
    order = table.groupby(s.LABEL)[s.COUNT].sum().sort_values(ascending=False).index.tolist()
    order = [t for t in order if t not in (OUTLIER_LABEL, s.OTHER_LABEL)] + [
        t for t in (s.OTHER_LABEL, OUTLIER_LABEL) if t in order]
    table = table.assign(**{s.SHARE: table[s.SHARE].fillna(0.0)})
    pick = alt.selection_point(name="pick", fields=[s.PERIOD, s.LABEL], on="click", clear="dblclick", nearest=True)
    y_title = "share of documents" if measure == s.SHARE else "documents"
    base = alt.Chart(table).encode(
        x=alt.X(f"{s.PERIOD}:T", title=None),
        y=alt.Y(f"{measure}:Q", stack="zero", title=y_title,
                axis=alt.Axis(format="%" if measure == s.SHARE else "d")),
        color=alt.Color(f"{s.LABEL}:N", scale=_colour(order), sort=order,
                        legend=alt.Legend(title="theme", orient="right", labelLimit=260)),
        order=alt.Order(f"color_{s.LABEL}_sort_index:Q"),
        tooltip=[alt.Tooltip(f"{s.PERIOD}:T", title="period"), alt.Tooltip(f"{s.LABEL}:N", title="theme"),
                 alt.Tooltip(f"{s.COUNT}:Q", title="documents"), alt.Tooltip(f"{s.TOTAL}:Q", title="of"),
                 alt.Tooltip(f"{s.SHARE}:Q", format=".1%"),
                 alt.Tooltip(f"{s.CI_LOW}:Q", format=".1%", title="95% CI low"),
                 alt.Tooltip(f"{s.CI_HIGH}:Q", format=".1%", title="95% CI high")],
    )
    area = base.mark_area(opacity=0.85, interpolate="monotone")
    points = base.mark_circle(size=60, opacity=0.01).add_params(pick) if selectable else base.mark_circle(opacity=0)
    layers = [area, points]
    if events is not None and not events.empty:
        layers += event_layers(events)
    return alt.layer(*layers, title=title).properties(height=380)


def event_layers(events: pd.DataFrame) -> list[alt.Chart]:
    """Dashed rules at each event's date with a short label, for any time chart."""
    ev = events.assign(date=pd.to_datetime(events[s.DATE])).sort_values(s.DATE)
    rule = alt.Chart(ev).mark_rule(strokeDash=[4, 3], color="#555555", opacity=0.6).encode(
        x=f"{s.DATE}:T", tooltip=[alt.Tooltip(f"{s.DATE}:T"), "label:N", "description:N"])
    text = alt.Chart(labelled_events(ev)).mark_text(angle=270, align="left", dx=4, dy=-2, fontSize=9,
                                                    color="#333333").encode(
        x=f"{s.DATE}:T", y=alt.value(4), text="label:N")
    return [rule, text]


def labelled_events(events: pd.DataFrame, max_labels: int = 14) -> pd.DataFrame:
    """The events whose labels are written on the chart: kept apart by at least 1/max_labels of the time span
    so they stay legible; every event keeps its rule and its tooltip."""
    if len(events) <= max_labels:
        return events
    dates = pd.to_datetime(events[s.DATE])
    gap = (dates.max() - dates.min()) / max_labels
    keep, last = [], None
    for i, date in zip(events.index, dates, strict=True):
        if last is None or date - last >= gap:
            keep.append(i)
            last = date
    return events.loc[keep]


def share_with_band(table: pd.DataFrame, colour_field: str = s.LABEL, title: str = "") -> alt.Chart:
    """Lines of shares with their 95 % Wilson band; thin periods drawn as hollow points."""
    base = alt.Chart(table).encode(x=alt.X(f"{s.PERIOD}:T", title=None),
                                   color=alt.Color(f"{colour_field}:N", scale=_colour(
                                       sorted(table[colour_field].unique()))))
    band = base.mark_area(opacity=0.18).encode(y=alt.Y(f"{s.CI_LOW}:Q", title="share", axis=alt.Axis(format="%")),
                                               y2=f"{s.CI_HIGH}:Q")
    line = base.mark_line(interpolate="monotone").encode(y=f"{s.SHARE}:Q")
    tooltip = [alt.Tooltip(f"{s.PERIOD}:T", title="period"), f"{colour_field}:N",
               alt.Tooltip(f"{s.SHARE}:Q", format=".1%"), alt.Tooltip(f"{s.CI_LOW}:Q", format=".1%"),
               alt.Tooltip(f"{s.CI_HIGH}:Q", format=".1%")]
    count_field = s.COUNT if s.COUNT in table else "documents"
    tooltip.append(alt.Tooltip(f"{count_field}:Q", title="documents"))
    tooltip.append(alt.Tooltip(f"{s.TOTAL}:Q", title="of"))
    points = base.mark_point(filled=True, size=40).encode(
        y=f"{s.SHARE}:Q", tooltip=tooltip,
        shape=alt.condition("datum.thin", alt.value("circle"), alt.value("circle")),
        fillOpacity=alt.condition("datum.thin", alt.value(0.0), alt.value(1.0)) if "thin" in table else alt.value(1),
    )
    return alt.layer(band, line, points, title=title).properties(height=300)


def actors_chart(counts: pd.DataFrame, measure: str = "mentions", title: str = "Actors over time") -> alt.Chart:
    """Lines of chosen actors' mentions (or document share) per period; click a point for the documents."""
    pick = alt.selection_point(name="pick", fields=[s.PERIOD, s.CANONICAL_ID], on="click", clear="dblclick",
                              nearest=True)
    domain = sorted(counts[s.CANONICAL_NAME].unique())
    return alt.Chart(counts, title=title).mark_line(point=True, interpolate="monotone").encode(
        x=alt.X(f"{s.PERIOD}:T", title=None),
        y=alt.Y(f"{measure}:Q", title=measure.replace("_", " "),
                axis=alt.Axis(format="%" if measure == s.SHARE else "d")),
        color=alt.Color(f"{s.CANONICAL_NAME}:N", scale=_colour(domain), title="actor"),
        tooltip=[alt.Tooltip(f"{s.PERIOD}:T", title="period"), f"{s.CANONICAL_NAME}:N", "mentions:Q",
                 alt.Tooltip("documents:Q", title="documents naming it"), alt.Tooltip(f"{s.TOTAL}:Q", title="of"),
                 alt.Tooltip(f"{s.SHARE}:Q", format=".1%")],
    ).add_params(pick).properties(height=320)


def platform_chart(table: pd.DataFrame, events: pd.DataFrame | None = None) -> alt.Chart:
    """The migration view: each platform's share of all platform mentions per period (stacked to 100 %)."""
    order = table.groupby(s.CANONICAL_NAME)["mentions"].sum().sort_values(ascending=False).index.tolist()
    area = alt.Chart(table).mark_area(interpolate="step-after").encode(
        x=alt.X(f"{s.PERIOD}:T", title=None),
        y=alt.Y("platform_share:Q", stack="normalize", title="share of platform mentions",
                axis=alt.Axis(format="%")),
        color=alt.Color(f"{s.CANONICAL_NAME}:N", scale=_colour(order), sort=order, title="platform"),
        tooltip=[alt.Tooltip(f"{s.PERIOD}:T", title="period"), f"{s.CANONICAL_NAME}:N", "mentions:Q",
                 alt.Tooltip("platform_total:Q", title="all platform mentions"),
                 alt.Tooltip("platform_share:Q", format=".1%")],
    )
    layers = [area] + (event_layers(events) if events is not None and not events.empty else [])
    return alt.layer(*layers, title="Which platforms the coverage names").properties(height=320)


def heatmap(sov: pd.DataFrame, value: str = "residual") -> alt.Chart:
    """Source × theme (Corpus.share_of_voice): colour by chi-square residual (or lift), documents as text."""
    data = sov.rename(columns={s.LABEL: "theme"})
    lim = float(np.nanmax(np.abs(data[value]))) if len(data) else 1.0
    base = alt.Chart(data).encode(
        x=alt.X("theme:N", title=None, axis=alt.Axis(labelAngle=-35, labelLimit=180)),
        y=alt.Y("source:N", title=None, sort="-x"),
    )
    rect = base.mark_rect().encode(
        color=alt.Color(f"{value}:Q", scale=alt.Scale(scheme="blueorange", domain=[-lim, lim]),
                        title="over/under-representation" if value == "residual" else value),
        tooltip=["source:N", "theme:N", alt.Tooltip(f"{s.COUNT}:Q", title="documents"),
                 alt.Tooltip("expected:Q", format=".1f"), alt.Tooltip("lift:Q", format=".2f"),
                 alt.Tooltip("residual:Q", format=".2f"), alt.Tooltip(f"{s.SHARE}:Q", format=".0%",
                                                                      title="share of the source")],
    )
    text = base.mark_text(fontSize=9).encode(text=f"{s.COUNT}:Q")
    return alt.layer(rect, text, title="Which sources carry which themes").properties(
        height=max(200, 18 * data["source"].nunique()))


def network_chart(pairs: pd.DataFrame, max_nodes: int = 30, seed: int = int(setting("seed"))) -> alt.Chart:
    """Co-occurrence network: nodes placed by a seeded spring layout, edges weighted by count."""
    import networkx as nx

    if pairs.empty:
        return alt.Chart(pd.DataFrame({"x": [], "y": []})).mark_point()
    graph = nx.Graph()
    for r in pairs.itertuples():
        graph.add_edge(r.a_name, r.b_name, weight=r.count)
    keep = sorted(graph.degree(weight="weight"), key=lambda kv: -kv[1])[:max_nodes]
    graph = graph.subgraph([n for n, _ in keep]).copy()
    pos = nx.spring_layout(graph, seed=seed, weight="weight")
    nodes = pd.DataFrame([{"name": n, "x": p[0], "y": p[1], "degree": graph.degree(n, weight="weight")}
                          for n, p in pos.items()])
    edges = pd.DataFrame([{"edge": i, "x": pos[a][0], "y": pos[a][1], "count": d["weight"], "pair": f"{a} – {b}"}
                          for i, (a, b, d) in enumerate(graph.edges(data=True))]
                         + [{"edge": i, "x": pos[b][0], "y": pos[b][1], "count": d["weight"], "pair": f"{a} – {b}"}
                            for i, (a, b, d) in enumerate(graph.edges(data=True))])
    axis = alt.Axis(title=None, labels=False, ticks=False, grid=False, domain=False)
    lines = alt.Chart(edges).mark_line(color="#999999").encode(
        x=alt.X("x:Q", axis=axis), y=alt.Y("y:Q", axis=axis), detail="edge:N",
        strokeWidth=alt.StrokeWidth("count:Q", scale=alt.Scale(range=[0.5, 6]), legend=None),
        tooltip=["pair:N", alt.Tooltip("count:Q", title="documents together")])
    pick = alt.selection_point(name="pick", fields=["name"], on="click", clear="dblclick")
    dots = alt.Chart(nodes).mark_circle(color="#0072B2", opacity=0.9).encode(
        x="x:Q", y="y:Q", size=alt.Size("degree:Q", legend=None, scale=alt.Scale(range=[60, 900])),
        tooltip=["name:N", alt.Tooltip("degree:Q", title="co-mentions")]).add_params(pick)
    labels = alt.Chart(nodes).mark_text(dy=-12, fontSize=10).encode(x="x:Q", y="y:Q", text="name:N")
    return alt.layer(lines, dots, labels, title="Who is named together").properties(height=420)


def topic_words_chart(words: list[tuple[str, float]], title: str = "Top words") -> alt.Chart:
    """Bars of a theme's c-TF-IDF word weights."""
    data = pd.DataFrame(words, columns=["word", "weight"])
    return alt.Chart(data, title=title).mark_bar(color="#0072B2").encode(
        x=alt.X("weight:Q", title="c-TF-IDF weight"), y=alt.Y("word:N", sort="-x", title=None),
        tooltip=["word:N", alt.Tooltip("weight:Q", format=".3f")],
    ).properties(height=max(120, 18 * len(data)))


def export_bytes(chart: alt.TopLevelMixin, fmt: str, scale: float = 2.0) -> bytes:
    """PNG or SVG of a chart (rendered by vl-convert, offline)."""
    import vl_convert as vlc

    spec = chart.to_json()
    if fmt == "svg":
        return vlc.vegalite_to_svg(spec).encode("utf-8")
    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=scale)
    raise ValueError(f"unknown export format {fmt!r}: use png or svg")


def nice_ceiling(value: float) -> float:
    """A round upper bound for an axis."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    return math.ceil(value / magnitude) * magnitude
