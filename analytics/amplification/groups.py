"""Groups of coordinated accounts: the accounts linked by significant pairs, as connected components (or Louvain
communities) of that network, each with its shared items, time span, documents and the q-value it holds together at.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from .. import schema as s
from . import contracts as c

CLUSTER_COLUMNS = [c.CLUSTER, c.ACCOUNTS, "n_accounts", "n_pairs", c.SHARED_ITEMS, c.FIRST_SEEN, c.LAST_SEEN,
                   c.N_DOCUMENTS, "moments", c.CO_POSTS, c.SCORE, c.P_VALUE, c.Q_VALUE, c.DOC_IDS]


def evidence_table(co_posts: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per group of co-post rows: shared items (most co-posted first), documents, first and last seen."""
    docs = pd.concat([
        co_posts[by + ["doc_a", "date_a"]].set_axis(by + [s.DOC_ID, s.DATE], axis=1),
        co_posts[by + ["doc_b", "date_b"]].set_axis(by + [s.DOC_ID, s.DATE], axis=1),
    ]).drop_duplicates(by + [s.DOC_ID]).sort_values(by + [s.DATE, s.DOC_ID])
    grouped = docs.groupby(by, sort=False)
    out = grouped.agg(**{c.FIRST_SEEN: (s.DATE, "min"), c.LAST_SEEN: (s.DATE, "max"),
                         c.N_DOCUMENTS: (s.DOC_ID, "size")})
    out[c.DOC_IDS] = grouped[s.DOC_ID].agg(list)
    counts = co_posts.groupby(by + [c.ITEM], sort=False).size().rename("n").reset_index()
    counts = counts.sort_values(by + ["n", c.ITEM], ascending=[True] * len(by) + [False, True])
    out[c.SHARED_ITEMS] = counts.groupby(by, sort=False)[c.ITEM].agg(list)
    return out.reset_index()


def account_groups(pairs: pd.DataFrame, co_posts: pd.DataFrame, method: str,
              window_ms: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Groups of accounts on the network of significant pairs, numbered from the largest; pairs get their group.
    `moments`: runs of the members' posting together separated by more than the coordination window (co-posts
    count pairs of accounts, so ten accounts posting together once make 45 co-posts and one moment)."""
    sig = pairs.loc[pairs[c.SIGNIFICANT].astype(bool)]
    if sig.empty:
        return pairs, pd.DataFrame(columns=CLUSTER_COLUMNS)
    graph = nx.Graph()
    for row in sig.itertuples(index=False):
        graph.add_edge(getattr(row, c.ACCOUNT_A), getattr(row, c.ACCOUNT_B), p=getattr(row, c.P_VALUE),
                       q=getattr(row, c.Q_VALUE), weight=getattr(row, c.CO_POSTS))
    if method == "louvain":
        groups = nx.community.louvain_communities(graph, weight="weight", seed=42)
    else:
        groups = list(nx.connected_components(graph))
    groups = [sorted(g) for g in groups if len(g) >= 2]
    groups.sort(key=lambda g: (-len(g), g[0]))
    member_of = {acc: n for n, g in enumerate(groups) for acc in g}
    a = pairs[c.ACCOUNT_A].map(member_of)
    b = pairs[c.ACCOUNT_B].map(member_of)
    inside = pairs[c.SIGNIFICANT] & a.notna() & (a == b)
    pairs = pairs.assign(**{c.CLUSTER: np.where(inside, a.fillna(-1), -1).astype(int)})
    rows = []
    for n, members in enumerate(groups):
        edges = pairs[pairs[c.CLUSTER] == n]
        sub = graph.subgraph(members)
        # the links that hold the group together: a spanning tree of its most significant pairs
        tree = nx.minimum_spanning_tree(sub, weight="p") if nx.is_connected(sub) else sub
        p_hold = max(d["p"] for _, _, d in tree.edges(data=True))
        q_hold = max(d["q"] for _, _, d in tree.edges(data=True))
        evidence = co_posts.merge(edges[[c.ACCOUNT_A, c.ACCOUNT_B]], on=[c.ACCOUNT_A, c.ACCOUNT_B])
        ev = evidence_table(evidence.assign(_g=n), ["_g"]).iloc[0]
        earlier = np.sort(np.minimum(evidence["date_a"].to_numpy("datetime64[ms]").astype(np.int64),
                                     evidence["date_b"].to_numpy("datetime64[ms]").astype(np.int64)))
        moments = int(1 + np.sum(np.diff(earlier) > window_ms)) if len(earlier) else 0
        rows.append({
            c.CLUSTER: n, c.ACCOUNTS: members, "n_accounts": len(members), "n_pairs": len(edges),
            c.SHARED_ITEMS: ev[c.SHARED_ITEMS], c.FIRST_SEEN: ev[c.FIRST_SEEN], c.LAST_SEEN: ev[c.LAST_SEEN],
            c.N_DOCUMENTS: int(ev[c.N_DOCUMENTS]), "moments": moments, c.CO_POSTS: int(edges[c.CO_POSTS].sum()),
            c.SCORE: float(edges[c.CO_POSTS].sum() / edges[c.EXPECTED].sum()), c.P_VALUE: float(p_hold),
            c.Q_VALUE: float(q_hold), c.DOC_IDS: ev[c.DOC_IDS],
        })
    return pairs, pd.DataFrame(rows, columns=CLUSTER_COLUMNS)
