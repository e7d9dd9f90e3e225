"""GDELT DOC 2.0 API article lists (`mode=ArtList&format=json`): `{"articles": [{"url", "url_mobile", "title",
"seendate": "20191125T103000Z", "socialimage", "domain", "language": "English", "sourcecountry"}]}`.

GDELT gives headlines, not article text: the title is stored as the text (recorded in metadata), the domain is the
source, `seendate` (UTC, when GDELT saw the article) the date, and the language's English name becomes its ISO code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ..loaders import Item, Problem, RawRecord, read_text
from .base import Head, Reader


def sniff(head: Head) -> float:
    text = head.text[:8192]
    if '"articles"' in text and '"seendate"' in text:
        return 0.97
    return 0.0


def read(path: Path) -> Iterator[Item]:
    text, note = read_text(path)
    yield note
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Problem(str(path), None, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}; no "
                      "article could be read (is the file truncated?)", text[:200])
        return
    articles = data.get("articles") if isinstance(data, dict) else None
    if not isinstance(articles, list):
        yield Problem(str(path), None, "a GDELT file without an \"articles\" list")
        return
    for row, art in enumerate(articles, 1):
        if not isinstance(art, dict):
            yield Problem(str(path), row, f"row {row}: not an article object", str(art)[:200])
            continue
        fields = {"text": art.get("title"), "date": art.get("seendate"), "source": art.get("domain"),
                  "url": art.get("url"), "language": art.get("language"), "external_id": art.get("url")}
        fields = {k: v for k, v in fields.items() if v not in (None, "")}
        extra = {"platform": "gdelt", "text_from": "title", "sourcecountry": art.get("sourcecountry"),
                 "socialimage": art.get("socialimage"), "url_mobile": art.get("url_mobile") or None}
        yield RawRecord(str(path), row, fields, extra={k: v for k, v in extra.items() if v not in (None, "")})


READER = Reader(
    name="gdelt-doc", description="GDELT DOC 2.0 ArtList JSON (headlines with URL, domain and seen date)",
    read=read, sniff=sniff, platform="gdelt", defaults={"source_type": "news"},
    fields={"text": "title (GDELT gives no article text)", "date": "seendate (UTC)", "source": "domain",
            "url": "url", "language": "language (English name → ISO code)",
            "metadata": "sourcecountry, socialimage, url_mobile"},
)
