"""Dates: parse what a record gives (ISO strings, prose dates in any language, epoch numbers, time zones) into
naive UTC with a precision, and find a date in a file name or in the head of a scraped text when nothing else gives
one.

Fast paths first (ISO forms, GDELT's compact `20191125T103000Z`, epoch numbers), then dateutil (English month
names, time-zone abbreviations such as EST), then dateparser with the text's language for month names in other
languages ("12 mars 2016", "22 ноября 2019", "22 نوفمبر 2019"). Arabic-Indic and Persian digits are read as digits.
Numeric day-month order is month first unless `dayfirst` (a flag and a per-corpus setting) says otherwise.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta, timezone
from functools import cache

from dateutil import parser as date_parser

from ..errors import RecordRejected

# Earliest plausible date: the State of the Union corpus starts in 1790; anything before 1700 is a misread field.
EARLIEST = datetime(1700, 1, 1)
# A small tolerance for time zones ahead of UTC; beyond it a date is in the future and the record is rejected.
FUTURE_SLACK = timedelta(days=2)

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# GDELT: 20191125T103000Z (DOC API seendate) and 20191125103000 (event DATEADDED, GKG DATE).
_COMPACT_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})T?(\d{2})(\d{2})(\d{2})Z?$")
# An ISO date and time, optionally followed by a zone: "2019-11-22 14:03:11 EST", "2019-11-22T14:03:11.000Z".
_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)\d*\s*"
                       r"(Z|UTC|GMT|[A-Z]{2,5}|[+-]\d{2}(?::?\d{2})?)?$")
# Arabic-Indic (٠–٩) and Eastern Arabic-Indic/Persian (۰–۹) digits, and the Arabic comma and date separators.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬،", "01234567890123456789.,,")
_HOUR = 3600
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")
# Time-zone abbreviations that name one offset (AST, IST and CST-as-China are ambiguous and left out: a date
# with one of those is rejected rather than guessed).
TZ_OFFSETS = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0, "WEST": _HOUR, "BST": _HOUR, "CET": _HOUR, "CEST": 2 * _HOUR,
    "MET": _HOUR, "MEST": 2 * _HOUR, "EET": 2 * _HOUR, "EEST": 3 * _HOUR, "MSK": 3 * _HOUR, "TRT": 3 * _HOUR,
    "PKT": 5 * _HOUR, "JST": 9 * _HOUR, "KST": 9 * _HOUR, "AEST": 10 * _HOUR, "AEDT": 11 * _HOUR,
    "EST": -5 * _HOUR, "EDT": -4 * _HOUR, "CST": -6 * _HOUR, "CDT": -5 * _HOUR, "MST": -7 * _HOUR,
    "MDT": -6 * _HOUR, "PST": -8 * _HOUR, "PDT": -7 * _HOUR, "AKST": -9 * _HOUR, "AKDT": -8 * _HOUR,
    "HST": -10 * _HOUR,
}

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# Dates as scraped pages print them: "November 22, 2015", "22 November 2015", "Nov. 22, 2015", "2015-11-22".
_TEXT_DATES = [
    re.compile(rf"\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}\b", re.IGNORECASE),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\s*,?\s+(?:19|20)\d{{2}}\b", re.IGNORECASE),
    re.compile(r"\b(?:19|20)\d{2}-\d{2}-\d{2}\b"),
]
# The same in other languages, for dateparser to read with the text's language: "12 mars 2016", "12. März 2016",
# "22 ноября 2019", "22 نوفمبر 2019" (digits made ASCII first), "12 de marzo de 2016". A year in full is required.
_OTHER_LANGUAGE_DATES = [
    re.compile(r"(?<!\d)\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,}\.?,?\s+(?:de\s+)?(?:19|20)\d{2}(?!\d)"),
    re.compile(r"(?<!\w)[^\W\d_]{3,}\.?\s+\d{1,2},?\s+(?:19|20)\d{2}(?!\d)"),
]
_FILENAME_DATE = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?![0-9A-Za-z])")
# Only the head of a scraped page carries its dateline; dates further down are dates the article talks about.
TEXT_HEAD_LINES = 12


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _checked(value: datetime, raw: object) -> datetime:
    if value < EARLIEST:
        raise RecordRejected(f"date before 1700: {raw!r} (a misread field?)")
    if value > _now() + FUTURE_SLACK:
        raise RecordRejected(f"date in the future: {raw!r}")
    return value


def _from_number(number: float, raw: object) -> tuple[datetime, str]:
    """Epoch seconds or milliseconds, told apart by size; a 4-digit integer is a year."""
    if float(number).is_integer() and 1700 <= number <= 2200:
        return _checked(datetime(int(number), 1, 1), raw), "year"
    if abs(number) >= 1e11:  # milliseconds since 1970 (seconds would be beyond the year 5000)
        number = number / 1000.0
    try:
        value = datetime.fromtimestamp(number, UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError) as exc:  # beyond what a calendar date can be
        raise RecordRejected(f"date not understood: {raw!r} (out of range as epoch seconds or milliseconds)") from exc
    return _checked(value, raw), "day"


def parse_date(raw: object, *, dayfirst: bool = False, language: str | None = None) -> tuple[datetime, str] | None:
    """A record's date as (naive UTC datetime, precision day/month/year); None when the field is empty.

    The time of day is kept (posting times matter to the second). `dayfirst` reads 03/04/2016 as 3 April;
    `language` (ISO 639-1) helps with month names in that language. Raises RecordRejected with the value when it
    cannot be understood, is before 1700 or is in the future.
    """
    if raw is None:
        return None
    if isinstance(raw, datetime):
        value = raw.astimezone(UTC).replace(tzinfo=None) if raw.tzinfo else raw
        return _checked(value, raw), "day"
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if raw != raw:  # NaN from a numeric column
            return None
        return _from_number(float(raw), raw)
    text = str(raw).strip()
    if not text or text.lower() in {"nan", "nat", "none", "null", "n/a", "-"}:
        return None
    if not text.isascii():
        text = text.translate(_DIGITS)
    try:
        if m := _ISO_DAY.match(text):
            return _checked(datetime(int(m[1]), int(m[2]), int(m[3])), raw), "day"
        if m := _ISO_MONTH.match(text):
            return _checked(datetime(int(m[1]), int(m[2]), 1), raw), "month"
        if m := _YEAR.match(text):
            return _checked(datetime(int(m[1]), 1, 1), raw), "year"
        if m := _COMPACT.match(text):
            return _checked(datetime(int(m[1]), int(m[2]), int(m[3])), raw), "day"
        if m := _COMPACT_TIME.match(text):
            return _checked(datetime(*(int(m[i]) for i in range(1, 7))), raw), "day"
        if m := _ISO_TIME.match(text):
            return _iso_time(m, raw), "day"
    except ValueError as exc:
        raise RecordRejected(f"date not understood: {raw!r} ({exc})") from exc
    if _NUMBER.match(text):
        try:
            return _from_number(float(text), raw)
        except (OverflowError, OSError, ValueError) as exc:
            raise RecordRejected(f"date not understood: {raw!r}") from exc
    return _parse_prose(text, raw, dayfirst, language)


def _iso_time(m: re.Match[str], raw: object) -> datetime:
    """An ISO date and time with an optional zone (Z, +0300, EST) as naive UTC."""
    value = datetime.fromisoformat(f"{m[1]}T{m[2]}")
    zone = m[3]
    if zone:
        value = value - timedelta(seconds=_offset(zone, raw))
    return _checked(value, raw)


def _offset(zone: str, raw: object) -> int:
    """Seconds east of UTC of a zone written as an abbreviation or an offset; RecordRejected when unknown."""
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        seconds = int(digits[:2]) * _HOUR + (int(digits[2:4]) * 60 if len(digits) > 2 else 0)
        return seconds if zone[0] == "+" else -seconds
    if zone.upper() in TZ_OFFSETS:
        return TZ_OFFSETS[zone.upper()]
    raise RecordRejected(f"date not understood: {raw!r} (time zone {zone!r} is not one we know; "
                         "give the offset, e.g. +0300)")


_TZINFOS = {name: timezone(timedelta(seconds=offset)) for name, offset in TZ_OFFSETS.items()}


def _parse_prose(text: str, raw: object, dayfirst: bool = False, language: str | None = None
                 ) -> tuple[datetime, str]:
    """dateutil for English prose; two different defaults reveal which parts the text did not give. What dateutil
    cannot read goes to dateparser (month names in other languages)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", date_parser.UnknownTimezoneWarning)
            first = date_parser.parse(text, default=datetime(2000, 1, 1), dayfirst=dayfirst, tzinfos=_TZINFOS)
            second = date_parser.parse(text, default=datetime(2001, 2, 2), dayfirst=dayfirst, tzinfos=_TZINFOS)
    except date_parser.UnknownTimezoneWarning as exc:
        raise RecordRejected(f"date not understood: {raw!r} (a time zone we do not know; give the offset, "
                             "e.g. +0300)") from exc
    except (ValueError, OverflowError, TypeError) as exc:
        found = _parse_any_language(text, dayfirst, language)
        if found is None:
            raise RecordRejected(f"date not understood: {raw!r}") from exc
        value, precision = found
        return _checked(value, raw), precision
    if first.year != second.year:
        raise RecordRejected(f"date has no year: {raw!r}")
    precision = "year" if first.month != second.month else "month" if first.day != second.day else "day"
    value = first
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    if precision != "day":
        value = value.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        if precision == "year":
            value = value.replace(month=1)
    return _checked(value, raw), precision


