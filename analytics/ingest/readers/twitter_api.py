"""X API v2 tweets as twarc2 writes them: JSON Lines of response pages (`{"data": [...], "includes": {"users":
[...], "tweets": [...]}, "meta": …}`), or of single tweets after `twarc2 flatten` (each with `author` expanded);
a `.json` file holding one response page is read the same way.

A tweet has `id`, `text`, `created_at` (ISO, UTC), `author_id`, `lang`, `entities` (`urls` with `expanded_url` /
`unwound_url`, `mentions`, `hashtags`), `referenced_tweets` (`retweeted`, `quoted`, `replied_to` with the other
tweet's id), `public_metrics` and, for a tweet over 280 characters, `note_tweet` with its whole text. The author's
`username` is the source: from `author` when flattened, else from the page's `includes.users`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..loaders import Item, Problem, read_text
from .base import Head, Reader, post

PLATFORM = "twitter"
_REFERENCE_KINDS = {"retweeted": "retweet_of", "quoted": "quote_of", "replied_to": "reply_to"}


def _is_tweet(obj: dict[str, Any]) -> bool:
    return "text" in obj and ("author_id" in obj or "edit_history_tweet_ids" in obj) and "id" in obj


def sniff(head: Head) -> float:
    obj = head.first_object
    if obj is None:  # a .json page, or a JSONL page longer than the head (100 tweets with includes often are)
        text = head.text[:16384]
        tweet_like = '"author_id"' in text and ('"edit_history_tweet_ids"' in text or '"__twarc"' in text or
                                                '"includes"' in text)
        return 0.9 if '"data"' in text and tweet_like else 0.0
    if isinstance(obj.get("data"), list) and obj["data"] and isinstance(obj["data"][0], dict) \
            and _is_tweet(obj["data"][0]):
        return 0.95
    if _is_tweet(obj):
        return 0.95 if ("author" in obj or "__twarc" in obj) else 0.8
    return 0.0


def read(path: Path) -> Iterator[Item]:
    text, note = read_text(path)
    yield note
    lines = [text] if path.suffix.casefold() == ".json" else text.splitlines()
    row = 0
    for line_no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            row += 1
            yield Problem(str(path), row, f"line {line_no}: invalid JSON ({exc.msg} at column {exc.colno})",
                          line[:200])
            continue
        if not isinstance(obj, dict):
            row += 1
            yield Problem(str(path), row, f"line {line_no}: a {type(obj).__name__}, not an object", line[:200])
            continue
        if isinstance(obj.get("data"), list):  # a response page: its tweets, authors from includes.users
            users = {str(u.get("id")): u for u in (obj.get("includes") or {}).get("users") or []
                     if isinstance(u, dict)}
            for tweet in obj["data"]:
                row += 1
                yield _tweet(str(path), row, tweet, users)
        else:
            row += 1
            yield _tweet(str(path), row, obj, {})


def _tweet(file: str, row: int, tweet: Any, users: dict[str, dict[str, Any]]) -> Item:
    if not isinstance(tweet, dict) or not _is_tweet(tweet):
        return Problem(file, row, f"row {row}: not an X API v2 tweet (needs id, text and author_id)",
                       json.dumps(tweet, ensure_ascii=False)[:200])
    author = tweet.get("author") if isinstance(tweet.get("author"), dict) else users.get(str(tweet.get("author_id")))
    username = (author or {}).get("username")
    entities = tweet.get("entities") or {}
    social: dict[str, Any] = {
        "urls": [{"url": u.get("url"), "expanded": u.get("unwound_url") or u.get("expanded_url")}
                 for u in entities.get("urls") or [] if isinstance(u, dict)],
        "mentions": [m.get("username") for m in entities.get("mentions") or [] if isinstance(m, dict)],
        "hashtags": [h.get("tag") for h in entities.get("hashtags") or [] if isinstance(h, dict)],
    }
    for ref in tweet.get("referenced_tweets") or []:
        kind = _REFERENCE_KINDS.get(str(ref.get("type"))) if isinstance(ref, dict) else None
        if kind:
            social[f"{kind}_id"] = str(ref.get("id"))
            # twarc2 flatten puts the other tweet's fields beside type and id, its author expanded; a page names
            # the author by id in its includes
            original = ref.get("tweet") if isinstance(ref.get("tweet"), dict) else ref
            other = original.get("author") if isinstance(original.get("author"), dict) else \
                users.get(str(original.get("author_id")))
            if other and other.get("username"):
                social[kind] = other["username"]
    if "reply_to_id" in social and "reply_to" not in social:
        replied = tweet.get("in_reply_to_user") if isinstance(tweet.get("in_reply_to_user"), dict) else \
            users.get(str(tweet.get("in_reply_to_user_id")))
        social["reply_to"] = (replied or {}).get("username")
    metadata = {"public_metrics": tweet.get("public_metrics"), "conversation_id": tweet.get("conversation_id"),
                "author_id": tweet.get("author_id"), "author_name": (author or {}).get("name"),
                "possibly_sensitive": tweet.get("possibly_sensitive")}
    tweet_id = str(tweet["id"])
    if not username:
        metadata["source_note"] = "author not expanded in this file: the source is the author id"
    source = username or f"id:{tweet.get('author_id')}"
    # a tweet over 280 characters: `text` is cut, the whole of it is in note_tweet
    note = tweet.get("note_tweet") if isinstance(tweet.get("note_tweet"), dict) else {}
    return post(file, row, text=note.get("text") or tweet.get("text"), date=tweet.get("created_at"), source=source,
                author=username, language=tweet.get("lang"), external_id=tweet_id,
                url=f"https://twitter.com/{username or 'i/web'}/status/{tweet_id}", platform=PLATFORM,
                social=social, metadata=metadata)


READER = Reader(
    name="twitter-api", description="X API v2 JSON / JSON Lines as twarc2 writes it (pages or flattened tweets)",
    read=read, sniff=sniff, platform=PLATFORM, defaults={"source_type": "social"},
    fields={"text": "note_tweet.text (over 280 characters), else text (entities unescaped)", "date": "created_at",
            "source": "author.username (or includes.users by author_id)", "author": "author.username",
            "language": "lang", "external_id": "id", "url": "https://twitter.com/<username>/status/<id>",
            "metadata": "public_metrics, conversation_id, author_id, author_name"},
)
