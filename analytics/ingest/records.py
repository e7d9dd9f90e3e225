"""From a raw record to the canonical document record: which column is the text, the date, the source…,
then cleaning, language, dating, a post's traces and the stable id. Raises RecordRejected with a reason a person
can act on.

Platform readers hand over posts with their fields already named (kind "post"); other tables are mapped by column
name, and columns only post exports have make a file's records posts (source type "social", the account column
as source when no outlet is named)."""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .. import schema as s
from ..errors import RecordRejected
from . import clean, dates, dedup, languages, newswire, social
from .loaders import RawRecord

# Column names recognised without flags, in order of preference (case-insensitive). Media Cloud's story
# export (stories_id, publish_date, title, url, media_name, language) and common scraper and tweet exports match.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    s.TEXT: ("text", "body", "content", "full_text", "fulltext", "article", "article_text", "story", "message",
             "tweet", "tweets", "post", "description", "summary"),
    s.DATE: ("date", "published", "publish_date", "published_at", "publication_date", "pub_date", "pubdate",
             "datetime", "timestamp", "created_at", "created", "time", "date_published", "indexed_date"),
    s.TITLE: ("title", "headline", "heading", "subject"),
    s.SOURCE: ("source", "media_name", "outlet", "newspaper", "publication", "publisher", "media", "channel",
               "username", "user.screen_name", "screen_name", "user", "account", "speaker", "president"),
    s.SOURCE_TYPE: ("source_type", "sourcetype", "type_of_source"),
    s.URL: ("url", "link", "permalink", "guid_url", "story_url"),
    s.AUTHOR: ("author", "byline", "authors", "creator", "writer"),
    s.LANGUAGE: ("language", "lang"),
    s.EXTERNAL_ID: ("doc_id", "external_id", "stories_id", "story_id", "id", "tweet_id", "guid", "nexis_id"),
    s.DATE_PRECISION: ("date_precision",),
}
# Columns that only exports of posts have: a file with one of them holds posts (source type "social", and its
# account column is the source when it names no outlet).
SOCIAL_COLUMNS = frozenset({
    "tweet_id", "retweet", "retweets", "retweet_count", "is_retweet", "retweeted", "favorite_count", "like_count",
    "likes", "followers", "followers_count", "following", "friends_count", "screen_name", "user.screen_name",
    "username", "hashtags", "mentions", "reply_count", "quote_count", "in_reply_to_status_id", "post_type",
    "account_type", "account_category", "tweet", "tweets", "user_id", "author_id", "views", "forwards",
    "author_username", "user.name",
})
ACCOUNT_SOURCE_COLUMNS = frozenset({"username", "user.screen_name", "screen_name", "user", "account"})
INFERRED_TYPE = "_source_type"  # a mapping key (not a column): the source type the columns imply
MAX_TEXT_CHARS = 2_000_000
SOURCE_TYPE_WORDS = {
    "press": "news", "newspaper": "news", "article": "news", "official": "statement", "government": "statement",
    "tweet": "social", "post": "social", "twitter": "social", "telegram": "social", "academic": "research",
    "report": "research",
}


TABLE_KINDS = ("table", "post")  # records of data files (not text files, whose date may be in the name or text)
TRACES = "_traces"  # a document's traces travel with it to the writer under this key (not a column)


def resolve_columns(columns: list[str], column_map: dict[str, str] | None = None) -> dict[str, str]:
    """Which input column feeds each document field: the user's mapping first, then the known names."""
    mapping: dict[str, str] = {}
    lower = {c.strip().casefold(): c for c in columns}
    for field_name, candidates in FIELD_NAMES.items():
        for name in candidates:
            if name in lower and lower[name] not in mapping.values():
                mapping[field_name] = lower[name]
                break
    for field_name, column in (column_map or {}).items():
        mapping[field_name] = column
    source = mapping.get(s.SOURCE, "").strip().casefold()
    posts = bool(lower.keys() & SOCIAL_COLUMNS) or source in ACCOUNT_SOURCE_COLUMNS
    if posts:
        mapping[INFERRED_TYPE] = "social"
    # No outlet column: the account (author) is the source of posts, and of any file without a URL to name the site.
    if s.SOURCE not in mapping and s.AUTHOR in mapping and (posts or s.URL not in mapping):
        mapping[s.SOURCE] = mapping[s.AUTHOR]
    return mapping


def _value(fields: dict[str, Any], column: str | None) -> Any:
    if column is None:
        return None
    value = fields.get(column)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_text(v) for v in value)
    return str(value).strip()


def _source_type(raw: str, default: str) -> tuple[str, str | None]:
    value = raw.strip().casefold()
    if not value:
        return default, None
    if value in s.SOURCE_TYPES:
        return value, None
    return SOURCE_TYPE_WORDS.get(value, "other"), raw


def _date(raw: Any, precision_given: str, record: RawRecord, text: str, dayfirst: bool = False,
          language: str | None = None) -> tuple[datetime | None, str, str]:
    """Date, precision and origin: the record's field, else the file name, else the head of the text."""
    parsed = dates.parse_date(raw, dayfirst=dayfirst, language=language) if raw not in (None, "") else None
    if parsed:
        value, precision = parsed
        if precision_given in ("day", "month", "year"):
            precision = precision_given
        origin = record.date_origin if record.date_origin in ("sidecar", "front_matter") else "field"
        return value, precision, origin
    if record.kind not in TABLE_KINDS:
        found = dates.find_date_in_filename(str(record.fields.get("_file_name", "")))
        if found:
            return found[0], found[1], "filename"
        found = dates.find_date_in_text(text, language)
        if found:
            return found[0], found[1], "text"
    return None, "unknown", "none"


