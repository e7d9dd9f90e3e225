"""Dates: parse what a record gives (ISO strings, prose dates, epoch numbers, time zones) into naive UTC with a
precision, and find a date in a file name or in the head of a scraped text when nothing else gives one."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

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


def parse_date(raw: object) -> tuple[datetime, str] | None:
    """A record's date as (naive UTC datetime, precision day/month/year); None when the field is empty.

    Raises RecordRejected with the value when it cannot be understood, is before 1700 or is in the future.
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
    try:
        if m := _ISO_DAY.match(text):
            return _checked(datetime(int(m[1]), int(m[2]), int(m[3])), raw), "day"
        if m := _ISO_MONTH.match(text):
            return _checked(datetime(int(m[1]), int(m[2]), 1), raw), "month"
        if m := _YEAR.match(text):
            return _checked(datetime(int(m[1]), 1, 1), raw), "year"
        if m := _COMPACT.match(text):
            return _checked(datetime(int(m[1]), int(m[2]), int(m[3])), raw), "day"
    except ValueError as exc:
        raise RecordRejected(f"date not understood: {raw!r} ({exc})") from exc
    if _NUMBER.match(text):
        try:
            return _from_number(float(text), raw)
        except (OverflowError, OSError, ValueError) as exc:
            raise RecordRejected(f"date not understood: {raw!r}") from exc
    return _parse_prose(text, raw)


def _parse_prose(text: str, raw: object) -> tuple[datetime, str]:
    """dateutil for everything else; two different defaults reveal which parts the text did not give."""
    try:
        first = date_parser.parse(text, default=datetime(2000, 1, 1))
        second = date_parser.parse(text, default=datetime(2001, 2, 2))
    except (ValueError, OverflowError, TypeError) as exc:
        raise RecordRejected(f"date not understood: {raw!r}") from exc
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


def find_date_in_text(text: str) -> tuple[datetime, str] | None:
    """The dateline of a scraped page: the first full date in its first lines, else None.

    Only the head is searched: a date in the body ("the attacks of 13 November") is what the text is about,
    not when it was published.
    """
    head = [line for line in text.splitlines() if line.strip()][:TEXT_HEAD_LINES]
    for line in head:
        for pattern in _TEXT_DATES:
            if m := pattern.search(line):
                try:
                    return parse_date(m.group(0))
                except RecordRejected:
                    continue
    return None
