"""Shared items: what two posts can have in common — a link, a near-identical text, a hashtag sequence, a trace.

One tidy table, one row per post and item, is what cascades and the coordination search both read.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from .. import schema as s
from ..frames import among
from . import contracts as c

ITEM_COLUMNS = [s.DOC_ID, c.ACCOUNT, s.DATE, c.ITEM_KIND, c.ITEM_VALUE, c.ITEM]


def near_duplicate_clusters(posts: pd.DataFrame) -> pd.DataFrame:
    """Every document in a near-duplicate cluster of two or more documents: doc_id, cluster (the id of the
    cluster's original: the member that is a duplicate of nothing; the smallest id if links go round in a circle).

    Links may point to documents missing from `posts` (filtered out): such an original still names its cluster."""
    empty = pd.DataFrame({s.DOC_ID: pd.Series(dtype=object), c.CLUSTER: pd.Series(dtype=object)})
    if s.DUPLICATE_OF not in posts.columns:
        return empty
    linked = posts[posts[s.DUPLICATE_OF].notna()]
    if linked.empty:
        return empty
    child = linked[s.ID].astype(str).to_numpy()
    parent = linked[s.DUPLICATE_OF].astype(str).to_numpy()
    nodes, codes = np.unique(np.concatenate([child, parent]), return_inverse=True)
    n = len(nodes)
    graph = sparse.coo_matrix((np.ones(len(child)), (codes[:len(child)], codes[len(child):])), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    is_copy = np.zeros(n, dtype=bool)
    is_copy[codes[:len(child)]] = True
    frame = pd.DataFrame({s.DOC_ID: nodes, "_component": component, "_copy": is_copy})
    # the original: a member that copies nothing (first by id if several); else the smallest id
    name = frame.sort_values(["_copy", s.DOC_ID]).drop_duplicates("_component").set_index("_component")[s.DOC_ID]
    frame[c.CLUSTER] = frame["_component"].map(name)
    present = posts[s.ID].astype(str).to_numpy(dtype=object)
    frame = frame[among(frame[s.DOC_ID], present)]
    size = frame.groupby(c.CLUSTER)[s.DOC_ID].transform("size")
    return frame.loc[size >= 2, [s.DOC_ID, c.CLUSTER]].sort_values([c.CLUSTER, s.DOC_ID], ignore_index=True)


def hashtag_sequences(traces: pd.DataFrame, min_hashtags: int = 1) -> pd.DataFrame:
    """Each post's hashtags in the order they appear, as one value ("#a #b"): doc_id, value."""
    tags = traces[traces[s.KIND] == c.HASHTAG]
    if tags.empty:
        return pd.DataFrame({s.DOC_ID: pd.Series(dtype=object), c.VALUE: pd.Series(dtype=object)})
    order = [s.DOC_ID, c.POSITION] if c.POSITION in tags.columns else [s.DOC_ID]
    tags = tags.sort_values(order, kind="stable")
    docs = tags[s.DOC_ID].to_numpy(dtype=object)
    values = tags[c.VALUE].astype(str).to_numpy(dtype=object)
    starts = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
    sizes = np.diff(np.r_[starts, len(docs)])
    # join each post's tags with spaces: a space before every tag but the first, then concatenate per post
    spaced = np.where(np.isin(np.arange(len(docs)), starts), "", " ").astype(object) + values
    joined = np.add.reduceat(spaced, starts)
    keep = sizes >= min_hashtags
    return pd.DataFrame({s.DOC_ID: docs[starts][keep], c.VALUE: joined[keep]})


def shared_items(posts: pd.DataFrame, traces: pd.DataFrame, kinds: tuple[str, ...] | list[str],
                 account: str = s.SOURCE, min_hashtags: int = 1) -> pd.DataFrame:
    """One row per dated post and item of the given kinds: doc_id, account, date (UTC), item_kind, item_value,
    item ("kind:value"). A post appears once per distinct item it carries."""
    c.check_posts(posts, account)
    c.check_traces(traces)
    parts = []
    plain = [k for k in kinds if k in c.TRACE_KINDS]
    if plain:
        t = traces[traces[s.KIND].isin(plain)]
        parts.append(pd.DataFrame({s.DOC_ID: t[s.DOC_ID].to_numpy(), c.ITEM_KIND: t[s.KIND].to_numpy(),
                                   c.ITEM_VALUE: t[c.VALUE].to_numpy()}))
    if c.HASHTAGS in kinds:
        seq = hashtag_sequences(traces, min_hashtags)
        parts.append(pd.DataFrame({s.DOC_ID: seq[s.DOC_ID].to_numpy(), c.ITEM_KIND: c.HASHTAGS,
                                   c.ITEM_VALUE: seq[c.VALUE].to_numpy()}))
    if c.TEXT in kinds:
        clusters = near_duplicate_clusters(posts)
        parts.append(pd.DataFrame({s.DOC_ID: clusters[s.DOC_ID].to_numpy(), c.ITEM_KIND: c.TEXT,
                                   c.ITEM_VALUE: clusters[c.CLUSTER].to_numpy()}))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({col: pd.Series(dtype="datetime64[ns]" if col == s.DATE else object)
                             for col in ITEM_COLUMNS})
    items = pd.concat(parts, ignore_index=True)
    items = items[items[c.ITEM_VALUE].notna()]
    # ids are strings in the store; a frame built elsewhere may hold numbers in one frame and text in the other
    items[s.DOC_ID] = items[s.DOC_ID].astype(str)
    meta = pd.DataFrame({s.DOC_ID: posts[s.ID].astype(str).to_numpy(), c.ACCOUNT: posts[account].to_numpy(),
                         s.DATE: c.utc_naive(posts[s.DATE]).to_numpy()})
    meta = meta[meta[s.DATE].notna() & meta[c.ACCOUNT].notna()]
    items = items.merge(meta, on=s.DOC_ID, how="inner")
    items[c.ITEM] = items[c.ITEM_KIND].astype(str) + ":" + items[c.ITEM_VALUE].astype(str)
    items = items.drop_duplicates([s.DOC_ID, c.ITEM])
    return items[ITEM_COLUMNS].reset_index(drop=True)
