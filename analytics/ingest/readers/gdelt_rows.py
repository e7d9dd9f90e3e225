"""GDELT 2.0 event and GKG rows: the raw tab-separated files without a header (`*.export.CSV`, `*.gkg.csv`; also
GDELT 1.0's daily event files, whose 58 columns end in the article's URL too) and headed CSVs exported from GDELT's
tables (columns `SQLDATE`/`DATEADDED` and `SOURCEURL`; `DATE` and `DocumentIdentifier`).

A row is an article GDELT coded, not the article: only rows that carry a URL and a date are read (others are
rejected with that reason). The text is what the row says about the article — the words of the URL's path and the
actors, place, persons and organisations coded — recorded in metadata as such; the source is the article's site.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..loaders import Item, Problem, RawRecord, read_text
from .base import Head, Reader

EVENT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{n}{part}" for n in (1, 2) for part in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
        "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
    "NumSources", "NumArticles", "AvgTone",
    *(f"{who}Geo_{part}" for who in ("Actor1", "Actor2", "Action") for part in (
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
]
# GDELT 1.0 daily files (since April 2013): no ADM2 codes in the three place blocks; DATEADDED is a day.
EVENT_COLUMNS_V1 = [c for c in EVENT_COLUMNS if not c.endswith("Geo_ADM2Code")]
EVENT_HEADERS = {len(EVENT_COLUMNS): EVENT_COLUMNS, len(EVENT_COLUMNS_V1): EVENT_COLUMNS_V1}
GKG_COLUMNS = [
    "GKGRECORDID", "DATE", "SourceCollectionIdentifier", "SourceCommonName", "DocumentIdentifier", "Counts",
    "V2Counts", "Themes", "V2Themes", "Locations", "V2Locations", "Persons", "V2Persons", "Organizations",
    "V2Organizations", "V2Tone", "Dates", "GCAM", "SharingImage", "RelatedImages", "SocialImageEmbeds",
    "SocialVideoEmbeds", "Quotations", "AllNames", "Amounts", "TranslationInfo", "Extras",
]
_SLUG_WORD = re.compile(r"[^\W\d_]{2,}")
_ID_LIKE = re.compile(r"^(index|html?|php|aspx?|story|news|article|amp|www|com)$", re.IGNORECASE)


def _headerless_kind(first_line: str) -> str | None:
    cells = first_line.split("\t")
    if len(cells) in (57, 58, 61) and cells[0].isdigit() and re.fullmatch(r"\d{8}", cells[1] or ""):
        return "event"
    if len(cells) == len(GKG_COLUMNS) and re.fullmatch(r"\d{14}-T?\d+", cells[0] or ""):
        return "gkg"
    return None


def sniff(head: Head) -> float:
    first = head.text.lstrip("\ufeff").split("\n", 1)[0]
    if _headerless_kind(first):
        return 0.95
    columns = {c.casefold() for c in head.columns}
    if "sourceurl" in columns and ({"sqldate", "dateadded"} & columns):
        return 0.95
    if "documentidentifier" in columns and "date" in columns and "gkgrecordid" in columns:
        return 0.95
    return 0.0


def read(path: Path) -> Iterator[Item]:
    text, note = read_text(path)
    yield note
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    kind = _headerless_kind(first)
    delimiter = "\t" if kind or first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    if kind:
        header = EVENT_COLUMNS if kind == "event" else GKG_COLUMNS
    else:
        header = next(reader, [])
    for row_no, values in enumerate(reader, 1):
        if not any(v.strip() for v in values):
            continue
        if kind == "event":
            header = EVENT_HEADERS.get(len(values), [])
            if not header:  # GDELT 1.0 rows from before April 2013 end at DATEADDED: no article URL
                yield Problem(str(path), row_no, f"row {row_no}: a GDELT event row of {len(values)} columns has no "
                              "article URL (GDELT 2.0 rows have 61 columns, GDELT 1.0 rows since April 2013 have 58)")
                continue
        row = dict(zip(header, values, strict=False))
        yield _row(str(path), row_no, {k.strip(): v for k, v in row.items()})


def _get(row: dict[str, str], *names: str) -> str:
    lower = {k.casefold(): v for k, v in row.items()}
    return next((lower[n.casefold()].strip() for n in names if lower.get(n.casefold(), "").strip()), "")


def slug_words(url: str) -> str:
    """The words of a URL's path ("/2019/11/25/europol-acts-on-propaganda.html" → "europol acts on propaganda")."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    words = [w for w in _SLUG_WORD.findall(path.replace("-", " ").replace("_", " ")) if not _ID_LIKE.match(w)]
    return " ".join(words)


def _names(value: str) -> list[str]:
    """Names from a GKG list ("Abu Bakr;Europol" or "Europol,123;…" with character offsets)."""
    out = []
    for part in value.split(";"):
        name = part.split(",")[0].strip()
        if name and name not in out:
            out.append(name)
    return out


def _row(file: str, row_no: int, row: dict[str, str]) -> Item:
    url = _get(row, "SOURCEURL", "DocumentIdentifier")
    date = _get(row, "DATEADDED", "DATE", "SQLDATE")
    if not url.startswith(("http://", "https://")):
        return Problem(file, row_no, f"row {row_no}: no article URL (GDELT rows are read only when they carry one)")
    if not date:
        return Problem(file, row_no, f"row {row_no}: no date")
    parts = [slug_words(url)]
    is_event = bool(_get(row, "SOURCEURL"))
    if is_event:
        coded = [_get(row, "Actor1Name"), _get(row, "Actor2Name"), _get(row, "ActionGeo_FullName")]
        parts.append(" · ".join(c for c in coded if c))
    else:
        parts.append(" · ".join(_names(_get(row, "V2Persons", "Persons")) +
                                _names(_get(row, "V2Organizations", "Organizations"))))
    text = " — ".join(p for p in parts if p)
    host = (urlsplit(url).hostname or "").casefold().removeprefix("www.")
    fields: dict[str, Any] = {"text": text, "date": date, "url": url, "title": slug_words(url) or None,
                              "source": _get(row, "SourceCommonName") or host,
                              "external_id": _get(row, "GLOBALEVENTID", "GKGRECORDID")}
    keep = ("EventCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions", "AvgTone", "Actor1Name",
            "Actor2Name", "ActionGeo_FullName", "ActionGeo_CountryCode", "V2Themes", "Themes", "V2Tone")
    extra = {"platform": "gdelt", "gdelt_table": "events" if is_event else "gkg",
             "text_from": "GDELT's coding of the article (URL words, actors, place), not the article's text"}
    extra.update({k: _get(row, k) for k in keep if _get(row, k)})
    return RawRecord(file, row_no, {k: v for k, v in fields.items() if v}, extra=extra)


READER = Reader(
    name="gdelt-rows", description="GDELT 2.0 event / GKG rows (raw tab-separated or headed CSV) with URL and date",
    read=read, sniff=sniff, platform="gdelt", defaults={"source_type": "news"},
    fields={"text": "URL path words + coded actors/place (events) or persons/organisations (GKG)",
            "date": "DATEADDED / DATE (UTC), else SQLDATE", "source": "SourceCommonName, else the URL's site",
            "url": "SOURCEURL / DocumentIdentifier", "external_id": "GLOBALEVENTID / GKGRECORDID",
            "metadata": "EventCode, QuadClass, GoldsteinScale, NumMentions, AvgTone, actors, themes, tone"},
)
