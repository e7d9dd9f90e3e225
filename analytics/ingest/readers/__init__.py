"""The registry of input formats: every reader by its `--format` name, and detection from a file's name and first
bytes (no flags needed). The detector, `--format`, the upload preview and the README's input table all use it.

A platform's export (Telegram, X/Twitter, CrowdTangle, Junkipedia, 4CAT, Zeeschuimer, GDELT, Media Cloud) has its
own reader, which names the fields of a post itself (text, date, source, author…) and records the platform; any
other CSV, TSV, JSON, JSONL, Parquet or feed file goes to the generic readers, which find the fields by column name.
Text files (.txt, .md, .html) are read per folder (sidecar metadata, repeated lines) and are not in the registry.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ...errors import InputError
from .. import loaders
from ..loaders import Item, Problem
from . import (
    crowdtangle,
    fourcat,
    gdelt_doc,
    gdelt_rows,
    junkipedia,
    telegram,
    twitter_api,
    twitter_archive,
    zeeschuimer,
)
from .base import Head, Reader, read_head

__all__ = ["READERS", "Detection", "Head", "Reader", "detect", "format_names", "get", "records"]


def _generic(name: str, description: str, suffixes: tuple[str, ...]) -> Reader:
    def read(path: Path) -> Iterator[Item]:
        yield from loaders.load_table(path, name)

    def sniff(head: Head) -> float:
        return 0.5 if head.suffix in suffixes else 0.0

    return Reader(name=name, description=description, read=read, sniff=sniff)


def _media_cloud_sniff(head: Head) -> float:
    return 0.9 if head.has_columns("stories_id") and (head.has_columns("publish_date") or
                                                      head.has_columns("media_name")) else 0.0


def _media_cloud_read(path: Path) -> Iterator[Item]:
    for item in loaders.load_csv(path):
        if isinstance(item, loaders.RawRecord):
            item.extra["platform"] = "mediacloud"
        yield item


MEDIA_CLOUD = Reader(
    name="mediacloud", description="Media Cloud story list (CSV)", read=_media_cloud_read, sniff=_media_cloud_sniff,
    platform="mediacloud", defaults={"source_type": "news"},
    fields={"text": "text if present, else title (headline-only export)", "date": "publish_date",
            "source": "media_name", "url": "url", "language": "language", "external_id": "stories_id"},
)

# Specific readers first: detection takes the surest, and a generic reader only when no specific one claims a file.
READERS: dict[str, Reader] = {r.name: r for r in [
    telegram.READER, twitter_archive.READER, twitter_api.READER, crowdtangle.READER, junkipedia.READER,
    fourcat.CSV_READER, fourcat.NDJSON_READER, zeeschuimer.READER, gdelt_doc.READER, gdelt_rows.READER, MEDIA_CLOUD,
    _generic("csv", "CSV with a header row (columns found by name)", (".csv",)),
    _generic("tsv", "TSV with a header row", (".tsv", ".tab")),
    _generic("json", "JSON array of objects (or an object wrapping one)", (".json",)),
    _generic("jsonl", "JSON Lines, one object per line", (".jsonl", ".ndjson")),
    _generic("parquet", "Parquet", (".parquet", ".pq")),
    _generic("feed", "RSS / Atom feed", (".rss", ".atom", ".xml")),
]}
# Suffixes whose files may be a platform's export: their head is read for detection. Text files never are.
_SNIFFED_SUFFIXES = {".csv", ".tsv", ".tab", ".json", ".jsonl", ".ndjson", ".js"}
SURE = 0.7  # below this a detection is reported as unsure (the upload preview asks the user)


@dataclass(frozen=True)
class Detection:
    """Which reader a file needs, how sure detection is (0–1), and the other readers that claimed it."""

    format: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()

    @property
    def reader(self) -> Reader | None:
        return READERS.get(self.format)


def format_names() -> list[str]:
    """Every value `--format` takes: the readers' names and the text formats."""
    return [*READERS, *sorted(loaders.TEXT_FORMATS)]


def get(name: str) -> Reader:
    """The reader of a format name."""
    return READERS[name]


def detect(path: Path, fmt: str | None = None) -> Detection | None:
    """The format of a file: the one given, else the surest reader by content and name; None for a file type
    nothing reads."""
    if fmt:
        return Detection(fmt, 1.0)
    suffix = path.suffix.casefold()
    by_suffix = loaders.SUFFIX_FORMATS.get(suffix)
    if suffix not in _SNIFFED_SUFFIXES:
        return Detection(by_suffix, 0.6) if by_suffix else None
    head = read_head(path)
    scores = sorted(((reader.sniff(head), name) for name, reader in READERS.items()), reverse=True)
    claimed = tuple((name, round(score, 2)) for score, name in scores if score > 0)
    if not claimed:
        return None
    best_name, best_score = claimed[0]
    return Detection(best_name, best_score, claimed[1:])


def records(path: Path, name: str) -> Iterator[Item]:
    """The records of a data file read by the named reader; a file that cannot be read at all is one problem."""
    reader = READERS.get(name)
    if reader is None:
        yield Problem(str(path), None, f"unknown format {name!r}; use one of {', '.join(format_names())}")
        return
    try:
        yield from reader.read(path)
    except InputError as exc:
        yield Problem(str(path), None, exc.reason)
