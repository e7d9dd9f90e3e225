"""An X/Twitter account archive: `data/tweets.js` (and `tweets-part1.js`, …; older archives `tweet.js`), which
is JavaScript — `window.YTD.tweets.part0 = [ {"tweet": {...}}, … ]` — around a JSON array.

Each tweet has `id_str`, `created_at` ("Fri Nov 22 14:03:11 +0000 2019"), `full_text` (HTML entities escaped, as the
API wrote it), `lang`, `entities` (`urls` with `expanded_url`, `user_mentions`, `hashtags`), `in_reply_to_*`,
`retweet_count`, `favorite_count`. The archive does not repeat the account's name in each tweet: it is read from
`account.js` beside the tweets file (`username`); without it the source is the archive folder's name (the folder
above `data/`, else the one holding the file) and a note says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..loaders import Item, Problem, read_text
from .base import Head, Reader, post

PLATFORM = "twitter"
_ASSIGNMENT = re.compile(r"^\s*window\.YTD\.[\w.]+\s*=\s*", re.ASCII)
TWEET_FILES = re.compile(r"^tweets?(-part\d+)?\.js$", re.IGNORECASE)


def sniff(head: Head) -> float:
    if head.text.lstrip().startswith("window.YTD.tweet"):
        return 0.99
    if TWEET_FILES.match(head.name) and "window.YTD." in head.text[:200]:
        return 0.95
    return 0.0


def ytd_json(text: str) -> Any:
    """The JSON value of a `window.YTD.<name>.partN = …` file."""
    return json.loads(_ASSIGNMENT.sub("", text, count=1))


def account(folder: Path) -> dict[str, Any]:
    """The archive owner's account (username, accountId, accountDisplayName) from account.js, else {}."""
    path = folder / "account.js"
    if not path.is_file():
        return {}
    try:
        items = ytd_json(read_text(path)[0])
        return dict(items[0].get("account", items[0]))
    except (ValueError, IndexError, AttributeError, TypeError):
        return {}


def read(path: Path) -> Iterator[Item]:
    text, note = read_text(path)
    yield note
    try:
        items = ytd_json(text)
    except json.JSONDecodeError as exc:
        yield Problem(str(path), None, f"not a readable archive file: invalid JSON after the window.YTD assignment "
                      f"(line {exc.lineno}: {exc.msg})", text[:200])
        return
    if not isinstance(items, list):
        yield Problem(str(path), None, "the archive file holds no list of tweets")
        return
    owner = account(path.parent)
    username = str(owner.get("username") or "")
    # The archive's own folder (the one above data/, else the one holding the file), resolved so that a relative
    # path such as "data/tweets.js" still has one.
    folder = path.resolve().parent
    if folder.name.casefold() == "data":
        folder = folder.parent
    for row, item in enumerate(items, 1):
        tweet = item.get("tweet", item) if isinstance(item, dict) else None
        if not isinstance(tweet, dict):
            yield Problem(str(path), row, f"row {row}: not a tweet object", str(item)[:200])
            continue
        yield _tweet(str(path), row, tweet, username, folder.name)


def _tweet(file: str, row: int, tweet: dict[str, Any], username: str, folder: str) -> Item:
    entities = tweet.get("entities") or {}
    tweet_id = str(tweet.get("id_str") or tweet.get("id") or "")
    social: dict[str, Any] = {
        "urls": [{"url": u.get("url"), "expanded": u.get("expanded_url")} for u in entities.get("urls") or []
                 if isinstance(u, dict)],
        "mentions": [m.get("screen_name") for m in entities.get("user_mentions") or [] if isinstance(m, dict)],
        "hashtags": [h.get("text") for h in entities.get("hashtags") or [] if isinstance(h, dict)],
    }
    if tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_screen_name"):
        social["reply_to"] = tweet.get("in_reply_to_screen_name")
        social["reply_to_id"] = tweet.get("in_reply_to_status_id_str")
    metadata = {"retweet_count": tweet.get("retweet_count"), "favorite_count": tweet.get("favorite_count"),
                "client": re.sub(r"<[^>]+>", "", str(tweet.get("source") or "")) or None,
                "in_reply_to_screen_name": tweet.get("in_reply_to_screen_name")}
    if not username:
        metadata["source_note"] = "no account.js beside the tweets file: the source is the archive folder's name"
    source = username or folder
    return post(file, row, text=tweet.get("full_text") or tweet.get("text"), date=tweet.get("created_at"),
                source=source, author=username or None, language=tweet.get("lang"), external_id=tweet_id,
                url=f"https://twitter.com/{username or 'i/web'}/status/{tweet_id}" if tweet_id else None,
                platform=PLATFORM, social=social, metadata=metadata)


READER = Reader(
    name="twitter-archive", description="X/Twitter account archive (data/tweets.js, username from account.js)",
    read=read, sniff=sniff, platform=PLATFORM, defaults={"source_type": "social"},
    fields={"text": "full_text (entities unescaped)", "date": "created_at", "source": "account.js username",
            "author": "account.js username", "language": "lang", "external_id": "id_str",
            "url": "https://twitter.com/<username>/status/<id>",
            "metadata": "retweet_count, favorite_count, client, in_reply_to_screen_name"},
)
