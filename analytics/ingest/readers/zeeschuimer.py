"""Zeeschuimer's NDJSON (and 4CAT datasets imported from it): one line per captured item, the platform's own
object under `data`, beside `source_platform` ("tiktok.com", "x.com"/"twitter.com", "instagram.com", …),
`source_platform_url`, `timestamp_collected` (epoch milliseconds) and an `id`.

Where each platform keeps text, time and account inside `data`:
- TikTok: `desc`, `createTime` (epoch seconds), `author.uniqueId` (or `author` as a string), `id`;
- X/Twitter (web API objects): `legacy.full_text`, `legacy.created_at`, `core.user_results.result.legacy.screen_name`
  (newer: `core.user_results.result.core.screen_name`), `rest_id`;
- Instagram: `caption.text`, `taken_at` (epoch seconds), `user.username`, `code`;
- otherwise the first of `text`, `body`, `message`, `description`, `title` and `created_at`/`timestamp`/`date`,
  `author`/`username`, recorded as such.
The item's time on the platform is the date, not when it was captured.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..loaders import Item, JsonLine, Problem, json_objects
from .base import Head, Reader, post


def sniff(head: Head) -> float:
    obj = head.first_object
    if obj is None:  # a first line longer than the head: Zeeschuimer writes its own keys before "data"
        start = head.text[:2000]
        return 0.9 if start.startswith("{") and '"timestamp_collected"' in start and '"source_platform"' in start \
            else 0.0
    if isinstance(obj.get("data"), dict) and ("source_platform" in obj or "timestamp_collected" in obj):
        return 0.97
    return 0.0


def _dig(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def read(path: Path) -> Iterator[Item]:
    for got in json_objects(path):
        if not isinstance(got, JsonLine):
            yield got
        elif not isinstance(got.value.get("data"), dict):
            yield Problem(str(path), got.row, f"line {got.line_no}: not a Zeeschuimer item (no \"data\" object)",
                          got.line[:200])
        else:
            yield _item(str(path), got.row, got.value)


def _item(file: str, row: int, item: dict[str, Any]) -> Item:
    data = item["data"]
    platform_host = str(item.get("source_platform") or "").casefold().removeprefix("www.")
    metadata: dict[str, Any] = {"source_platform": platform_host, "collected_at": item.get("timestamp_collected"),
                                "source_platform_url": item.get("source_platform_url")}
    if "tiktok" in platform_host:
        author = data.get("author")
        handle = author.get("uniqueId") if isinstance(author, dict) else author
        text, date, platform = data.get("desc"), data.get("createTime"), "tiktok"
        post_id = data.get("id")
        url = f"https://www.tiktok.com/@{handle}/video/{post_id}" if handle and post_id else None
        metadata["stats"] = data.get("stats")
    elif "twitter" in platform_host or platform_host in ("x.com",):
        legacy = data.get("legacy") or {}
        user = _dig(data, "core", "user_results", "result") or {}
        handle = _dig(user, "legacy", "screen_name") or _dig(user, "core", "screen_name")
        text, date, platform = legacy.get("full_text"), legacy.get("created_at"), "twitter"
        post_id = data.get("rest_id") or legacy.get("id_str")
        url = f"https://twitter.com/{handle}/status/{post_id}" if handle and post_id else None
        metadata["retweet_count"] = legacy.get("retweet_count")
    elif "instagram" in platform_host:
        handle = _dig(data, "user", "username") or _dig(data, "owner", "username")
        text, date, platform = _dig(data, "caption", "text"), data.get("taken_at"), "instagram"
        post_id = data.get("code") or data.get("id")
        url = f"https://www.instagram.com/p/{data['code']}/" if data.get("code") else None
    else:
        handle = next((data[k] for k in ("author", "username", "user", "channel") if isinstance(data.get(k), str)),
                      None)
        text = next((data[k] for k in ("text", "body", "message", "description", "title") if data.get(k)), None)
        date = next((data[k] for k in ("created_at", "timestamp", "date", "published_at") if data.get(k)), None)
        platform, post_id, url = platform_host or "unknown", data.get("id"), data.get("url")
        metadata["fields_guessed"] = True
    if not text:
        return Problem(file, row, f"row {row}: {platform} item without text (a video or image without caption?)",
                       json.dumps(data, ensure_ascii=False)[:200])
    return post(file, row, text=text, date=date, source=handle or platform, author=handle,
                external_id=str(post_id) if post_id is not None else item.get("id"), url=url, platform=platform,
                metadata=metadata)


READER = Reader(
    name="zeeschuimer", description="Zeeschuimer / 4CAT NDJSON (platform objects under \"data\")", read=read,
    sniff=sniff, platform=None, defaults={"source_type": "social"},
    fields={"text": "data.desc (TikTok), data.legacy.full_text (X), data.caption.text (Instagram)",
            "date": "the post's time on the platform (createTime, created_at, taken_at)",
            "source": "the account (author.uniqueId, screen_name, user.username)", "author": "the same account",
            "metadata": "source_platform, collected_at, source_platform_url"},
)
