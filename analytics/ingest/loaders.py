"""Loaders: turn each generic input file (CSV, TSV, JSON, JSONL, Parquet, feeds, text files) into raw records (a dict
of fields with its file and row), or into rejects. Platform exports have their own readers (readers/), which use the
decoding and CSV reading here.

One function per format; which one a file needs is decided by readers.detect (or `--format`). Nothing here decides
what a field means; mapping fields to the document record is `records.py`. A record that cannot be read at all (a
ragged CSV row, a bad JSON line) becomes a `Problem` with its file, row and reason, so the accounting read = stored +
duplicates + rejected always closes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from ..errors import InputError
from . import encoding

TABLE_FORMATS = {"csv", "tsv", "json", "jsonl", "parquet", "feed"}
TEXT_FORMATS = {"txt", "md", "html"}
SUFFIX_FORMATS = {
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".parquet": "parquet", ".pq": "parquet", ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
}
# Files in a corpus folder that describe it rather than belong to it.
NOT_DOCUMENTS = re.compile(r"^(readme|provenance|license|licence|changelog|corpus\.toml|\.)", re.IGNORECASE)
MAX_FILE_BYTES = 1024 * 1024 * 1024


@dataclass
class RawRecord:
    """One input record before mapping: its fields and where it came from."""

    file: str
    row: int | None
    fields: dict[str, Any]
    # For text files: where metadata came from, and whether the text is a scraped page or HTML to clean.
    date_origin: str = "field"
    kind: str = "table"  # table | scraped | html | post (a platform reader's post, fields already named)
    extra: dict[str, Any] = field(default_factory=dict)  # kept in the document's metadata as it is
    # What a platform's export says beside a post's text (expanded URLs, retweet/forward/reply/quote): see social.
    social: dict[str, Any] | None = None


@dataclass
class Problem:
    """A record (or a whole file) that could not be read, with the reason."""

    file: str
    row: int | None
    reason: str
    preview: str = ""


@dataclass
class FileNote:
    """What a reader learnt about a whole file (not a record): the encoding it was read with and how sure that
    guess is. Readers yield it before the file's records; the ingest report keeps it per file."""

    file: str
    encoding: str
    encoding_confidence: float


# What a reader yields: records, problems and notes about the whole file.
Item = RawRecord | Problem | FileNote


# decoding ----------------------------------------------------------------------------------------


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Text and the encoding used (see encoding.decode); InputError for a binary file."""
    decoded = encoding.decode(data, path)
    return decoded.text, decoded.encoding


def read_text(path: Path) -> tuple[str, FileNote]:
    """A whole text file, decoded, and the note on its encoding for the report."""
    decoded = encoding.decode(read_bytes(path), str(path))
    return decoded.text, FileNote(str(path), decoded.encoding, decoded.confidence)


def read_bytes(path: Path) -> bytes:
    _check_size(path)
    return path.read_bytes()


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(str(path), f"file is {size / 1e9:.1f} GB; the limit is 1 GB", "split it into parts")


def utf8_stream(path: Path) -> tuple[TextIO, FileNote] | None:
    """The file as a text stream with its note when `read_text` would read it as plain UTF-8 (encoding.open_utf8);
    None otherwise. A 250,000-row CSV is 440 MB of text; held whole, with the StringIO the CSV reader read it from,
    it was 2.4 GB in the main process and in every ingest worker forked while it was held."""
    _check_size(path)
    handle = encoding.open_utf8(path)
    return None if handle is None else (handle, FileNote(str(path), "utf-8", 1.0))


def _preview(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text[:200]


# tables ------------------------------------------------------------------------------------------


def _unique_headers(header: list[str]) -> list[str]:
    """Blank headers become column_N and repeated ones name_2, name_3, so no value is dropped."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header, 1):
        name = (name or "").strip() or f"column_{i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        out.append(name)
    return out


def load_csv(path: Path, delimiter: str | None = None) -> Iterator[Item]:
    """CSV or TSV with a header row. Quoted newlines are kept; ragged rows are rejected with their row. A UTF-8 file
    is read a row at a time (see utf8_stream); others are decoded whole first."""
    stream = utf8_stream(path)
    if stream is None:
        text, note = read_text(path)
        handle: TextIO = io.StringIO(text, newline="")
        del text
    else:
        handle, note = stream
    with contextlib.closing(handle):
        yield note
        yield from _csv_records(path, handle, delimiter)


def _blank(handle: TextIO, head: str) -> bool:
    """True when the whole text is white space (read on past the head only while it is)."""
    while not head.strip():
        if not head:
            return True
        head = handle.read(65536)
    return False


