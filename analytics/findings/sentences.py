"""Findings in plain words: each sentence carries its counts, denominators and q-value."""

from __future__ import annotations

import math

import pandas as pd

from .finding import Finding

PERIOD_WORDS = {"day": ("day", "days"), "week": ("week", "weeks"), "month": ("month", "months"),
                "quarter": ("quarter", "quarters"), "year": ("year", "years")}


def period_name(ts: pd.Timestamp, granularity: str) -> str:
    """'2016', '2016 Q3', 'Jul 2016', 'week of 4 Jul 2016' or '4 Jul 2016'."""
    ts = pd.Timestamp(ts)
    if granularity == "year":
        return str(ts.year)
    if granularity == "quarter":
        return f"{ts.year} Q{(ts.month - 1) // 3 + 1}"
    if granularity == "month":
        return ts.strftime("%b %Y")
    if granularity == "week":
        return f"week of {day_name(ts)}"
    return day_name(ts)


def day_name(ts: pd.Timestamp) -> str:
    """'4 Jul 2016'."""
    ts = pd.Timestamp(ts)
    return f"{ts.day} {ts.strftime('%b %Y')}"


def span_name(first: pd.Timestamp, last: pd.Timestamp, granularity: str) -> str:
    """'2016 Q1–2016 Q4', or one period's name when first and last are the same."""
    a, b = period_name(first, granularity), period_name(last, granularity)
    if a == b:
        return a
    if granularity == "week":
        return f"the weeks of {day_name(first)} to {day_name(last)}"
    return f"{a}–{b}"


def q_text(q: float) -> str:
    """'q < 0.001', 'q = 0.012', or 'not corrected' when the run has not set it."""
    if q is None or math.isnan(q):
        return "q not computed"
    if q < 0.001:
        return "q < 0.001"
    return f"q = {q:.2g}" if q < 0.1 else f"q = {q:.2f}"


def count_text(count: int, total: int) -> str:
    """'9 of 120 documents (8 %)'."""
    share = count / total if total else 0.0
    return f"{count} of {total} documents ({_percent(share)})"


def sentence(finding: Finding) -> str:
    """The finding in one plain sentence with its numbers, ending with its q-value (and 'not significant')."""
    f = finding
    name = f"“{f.subject}” framing" if f.subject_type == "frame" else f"“{f.subject}”"
    verdict = q_text(f.q_value) + ("" if f.significant else ", not significant")
    if f.kind == "lead_lag":
        unit = PERIOD_WORDS.get(f.granularity, ("period", "periods"))[0 if f.lag == 1 else 1]
        return (f"{name} in {f.follower} follows {f.leader} by {f.lag} {unit}: their shares correlate at "
                f"{f.effect:.2f} once each series' own momentum is removed ({f.before_count} documents about it in "
                f"{f.leader}, {f.after_count} in {f.follower}); {verdict}.")
    before = count_text(f.before_count, f.before_total)
    after = count_text(f.after_count, f.after_total)
    if f.kind == "shift":
        verb = "rose" if f.effect > 0 else "fell"
        when = _at(f)
        return f"{name} {verb} from {before} in {f.before_label} to {after} in {f.after_label} ({when}); {verdict}."
    if f.kind == "burst":
        return f"{name} burst {f.after_label}: {after}, against {before} {f.before_label}; {verdict}."
    if f.kind in ("emerging", "fading"):
        verb = "is emerging" if f.kind == "emerging" else "is fading"
        return f"{name} {verb}: {after} in {f.after_label}, against {before} in {f.before_label}; {verdict}."
    if f.kind == "event_impact":
        event = f"“{f.details.get('event', 'the event')}” ({f.details.get('event_date', f.period)})"
        also = f.details.get("events_with_it") or []
        if also:
            event += " and " + ", ".join(f"“{e['event']}” ({e['event_date']})" for e in also) + ", tested together"
        verb = "rose" if f.effect > 0 else "fell" if f.effect < 0 else "stayed"
        return f"After {event}, {name} {verb} from {before} {f.before_label} to {after} {f.after_label}; {verdict}."
    if f.kind == "share_of_voice":
        word = "larger" if f.effect > 0 else "smaller"
        return (f"{name} takes a {word} share {f.after_label} ({after}) than {f.before_label} ({before}), "
                f"comparing the same periods; {verdict}.")
    return f"{name}: {f.kind}; {verdict}."


def _at(finding: Finding) -> str:
    return f"change from {period_name(pd.Timestamp(finding.period), finding.granularity)}"


def _percent(share: float) -> str:
    if 0 < share < 0.01:
        return "under 1 %"
    return f"{share:.0%}".replace("%", " %")
