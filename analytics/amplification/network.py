"""The coordination network as a graph, and as GEXF or GraphML files that Gephi (and networkx) open.

Nodes are accounts with their activity (posts), group (-1 for none), most frequent source type and co-posts;
edges are tested pairs with their shared items (joined with " | ": the formats hold no lists), weight (co-posts),
score, p- and q-values. Attribute values are plain strings and numbers, so a text that came from the corpus is
written as text by networkx's XML writers (escaped), never as markup.
"""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pandas as pd

from .. import schema as s
from . import contracts as c
from .coordination import Coordination

FORMATS = ("gexf", "graphml")
ITEM_SEPARATOR = " | "


def main_source_types(counts: pd.DataFrame, account: str = s.SOURCE) -> dict[str, str]:
    """Each account's most frequent source type (ties: the first by name), from posts counted per account and
    source type (`account`, source_type, posts)."""
    counts = counts.sort_values([account, "posts", s.SOURCE_TYPE], ascending=[True, False, True])
    return counts.drop_duplicates(account).set_index(account)[s.SOURCE_TYPE].astype(str).to_dict()


def coordination_graph(result: Coordination, posts: pd.DataFrame | None = None, account: str = s.SOURCE,
                       include_untested: bool = False, significant_only: bool = True,
                       source_types: dict[str, str] | None = None) -> nx.Graph:
    """The network of coordinated accounts. With `significant_only` (the default) only significant pairs are
    edges; otherwise every tested pair is. `posts` (with the account column and source_type) gives each node its
    most frequent source type, or `source_types` does when they were counted beforehand (`main_source_types`);
    without either the type is "unknown"."""
    pairs = result.significant_pairs if significant_only else result.pairs
    graph = nx.Graph()
    types: dict[str, str] = dict(source_types or {})
    if source_types is None and posts is not None and s.SOURCE_TYPE in posts.columns and account in posts.columns:
        types = main_source_types(posts.groupby([account, s.SOURCE_TYPE]).size().rename("posts").reset_index(),
                                  account)
    co_posts: dict[str, int] = {}
    for row in pairs.itertuples(index=False):
        a, b = str(getattr(row, c.ACCOUNT_A)), str(getattr(row, c.ACCOUNT_B))
        k = int(getattr(row, c.CO_POSTS))
        co_posts[a] = co_posts.get(a, 0) + k
        co_posts[b] = co_posts.get(b, 0) + k
        graph.add_edge(a, b, weight=k, shared_items=ITEM_SEPARATOR.join(map(str, getattr(row, c.SHARED_ITEMS))),
                       n_shared_items=len(getattr(row, c.SHARED_ITEMS)), occasions=int(getattr(row, c.OCCASIONS)),
                       expected=float(getattr(row, c.EXPECTED)), score=float(getattr(row, c.SCORE)),
                       p_value=float(getattr(row, c.P_VALUE)), q_value=float(getattr(row, c.Q_VALUE)),
                       significant=bool(getattr(row, c.SIGNIFICANT)), cluster=int(getattr(row, c.CLUSTER)))
    if include_untested:
        graph.add_nodes_from(str(a) for a in result.activity.index)
    member_of = {str(acc): int(row[c.CLUSTER]) for _, row in result.clusters.iterrows() for acc in row[c.ACCOUNTS]}
    activity = {str(k): int(v) for k, v in result.activity.items()}
    for node in graph.nodes:
        graph.nodes[node].update(activity=activity.get(node, 0), cluster=member_of.get(node, -1),
                                 source_type=types.get(node, "unknown"), co_posts=co_posts.get(node, 0),
                                 label=node)
    return graph


def network_bytes(graph: nx.Graph, fmt: str) -> bytes:
    """The graph as a GEXF or GraphML document (UTF-8 bytes), e.g. for a download button."""
    if fmt not in FORMATS:
        raise c.AmplificationInputError("export", f"unknown network format {fmt!r}", f"use {' or '.join(FORMATS)}")
    buffer = io.BytesIO()
    if fmt == "gexf":
        nx.write_gexf(graph, buffer)
    else:
        nx.write_graphml(graph, buffer)
    return buffer.getvalue()


def write_network(graph: nx.Graph, path: str | Path) -> Path:
    """Write the graph to `path`; the format follows the suffix (.gexf or .graphml)."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    path.write_bytes(network_bytes(graph, fmt))
    return path
