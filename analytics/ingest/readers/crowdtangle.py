"""CrowdTangle's historical-data CSV (Facebook pages and groups; Instagram accounts).

Facebook: `Page Name`, `User Name`, `Facebook Id`, `Post Created` ("2019-11-22 14:03:11 EST", in the dashboard's
time zone, which the value names), `Type`, `Message`, `Link`, `Final Link`, `URL` (the post), `Description`,
`Link Text`, `Image Text`, interaction counts. Instagram: `Account`, `User Name`, `Post Created`, `Description`,
`URL`. The page or account name is the source (not the host of the URL); the post's own text is `Message`
(Facebook) or `Description` (Instagram); the linked page's description stays in metadata.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..loaders import Item, Problem, RawRecord, load_csv
from .base import Head, Reader, first, post

_USED = {"page name", "account", "user name", "post created", "message", "description", "url", "link",
         "final link", "facebook id"}


def sniff(head: Head) -> float:
    if head.has_columns("post created") and (head.has_columns("page name") or head.has_columns("account")):
        return 0.97
    return 0.0


def read(path: Path) -> Iterator[Item]:
    for item in load_csv(path):
        if not isinstance(item, RawRecord):
            yield item
            continue
        row = item.fields
        instagram = "Account" in row or "account" in {k.casefold() for k in row}
        platform = "instagram" if instagram else "facebook"
        text = first(row, "Description") if instagram else first(row, "Message")
        link = first(row, "Final Link", "Link")
        metadata = {k: v for k, v in row.items() if k.casefold() not in _USED and v not in ("", None)}
        if not instagram and first(row, "Description"):
            metadata["link_description"] = first(row, "Description")
        social = {"urls": [link]} if link else {}
        if not str(text or "").strip():
            yield Problem(item.file, item.row, f"row {item.row}: {first(row, 'Type') or 'post'} without text",
                          str(first(row, "URL") or ""))
            continue
        yield post(item.file, item.row, text=text, date=first(row, "Post Created"),
                   source=first(row, "Page Name", "Account"), author=first(row, "User Name"),
                   url=first(row, "URL"), external_id=first(row, "URL"), platform=platform, social=social,
                   metadata=metadata)


READER = Reader(
    name="crowdtangle", description="CrowdTangle CSV (Facebook pages/groups, Instagram accounts)",
    read=read, sniff=sniff, platform="facebook", defaults={"source_type": "social"},
    fields={"text": "Message (Facebook) or Description (Instagram)", "date": "Post Created (its zone honoured)",
            "source": "Page Name / Account", "author": "User Name", "url": "URL", "external_id": "URL",
            "metadata": "every other column; Link / Final Link also a url trace"},
)