def _csv_records(path: Path, handle: TextIO, delimiter: str | None) -> Iterator[Item]:
    sample = handle.read(65536)
    if _blank(handle, sample):
        yield Problem(str(path), None, "empty file")
        return
    handle.seek(0)
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    csv.field_size_limit(2**31 - 1)
    reader = csv.reader(handle, delimiter=delimiter, strict=False)
    try:
        header = _unique_headers(next(reader))
    except (StopIteration, csv.Error) as exc:
        yield Problem(str(path), None, f"no header row ({exc})" if str(exc) else "no header row")
        return
    row_no = 0
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row_no += 1
            yield Problem(str(path), row_no, f"row {row_no} (line {line}): unreadable CSV ({exc})")
            continue
        if not values or all(not v.strip() for v in values):
            continue  # blank lines are not records
        row_no += 1
        if len(values) > len(header):
            yield Problem(str(path), row_no,
                          f"row {row_no} (line {line}): {len(values)} fields but the header has {len(header)}",
                          _preview(values))
            continue
        yield RawRecord(str(path), row_no, dict(zip(header, values, strict=False)))


def _flatten(obj: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects become dotted keys ("user.name"); lists stay values (stored as JSON in metadata)."""
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def load_json(path: Path) -> Iterator[Item]:
    """A JSON array of objects, an object holding such an array (e.g. {"articles": [...]}), or one object."""
    text, note = read_text(path)
    yield note
    if not text.strip():
        yield Problem(str(path), None, "empty file")
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Problem(str(path), None,
                      f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}; no record could be read "
                      "(is the file truncated? JSON Lines files should end in .jsonl)", text[:200])
        return
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        data = lists[0] if len(lists) == 1 else [data]
    if not isinstance(data, list):
        yield Problem(str(path), None, f"JSON holds a {type(data).__name__}, not records")
        return
    for n, item in enumerate(data, 1):
        if isinstance(item, dict):
            yield RawRecord(str(path), n, _flatten(item))
        else:
            yield Problem(str(path), n, f"item {n} is a {type(item).__name__}, not an object", _preview(item))


class JsonLine(NamedTuple):
    """One object of a JSON-lines file: its row (blank lines not counted), its line number, the line, the object."""

    row: int
    line_no: int
    line: str
    value: dict[str, Any]


def json_objects(path: Path) -> Iterator[Item | JsonLine]:
    """The objects of a JSON-lines file, after the file's note: a blank line is skipped, a line that is not JSON or
    not an object is a Problem naming its line, and the rest are read."""
    text, note = read_text(path)
    yield note
    row = 0
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        row += 1
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(str(path), row, f"line {line_no}: invalid JSON ({exc.msg} at column {exc.colno})",
                          line[:200])
            continue
        if not isinstance(item, dict):
            yield Problem(str(path), row, f"line {line_no}: a {type(item).__name__}, not an object", line[:200])
            continue
        yield JsonLine(row, line_no, line, item)


def load_jsonl(path: Path) -> Iterator[Item]:
    """One JSON object per line; a bad line is rejected with its line number and the rest are read."""
    for got in json_objects(path):
        yield RawRecord(str(path), got.row, _flatten(got.value)) if isinstance(got, JsonLine) else got


def load_parquet(path: Path) -> Iterator[Item]:
    """Parquet, read in batches so a large file does not sit in memory at once."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a corrupt file
        yield Problem(str(path), None, f"not a readable Parquet file ({exc})")
        return
    row = 0
    for batch in parquet.iter_batches(batch_size=5000):
        for item in batch.to_pylist():
            row += 1
            yield RawRecord(str(path), row, _flatten(item))


def load_feed(path: Path) -> Iterator[Item]:
    """RSS or Atom: one record per entry; the feed's title is the source unless an entry names its own."""
    import feedparser

    parsed = feedparser.parse(read_bytes(path))
    if not parsed.entries:
        reason = "no entries"
        if parsed.get("bozo"):
            reason += f" (not a well-formed feed: {parsed.get('bozo_exception')})"
        yield Problem(str(path), None, reason)
        return
    feed_title = parsed.feed.get("title", "")
    for n, entry in enumerate(parsed.entries, 1):
        content = ""
        if entry.get("content"):
            content = " ".join(c.get("value", "") for c in entry["content"])
        fields = {
            "title": entry.get("title", ""),
            "text": content or entry.get("summary", ""),
            "date": entry.get("published") or entry.get("updated") or entry.get("created") or "",
            "url": entry.get("link", ""),
            "author": entry.get("author", ""),
            "source": (entry.get("source") or {}).get("title") or feed_title,
            "external_id": entry.get("id", ""),
        }
        if not fields["text"]:  # a headline-only entry: its title becomes the text (recorded in metadata)
            del fields["text"]
        yield RawRecord(str(path), n, fields)


def load_table(path: Path, fmt: str) -> Iterator[Item]:
    """Records of a data file in one of TABLE_FORMATS."""
    try:
        if fmt == "csv":
            yield from load_csv(path)
        elif fmt == "tsv":
            yield from load_csv(path, delimiter="\t")
        elif fmt == "json":
            yield from load_json(path)
        elif fmt == "jsonl":
            yield from load_jsonl(path)
        elif fmt == "parquet":
            yield from load_parquet(path)
        elif fmt == "feed":
            yield from load_feed(path)
        else:
            yield Problem(str(path), None, f"unknown format {fmt!r}")
    except InputError as exc:
        yield Problem(str(path), None, exc.reason)