def _parse_any_language(text: str, dayfirst: bool, language: str | None) -> tuple[datetime, str] | None:
    """dateparser on absolute dates only (never "yesterday"), with the text's language when known; the year must
    be given. (naive UTC, precision) or None."""
    if not _FOUR_DIGITS.search(text):  # "12 mars" would be read as March 2012: a year must be written in full
        return None
    parser = _date_data_parser(language if language and language != "und" else None, dayfirst)
    try:
        data = parser.get_date_data(text)
    except (ValueError, OverflowError, TypeError):  # dateparser raises these for out-of-range parts
        return None
    if data is None or data.date_obj is None:
        return None
    value = data.date_obj
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    precision = data.period if data.period in ("day", "month", "year") else "day"
    if precision != "day":
        value = value.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        if precision == "year":
            value = value.replace(month=1)
    return value, precision


@cache
def _date_data_parser(language: str | None, dayfirst: bool) -> object:
    """A dateparser parser per language and day order (building one loads its language data: once)."""
    from dateparser.date import DateDataParser

    settings = {"PARSERS": ["custom-formats", "absolute-time"], "REQUIRE_PARTS": ["year"], "TIMEZONE": "UTC",
                "RETURN_AS_TIMEZONE_AWARE": True, "PREFER_DAY_OF_MONTH": "first"}
    if dayfirst:
        settings["DATE_ORDER"] = "DMY"
    languages = [language] if language else None
    try:
        return DateDataParser(languages=languages, settings=settings)
    except ValueError:  # a language dateparser does not know: let it try them all
        return DateDataParser(settings=settings)


