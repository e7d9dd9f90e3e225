"""The filters a reader sets (dates, sources, source types, languages, an actor, themes), as one value object.

Frozen and hashable, so the app can pass it to `st.cache_data` and a notebook can reuse it; every `Corpus`
method that counts takes one. Lists are kept as sorted tuples, so two equal selections are equal filters.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .errors import BAD_FILTER


def _as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError) as exc:
        raise BAD_FILTER.error(reason=f"{value!r} is not a date", fix="write dates as YYYY-MM-DD") from exc


def _as_tuple(values: Iterable[Any] | str | None, kind: type = str) -> tuple:
    if values is None:
        return ()
    if isinstance(values, str | int):
        values = [values]
    return tuple(sorted({kind(v) for v in values}))


@dataclass(frozen=True)
class Filters:
    """Which documents to count: dated ones from `start` to `end` (both days included), of these sources,
    source types and languages (empty: all), naming this actor (a canonical id), in these themes (topic ids of the
    current fit, merges applied). The default, `Filters()`, is every dated document."""

    start: dt.date | None = None
    end: dt.date | None = None
    sources: tuple[str, ...] = ()
    source_types: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    actor: str | None = None
    themes: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        # Accept what a person or a widget gives (lists, strings, Timestamps); keep one canonical, hashable form.
        object.__setattr__(self, "start", _as_date(self.start))
        object.__setattr__(self, "end", _as_date(self.end))
        for name in ("sources", "source_types", "languages"):
            object.__setattr__(self, name, _as_tuple(getattr(self, name)))
        object.__setattr__(self, "themes", _as_tuple(self.themes, int))
        object.__setattr__(self, "actor", self.actor or None)
        if self.start and self.end and self.start > self.end:
            raise BAD_FILTER.error(reason=f"the period starts ({self.start}) after it ends ({self.end})",
                                   fix="choose a start date before the end date")

    def replace(self, **changes: Any) -> Filters:
        """These filters with some fields changed."""
        return dataclasses.replace(self, **changes)

    @property
    def is_default(self) -> bool:
        """True when nothing is filtered: every dated document."""
        return self == Filters()

    def record(self) -> dict[str, Any]:
        """The filters as plain JSON values (for a methods note or a URL)."""
        out = dataclasses.asdict(self)
        out["start"] = self.start.isoformat() if self.start else None
        out["end"] = self.end.isoformat() if self.end else None
        return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}
