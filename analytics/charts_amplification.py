"""Chart builders of the Amplification page: cascades over time, the coordination network, traces over time.
Data in, `alt.Chart` out; no Streamlit and no file I/O here.

Colours come from the project's palette (analytics.charts); a reported group of accounts keeps its colour from one
view to the next (group n takes colour n), accounts in no group are grey. Corpus text (account names, hashtags,
the opening of a text) is only ever handed to Vega as data, which draws it as text.
"""

from __future__ import annotations

import altair as alt
import networkx as nx
import pandas as pd

from . import charts
from . import schema as s
from .charts.layout import granularity_of, legend, sized, time_axis

GREY = "#999999"
LABEL_CHARS = 60  # a cascade's label on the axis: the start of its link, hashtag or text
NO_GROUP = "no group"


def _short(text: object, chars: int = LABEL_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= chars else text[:chars - 1] + "…"


def cascades_chart(events: pd.DataFrame, title: str = "Who posted first, who followed") -> alt.TopLevelMixin:
    """One row per cascade (Corpus.cascades' events), first posted at the top: a line from its first post to its
    last, a dot for each post coloured by the post's theme, the first post drawn larger. Click a dot to pick the
    cascade (selection "pick" on cascade_id)."""
    if events.empty:
        return alt.Chart(pd.DataFrame({"x": []}), title=title).mark_point()
    data = events.assign(
        cascade=[f"{k}: {_short(w)}" for k, w in zip(events["item_kind"], events["what"], strict=True)],
        first=events["rank"] == 1, date=pd.to_datetime(events[s.DATE]))
    order = data.sort_values([s.DATE, "cascade_id"]).drop_duplicates("cascade_id")["cascade"].tolist()
    themes = sorted(data["theme_label"].unique(), key=lambda t: (t == "no theme", t == s.OUTLIER_LABEL, t))
    colours = [GREY if t in ("no theme", s.OUTLIER_LABEL) else charts.PALETTE[i % len(charts.PALETTE)]
               for i, t in enumerate(themes)]
    pick = alt.selection_point(name="pick", fields=["cascade_id"], on="click", clear="dblclick")
    # each cascade is named above its row at the left edge, not on the axis: the plot keeps its width on a phone
    y = alt.Y("cascade:N", sort=order, title=None, axis=None, scale=alt.Scale(paddingOuter=0.8))
    base = alt.Chart(data).encode(x=alt.X(f"{s.DATE}:T", title=None, axis=_moment_axis(data[s.DATE])), y=y)
    line = base.mark_line(color=GREY, strokeWidth=1.5).encode(detail="cascade_id:N")
    names = alt.Chart(data[data["first"]]).mark_text(align="left", dy=-9, fontSize=10, color="#333333",
                                                     limit=330).encode(x=alt.value(2), y=y, text="cascade:N")
    dots = base.mark_circle(opacity=0.9, stroke="#333333").encode(
        color=alt.Color("theme_label:N", scale=alt.Scale(domain=themes, range=colours), legend=legend("theme", themes)),
        size=alt.condition("datum.first", alt.value(160), alt.value(45)),
        strokeWidth=alt.condition("datum.first", alt.value(1.5), alt.value(0)),
        tooltip=[alt.Tooltip("cascade:N", title="cascade"), alt.Tooltip("account:N", title="account"),
                 alt.Tooltip(f"{s.DATE}:T", title="posted", format="%Y-%m-%d %H:%M:%S"),
                 alt.Tooltip("rank:Q", title="post no."),
                 alt.Tooltip("hours_since_first:Q", title="hours after the first", format=".2f"),
                 alt.Tooltip("theme_label:N", title="theme")],
    ).add_params(pick)
    # the plot's own height (sized): the legend below adds to the figure instead of squeezing the rows
    return sized(alt.layer(line, names, dots, title=title), height=max(160, 30 * len(order)), minimum=160)


def _moment_axis(dates: pd.Series) -> alt.Axis:
    """A time axis for posting moments that always names the day: over two days or more, ticks fall on whole days
    (or months) labelled with their date. Left to Vega, a wide plot of a fortnight ticks every twelve hours, and
    hiding overlapping labels then keeps only the "12 PM" ones, so no tick says which day it is."""
    span = dates.max() - dates.min()
    if span >= pd.Timedelta(days=300):
        return alt.Axis(format="%b %Y", tickMinStep=28 * 86_400_000, labelOverlap=True, labelFlush=True)
    if span >= pd.Timedelta(days=2):
        return alt.Axis(format="%-d %b", tickMinStep=86_400_000, labelOverlap=True, labelFlush=True)
    return alt.Axis(labelOverlap=True, labelFlush=True)  # within a day or two the hours are what matters


def network_chart(graph: nx.Graph, significant_only: bool = True, seed: int = 42,
                  title: str = "Accounts that post together") -> alt.TopLevelMixin:
    """The coordination network (Corpus.coordination's graph): accounts as dots sized by how much they post and
    coloured by their group, pairs as lines as wide as the times they posted together. With `significant_only`,
    only pairs that passed the test (and their accounts) are drawn; otherwise the pairs that did not pass are drawn
    too, in light grey. Click an account to pick it (selection "pick" on account)."""
    keep = [(a, b) for a, b, d in graph.edges(data=True) if d.get("significant") or not significant_only]
    sub = graph.edge_subgraph(keep).copy() if keep else nx.Graph()
    if sub.number_of_nodes() == 0:
        return alt.Chart(pd.DataFrame({"x": []}), title=title).mark_point()
    pos = nx.spring_layout(sub, seed=seed, weight="weight")
    nodes = pd.DataFrame([{
        "account": n, "x": p[0], "y": p[1], "posts": int(sub.nodes[n].get("activity", 0)),
        "co_posts": int(sub.nodes[n].get("co_posts", 0)),
        "group": f"group {sub.nodes[n]['cluster'] + 1}" if sub.nodes[n].get("cluster", -1) >= 0 else NO_GROUP,
    } for n, p in pos.items()])
    edges = pd.DataFrame([
        {"edge": i, "end": end, "x": pos[node][0], "y": pos[node][1], "times": int(d.get("weight", 0)),
         "pair": f"{a} – {b}", "passed": "yes" if d.get("significant") else "no",
         "q": float(d.get("q_value", 1.0))}
        for i, (a, b, d) in enumerate(sub.edges(data=True)) for end, node in enumerate((a, b))])
    groups = sorted((g for g in nodes["group"].unique() if g != NO_GROUP), key=lambda g: int(g.split()[1]))
    domain = groups + ([NO_GROUP] if (nodes["group"] == NO_GROUP).any() else [])
    colours = [charts.PALETTE[int(g.split()[1]) - 1] if g != NO_GROUP else GREY for g in domain]
    axis = alt.Axis(title=None, labels=False, ticks=False, grid=False, domain=False)
    lines = alt.Chart(edges).mark_line().encode(
        x=alt.X("x:Q", axis=axis), y=alt.Y("y:Q", axis=axis), detail="edge:N", order="end:Q",
        color=alt.condition("datum.passed == 'yes'", alt.value("#666666"), alt.value("#DDDDDD")),
        strokeWidth=alt.StrokeWidth("times:Q", scale=alt.Scale(range=[0.5, 5]), legend=None),
        tooltip=[alt.Tooltip("pair:N"), alt.Tooltip("times:Q", title="times posted together"),
                 alt.Tooltip("passed:N", title="passed the test"), alt.Tooltip("q:Q", title="q-value", format=".2g")])
    pick = alt.selection_point(name="pick", fields=["account"], on="click", clear="dblclick")
    dots = alt.Chart(nodes).mark_circle(opacity=0.95, stroke="white", strokeWidth=1).encode(
        x="x:Q", y="y:Q",
        color=alt.Color("group:N", scale=alt.Scale(domain=domain, range=colours), legend=legend("group", domain)),
        size=alt.Size("posts:Q", scale=alt.Scale(range=[60, 900]), legend=None),
        tooltip=[alt.Tooltip("account:N"), alt.Tooltip("group:N"), alt.Tooltip("posts:Q", title="posts"),
                 alt.Tooltip("co_posts:Q", title="times posted together with others")],
    ).add_params(pick)
    labels = alt.Chart(nodes).mark_text(dy=-13, fontSize=10, color="#333333").encode(
        x="x:Q", y="y:Q", text="account:N")
    return sized(alt.layer(lines, dots, labels, title=title), height=420)


def trace_shares_chart(shares: pd.DataFrame, kind: str, title: str = "") -> alt.TopLevelMixin:
    """Lines of each value's share of the period's posts (Corpus.trace_trends' shares), with its count and
    denominator in the tooltip; click a point to pick (period, value)."""
    if shares.empty:
        return alt.Chart(pd.DataFrame({"x": []}), title=title).mark_point()
    data = shares.assign(value=shares["value"].map(_short))
    order = data.groupby("value")[s.COUNT].sum().sort_values(ascending=False, kind="stable").index.tolist()
    scale = alt.Scale(domain=order, range=[charts.PALETTE[i % len(charts.PALETTE)] for i in range(len(order))])
    pick = alt.selection_point(name="pick", fields=[s.PERIOD, "value"], on="click", clear="dblclick", nearest=True)
    chart = alt.Chart(data, title=title).mark_line(point=True).encode(
        x=alt.X(f"{s.PERIOD}:T", axis=time_axis(granularity_of(data[s.PERIOD]))),
        y=alt.Y(f"{s.SHARE}:Q", title="share of posts", axis=alt.Axis(format="%")),
        color=alt.Color("value:N", scale=scale, sort=order, legend=legend(kind, order)),
        tooltip=[alt.Tooltip(f"{s.PERIOD}:T", title="period"), alt.Tooltip("value:N", title=kind),
                 alt.Tooltip(f"{s.COUNT}:Q", title="posts carrying it"), alt.Tooltip(f"{s.TOTAL}:Q", title="of"),
                 alt.Tooltip(f"{s.SHARE}:Q", format=".1%"),
                 alt.Tooltip(f"{s.CI_LOW}:Q", format=".1%", title="95% CI low"),
                 alt.Tooltip(f"{s.CI_HIGH}:Q", format=".1%", title="95% CI high")],
    ).add_params(pick)
    return sized(chart, height=charts.PLOT_HEIGHT - 60)