def find_date_in_filename(name: str) -> tuple[datetime, str] | None:
    """A date written into a file name (2015-11-22_story.txt, 20151122.html), else None."""
    for m in _FILENAME_DATE.finditer(name):
        try:
            value = datetime(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            continue
        if EARLIEST <= value <= _now():
            return value, "day"
    return None


def find_date_in_text(text: str, language: str | None = None) -> tuple[datetime, str] | None:
    """The dateline of a scraped page: the first full date in its first lines, else None.

    Only the head is searched: a date in the body ("the attacks of 13 November") is what the text is about,
    not when it was published. English forms first; then a day, a month's name and a year in any language,
    read with the text's `language` (ISO 639-1) when known.
    """
    head = [line for line in text.splitlines() if line.strip()][:TEXT_HEAD_LINES]
    for line in head:
        for pattern in _TEXT_DATES:
            if m := pattern.search(line):
                try:
                    return parse_date(m.group(0))
                except RecordRejected:
                    continue
        if line.isascii() and language in (None, "en", "und"):
            continue  # English text with no English date on this line: nothing more to find in it
        line = line.translate(_DIGITS)
        for pattern in _OTHER_LANGUAGE_DATES:
            for m in pattern.finditer(line):
                try:
                    return parse_date(m.group(0), language=language)
                except RecordRejected:
                    continue
    return None
