"""The platform migration as tested findings: "supporters moved from Twitter to Telegram" is reported only as the
significant shifts, bursts and emerging/fading findings about platform actors, in the order they happened."""

from __future__ import annotations

from .finding import Finding

MIGRATION_KINDS = ("shift", "burst", "emerging", "fading")


def migration_findings(found: list[Finding], platform_ids: set[str]) -> tuple[Finding, ...]:
    """The significant findings over time about platform actors (by canonical id), in the order they happened."""
    picked = [f for f in found if f.significant and f.kind in MIGRATION_KINDS and f.subject_type == "actor"
              and f.subject_id in platform_ids]
    return tuple(sorted(picked, key=lambda f: (f.period or "", f.subject)))
