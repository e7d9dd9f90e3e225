"""The frames this package reads and writes: column names, trace kinds, and the checks that name what is wrong.

Inputs (the store produces them; nothing here speaks SQL):

posts — one row per document (social post, forward, article):
    id           document id (unique)
    date         when it was posted, UTC, with the time of day (tz-aware UTC or naive meaning UTC)
    source       the account or channel that posted it (the default "account" for coordination)
    source_type  news / statement / propaganda / social / research / other (optional)
    author       the person behind the post where the export names one (optional; may be the account instead)
    duplicate_of the document this one is a near-duplicate of (MinHash, from ingest), else null (optional)
    date_precision  as stored (optional): documents dated only to the month or year are never timed

traces — one row per trace of amplification found in a document (the ingest stage extracts and normalises them):
    doc_id    the document
    kind      url, domain, hashtag, mention, retweet_of, reply_to, quote_of, forward_from
    value     the normalised value (URL without scheme/www/tracking parameters, domain, "#tag", "@name", an id)
    position  where in the document it occurs (orders a post's hashtags into a sequence)

assignments — one row per document and theme, as the topic stage writes them (optional):
    doc_id, topic_id   (-1 is the outlier theme)

A near-duplicate cluster is every document linked through `duplicate_of`; the document the cluster is named after is
the one the store kept as the original (the first ingested, which need not be the first posted: order comes from
dates only).
"""

from __future__ import annotations

import pandas as pd

from .. import schema as s
from ..errors import AMPLIFICATION_INPUT, AmplificationInputError

# Trace kinds written by ingest --------------------------------------------------------------------------------------
URL = "url"
DOMAIN = "domain"
HASHTAG = "hashtag"
MENTION = "mention"
RETWEET_OF = "retweet_of"
REPLY_TO = "reply_to"
QUOTE_OF = "quote_of"
FORWARD_FROM = "forward_from"
TRACE_KINDS = (URL, DOMAIN, HASHTAG, MENTION, RETWEET_OF, REPLY_TO, QUOTE_OF, FORWARD_FROM)

# Item kinds the coordination search compares: every trace kind, plus two built here from the inputs.
TEXT = "text"  # a near-duplicate cluster: the same (near-identical) text
HASHTAGS = "hashtags"  # a post's hashtags in the order they appear: the same hashtag sequence
ITEM_KINDS = (*TRACE_KINDS, TEXT, HASHTAGS)

# Columns of the traces frame (posts and assignments use analytics.schema names) ------------------------------------
VALUE = "value"
POSITION = "position"
TRACE_COLUMNS = (s.DOC_ID, s.KIND, VALUE, POSITION)

# Columns this package writes ---------------------------------------------------------------------------------------
ACCOUNT = "account"
ACCOUNT_A = "account_a"
ACCOUNT_B = "account_b"
ITEM = "item"  # "kind:value", the key of a shared item
ITEM_KIND = "item_kind"
ITEM_VALUE = "item_value"
CASCADE_ID = "cascade_id"
CLUSTER = "cluster"
CO_POSTS = "co_posts"
OCCASIONS = "occasions"
EXPECTED = "expected"
SCORE = "score"
P_VALUE = "p_value"
Q_VALUE = "q_value"
SIGNIFICANT = "significant"
SHARED_ITEMS = "shared_items"
FIRST_SEEN = "first_seen"
LAST_SEEN = "last_seen"
N_DOCUMENTS = "n_documents"
DOC_IDS = "doc_ids"
ACCOUNTS = "accounts"

# The keys of one cluster in `narrative coordination --json` (issue 18), in order.
CLUSTER_JSON_KEYS = (ACCOUNTS, SHARED_ITEMS, FIRST_SEEN, LAST_SEEN, N_DOCUMENTS, SCORE, P_VALUE, Q_VALUE, DOC_IDS)

# Precisions whose dates carry no time of day worth comparing to the second.
UNTIMED_PRECISIONS = ("month", "year", "unknown")


def input_error(frame: str, reason: str, fix: str = "") -> AmplificationInputError:
    """The catalogued error (E410) for a frame or setting these functions cannot use."""
    return AMPLIFICATION_INPUT.error(frame=frame, reason=reason,
                                     fix=fix or "see analytics.amplification.contracts for what each frame needs")


def check_columns(frame: pd.DataFrame, name: str, required: tuple[str, ...] | list[str]) -> None:
    """Raise naming the frame and the missing columns when `frame` lacks any of `required`."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise input_error(
            name, f"missing column(s) {', '.join(missing)}",
            f"the {name} frame needs {', '.join(required)} (see analytics.amplification.contracts)")


def check_posts(posts: pd.DataFrame, account: str) -> None:
    """The posts frame has ids, dates and the account column; ids are unique."""
    check_columns(posts, "posts", [s.ID, s.DATE, account])
    dup = posts[s.ID].duplicated(keep=False)
    if dup.any():
        row = int(dup.to_numpy().nonzero()[0][0])
        raise input_error(
            "posts", f"row {row}: document id {posts[s.ID].iloc[row]!r} appears more than once",
            "pass one row per document")


def check_traces(traces: pd.DataFrame) -> None:
    """The traces frame has doc_id, kind, value (position is optional); kinds are known ones."""
    check_columns(traces, "traces", [s.DOC_ID, s.KIND, VALUE])
    unknown = ~traces[s.KIND].isin(TRACE_KINDS)
    if unknown.any():
        row = int(unknown.to_numpy().nonzero()[0][0])
        raise input_error(
            "traces", f"row {row}: unknown trace kind {traces[s.KIND].iloc[row]!r}",
            f"kinds are {', '.join(TRACE_KINDS)}")


def utc_naive(dates: pd.Series) -> pd.Series:
    """Dates as naive UTC timestamps (tz-aware ones converted, naive ones taken to be UTC already)."""
    d = pd.to_datetime(dates, utc=True, errors="coerce")
    return d.dt.tz_convert("UTC").dt.tz_localize(None)
