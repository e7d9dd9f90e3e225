"""The amplification settings, declared once (name, default, help) for the CLI, the app's sidebar and the docs.

`SETTINGS` has the shape of `analytics.config.SETTINGS` so it can be folded into it; `CoordinationParams` carries the
values into the functions.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from ..config import Setting
from ..multiple_testing import ALPHA
from .contracts import HASHTAGS, ITEM_KINDS, TEXT, URL, AmplificationInputError

SETTINGS: dict[str, Setting] = {
    x.name: x
    for x in [
        Setting("coordination_window", 60,
                "Seconds: two accounts posting the same link, text or hashtag sequence this close together count as "
                "posting together."),
        Setting("null_window", 1800,
                "Seconds: the chance model lets each shared post fall anywhere within this span around when it was "
                "posted. Posting together counts as evidence only as far as it is tighter than this; keep it longer "
                "than the coordination window and about as short as news goes round."),
        Setting("min_repeats", 3,
                "Occasions two accounts must have posted together before the pair is tested at all."),
        Setting("crowd_limit", 50,
                "Accounts: when more than this many post the same item within the null window (a trending hashtag, "
                "a viral link), that moment is set aside. Being one of a crowd says nothing about any two of its "
                "members, and skipping it keeps the search fast. Groups larger than this are found only through "
                "what they post in smaller numbers."),
        Setting("coordination_kinds", f"{URL},{TEXT},{HASHTAGS}",
                "What counts as posting the same thing: url (the same link), text (the same near-identical text), "
                "hashtags (the same hashtags in the same order); also retweet_of, forward_from, quote_of, reply_to, "
                "mention, domain, hashtag (a single hashtag)."),
        Setting("min_hashtags", 1, "Hashtags a post needs for its hashtag sequence to be compared."),
        Setting("cluster_method", "components",
                "How linked accounts are grouped: components (every account reachable through significant pairs) "
                "or louvain (splits large components into communities)."),
        Setting("fdr", ALPHA, "False discovery rate: the share of reported pairs allowed to be chance findings."),
        Setting("min_cascade_accounts", 2, "Accounts a link, text or hashtag needs before it is listed as a cascade."),
    ]
}


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
    fdr: float = SETTINGS["fdr"].default  # type: ignore[assignment]

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
        if not 0 < self.fdr < 1:
            problems.append(f"fdr must lie between 0 and 1 (got {self.fdr})")
        unknown = [k for k in self.kinds if k not in ITEM_KINDS]
        if unknown or not self.kinds:
            problems.append(f"unknown coordination kind(s) {', '.join(unknown) or '(none given)'}; "
                            f"use {', '.join(ITEM_KINDS)}")
        if problems:
            raise AmplificationInputError("settings", "; ".join(problems))

    @property
    def kinds(self) -> tuple[str, ...]:
        """The item kinds compared, as a tuple."""
        return tuple(k.strip() for k in self.coordination_kinds.split(",") if k.strip())

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The setting names these parameters carry."""
        return tuple(f.name for f in fields(cls))
