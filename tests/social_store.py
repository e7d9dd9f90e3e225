"""The simulated social corpus written as a platform export and ingested into a real store: a fixture whose
amplification answers are known (the planted group of accounts, the planted near-identical chains and who posted
each first), for the store path, the CLI, the app and the browser tests, and for the benchmark.

The export is 4CAT's CSV of mapped items (`id, thread_id, author, body, timestamp, unix_timestamp`, times in UTC to
the second), its rows shuffled so that the copy the store keeps as a chain's "original" (the first ingested) is not
the first posted. Each post's text carries its link, hashtags and mention the way a person writes them; all posts of
one near-identical text (an organic viral text, a campaign text) share a 40-word text, each copy with at most one
word added, so the store's MinHash links them. A few posts carry a date without a time of day. The themes "fit" is
the topic each post was written on (no model is fitted), every tenth post an outlier.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from apptest_store import store_fit
from social_corpus import START, TOPICS, SocialCorpus, social_corpus

from analytics import store
from analytics.amplification import near_duplicate_clusters
from analytics.ingest import ingest

WORDS = {
    "conflict": "frontline shelling convoy ceasefire brigade artillery siege checkpoint offensive retreat militia "
                "drone positions casualties village corridor trench battalion evacuation sniper".split(),
    "online": "channel account banned platform moderation takedown mirror backup invite group followers repost "
              "archive link bots suspended server encrypted upload stream".split(),
    "policy": "minister parliament regulation law vote committee sanctions budget hearing report court ruling "
              "election treaty envoy statement agency funding inquiry reform".split(),
    "attacks": "blast police suspect arrest bomb victims investigation claim gunman security alert station market "
               "hospital witnesses raid motive network plot injured".split(),
}
FILLER = "the a of and to in on for with this that is was were new more just now after before says".split()
ADDED = ["now", "today", "again", "please", "urgent", "watch", "", "", ""]
LABELS = {0: "Frontline, shelling & convoy", 1: "Channels, takedown & platform", 2: "Minister, vote & law",
          3: "Blast, police & suspect"}
UNTIMED_POSTS = 6  # organic posts exported with a date and no time of day
# A hashtag that takes off: one organic post in five carries it in the last EMERGING_DAYS days, none before.
EMERGING_TAG = "#newwave"
EMERGING_DAYS = 4
EMERGING_SHARE = 0.2


@dataclass
class SocialStore:
    """The store and what is known about it."""

    db: Path
    export: Path
    corpus: SocialCorpus
    store_ids: dict[str, str]  # simulated post id -> document id in the store
    planted_accounts: set[str] = field(default_factory=set)
    # the planted campaign texts: each as its store ids in posting order (ties within a second by store id)
    chains: list[list[str]] = field(default_factory=list)
    seconds: dict[str, int] = field(default_factory=dict)  # store id -> posting time in whole seconds


def _words(rng: np.random.Generator, topic: str, n: int) -> list[str]:
    own = WORDS[topic]
    return [own[i] if rng.random() < 0.7 else FILLER[i % len(FILLER)] for i in rng.integers(0, 1000, n) % len(own)]


def post_texts(corpus: SocialCorpus, seed: int) -> pd.Series:
    """A text for every post (indexed by post id): the words of its topic, then its link, hashtags and mention;
    the members of a near-identical text share one text, each with at most one word added. Organic posts of the
    last EMERGING_DAYS days carry EMERGING_TAG at the end with chance EMERGING_SHARE."""
    rng = np.random.default_rng([seed, 11])
    posts = corpus.posts
    traces = corpus.traces
    urls = traces[traces["kind"] == "url"].drop_duplicates("doc_id").set_index("doc_id")["value"]
    tags = traces[traces["kind"] == "hashtag"].sort_values(["doc_id", "position"]).groupby("doc_id")["value"].agg(
        " ".join)
    mentions = traces[traces["kind"] == "mention"].drop_duplicates("doc_id").set_index("doc_id")["value"]
    cluster = near_duplicate_clusters(posts).set_index("doc_id")["cluster"]
    topic = posts.set_index("id")["topic"]
    late = posts["date"] >= posts["date"].max().normalize() - pd.Timedelta(days=EMERGING_DAYS - 1)
    organic = posts["source"].str.startswith("user")
    emerging = set(posts.loc[late & organic & (rng.random(len(posts)) < EMERGING_SHARE), "id"])
    base: dict[str, str] = {}
    out = {}
    for doc in posts["id"]:
        if doc in cluster.index:  # a copy of a near-identical text: the shared text, perhaps one word added
            name = cluster[doc]
            if name not in base:
                base[name] = " ".join(_words(rng, topic[name], 40)).capitalize() + "."
            added = ADDED[int(rng.integers(0, len(ADDED)))]
            out[doc] = f"{base[name]} {added}".strip()
            continue
        parts = [" ".join(_words(rng, topic[doc], int(rng.integers(10, 23)))).capitalize() + "."]
        if doc in urls.index:
            parts.append(f"https://{urls[doc]}")
        if doc in tags.index:
            parts.append(tags[doc])
        if doc in mentions.index:
            parts.append(mentions[doc])
        if doc in emerging:
            parts.append(EMERGING_TAG)
        out[doc] = " ".join(parts)
    return pd.Series(out)


def export_frame(corpus: SocialCorpus, seed: int, untimed: int = UNTIMED_POSTS) -> pd.DataFrame:
    """The posts as 4CAT's CSV of mapped items, rows shuffled; `untimed` organic posts dated to the day only."""
    posts = corpus.posts
    seconds = (posts["date"] - START).dt.total_seconds().astype(np.int64) + int(START.timestamp())
    frame = pd.DataFrame({
        "id": posts["id"].to_numpy(), "thread_id": posts["id"].to_numpy(), "author": posts["source"].to_numpy(),
        "body": post_texts(corpus, seed).reindex(posts["id"]).to_numpy(),
        "timestamp": pd.to_datetime(seconds, unit="s").dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy(),
        "unix_timestamp": seconds.astype(str).to_numpy(),
    })
    rng = np.random.default_rng([seed, 12])
    organic = np.flatnonzero(posts["source"].str.startswith("user").to_numpy() & posts["duplicate_of"].isna())
    for row in rng.choice(organic, size=min(untimed, len(organic)), replace=False):
        frame.loc[row, "unix_timestamp"] = ""
        frame.loc[row, "timestamp"] = frame.loc[row, "timestamp"][:10]
    return frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)


