"""Junkipedia post exports (CSV): one row per post from a monitored channel on any platform.

Junkipedia names a post's account its channel and records the platform per post. The column names follow the
fields its posts API returns (`published_at`, `platform_name`, `channel_name`, `channel_id`, `description`, `url`,
`post_type`), written with spaces or underscores and in any case ("Published At", "Channel Name"); the text is
`description` (else `text`, else `title`). This shape is taken from the API's field names: a real CSV export was not
available here to check against.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..loaders import Item, RawRecord, load_csv
from .base import Head, Reader, first, post

_SPACE = re.compile(r"[\s_]+")


def _key(name: str) -> str:
    return _SPACE.sub("_", name.strip().casefold())


def sniff(head: Head) -> float:
    columns = {_key(c) for c in head.columns}
    has_channel = bool(columns & {"channel_name", "channel"})
    has_date = bool(columns & {"published_at", "post_date"})
    has_platform = bool(columns & {"platform_name", "platform"})
    if has_channel and has_date and has_platform:
        return 0.9 if "junkipedia" in head.name or "published_at" in columns else 0.75
    return 0.0


def read(path: Path) -> Iterator[Item]:
    for item in load_csv(path):
        if not isinstance(item, RawRecord):
            yield item
            continue
        row: dict[str, Any] = {_key(k): v for k, v in item.fields.items()}
        platform = str(first(row, "platform_name", "platform") or "unknown").strip().casefold()
        used = {"published_at", "post_date", "platform_name", "platform", "channel_name", "channel", "description",
                "text", "title", "url", "post_url", "id", "post_id", "author", "channel_id"}
        metadata = {k: v for k, v in row.items() if k not in used and v not in ("", None)}
        metadata["channel_id"] = first(row, "channel_id")
        yield post(item.file, item.row, text=first(row, "description", "text", "title"),
                   date=first(row, "published_at", "post_date"), source=first(row, "channel_name", "channel"),
                   author=first(row, "author", "channel_name", "channel"), url=first(row, "url", "post_url"),
                   external_id=first(row, "id", "post_id"), platform=platform, metadata=metadata)


READER = Reader(
    name="junkipedia", description="Junkipedia post export (CSV)", read=read, sniff=sniff, platform=None,
    defaults={"source_type": "social"},
    fields={"text": "description, else text, else title", "date": "published_at", "source": "channel_name",
            "author": "author, else channel_name", "url": "url", "external_id": "id",
            "metadata": "platform_name (as platform), channel_id, every other column"},
)
