"""A simulated social-media corpus whose right answer is known: which accounts act in concert, who posted first.

Organic accounts post on a few topics with their own daily rhythm (local time zones), in sessions (bursts of several
posts a few minutes apart), more during a few breaking-news spells, and share what is going round: news links that
are shared most in the hours after they appear (some go viral within half an hour), evergreen links, popular
hashtags, viral texts copied near-verbatim. None of them coordinates: each account draws its own times.

Planted accounts look the same in their everyday posting and, on top of it, take part in campaign actions: at one
moment all (or most) of them post the same link, the same near-identical text or the same hashtag sequence within a
minute. The organic part depends only on `seed`, so `social_corpus(seed, n_planted=0)` is the same corpus without
the planted accounts.

The frames have the shapes the amplification package reads (see `analytics.amplification` for the contracts):
posts (id, date in UTC with the time of day, source = the account, author, source_type, duplicate_of, similarity,
and the topic the post was written on) and traces (doc_id, kind, value, position).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

START = pd.Timestamp("2024-03-04", tz="UTC")
DAY = 86_400.0
# Share of a person's posting in each local hour (0-23): quiet at night, a lunchtime and an evening peak.
HOURLY = np.array([1.2, 0.6, 0.3, 0.2, 0.2, 0.4, 1.0, 2.2, 3.2, 3.6, 3.8, 4.2, 5.0, 4.8, 4.2, 4.0, 4.2, 4.6, 5.2,
                   6.0, 6.4, 6.0, 4.4, 2.4])
HOURLY = HOURLY / HOURLY.sum()
TIME_ZONES = np.array([0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 3.0, -5.0, -5.0, -8.0, 5.5])  # hours from UTC
TOPICS = ("conflict", "online", "policy", "attacks")
TAGS_PER_TOPIC = 30
CAMPAIGN_KINDS = ("url", "text", "hashtags")


@dataclass
class SocialCorpus:
    """Posts, their traces and the answers: the planted accounts and the planted near-duplicate chains."""

    posts: pd.DataFrame
    traces: pd.DataFrame
    planted_accounts: set[str] = field(default_factory=set)
    planted_groups: list[set[str]] = field(default_factory=list)
    # each planted campaign text as its documents in posting order (first poster first)
    planted_chains: list[list[str]] = field(default_factory=list)


def _zipf_weights(n: int, exponent: float = 1.1) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** exponent
    return w / w.sum()


def _daytime_moments(rng: np.random.Generator, n: int, days: int, tz_hours: np.ndarray | float = 0.0) -> np.ndarray:
    """n moments (seconds from START) spread over `days`, following the daily rhythm in the given local time."""
    day = rng.integers(0, days, n)
    hour = rng.choice(24, size=n, p=HOURLY)
    local = day * DAY + (hour + rng.random(n)) * 3600.0
    return np.mod(local - np.asarray(tz_hours) * 3600.0, days * DAY)  # wrap round rather than pile up at 0


@dataclass
class _Pools:
    """What is going round: news links and viral texts (each with a release time, a popularity, a life time)."""

    link_release: np.ndarray
    link_weight: np.ndarray
    link_life: np.ndarray
    text_release: np.ndarray
    text_weight: np.ndarray
    text_life: np.ndarray


def _pools(rng: np.random.Generator, days: int, n_accounts: int, fast_life: float) -> _Pools:
    # more accounts, more stories: about one news link a day for every seven accounts (at least 40)
    n_links = days * max(40, n_accounts // 7)
    n_texts = n_links // 5
    return _Pools(
        link_release=np.sort(_daytime_moments(rng, n_links, days)),
        link_weight=rng.permutation(_zipf_weights(n_links, 0.9)),
        # most news is shared over a few hours; one story in four goes round within `fast_life` seconds
        link_life=np.where(rng.random(n_links) < 0.25, fast_life, 3 * 3600.0),
        text_release=np.sort(_daytime_moments(rng, n_texts, days)),
        text_weight=rng.permutation(_zipf_weights(n_texts, 0.9)),
        text_life=np.where(rng.random(n_texts) < 0.3, fast_life, 2 * 3600.0),
    )


def _pick_current(rng: np.random.Generator, times: np.ndarray, release: np.ndarray, weight: np.ndarray,
                  life: np.ndarray) -> np.ndarray:
    """For each moment, one item released in the day before it, weighted by popularity and how fresh it is."""
    out = np.full(len(times), -1, dtype=np.int64)
    order = np.argsort(times)
    chunk = 2000
    for lo in range(0, len(order), chunk):
        idx = order[lo:lo + chunk]
        t = times[idx]
        first = np.searchsorted(release, t.min() - DAY)
        last = np.searchsorted(release, t.max(), side="right")
        if last <= first:
            continue
        age = t[:, None] - release[None, first:last]
        w = np.where((age >= 0) & (age < DAY), weight[first:last] * np.exp(-np.clip(age, 0, None) / life[first:last]),
                     0.0)
        total = w.sum(axis=1)
        ok = total > 0
        cum = np.cumsum(w[ok], axis=1)
        u = rng.random(ok.sum()) * total[ok]
        out[idx[ok]] = first + (cum < u[:, None]).sum(axis=1)
    return out


def _organic_posts(rng: np.random.Generator, accounts: list[str], days: int, pools: _Pools,
                   news_spells: np.ndarray) -> pd.DataFrame:
    """Everyday posting of the given accounts: times and what each post carries (as codes, texts filled later)."""
    n = len(accounts)
    rate = np.clip(rng.lognormal(mean=0.6, sigma=1.0, size=n), 0.2, 60.0)  # posts per day
    tz = rng.choice(TIME_ZONES, size=n)
    topic = rng.integers(0, len(TOPICS), n)
    session_posts = 3.0
    n_sessions = rng.poisson(rate * days / session_posts)
    acc = np.repeat(np.arange(n), n_sessions)
    start = _daytime_moments(rng, len(acc), days, tz[acc])
    # a session in six falls in a breaking-news spell, when everyone is online more
    in_spell = rng.random(len(acc)) < 1 / 6
    spell = rng.integers(0, len(news_spells), len(acc))
    start = np.where(in_spell, news_spells[spell] + rng.random(len(acc)) * 2 * 3600.0, start)
    length = rng.geometric(1 / session_posts, len(acc))
    post_acc = np.repeat(acc, length)
    gaps = rng.exponential(120.0, len(post_acc))
    first = np.r_[0, np.cumsum(length)[:-1]]
    gaps[first] = 0.0
    csum = np.cumsum(gaps)
    offset = csum - np.repeat(csum[first], length)
    t = np.repeat(start, length) + offset
    keep = t < days * DAY
    post_acc, t = post_acc[keep], t[keep]
    m = len(t)
    # a post's topic: mostly the account's own
    post_topic = np.where(rng.random(m) < 0.8, topic[post_acc], rng.integers(0, len(TOPICS), m))
    is_link = rng.random(m) < 0.35
    evergreen = is_link & (rng.random(m) < 0.3)
    news = is_link & ~evergreen
    link = np.full(m, -1)
    link[news] = _pick_current(rng, t[news], pools.link_release, pools.link_weight, pools.link_life)
    site = np.full(m, -1)
    site[evergreen] = rng.choice(200, size=evergreen.sum(), p=_zipf_weights(200))
    is_viral = ~is_link & (rng.random(m) < 0.12)
    viral = np.full(m, -1)
    viral[is_viral] = _pick_current(rng, t[is_viral], pools.text_release, pools.text_weight, pools.text_life)
    n_tags = rng.choice(4, size=m, p=[0.4, 0.3, 0.2, 0.1])
    mention = np.where(rng.random(m) < 0.1, rng.choice(50, size=m, p=_zipf_weights(50)), -1)
    return pd.DataFrame({
        "account": np.asarray(accounts, dtype=object)[post_acc], "t": t, "topic": post_topic, "link": link,
        "site": site, "viral": viral, "tags": _tags(rng, post_topic, n_tags), "mention": mention,
    })


def _tags(rng: np.random.Generator, topic: np.ndarray, n_tags: np.ndarray) -> list[list[str]]:
    """Hashtag sequences: popular tags of the post's topic (a few are used by almost everyone)."""
    weights = _zipf_weights(TAGS_PER_TOPIC)
    drawn = rng.choice(TAGS_PER_TOPIC, size=(len(topic), 3), p=weights)
    out = []
    for top, k, row in zip(topic, n_tags, drawn, strict=True):
        seq = list(dict.fromkeys(f"#{TOPICS[top]}{i}" for i in row[:k]))
        out.append(seq)
    return out


