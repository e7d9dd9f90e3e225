"""A coordination result in words and JSON: the plain-words summary, one sentence per group, and the view that
`narrative coordination --json` prints."""

from __future__ import annotations

import pandas as pd

from . import contracts as c
from .coordination import Coordination

# What a reported group is and is not, in plain words: the page, the CLI and the README say it the same way.
WHAT_A_GROUP_IS = (
    "A coordinated group is a set of accounts that, again and again, posted the same link, the same (near-identical) "
    "text or the same hashtags within seconds of each other, far more often than chance gives for accounts that "
    "active. The chance model keeps each account's own rhythm and whatever brought both to the item in the same half "
    "hour (the news cycle, a trending topic); only the exact minute is left to chance. What the test rules out is "
    "chance, nothing more: it does not tell a campaign from fans who react fast. Fast organic reactors (news bots, "
    "a fan base that shares every post of one channel at once) will also be reported, and a group that posts "
    "together only once or twice, or always in a big crowd, will not. Read the posts behind a group before calling "
    "it a campaign.")


def _iso(ts: object) -> str | None:
    return None if pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day(ts: object) -> str:
    return pd.Timestamp(ts).strftime("%-d %b %Y")


def coordination_summary(result: Coordination) -> str:
    """One paragraph in plain words: what was compared, what was found, and what was left out."""
    p = result.params
    window, null = f"{p.coordination_window:g} seconds", f"{p.null_window / 60:g} minutes"
    n_sig = int(result.pairs[c.SIGNIFICANT].sum()) if len(result.pairs) else 0
    parts = []
    if result.n_posts == 0:
        parts.append("No posts with a time of day share a link, text or hashtags, so no accounts could be compared.")
    else:
        parts.append(
            f"{result.pairs_compared:,} pairs of accounts posted the same thing within {null} of each other "
            f"({result.n_posts:,} posts compared). {n_sig:,} of these pairs did so within {window} more often than "
            f"chance explains (at most {p.coordination_fdr:.0%} of such findings are expected to be chance), forming "
            f"{len(result.clusters):,} group{'s' if len(result.clusters) != 1 else ''}.")
    if result.n_untimed:
        parts.append(f"{result.n_untimed:,} posts were left out because they have no time of day.")
    if len(result.crowds):
        parts.append(f"{len(result.crowds):,} items were set aside at moments when more than {p.crowd_limit} "
                     "accounts posted them (trending).")
    return " ".join(parts)


def cluster_sentences(result: Coordination) -> list[str]:
    """One sentence per group, with its evidence in numbers."""
    out = []
    for row in result.clusters.itertuples(index=False):
        out.append(
            f"Group {row.cluster + 1}: {row.n_accounts} accounts ({', '.join(map(str, row.accounts[:5]))}"
            f"{', …' if row.n_accounts > 5 else ''}) posted the same {len(row.shared_items)} items within "
            f"{result.params.coordination_window:g} seconds of each other at {row.moments} different moments from "
            f"{_day(row.first_seen)} to {_day(row.last_seen)} ({row.n_documents} posts), {row.score:.0f} times "
            f"as often as chance gives (q = {row.q_value:.1g}).")
    return out


def clusters_json(result: Coordination, with_pairs: bool = True) -> list[dict]:
    """The groups as JSON-ready dicts with the keys of `narrative coordination --json` (accounts, shared_items,
    first_seen, last_seen, n_documents, score, p_value, q_value, doc_ids), plus `cluster` and, with `with_pairs`,
    the pairs behind each group."""
    out = []
    for row in result.clusters.itertuples(index=False):
        record = {"cluster": int(row.cluster)}
        for key in c.CLUSTER_JSON_KEYS:
            value = getattr(row, key)
            if key in (c.FIRST_SEEN, c.LAST_SEEN):
                value = _iso(value)
            elif key in (c.ACCOUNTS, c.SHARED_ITEMS, c.DOC_IDS):
                value = [str(v) for v in value]
            elif key == c.N_DOCUMENTS:
                value = int(value)
            else:
                value = float(value)
            record[key] = value
        if with_pairs:
            pairs = result.pairs[result.pairs[c.CLUSTER] == row.cluster]
            record["pairs"] = [{
                c.ACCOUNT_A: str(p[c.ACCOUNT_A]), c.ACCOUNT_B: str(p[c.ACCOUNT_B]), c.CO_POSTS: int(p[c.CO_POSTS]),
                c.OCCASIONS: int(p[c.OCCASIONS]), c.EXPECTED: float(p[c.EXPECTED]), c.SCORE: float(p[c.SCORE]),
                c.P_VALUE: float(p[c.P_VALUE]), c.Q_VALUE: float(p[c.Q_VALUE]),
                c.SHARED_ITEMS: [str(v) for v in p[c.SHARED_ITEMS]],
                c.DOC_IDS: [str(v) for v in p[c.DOC_IDS]],
            } for _, p in pairs.iterrows()]
        out.append(record)
    return out
