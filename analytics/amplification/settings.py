"""The amplification settings, declared once (name, default, help) for the CLI, the app's sidebar and the docs.

The settings live in `analytics.config.SETTINGS` (so the CLI, the app and the README read them from one place);
`SETTINGS` here is the part of it this package reads, and `CoordinationParams` carries the values into the
functions.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .. import config
from ..config import Setting
from .contracts import ITEM_KINDS, input_error

# Declared in config.SETTINGS (with every other setting); these are the ones the amplification functions read.
SETTING_NAMES = ("coordination_window", "null_window", "min_repeats", "crowd_limit", "coordination_kinds",
                 "min_hashtags", "cluster_method", "coordination_fdr", "min_cascade_accounts")
SETTINGS: dict[str, Setting] = {name: config.SETTINGS[name] for name in SETTING_NAMES}


@dataclass(frozen=True)
class CoordinationParams:
    """Values of the coordination settings; defaults come from SETTINGS."""

    coordination_window: float = SETTINGS["coordination_window"].default  # type: ignore[assignment]
    null_window: float = SETTINGS["null_window"].default  # type: ignore[assignment]
    min_repeats: int = SETTINGS["min_repeats"].default  # type: ignore[assignment]
    crowd_limit: int = SETTINGS["crowd_limit"].default  # type: ignore[assignment]
    coordination_kinds: str = SETTINGS["coordination_kinds"].default  # type: ignore[assignment]
    min_hashtags: int = SETTINGS["min_hashtags"].default  # type: ignore[assignment]
    cluster_method: str = SETTINGS["cluster_method"].default  # type: ignore[assignment]
    coordination_fdr: float = SETTINGS["coordination_fdr"].default  # type: ignore[assignment]

    def __post_init__(self) -> None:
        problems = []
        if not 0 < self.coordination_window < self.null_window:
            problems.append("the coordination window must be positive and shorter than the null window "
                            f"(got {self.coordination_window} s and {self.null_window} s)")
        if self.min_repeats < 1:
            problems.append(f"min_repeats must be at least 1 (got {self.min_repeats})")
        if self.crowd_limit < 2:
            problems.append(f"crowd_limit must be at least 2 (got {self.crowd_limit})")
        if self.min_hashtags < 1:
            problems.append(f"min_hashtags must be at least 1 (got {self.min_hashtags})")
        if self.cluster_method not in ("components", "louvain"):
            problems.append(f"unknown cluster method {self.cluster_method!r}; use components or louvain")
        if not 0 < self.coordination_fdr < 1:
            problems.append(f"coordination_fdr must lie between 0 and 1 (got {self.coordination_fdr})")
        unknown = [k for k in self.kinds if k not in ITEM_KINDS]
        if unknown or not self.kinds:
            problems.append(f"unknown coordination kind(s) {', '.join(unknown) or '(none given)'}; "
                            f"use {', '.join(ITEM_KINDS)}")
        if problems:
            raise input_error("settings", "; ".join(problems),
                              "change these settings (the README's Settings table says what each one does)")

    @property
    def kinds(self) -> tuple[str, ...]:
        """The item kinds compared, as a tuple."""
        return tuple(k.strip() for k in self.coordination_kinds.split(",") if k.strip())

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The setting names these parameters carry."""
        return tuple(f.name for f in fields(cls))