def social_corpus(seed: int = 42, n_organic: int = 300, n_planted: int = 10, days: int = 14,
                  n_actions: int = 20, participation: float = 0.75, spread_seconds: float = 55.0,
                  fast_life: float = 1800.0, n_groups: int = 1) -> SocialCorpus:
    """The simulated corpus. The planted accounts form `n_groups` groups of (about) equal size; each group takes
    `n_actions` campaign actions, each joined by each of its accounts with probability `participation`, all within
    `spread_seconds` of the action's moment. `fast_life`: how quickly (seconds) the
    fastest quarter of news links and viral texts stop being shared."""
    organic_rng = np.random.default_rng([seed, 1])
    pools = _pools(organic_rng, days, n_organic, fast_life)
    spells = _daytime_moments(organic_rng, 3, days)
    organic_accounts = [f"user{i:04d}" for i in range(n_organic)]
    frames = [_organic_posts(organic_rng, organic_accounts, days, pools, spells).assign(campaign=-1)]
    planted_accounts = [f"planted{i:02d}" for i in range(n_planted)]
    plant_rng = np.random.default_rng([seed, 3])
    campaign_kind: list[str] = []
    groups = [set(planted_accounts[g::n_groups]) for g in range(n_groups)] if n_planted else []
    if n_planted:
        # everyday posting like anyone else's
        frames.append(_organic_posts(plant_rng, planted_accounts, days, pools, spells).assign(campaign=-1))
        rows = []
        for group in groups:
            members = sorted(group)
            for moment in np.sort(_daytime_moments(plant_rng, n_actions, days)):
                k = len(campaign_kind)
                campaign_kind.append(CAMPAIGN_KINDS[k % len(CAMPAIGN_KINDS)])
                for a in members:
                    if plant_rng.random() < participation:
                        rows.append({"account": a, "t": moment + plant_rng.random() * spread_seconds, "campaign": k})
        camp = pd.DataFrame(rows)
        frames.append(camp.assign(topic=0, link=-1, site=-1, viral=-1, tags=[[]] * len(camp), mention=-1))
    posts = pd.concat(frames, ignore_index=True)
    posts = posts.sort_values(["t", "account"], ignore_index=True)
    posts["id"] = [f"d{seed % 1000:03d}-{i:07d}" for i in range(len(posts))]
    # the same post ids whatever the planted part: ids follow the organic order only
    organic = posts["campaign"].eq(-1) & posts["account"].str.startswith("user")
    posts.loc[organic, "id"] = [f"o{seed % 1000:03d}-{i:07d}" for i in range(int(organic.sum()))]
    return _frames(posts, campaign_kind, set(planted_accounts), groups)


