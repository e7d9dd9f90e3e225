"""Telegram Desktop's JSON export (`result.json`): one chat, or a whole account's export (`chats.list`).

A chat export is `{"name", "type", "id", "messages": [...]}`; each message has `id`, `type` ("message" or
"service"), `date` (the exporting computer's local time) and, in exports since 2022, `date_unixtime` (UTC), `from`,
`text` — a string or a list of strings and entity objects (`{"type": "link", "text": …}`, `text_link` with `href`,
`hashtag`, `mention`, `bold`, …) — and optionally `forwarded_from`, `reply_to_message_id`, `edited`, `photo`,
`file`, `media_type`, `reactions`. The chat's name is the source and `from` the author; the text is flattened to
what a reader sees. Service messages (channel created, pinned, joined) and media without a caption are not posts:
they are rejected with that reason, so the accounting still closes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..loaders import Item, Problem, read_text
from .base import Head, Reader, post

PLATFORM = "telegram"
HEAD_CHARS = 64 * 1024
_MEDIA_KEYS = ("photo", "file", "media_type", "sticker_emoji", "poll", "location_information", "contact_information")


def sniff(head: Head) -> float:
    text = head.text[:HEAD_CHARS]
    if head.suffix != ".json" or not text.lstrip().startswith("{"):
        return 0.0
    if '"messages"' in text and ('"from_id"' in text or '"date_unixtime"' in text or '"text_entities"' in text):
        return 0.95
    if '"personal_information"' in text[:4096] or ('"chats"' in text and '"list"' in text):
        return 0.9  # a whole-account export (its contacts can push "chats" beyond the head)
    return 0.0



def flatten_text(value: Any) -> tuple[str, list[dict[str, str]]]:
    """The text a reader sees, and the URL/mention/hashtag entities with their targets."""
    if isinstance(value, str):
        return value, []
    parts: list[str] = []
    entities: list[dict[str, str]] = []
    for piece in value or []:
        if isinstance(piece, str):
            parts.append(piece)
            continue
        if not isinstance(piece, dict):
            continue
        shown = str(piece.get("text", ""))
        kind = piece.get("type")
        if kind == "text_link" and piece.get("href"):
            href = str(piece["href"])
            # A link hidden behind words ("here") is not in the text: keyed by its target, it is kept as a trace;
            # keyed by the words, it would be taken for a link the text already shows.
            shown_is_url = shown.strip().lower().startswith(("http://", "https://", "www."))
            entities.append({"kind": "url", "url": shown if shown_is_url else href, "expanded": href})
        elif kind == "link":
            entities.append({"kind": "url", "url": shown, "expanded": shown})
        elif kind in ("mention", "mention_name"):
            entities.append({"kind": "mention", "value": shown})
        elif kind == "hashtag":
            entities.append({"kind": "hashtag", "value": shown})
        parts.append(shown)
    return "".join(parts), entities


def chats(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The chats of an export: the one chat, or every chat of a whole-account export (left chats included)."""
    if isinstance(data.get("messages"), list):
        return [data]
    found: list[dict[str, Any]] = []
    for key in ("chats", "left_chats"):
        block = data.get(key)
        if isinstance(block, dict) and isinstance(block.get("list"), list):
            found += [c for c in block["list"] if isinstance(c, dict)]
    return found


def read(path: Path) -> Iterator[Item]:
    text, note = read_text(path)
    yield note
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Problem(str(path), None, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}; "
                      "no message could be read (is the export complete?)", text[:200])
        return
    found = chats(data) if isinstance(data, dict) else []
    if not found:
        yield Problem(str(path), None, "a Telegram export without messages (no \"messages\" list and no "
                      "\"chats\" → \"list\")")
        return
    row = 0
    for chat in found:
        name = str(chat.get("name") or chat.get("id") or "")
        for message in chat.get("messages") or []:
            row += 1
            yield _message(str(path), row, chat, name, message)


def _message(file: str, row: int, chat: dict[str, Any], name: str, message: Any) -> Item:
    if not isinstance(message, dict):
        return Problem(file, row, f"row {row}: message is a {type(message).__name__}, not an object")
    msg_id = message.get("id")
    if message.get("type", "message") != "message":
        action = message.get("action") or message.get("type")
        return Problem(file, row, f"row {row}: Telegram service message ({action}), not a post",
                       json.dumps(message, ensure_ascii=False)[:200])
    text, entities = flatten_text(message.get("text", ""))
    if not text.strip():
        media = next((k for k in _MEDIA_KEYS if message.get(k)), None)
        reason = f"media without text ({message.get('media_type') or media})" if media else "no text"
        return Problem(file, row, f"row {row}: {reason}", json.dumps(message, ensure_ascii=False)[:200])
    chat_id = chat.get("id")
    social: dict[str, Any] = {
        "urls": [e for e in entities if e["kind"] == "url"],
        "mentions": [e["value"] for e in entities if e["kind"] == "mention"],
        "hashtags": [e["value"].lstrip("#") for e in entities if e["kind"] == "hashtag"],
    }
    if message.get("forwarded_from") or message.get("saved_from"):
        social["forward_from"] = message.get("forwarded_from") or message.get("saved_from")
    if message.get("reply_to_message_id"):
        social["reply_to"] = name
        social["reply_to_id"] = f"{chat_id}/{message['reply_to_message_id']}"
    metadata = {
        "chat_type": chat.get("type"), "chat_id": chat_id, "from_id": message.get("from_id"),
        "forwarded_from": message.get("forwarded_from"), "reply_to_message_id": message.get("reply_to_message_id"),
        "edited": message.get("edited_unixtime") or message.get("edited"), "views": message.get("views"),
        "forwards": message.get("forwards"), "reactions": message.get("reactions"),
        "media_type": message.get("media_type") or ("photo" if message.get("photo") else None),
        "local_date": message.get("date"),
    }
    # date_unixtime is UTC; `date` is the exporting computer's local time, used only when the export lacks it.
    date = int(message["date_unixtime"]) if str(message.get("date_unixtime", "")).isdigit() else message.get("date")
    if not str(message.get("date_unixtime", "")).isdigit():
        metadata["date_note"] = "local time of the exporting computer (this export has no date_unixtime)"
    return post(file, row, text=text, date=date, source=name, author=message.get("from") or name,
                external_id=f"{chat_id}/{msg_id}", platform=PLATFORM, social=social, metadata=metadata)


READER = Reader(
    name="telegram", description="Telegram Desktop export (result.json: one chat or a whole account)",
    read=read, sniff=sniff, platform=PLATFORM, defaults={"source_type": "social"},
    fields={"text": "text (strings and entity objects flattened)", "date": "date_unixtime (UTC), else date",
            "source": "the chat's name", "author": "from", "external_id": "chat id/message id",
            "metadata": "forwarded_from, reply_to_message_id, edited, views, forwards, reactions, media_type"},
)
