"""Cascades: for every near-identical text, shared link and hashtag, who posted it first and who followed, in order.

Order comes from the posting dates alone (ties broken by document id), never from which copy the store kept as the
original. Dates without a time of day still order cascades by day; such ties are broken by id, so read the order
within a day only when the posts carry times.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema as s
from ..frames import among
from . import contracts as c
from .items import shared_items
from .settings import SETTINGS

CASCADE_KINDS = (c.TEXT, c.URL, c.HASHTAG)

CASCADE_COLUMNS = [
    c.CASCADE_ID, c.ITEM_KIND, c.ITEM_VALUE, "first_doc", "first_account", "first_source_type", c.FIRST_SEEN,
    c.LAST_SEEN, "hours", c.N_DOCUMENTS, "n_accounts", "n_sources", "n_source_types", "source_types", "followers",
    "themes", "theme", c.DOC_IDS,
]
EVENT_COLUMNS = [c.CASCADE_ID, s.DOC_ID, c.ACCOUNT, s.SOURCE, s.SOURCE_TYPE, s.DATE, "rank", "hours_since_first",
                 "new_account", s.TOPIC_ID]


def cascade_events(posts: pd.DataFrame, traces: pd.DataFrame, assignments: pd.DataFrame | None = None,
                   kinds: tuple[str, ...] = CASCADE_KINDS, account: str = s.SOURCE,
                   min_accounts: int = SETTINGS["min_cascade_accounts"].default) -> pd.DataFrame:  # type: ignore[assignment]
    """One row per document in a cascade, in posting order: cascade_id, doc_id, account, source, source_type, date,
    rank (1 = first), hours_since_first, new_account (the account's first post in this cascade), topic_id (the
    document's theme when `assignments` is given, else missing)."""
    items = shared_items(posts, traces, kinds, account=account)
    if items.empty:
        return pd.DataFrame(columns=EVENT_COLUMNS)
    meta_cols = [s.ID] + [col for col in (s.SOURCE, s.SOURCE_TYPE) if col in posts.columns and col != c.ACCOUNT]
    meta = posts[meta_cols].rename(columns={s.ID: s.DOC_ID}).astype({s.DOC_ID: str})
    events = items.merge(meta, on=s.DOC_ID, how="left")
    for col in (s.SOURCE, s.SOURCE_TYPE):
        if col not in events.columns:
            events[col] = events[c.ACCOUNT] if col == s.SOURCE else None
    reach = events.groupby(c.ITEM)[c.ACCOUNT].transform("nunique")
    events = events[reach >= min_accounts]
    events = events.sort_values([c.ITEM, s.DATE, s.DOC_ID], ignore_index=True)
    group = events.groupby(c.ITEM, sort=False)
    events["rank"] = group.cumcount() + 1
    events["hours_since_first"] = (events[s.DATE] - group[s.DATE].transform("min")).dt.total_seconds() / 3600
    events["new_account"] = ~events.duplicated([c.ITEM, c.ACCOUNT])
    if assignments is not None:
        c.check_columns(assignments, "assignments", [s.DOC_ID, s.TOPIC_ID])
        topics = assignments[[s.DOC_ID, s.TOPIC_ID]].astype({s.DOC_ID: str}).drop_duplicates(s.DOC_ID)
        events = events.merge(topics, on=s.DOC_ID, how="left")
    else:
        events[s.TOPIC_ID] = pd.NA
    return events.rename(columns={c.ITEM: c.CASCADE_ID})[EVENT_COLUMNS + [c.ITEM_KIND, c.ITEM_VALUE]]


def cascades(posts: pd.DataFrame, traces: pd.DataFrame, assignments: pd.DataFrame | None = None,
             kinds: tuple[str, ...] = CASCADE_KINDS, account: str = s.SOURCE,
             min_accounts: int = SETTINGS["min_cascade_accounts"].default) -> pd.DataFrame:  # type: ignore[assignment]
    """One row per cascade (an item posted by at least `min_accounts` accounts): the first document, account and
    source type, first and last seen, hours between them, documents, accounts, sources and source types reached, the
    followers (accounts in the order they first posted it, the first poster left out), the themes of its documents
    (most frequent first; `theme` is the most frequent real theme, -1 when all are outliers) and its documents in
    posting order. Sorted by reach (accounts), then first seen."""
    events = cascade_events(posts, traces, assignments, kinds, account, min_accounts)
    return cascades_from_events(events)


def cascades_from_events(events: pd.DataFrame) -> pd.DataFrame:
    """The cascade table from `cascade_events`' rows (so a page can filter the events once and summarise them)."""
    if events.empty:
        return pd.DataFrame(columns=CASCADE_COLUMNS)
    group = events.groupby(c.CASCADE_ID, sort=False)
    first = events[events["rank"] == 1].set_index(c.CASCADE_ID)
    out = pd.DataFrame({
        c.ITEM_KIND: first[c.ITEM_KIND], c.ITEM_VALUE: first[c.ITEM_VALUE], "first_doc": first[s.DOC_ID],
        "first_account": first[c.ACCOUNT], "first_source_type": first[s.SOURCE_TYPE], c.FIRST_SEEN: first[s.DATE],
    })
    out[c.LAST_SEEN] = group[s.DATE].max()
    out["hours"] = (out[c.LAST_SEEN] - out[c.FIRST_SEEN]).dt.total_seconds() / 3600
    out[c.N_DOCUMENTS] = group.size()
    out["n_accounts"] = group[c.ACCOUNT].nunique()
    out["n_sources"] = group[s.SOURCE].nunique()
    out["n_source_types"] = group[s.SOURCE_TYPE].nunique()
    types = events.groupby([c.CASCADE_ID, s.SOURCE_TYPE], sort=False).size().rename("n").reset_index()
    types = types.sort_values([c.CASCADE_ID, "n", s.SOURCE_TYPE], ascending=[True, False, True])
    out["source_types"] = _lists(types[c.CASCADE_ID], types[s.SOURCE_TYPE])
    followers = events[events["new_account"] & (events["rank"] > 1)]
    out["followers"] = _lists(followers[c.CASCADE_ID], followers[c.ACCOUNT])
    out["followers"] = out["followers"].apply(lambda v: v if isinstance(v, list) else [])
    out["source_types"] = out["source_types"].apply(lambda v: v if isinstance(v, list) else [])
    themes = events.dropna(subset=[s.TOPIC_ID])
    if len(themes):
        counts = themes.groupby([c.CASCADE_ID, s.TOPIC_ID], sort=False).size().rename("n").reset_index()
        counts[s.TOPIC_ID] = counts[s.TOPIC_ID].astype(int)
        counts = counts.sort_values([c.CASCADE_ID, "n", s.TOPIC_ID], ascending=[True, False, True])
        out["themes"] = _lists(counts[c.CASCADE_ID], counts[s.TOPIC_ID])
        real = counts[counts[s.TOPIC_ID] != s.OUTLIER_TOPIC].drop_duplicates(c.CASCADE_ID).set_index(c.CASCADE_ID)
        out["theme"] = real[s.TOPIC_ID].reindex(out.index).fillna(s.OUTLIER_TOPIC).astype(int)
        out.loc[~among(out.index, counts[c.CASCADE_ID]), "theme"] = pd.NA
    else:
        out["themes"] = np.nan
        out["theme"] = pd.NA
    out["themes"] = out["themes"].apply(lambda v: v if isinstance(v, list) else [])
    out[c.DOC_IDS] = _lists(events[c.CASCADE_ID], events[s.DOC_ID])
    out = out.reset_index(names=c.CASCADE_ID)
    out = out.sort_values(["n_accounts", c.FIRST_SEEN, c.CASCADE_ID], ascending=[False, True, True],
                          ignore_index=True)
    return out[CASCADE_COLUMNS]


def _lists(keys: pd.Series, values: pd.Series) -> pd.Series:
    """`values` gathered per key, each list in row order, indexed by key: what `groupby(keys).agg(list)` gives,
    without pandas' Python call per group (a thousand cascades cost a fifth of a second that way)."""
    codes, names = pd.factorize(keys)
    kept = np.flatnonzero(codes >= 0)  # a missing key forms no group, as in groupby
    order = kept[np.argsort(codes[kept], kind="stable")]
    items = values.to_numpy(dtype=object)[order]
    starts = np.flatnonzero(np.diff(codes[order])) + 1
    chunks = np.split(items, starts) if len(order) else []
    return pd.Series([chunk.tolist() for chunk in chunks], index=names, dtype=object)  # codes number the names