def _frames(posts: pd.DataFrame, campaign_kind: list[str], planted: set[str], groups: list[set[str]]) -> SocialCorpus:
    """Posts and traces frames in the contract's shapes from the simulated posting table."""
    trace_rows: list[tuple[str, str, str, int]] = []
    ids = posts["id"].to_numpy()
    for doc, seq in zip(ids, posts["tags"], strict=True):
        for pos, tag in enumerate(seq):
            trace_rows.append((doc, "hashtag", tag, pos))
    for doc, link in zip(ids, posts["link"].to_numpy(), strict=True):
        if link >= 0:
            outlet = f"news{link % 25:02d}.example"
            trace_rows.append((doc, "url", f"{outlet}/story/{link}", 100))
            trace_rows.append((doc, "domain", outlet, 100))
    for doc, site in zip(ids, posts["site"].to_numpy(), strict=True):
        if site >= 0:
            trace_rows.append((doc, "url", f"site{site:03d}.example/", 100))
            trace_rows.append((doc, "domain", f"site{site:03d}.example", 100))
    for doc, who in zip(ids, posts["mention"].to_numpy(), strict=True):
        if who >= 0:
            trace_rows.append((doc, "mention", f"@public{who:02d}", 50))
    # campaign actions carry their own link, text or hashtag sequence
    chains: list[list[str]] = []
    camp = posts[posts["campaign"] >= 0]
    for k, group in camp.groupby("campaign", sort=True):
        kind = campaign_kind[int(k)]
        if kind == "url":
            for doc in group["id"]:
                trace_rows.append((doc, "url", f"campaign.example/p/{k}", 100))
                trace_rows.append((doc, "domain", "campaign.example", 100))
        elif kind == "hashtags":
            seq = [f"#push{k}", "#online0", "#conflict1"]
            for doc in group["id"]:
                for pos, tag in enumerate(seq):
                    trace_rows.append((doc, "hashtag", tag, pos))
        elif len(group) > 1:
            chains.append(list(group.sort_values("t")["id"]))
    traces = pd.DataFrame(trace_rows, columns=["doc_id", "kind", "value", "position"])
    # near-duplicate clusters: organic viral texts and campaign texts. The store links each copy to the member that
    # was ingested first, which need not be the earliest post, so the "original" here is an arbitrary member (the
    # one whose id hashes lowest).
    cluster = np.where(posts["viral"].to_numpy() >= 0, posts["viral"].to_numpy(), -1).astype(object)
    is_text_campaign = posts["campaign"].map(
        lambda c: c >= 0 and campaign_kind[int(c)] == "text").to_numpy(dtype=bool)
    cluster[is_text_campaign] = "c" + posts.loc[is_text_campaign, "campaign"].astype(str).to_numpy()
    posts = posts.assign(cluster=cluster)
    duplicate_of = pd.Series(None, index=posts.index, dtype=object)
    similarity = pd.Series(np.nan, index=posts.index)
    for _, members in posts[posts["cluster"].ne(-1)].groupby("cluster").groups.items():
        members = list(members)
        if len(members) < 2:
            continue
        root = min(members, key=lambda m: zlib.crc32(posts.at[m, "id"].encode()))
        others = [m for m in members if m != root]
        duplicate_of[others] = posts.at[root, "id"]
        similarity[others] = [0.85 + 0.15 * (zlib.crc32(posts.at[m, "id"].encode()) % 1000) / 1000 for m in others]
    date = START + pd.to_timedelta(np.round(posts["t"].to_numpy() * 1000).astype(np.int64), unit="ms")
    frame = pd.DataFrame({
        "id": posts["id"].to_numpy(), "date": date, "source": posts["account"].to_numpy(),
        "author": posts["account"].to_numpy(), "source_type": "social", "duplicate_of": duplicate_of.to_numpy(),
        "similarity": similarity.to_numpy(), "topic": np.asarray(TOPICS)[posts["topic"].to_numpy(dtype=int)],
    })
    return SocialCorpus(posts=frame, traces=traces, planted_accounts=planted, planted_groups=groups,
                        planted_chains=chains)
