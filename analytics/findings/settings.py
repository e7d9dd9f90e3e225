"""The findings engine's settings as one value: each default, its help and its choices are declared once, in
`config.SETTINGS` (which the CLI's options and the README's settings table read too)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from ..config import SETTINGS, setting

KINDS = ("shift", "burst", "emerging", "fading", "event_impact", "lead_lag", "share_of_voice")


@dataclass(frozen=True)
class FindingsSettings:
    """Every choice the findings engine makes, in one place. Defaults: `config.SETTINGS`; `sources` (outlets or
    accounts compared besides source types) and `kinds` (which kinds to test) are per call."""

    min_subject_documents: int = setting("min_subject_documents")
    min_side_documents: int = setting("min_side_documents")
    min_compared_subject_documents: int = setting("min_compared_subject_documents")
    min_side_periods: int = setting("min_side_periods")
    max_shifts_per_subject: int = setting("max_shifts_per_subject")
    dispersion_half_window: int = setting("dispersion_half_window")
    burst_ratio: float = setting("burst_ratio")
    burst_gamma: float = setting("burst_gamma")
    emerging_window_periods: int = setting("emerging_window_periods")
    event_window_days: int = setting("event_window_days")
    event_group_days: int = setting("event_group_days")
    max_lag: int = setting("max_lag")
    max_ar_order: int = setting("max_ar_order")
    min_lead_lag_periods: int = setting("min_lead_lag_periods")
    min_lead_lag_subject_documents: int = setting("min_lead_lag_subject_documents")
    correction: str = setting("correction")
    alpha: float = setting("alpha")
    sources: tuple[str, ...] = ()
    kinds: tuple[str, ...] = KINDS

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown findings kinds {sorted(unknown)}; use some of {', '.join(KINDS)}")
        if self.correction not in SETTINGS["correction"].choices:
            raise ValueError(f"unknown correction {self.correction!r}; use 'bh' or 'by'")
        object.__setattr__(self, "sources", tuple(sorted(set(self.sources))))
        object.__setattr__(self, "kinds", tuple(k for k in KINDS if k in set(self.kinds)))


SETTING_NAMES = tuple(f.name for f in fields(FindingsSettings) if f.name in SETTINGS)


def settings_table() -> list[tuple[str, object, str]]:
    """(name, default, help) of every findings setting declared in config.SETTINGS."""
    return [(name, SETTINGS[name].default, SETTINGS[name].help) for name in SETTING_NAMES]