def to_document(record: RawRecord, mapping: dict[str, str], defaults: dict[str, str],
                corpus_repeats: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The document record for one raw record (without duplicate links, which need the store)."""
    fields = record.fields
    raw_text = _text(_value(fields, mapping.get(s.TEXT)))
    title = _text(_value(fields, mapping.get(s.TITLE)))
    metadata: dict[str, Any] = {}
    if record.kind == "html":
        page = raw_text
        raw_text = clean.html_to_text(page, whole_page=True)
        title = title or clean.html_title(page)
        found = dates.find_date_in_text(raw_text)
        if not _value(fields, mapping.get(s.DATE)) and not found:
            import trafilatura

            meta = trafilatura.extract_metadata(page)
            if meta and meta.date:
                fields = {**fields, "date": meta.date}
                mapping = {**mapping, s.DATE: "date"}
        text = raw_text
    elif record.kind == "scraped":
        text, guessed_title = clean.clean_scraped(raw_text, corpus_repeats)
        if not title and guessed_title:
            title = guessed_title
        if title and text.startswith(title):  # the headline line is the title, not body text
            text = text[len(title):].strip()
    elif record.kind == "post" or mapping.get(INFERRED_TYPE) == "social":
        # A post's text as posted: entities unescaped (X writes &amp;), no markup, nothing cut.
        text = social.unescape(raw_text)
        text = clean.html_to_text(text, whole_page=False) if clean.looks_like_html(text) else clean.normalise(text)
    else:
        text = clean.html_to_text(raw_text, whole_page=False) if clean.looks_like_html(raw_text) else \
            clean.normalise(raw_text)
        text, furniture = newswire.strip_furniture(text)  # Factiva/Nexis header and trailer
        if furniture:
            metadata["newswire_furniture"] = furniture
        if not text and title and not mapping.get(s.TEXT):  # headline-only exports (Media Cloud stories)
            text = clean.normalise(title)
            metadata["text_from"] = "title"
    if clean.looks_like_html(title):
        title = clean.html_to_text(title, whole_page=False)
    if not text:
        hint = "" if mapping.get(s.TEXT) or record.kind == "post" else \
            f" (no text column among {', '.join(list(fields)[:8])}; use --map text=COLUMN)"
        raise RecordRejected("no text" + hint)
    if len(text) > MAX_TEXT_CHARS:
        raise RecordRejected(f"text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,} "
                             "(split it into several documents)")

    language_given = _text(_value(fields, mapping.get(s.LANGUAGE)))
    language = languages.iso639_1(language_given) if language_given else None
    if language_given and language != language_given:
        metadata["language_given"] = language_given
    if not language or language == languages.UNDETERMINED:
        language = languages.detect(text)

    raw_date = _value(fields, mapping.get(s.DATE))
    precision_given = _text(_value(fields, mapping.get(s.DATE_PRECISION))).casefold()
    date, precision, origin = _date(raw_date, precision_given, record, raw_text if record.kind not in TABLE_KINDS
                                    else text, _is_true(defaults.get("dayfirst")), language)

    url = _text(_value(fields, mapping.get(s.URL)))
    source = _text(_value(fields, mapping.get(s.SOURCE))) or defaults.get("source", "")
    if not source and url:
        source = urlparse(url).netloc.removeprefix("www.")
    if not source:
        source = Path(record.file).parent.name if record.kind not in TABLE_KINDS else Path(record.file).stem
    default_type = defaults.get("source_type") or mapping.get(INFERRED_TYPE) or "news"
    source_type, raw_type = _source_type(_text(_value(fields, mapping.get(s.SOURCE_TYPE))), default_type)
    if raw_type:
        metadata["source_type_given"] = raw_type
    found_traces: list[social.Trace] = []
    if source_type == "social" or record.kind == "post":
        found_traces = social.traces(text, record.social)
        copy = social.copy_of(found_traces)
        if copy:  # counted for volume, fitted once for themes
            metadata["copy_of"] = {"kind": copy.kind, "account": copy.value, "post_id": copy.post_id}

    used = {c for k, c in mapping.items() if c and not k.startswith("_")}
    for key, value in fields.items():
        if key not in used and not key.startswith("_") and value not in (None, ""):
            metadata[key] = value if isinstance(value, str | int | float | bool | list | dict) else str(value)
    metadata.update(record.extra)
    date_iso = date.isoformat() if date else ""
    doc = {
        s.ID: dedup.document_id(text, source, date_iso),
        s.EXTERNAL_ID: _text(_value(fields, mapping.get(s.EXTERNAL_ID))) or None,
        s.DATE: date,
        s.DATE_PRECISION: precision,
        s.DATE_ORIGIN: origin,
        s.SOURCE: source,
        s.SOURCE_TYPE: source_type,
        s.TITLE: title or None,
        s.TEXT: text,
        s.URL: url or None,
        s.LANGUAGE: language,
        s.AUTHOR: _text(_value(fields, mapping.get(s.AUTHOR))) or None,
        s.METADATA: json.dumps(metadata, ensure_ascii=False, default=str) if metadata else None,
        s.INPUT_FILE: record.file,
        s.INPUT_ROW: record.row,
        s.WORDS: len(text.split()),
        s.DUPLICATE_OF: None,
        s.SIMILARITY: None,
    }
    if found_traces:
        doc[TRACES] = [(t.kind, t.value, t.position, t.post_id) for t in found_traces]
    return doc


def _is_true(value: Any) -> bool:
    return str(value or "").strip().casefold() in ("1", "true", "yes", "on")
