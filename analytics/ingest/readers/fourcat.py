"""4CAT dataset exports: the CSV of mapped items, and the NDJSON of items as collected.

The CSV has the columns every 4CAT datasource maps to — `id`, `thread_id`, `author`, `body`, `timestamp` (UTC,
"2019-11-22 14:03:11") and usually `unix_timestamp` — plus the datasource's own: Telegram adds `chat`,
`author_username`, `author_name`, `reply_to`, `views`, `author_forwarded_from_name`, `entities_linked`, …; others
add `subject`, `url`, `subreddit`/`board`. The source is the channel or board the item was collected from (`chat`,
`subreddit`, `board`), else the author's username.

The NDJSON of a Telegram dataset holds the messages as Telegram's API returned them (`message`, `date` as epoch
seconds, `_chat` with `username`/`title`, `fwd_from`, `reply_to`, `views`); datasets imported from Zeeschuimer hold
Zeeschuimer's items (fields under `data`), read by the zeeschuimer reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..loaders import Item, JsonLine, Problem, RawRecord, json_objects, load_csv
from .base import Head, Reader, first, post

_CORE = ("id", "thread_id", "author", "body", "timestamp")
_USED = {"id", "body", "timestamp", "unix_timestamp", "chat", "subreddit", "board", "author_username", "author",
         "author_name", "url", "subject", "author_forwarded_from_name", "author_forwarded_from_username",
         "reply_to", "entities_linked", "entities_mentioned", "title"}


def sniff_csv(head: Head) -> float:
    if head.has_columns(*_CORE):
        return 0.95 if head.has_columns("unix_timestamp") or "4cat" in head.name else 0.85
    return 0.0


def sniff_ndjson(head: Head) -> float:
    obj = head.first_object or {}
    if obj.get("_type") == "Message" and "message" in obj and "date" in obj:
        return 0.9
    return 0.0


def read_csv(path: Path) -> Iterator[Item]:
    for item in load_csv(path):
        if not isinstance(item, RawRecord):
            yield item
            continue
        row = item.fields
        is_telegram = "chat" in row
        # The datasource's own columns name the platform where they can: `chat` Telegram, `subreddit` Reddit (a
        # `board` may be 4chan's or another image board's, so it stays 4CAT unless a column says which).
        named = "telegram" if is_telegram else "reddit" if "subreddit" in row else None
        platform = named or str(first(row, "platform", "datasource") or "4cat")
        social: dict[str, Any] = {}
        forwarded = first(row, "author_forwarded_from_name", "author_forwarded_from_username")
        if forwarded:
            social["forward_from"] = forwarded
        if first(row, "reply_to"):
            social["reply_to"] = first(row, "chat")
            social["reply_to_id"] = f"{first(row, 'chat')}/{first(row, 'reply_to')}"
        if first(row, "entities_linked"):
            social["urls"] = [u for u in str(first(row, "entities_linked")).split(",") if u.strip()]
        if first(row, "entities_mentioned"):
            social["mentions"] = [u for u in str(first(row, "entities_mentioned")).split(",") if u.strip()]
        source = first(row, "chat", "subreddit", "board", "author_username", "author")
        metadata = {k: v for k, v in row.items() if k not in _USED and v not in ("", None)}
        metadata["forwarded_from_name"] = first(row, "author_forwarded_from_name")
        external = f"{first(row, 'chat')}/{first(row, 'id')}" if is_telegram else first(row, "id")
        if not str(first(row, "body") or "").strip():
            media = first(row, "attachment_type")
            yield Problem(item.file, item.row, f"row {item.row}: " + (f"media without text ({media})" if media
                                                                      else "no text (empty body)"))
            continue
        yield post(item.file, item.row, text=first(row, "body"),
                   date=first(row, "unix_timestamp") or first(row, "timestamp"), source=source,
                   author=first(row, "author_username", "author_name", "author"), url=first(row, "url"),
                   title=first(row, "subject", "title"), external_id=external, platform=platform,
                   social=social, metadata=metadata)


def read_ndjson(path: Path) -> Iterator[Item]:
    for got in json_objects(path):
        yield _telegram_message(str(path), got.row, got.value) if isinstance(got, JsonLine) else got


def _telegram_message(file: str, row: int, msg: dict[str, Any]) -> Item:
    chat = msg.get("_chat") if isinstance(msg.get("_chat"), dict) else {}
    sender = msg.get("_sender") if isinstance(msg.get("_sender"), dict) else {}
    text = msg.get("message")
    if not text:
        media = (msg.get("media") or {}).get("_type") if isinstance(msg.get("media"), dict) else None
        return Problem(file, row, f"row {row}: " + (f"media without text ({media})" if media else "no text"),
                       json.dumps(msg, ensure_ascii=False)[:200])
    channel = chat.get("username") or chat.get("title") or str(chat.get("id") or "")
    social: dict[str, Any] = {}
    fwd = msg.get("fwd_from") if isinstance(msg.get("fwd_from"), dict) else None
    if fwd:
        social["forward_from"] = fwd.get("from_name") or json.dumps(fwd.get("from_id"), default=str)
        if fwd.get("channel_post"):
            social["forward_from_id"] = str(fwd["channel_post"])
    reply = msg.get("reply_to") if isinstance(msg.get("reply_to"), dict) else None
    if reply and reply.get("reply_to_msg_id"):
        social["reply_to"] = channel
        social["reply_to_id"] = f"{channel}/{reply['reply_to_msg_id']}"
    metadata = {"views": msg.get("views"), "forwards": msg.get("forwards"), "edit_date": msg.get("edit_date"),
                "chat_title": chat.get("title")}
    author = sender.get("username") or " ".join(filter(None, [sender.get("first_name"), sender.get("last_name")]))
    return post(file, row, text=text, date=msg.get("date"), source=channel, author=author or channel,
                external_id=f"{channel}/{msg.get('id')}",
                url=f"https://t.me/{chat['username']}/{msg.get('id')}" if chat.get("username") else None,
                platform="telegram", social=social, metadata=metadata)


CSV_READER = Reader(
    name="4cat", description="4CAT dataset CSV (any datasource; Telegram's channel as source)", read=read_csv,
    sniff=sniff_csv, platform=None, defaults={"source_type": "social"},
    fields={"text": "body", "date": "unix_timestamp, else timestamp (UTC)", "title": "subject",
            "source": "chat / subreddit / board, else author_username",
            "author": "author_username / author_name / author",
            "external_id": "chat/id (Telegram) or id", "metadata": "every other column"},
)
NDJSON_READER = Reader(
    name="4cat-ndjson", description="4CAT NDJSON of a Telegram dataset (messages as Telegram's API gives them)",
    read=read_ndjson, sniff=sniff_ndjson, platform="telegram", defaults={"source_type": "social"},
    fields={"text": "message", "date": "date (epoch seconds, UTC)", "source": "_chat.username / title",
            "author": "_sender.username", "url": "https://t.me/<chat>/<id>",
            "metadata": "views, forwards, edit_date, chat_title"},
)
