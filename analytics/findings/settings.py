"""The findings engine's settings, declared once: name, default and a help text a teacher can read.

The lead folds these into `config.SETTINGS`; until then the CLI and the README read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from ..multiple_testing import ALPHA

KINDS = ("shift", "burst", "emerging", "fading", "event_impact", "lead_lag", "share_of_voice")


@dataclass(frozen=True)
class FindingsSettings:
    """Every choice the findings engine makes, in one place (see HELP for what each one means)."""

    min_subject_documents: int = 10
    min_side_documents: int = 20
    min_compared_subject_documents: int = 8
    min_side_periods: int = 2
    max_shifts_per_subject: int = 3
    dispersion_half_window: int = 2
    burst_ratio: float = 2.0
    burst_gamma: float = 1.0
    emerging_window_periods: int = 4
    event_window_days: int = 90
    max_lag: int = 4
    max_ar_order: int = 3
    min_lead_lag_periods: int = 16
    min_lead_lag_subject_documents: int = 10
    sources: tuple[str, ...] = ()
    correction: str = "bh"
    alpha: float = ALPHA
    kinds: tuple[str, ...] = field(default=KINDS)

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown findings kinds {sorted(unknown)}; use some of {', '.join(KINDS)}")
        if self.correction not in ("bh", "by"):
            raise ValueError(f"unknown correction {self.correction!r}; use 'bh' or 'by'")


HELP: dict[str, str] = {
    "min_subject_documents": "A theme or actor is tested only when at least this many dated documents are about it.",
    "min_side_documents": "Each side of a comparison (before and after, inside and outside a burst, the two windows, "
    "one source type and the others) must hold at least this many documents in all.",
    "min_compared_subject_documents": "The documents about the subject on the two sides of a comparison must add "
    "up to at least this many.",
    "min_side_periods": "A shift needs at least this many periods before and after it.",
    "max_shifts_per_subject": "At most this many shifts are looked for in one theme or actor (one split, then one "
    "in each half while a split is clear).",
    "dispersion_half_window": "Periods on each side used to judge how much a subject's share jumps from period to "
    "period beyond chance (its over-dispersion), which widens every test on that subject.",
    "burst_ratio": "Kleinberg's burst state: a share this many times the subject's usual share.",
    "burst_gamma": "Kleinberg's cost of entering a burst (higher: fewer, longer bursts).",
    "emerging_window_periods": "Emerging and fading compare the last this-many periods with the this-many before.",
    "event_window_days": "Event impact compares this many days after each event with the same span before it.",
    "max_lag": "Lead and lag are looked for up to this many periods.",
    "max_ar_order": "Largest autoregressive order fitted to the leading series before lagged correlations are "
    "measured (its own momentum is removed first).",
    "min_lead_lag_periods": "Lead and lag need at least this many periods in which both series have documents.",
    "min_lead_lag_subject_documents": "Lead and lag need at least this many documents about the subject in each of "
    "the two series.",
    "sources": "Sources (outlets, accounts) to compare with each other and with the rest, besides source types.",
    "correction": "Multiple-testing correction over every test of one run: bh (Benjamini–Hochberg) or by "
    "(Benjamini–Yekutieli, valid under any dependence, more cautious).",
    "alpha": "A finding is called significant when its q-value (false discovery rate) is below this.",
    "kinds": "Which kinds of findings to test.",
}


def settings_table() -> list[tuple[str, object, str]]:
    """(name, default, help) of every setting, for the CLI, the About page and the README."""
    defaults = FindingsSettings()
    return [(f.name, getattr(defaults, f.name), HELP[f.name]) for f in fields(FindingsSettings)]
