"""What every reader shares: the `Reader` description the registry holds, the `Head` of a file that detection
looks at, and `post()`, which builds the raw record of one social-media post with its fields already named."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..loaders import Item, RawRecord

HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class Reader:
    """One input format: its `--format` name, plain description, platform (recorded in each document's metadata),
    how to read it, how sure we are that a file is in it (0–1, from its head), and defaults for its records."""

    name: str
    description: str
    read: Callable[[Path], Iterator[Item]]
    sniff: Callable[[Head], float]
    platform: str | None = None
    defaults: dict[str, str] = field(default_factory=dict)
    # Where each document field comes from, for the README and the upload preview.
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Head:
    """The start of a file, decoded: what detection reads (a few tens of kilobytes, never the whole file)."""

    path: Path
    text: str

    @property
    def name(self) -> str:
        return self.path.name.casefold()

    @property
    def suffix(self) -> str:
        return self.path.suffix.casefold()

    @cached_property
    def columns(self) -> list[str]:
        """The header row of a delimited file, case-folded and trimmed; [] when the head is not one."""
        if self.suffix not in (".csv", ".tsv", ".tab", ".txt", "") or not self.text.strip():
            return []
        first = self.text.lstrip("\ufeff").splitlines()[0] if self.text else ""
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        try:
            row = next(csv.reader(io.StringIO(first), delimiter=delimiter))
        except (csv.Error, StopIteration):
            return []
        return [c.strip().casefold() for c in row]

    @cached_property
    def first_object(self) -> dict[str, Any] | None:
        """The first JSON object of a JSON Lines file (its first line), else None."""
        line = self.text.lstrip("\ufeff").split("\n", 1)[0].strip()
        if not line.startswith("{"):
            return None
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, dict) else None

    def has_columns(self, *names: str) -> bool:
        return all(n.casefold() in self.columns for n in names)


def read_head(path: Path) -> Head:
    """The decoded head of a file for detection (undecodable bytes replaced: detection only looks at shapes)."""
    from .. import encoding

    with open(path, "rb") as fh:
        data = fh.read(HEAD_BYTES)
    try:
        text = encoding.decode(data, str(path)).text
    except Exception:  # a binary file or a cut multi-byte character: detection falls back to the suffix
        text = data.decode("utf-8", errors="replace")
    return Head(path, text)


def post(file: str, row: int | None, *, text: Any, date: Any, source: Any, platform: str, author: Any = None,
         url: Any = None, external_id: Any = None, language: Any = None, title: Any = None,
         social: dict[str, Any] | None = None, metadata: dict[str, Any] | None = None) -> RawRecord:
    """The raw record of one post, its fields named as documents name them; empty values left out."""
    named = {"text": text, "date": date, "source": source, "author": author, "url": url, "external_id": external_id,
             "language": language, "title": title}
    fields = {k: v for k, v in named.items() if v not in (None, "", [])}
    extra = {"platform": platform}
    extra.update({k: v for k, v in (metadata or {}).items() if v not in (None, "", [], {})})
    return RawRecord(file, row, fields, kind="post", extra=extra, social=social or {})


def first(mapping: dict[str, Any], *keys: str) -> Any:
    """The first non-empty value among keys (case-insensitive for CSV headers that vary in case)."""
    lower = {k.casefold(): v for k, v in mapping.items()}
    for key in keys:
        value = lower.get(key.casefold())
        if value not in (None, ""):
            return value
    return None
