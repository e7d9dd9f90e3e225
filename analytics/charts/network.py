"""Who is named together: actors placed by a seeded spring layout, lines as thick as the documents they share."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..config import setting
from .colours import PALETTE
from .layout import sized


def padded(values: pd.Series, margin: float = 0.18) -> list[float]:
    """The range of a layout coordinate widened by `margin` of its span on each side, so that the outermost dots
    and their names stay inside the plot (a spring layout puts two actors at its very edges)."""
    low, high = float(values.min()), float(values.max())
    pad = max(high - low, 0.2) * margin
    return [low - pad, high + pad]


def network_chart(pairs: pd.DataFrame, max_nodes: int = 30, seed: int | None = None,
                  title: str = "") -> alt.TopLevelMixin:
    """Co-occurrence network (Corpus.actor_pairs): the `max_nodes` actors with the most co-mentions; a click on an
    actor selects its name (the selection `pick`, field name)."""
    import networkx as nx

    if pairs.empty:
        return sized(alt.Chart(pd.DataFrame({"x": [], "y": []})).mark_point(), 220)
    graph = nx.Graph()
    for r in pairs.itertuples():
        graph.add_edge(r.a_name, r.b_name, weight=r.count)
    keep = sorted(graph.degree(weight="weight"), key=lambda kv: (-kv[1], str(kv[0])))[:max_nodes]
    graph = graph.subgraph([n for n, _ in keep]).copy()
    pos = nx.spring_layout(graph, seed=int(setting("seed")) if seed is None else seed, weight="weight")
    nodes = pd.DataFrame([{"name": n, "x": p[0], "y": p[1], "degree": graph.degree(n, weight="weight")}
                          for n, p in pos.items()])
    ends = [(i, a, b, d["weight"]) for i, (a, b, d) in enumerate(graph.edges(data=True))]
    edges = pd.DataFrame([{"edge": i, "x": pos[end][0], "y": pos[end][1], "count": w, "pair": f"{a} – {b}"}
                          for i, a, b, w in ends for end in (a, b)])
    axis = alt.Axis(title=None, labels=False, ticks=False, grid=False, domain=False)
    x = alt.X("x:Q", axis=axis, scale=alt.Scale(domain=padded(nodes["x"]), nice=False, zero=False))
    y = alt.Y("y:Q", axis=axis, scale=alt.Scale(domain=padded(nodes["y"]), nice=False, zero=False))
    lines = alt.Chart(edges).mark_line(color="#9A9A9A").encode(
        x=x, y=y, detail="edge:N",
        strokeWidth=alt.StrokeWidth("count:Q", scale=alt.Scale(range=[0.5, 6]), legend=None),
        tooltip=["pair:N", alt.Tooltip("count:Q", title="documents naming both")])
    pick = alt.selection_point(name="pick", fields=["name"], on="click", clear="dblclick")
    dots = alt.Chart(nodes).mark_circle(color=PALETTE[0], opacity=0.9, stroke="#111111").encode(
        x=x, y=y, size=alt.Size("degree:Q", legend=None, scale=alt.Scale(range=[60, 900])),
        strokeWidth=alt.condition(pick, alt.value(2.5), alt.value(0), empty=False),
        tooltip=["name:N", alt.Tooltip("degree:Q", title="named with others (documents)")]).add_params(pick)
    labels = alt.Chart(nodes).mark_text(dy=-20, fontSize=10.5, color="#222222").encode(x=x, y=y, text="name:N")
    return sized(alt.layer(lines, dots, labels, title=title or alt.Undefined), 420)