def build_social_store(folder: Path, seed: int = 7, n_organic: int = 80, days: int = 10, n_planted: int = 10,
                       n_actions: int = 12, with_fit: bool = True, workers: int | None = 1) -> SocialStore:
    """Write the export under `folder`, ingest it into `folder/social.duckdb` (replacing it) and store the themes.
    `workers`: ingest's worker processes (1: all in this process, quickest for small corpora; None: one per core)."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus = social_corpus(seed, n_organic=n_organic, n_planted=n_planted, days=days, n_actions=n_actions)
    export = folder / "social-4cat.csv"
    export_frame(corpus, seed).to_csv(export, index=False)
    db = folder / "social.duckdb"
    if db.exists():
        db.unlink()
    with store.opened(db) as con:
        ingest([export], con, workers=workers)
        stored = store.documents(con, columns=["id", "external_id", "date"])
        ids = dict(zip(stored["external_id"], stored["id"], strict=True))
        if with_fit:
            topic = corpus.posts.set_index("id")["topic"].map({t: i for i, t in enumerate(TOPICS)})
            topic = topic[topic.index.isin(list(ids))]
            assign = pd.DataFrame({"doc_id": [ids[p] for p in topic.index], "topic_id": topic.to_numpy()})
            outlier = [zlib.crc32(d.encode()) % 10 == 0 for d in assign["doc_id"]]
            assign.loc[outlier, "topic_id"] = -1
            store_fit(con, assign, LABELS)
        store.set_meta(con, "corpus_name", f"Simulated posts (seed {seed})")
    seconds = dict(zip(stored["id"], (stored["date"] - pd.Timestamp(0)).dt.total_seconds().fillna(-1).astype(int),
                       strict=True))
    chains = [sorted((ids[p] for p in chain), key=lambda d: (seconds[d], d)) for chain in corpus.planted_chains]
    return SocialStore(db, export, corpus, ids, set(corpus.planted_accounts), chains, seconds)
