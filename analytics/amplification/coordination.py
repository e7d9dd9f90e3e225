"""Coordination: pairs of accounts that keep posting the same thing within seconds of each other, and their groups.

The test, for one pair of accounts A and B:

- An *occasion* is a half-hour slot (the null window, fixed slots from the first post) in which both accounts
  posted the same item — a link, a near-identical text, a hashtag sequence — within the null window of each other.
  A *co-post* is an occasion in which they did so within the coordination window (default 60 seconds). Counting
  slots, not items, keeps one moment one piece of evidence: a post carrying a link and a hashtag sequence, or a
  burst of several shared posts, counts once; the same link pushed on five different days counts five times.
- Null hypothesis: the two accounts time their posts independently below the half-hour scale. Whatever brings both
  to the item in the same half hour (the news cycle, a trending topic, the same daily rhythm, a busy evening) is
  kept; only the exact moment is left to chance, so each gap between their posts of an item within the half hour is
  equally likely to be anything from -30 to +30 minutes. One such pair of posts then lands within 60 seconds with
  chance W/J (60/1800 = 1/30), and an occasion with m such pairs of posts with chance at most min(1, m·W/J).
- Test: the number of co-posts K is a sum of independent occasions under the null; its upper tail is taken from a
  Poisson law with the summed chances λ as its mean. Above the mean (k ≥ λ + 1, the only counts that can be
  significant) a Poisson tail is at least as wide as that of such a sum (Hoeffding 1956; Anderson & Samuels
  1967), and the chances are upper bounds, so the p-value errs on the safe side. The null holds the occasions
  fixed, so every pair with at least one occasion is in the family of tests; pairs with fewer than `min_repeats`
  co-posts are not worked out and enter the family with p = 1 (a valid, cautious p-value). Benjamini–Hochberg
  q-values over that family decide; the score is K/λ, how many times more often the two posted together than
  chance gives.

Crowds: a moment when more than `crowd_limit` accounts post the same item within the null window (a trending
hashtag, a viral link) is set aside before pairs are formed — it would add crowd² pairs, and being in a crowd says
nothing about any two of its members. So the pair search costs about (posts × accounts per item in a half hour),
never posts². Posts without a time of day (dated to the month or year, or at exactly midnight: how dates without a
time are stored) are left out; posts of items nobody else posted form no pairs and cost nothing.

Groups (groups.py): the accounts linked by significant pairs, as connected components (or Louvain communities) of
that network. A group holds together at its q-value: every link needed to connect its members passed with q at most
that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .. import schema as s
from ..frames import among
from ..multiple_testing import q_values
from . import contracts as c
from .groups import CLUSTER_COLUMNS, account_groups, evidence_table
from .items import shared_items
from .settings import CoordinationParams

MS = 1000  # times are handled as integer milliseconds


@dataclass
class Coordination:
    """What the coordination search found, with the evidence behind each number."""

    pairs: pd.DataFrame  # every tested pair, most significant first
    clusters: pd.DataFrame  # one row per group of coordinated accounts
    co_posts: pd.DataFrame  # the evidence: one row per pair of posts within the window, for tested pairs
    crowds: pd.DataFrame  # items set aside at moments when a crowd posted them
    activity: pd.Series  # posts per account (every post of the frame, timed or not)
    params: CoordinationParams = field(default_factory=CoordinationParams)
    n_posts: int = 0  # posts with items that were compared
    pairs_compared: int = 0  # pairs of accounts with at least one occasion: the family the q-values correct for
    n_untimed: int = 0  # posts left out for want of a time of day

    @property
    def significant_pairs(self) -> pd.DataFrame:
        """The pairs that passed (q below the false discovery rate)."""
        return self.pairs.loc[self.pairs[c.SIGNIFICANT].astype(bool)].reset_index(drop=True)


PAIR_COLUMNS = [c.ACCOUNT_A, c.ACCOUNT_B, c.CO_POSTS, c.OCCASIONS, c.EXPECTED, c.SCORE, c.P_VALUE, c.Q_VALUE,
                c.SIGNIFICANT, c.CLUSTER, c.SHARED_ITEMS, c.N_DOCUMENTS, c.FIRST_SEEN, c.LAST_SEEN, c.DOC_IDS]
CO_POST_COLUMNS = [c.ACCOUNT_A, c.ACCOUNT_B, c.ITEM, "doc_a", "doc_b", "date_a", "date_b", "gap_seconds"]
CROWD_COLUMNS = [c.ITEM, "crowded_posts", "accounts", c.FIRST_SEEN, c.LAST_SEEN]


def timed(items: pd.DataFrame, posts: pd.DataFrame) -> pd.Series:
    """True for item rows whose post has a usable time of day: not dated only to a month or year, and not at
    exactly midnight (where dates without a time are stored)."""
    ok = items[s.DATE].notna() & (items[s.DATE] != items[s.DATE].dt.normalize())
    if s.DATE_PRECISION in posts.columns:
        coarse = posts.loc[posts[s.DATE_PRECISION].isin(c.UNTIMED_PRECISIONS), s.ID].to_numpy(dtype=object)
        ok &= ~among(items[s.DOC_ID], coarse)
    return ok


def coordination(posts: pd.DataFrame, traces: pd.DataFrame, params: CoordinationParams | None = None,
                 account: str = s.SOURCE, activity: pd.Series | None = None) -> Coordination:
    """Find pairs and groups of accounts that post the same items within seconds of each other more often than
    chance gives (see the module's docstring for the test). `account` names the column that identifies an
    account: `source` (the channel or account, the default) or `author`. `activity`: posts per account, when
    counted beforehand over more posts than `posts` holds (then `posts` need only be those carrying an item);
    else counted on `posts`."""
    params = params or CoordinationParams()
    items = shared_items(posts, traces, params.kinds, account=account, min_hashtags=params.min_hashtags)
    ok = timed(items, posts)
    untimed_docs = set(items.loc[~ok, s.DOC_ID])
    items = items[ok].reset_index(drop=True)
    if activity is None:
        activity = posts.groupby(account).size().rename("posts")
    return coordination_from_items(items, params, activity, n_untimed=len(untimed_docs))


def coordination_from_items(items: pd.DataFrame, params: CoordinationParams, activity: pd.Series | None = None,
                            n_untimed: int = 0) -> Coordination:
    """The coordination search on a ready table of timed post items (`items.shared_items`' columns)."""
    activity = activity if activity is not None else items.groupby(c.ACCOUNT)[s.DOC_ID].nunique().rename("posts")
    window_ms = int(round(params.coordination_window * MS))
    null_ms = int(round(params.null_window * MS))
    # sorted codes: the same input in any row order gives the same pairs, and account_a < account_b
    item_code, item_names = pd.factorize(items[c.ITEM], sort=True)
    acc_code, acc_names = pd.factorize(items[c.ACCOUNT].astype(str), sort=True)
    t = items[s.DATE].to_numpy("datetime64[ms]").astype(np.int64)
    n_posts = items[s.DOC_ID].nunique()
    if len(items) < 2:
        return _empty(params, activity, n_untimed, n_posts=n_posts)
    t = t - t.min()
    # one sortable key per post: items far apart on the axis, time within the item
    stride = np.int64(t.max() + 2 * null_ms + 1)
    if len(item_names) * float(stride) >= 2**62:
        raise c.AmplificationInputError("posts", "the dates span too long a time to compare to the millisecond",
                                        "narrow the date range")
    key = item_code.astype(np.int64) * stride + t
    crowded = _crowded(key, item_code, acc_code, null_ms, params.crowd_limit)
    crowds = _crowd_table(items, crowded)
    keep = np.flatnonzero(~crowded)
    order = keep[np.argsort(key[keep], kind="stable")]
    i, j = _pairs_within(key[order], null_ms)
    i, j = order[i], order[j]
    cross = acc_code[i] != acc_code[j]
    i, j = i[cross], j[cross]
    if len(i) == 0:
        return _empty(params, activity, n_untimed, crowds, n_posts=n_posts)
    # a pair of posts sharing several items (a link and a hashtag sequence) is one pair of posts
    doc_code = pd.factorize(items[s.DOC_ID])[0]
    lo, hi = np.minimum(doc_code[i], doc_code[j]), np.maximum(doc_code[i], doc_code[j])
    _, first = np.unique(lo.astype(np.int64) * len(doc_code) + hi, return_index=True)
    first = np.sort(first)
    tested, family = _test_pairs(i[first], j[first], t, acc_code, len(acc_names), window_ms, null_ms, params)
    if tested.empty:
        return _empty(params, activity, n_untimed, crowds, n_posts=n_posts, pairs_compared=family)
    # the untested pairs of the family enter with p = 1
    p_family = np.concatenate([tested[c.P_VALUE].to_numpy(), np.ones(family - len(tested))])
    tested[c.Q_VALUE] = q_values(p_family)[:len(tested)]
    tested[c.SIGNIFICANT] = tested[c.Q_VALUE] < params.coordination_fdr
    co_posts = _co_post_table(i, j, t, item_code, acc_code, tested, window_ms, items, item_names, acc_names)
    pairs = _pair_table(tested, co_posts, acc_names)
    pairs, clusters = account_groups(pairs, co_posts, params.cluster_method, window_ms)
    return Coordination(pairs=pairs, clusters=clusters, co_posts=co_posts, crowds=crowds, activity=activity,
                        params=params, n_posts=n_posts, n_untimed=n_untimed, pairs_compared=family)


def _empty(params: CoordinationParams, activity: pd.Series, n_untimed: int, crowds: pd.DataFrame | None = None,
           n_posts: int = 0, pairs_compared: int = 0) -> Coordination:
    return Coordination(
        pairs=pd.DataFrame(columns=PAIR_COLUMNS), clusters=pd.DataFrame(columns=CLUSTER_COLUMNS),
        co_posts=pd.DataFrame(columns=CO_POST_COLUMNS),
        crowds=crowds if crowds is not None else pd.DataFrame(columns=CROWD_COLUMNS), activity=activity,
        params=params, n_posts=n_posts, n_untimed=n_untimed, pairs_compared=pairs_compared)


def _crowd_table(items: pd.DataFrame, crowded: np.ndarray) -> pd.DataFrame:
    """Items set aside because a crowd posted them: how many posts, how many accounts, when."""
    if not crowded.any():
        return pd.DataFrame(columns=CROWD_COLUMNS)
    rows = items[crowded]
    out = rows.groupby(c.ITEM).agg(crowded_posts=(s.DOC_ID, "size"), accounts=(c.ACCOUNT, "nunique"),
                                   **{c.FIRST_SEEN: (s.DATE, "min"), c.LAST_SEEN: (s.DATE, "max")})
    return out.reset_index().sort_values(["crowded_posts", c.ITEM], ascending=[False, True], ignore_index=True)



# -- the pair search -------------------------------------------------------------------------------------------------


def _crowded(key: np.ndarray, item_code: np.ndarray, acc_code: np.ndarray, null_ms: int, limit: int) -> np.ndarray:
    """True for posts made when more than `limit` accounts posted the same item within `null_ms` either side.

    An account's repeats of an item within the null window count once (its first post of the run), so a crowd is
    counted in accounts, not posts."""
    by_account = np.lexsort((key, acc_code, item_code))
    k, a = key[by_account], acc_code[by_account]
    first_of_run = np.ones(len(k), dtype=bool)
    first_of_run[1:] = (a[1:] != a[:-1]) | (k[1:] - k[:-1] > null_ms)
    arrivals = np.sort(k[first_of_run])
    crowd = np.searchsorted(arrivals, key + null_ms, side="right") - np.searchsorted(arrivals, key - null_ms)
    return crowd > limit


def _pairs_within(sorted_key: np.ndarray, span: int) -> tuple[np.ndarray, np.ndarray]:
    """All index pairs (i < j) of a sorted key array whose keys differ by at most `span`, in O(pairs + n)."""
    n = len(sorted_key)
    out_i, out_j = [], []
    active = np.arange(n - 1)
    lag = 1
    while len(active):
        partner = active + lag
        active = active[partner < n]
        partner = active + lag
        close = sorted_key[partner] - sorted_key[active] <= span
        active = active[close]
        out_i.append(active)
        out_j.append(active + lag)
        lag += 1
    if not out_i:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    return np.concatenate(out_i), np.concatenate(out_j)


def _test_pairs(i: np.ndarray, j: np.ndarray, t: np.ndarray, acc_code: np.ndarray, n_accounts: int, window_ms: int,
                null_ms: int, params: CoordinationParams) -> tuple[pd.DataFrame, int]:
    """Per pair of accounts with at least `min_repeats` co-posts: co-posts, occasions, expected, score, p-value;
    and the number of pairs with at least one occasion (the family)."""
    a = np.minimum(acc_code[i], acc_code[j]).astype(np.int64)
    b = np.maximum(acc_code[i], acc_code[j]).astype(np.int64)
    pair = a * n_accounts + b
    family = len(np.unique(pair))
    occasion = np.minimum(t[i], t[j]) // null_ms  # the slot of the earlier post
    hit = np.abs(t[j] - t[i]) <= window_ms
    # co-posts per pair (an occasion counts once however many of its posts fall within the window)
    hits = pd.DataFrame({"pair": pair[hit], "occasion": occasion[hit]}).drop_duplicates()
    k = hits.groupby("pair").size()
    candidates = k[k >= params.min_repeats].index.to_numpy()
    if len(candidates) == 0:
        return pd.DataFrame(), family
    mine = np.isin(pair, candidates)
    rows = pd.DataFrame({"pair": pair[mine], "occasion": occasion[mine], "hit": hit[mine]})
    per_occasion = rows.groupby(["pair", "occasion"], sort=False).agg(m=("hit", "size"), hit=("hit", "any"))
    chance = np.minimum(1.0, per_occasion["m"].to_numpy() * (window_ms / null_ms))
    per_occasion = per_occasion.assign(chance=chance)
    per_pair = per_occasion.groupby(level="pair").agg(
        **{c.CO_POSTS: ("hit", "sum"), c.OCCASIONS: ("hit", "size"), c.EXPECTED: ("chance", "sum")})
    co = per_pair[c.CO_POSTS].to_numpy()
    lam = per_pair[c.EXPECTED].to_numpy()
    out = per_pair.reset_index()
    out["a"], out["b"] = out["pair"] // n_accounts, out["pair"] % n_accounts
    out[c.SCORE] = co / lam
    out[c.P_VALUE] = np.clip(stats.poisson.sf(co - 1, lam), 0.0, 1.0)
    return out, family


def _co_post_table(i: np.ndarray, j: np.ndarray, t: np.ndarray, item_code: np.ndarray, acc_code: np.ndarray,
                   tested: pd.DataFrame, window_ms: int, items: pd.DataFrame, item_names: pd.Index,
                   acc_names: pd.Index) -> pd.DataFrame:
    """Every pair of posts within the coordination window for the tested pairs of accounts."""
    n_accounts = len(acc_names)
    hit = np.abs(t[j] - t[i]) <= window_ms
    i, j = i[hit], j[hit]
    swap = acc_code[i] > acc_code[j]  # account_a is always the pair's first account
    i, j = np.where(swap, j, i), np.where(swap, i, j)
    pair = acc_code[i].astype(np.int64) * n_accounts + acc_code[j]
    mine = np.isin(pair, tested["pair"].to_numpy())
    i, j = i[mine], j[mine]
    docs = items[s.DOC_ID].to_numpy()
    dates = items[s.DATE].to_numpy()
    out = pd.DataFrame({
        c.ACCOUNT_A: acc_names[acc_code[i]], c.ACCOUNT_B: acc_names[acc_code[j]], c.ITEM: item_names[item_code[i]],
        "doc_a": docs[i], "doc_b": docs[j], "date_a": dates[i], "date_b": dates[j],
        "gap_seconds": (t[j] - t[i]) / MS,
    })
    return out.sort_values([c.ACCOUNT_A, c.ACCOUNT_B, "date_a"], ignore_index=True)


def _pair_table(tested: pd.DataFrame, co_posts: pd.DataFrame, acc_names: pd.Index) -> pd.DataFrame:
    """Tested pairs with their names, shared items, time span and documents."""
    out = tested.assign(**{c.ACCOUNT_A: acc_names[tested["a"].to_numpy()],
                           c.ACCOUNT_B: acc_names[tested["b"].to_numpy()]})
    evidence = evidence_table(co_posts, [c.ACCOUNT_A, c.ACCOUNT_B])
    out = out.merge(evidence, on=[c.ACCOUNT_A, c.ACCOUNT_B], how="left")
    out[c.CLUSTER] = -1
    out = out.sort_values([c.Q_VALUE, c.P_VALUE, c.SCORE, c.ACCOUNT_A, c.ACCOUNT_B],
                          ascending=[True, True, False, True, True], ignore_index=True)
    return out[PAIR_COLUMNS]
