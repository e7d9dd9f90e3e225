"""Two fixed windows compared: emerging/fading (the latest periods against the ones before) and event impact
(the days after each event against the same span before it).

Events closer together than `event_group_days` are one test: their windows hold nearly the same documents, so two
tests would count one chance fluctuation twice (events 8 days apart with 90-day windows share 87 % of the
contrast). The group is anchored at its first event; its later events are named with it.

Null hypothesis: the subject's share is the same in both windows. The windows are fixed before looking at the
counts, so one G test per subject (scaled by the subject's over-dispersion) is the whole test; a subject enters
only when both windows hold `min_side_documents` documents and the subject appears in at least
`min_compared_subject_documents` of them (a filter that does not look at the difference being tested).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema as s
from .count_tests import dispersion, rate_difference_p
from .counts import CountTable, count_table
from .finding import Finding
from .sentences import day_name, span_name
from .settings import FindingsSettings

TEST_WINDOWS = "two windows, likelihood-ratio (G) test on pooled counts, over-dispersion scaled"
TEST_EVENT = "before vs after the event, likelihood-ratio (G) test on pooled counts, over-dispersion scaled"


def emerging_fading_findings(table: CountTable, dispersions: np.ndarray,
                             settings: FindingsSettings) -> list[Finding]:
    """Each subject's share in the last `emerging_window_periods` periods against the same number before."""
    width = settings.emerging_window_periods
    length = len(table.periods)
    if width < 1 or length < 2 * width:
        return []
    old, new = table.period_mask(length - 2 * width, length - width), table.period_mask(length - width, length)
    g = table.granularity
    labels = (span_name(table.periods[length - 2 * width], table.periods[length - width - 1], g),
              span_name(table.periods[length - width], table.periods[-1], g))
    return _compare(table, dispersions, settings, old, new, labels, TEST_WINDOWS,
                    period=table.periods[length - width].date().isoformat(), kind=None)


def window_findings(documents: pd.DataFrame, items: pd.DataFrame, first: tuple, second: tuple,
                    granularity: str, settings: FindingsSettings | None = None) -> list[Finding]:
    """Each subject's share among the documents dated in `second` ([start, stop)) against those dated in `first`:
    the emerging/fading test (G on pooled counts, widened by the subject's over-dispersion between
    `granularity` periods), for two windows the caller names. `documents` and `items` as `run` takes them. The
    p-values are not corrected: the caller puts its family of tests through one correction."""
    settings = settings or FindingsSettings()
    table = count_table(documents, items, granularity, settings.min_subject_documents)
    if table.subjects.empty:
        return []
    dates = table.docs[s.DATE].to_numpy()
    masks = [(dates >= np.datetime64(pd.Timestamp(a))) & (dates < np.datetime64(pd.Timestamp(b))) for a, b in
             (first, second)]
    spread = dispersion(table.counts, table.totals, settings.dispersion_half_window)
    labels = tuple(f"{day_name(pd.Timestamp(a))} to {day_name(pd.Timestamp(b) - pd.Timedelta(days=1))}"
                   for a, b in (first, second))
    return _compare(table, spread, settings, masks[0], masks[1], labels, TEST_WINDOWS,
                    period=pd.Timestamp(second[0]).date().isoformat(), kind=None)


def event_groups(events: pd.DataFrame, group_days: int) -> list[pd.DataFrame]:
    """The events by date, cut into groups: an event less than `group_days` after the first event of the current
    group joins it; otherwise it starts the next group."""
    ordered = events.dropna(subset=[s.DATE]).sort_values(s.DATE, kind="stable")
    days = pd.to_datetime(ordered[s.DATE]).dt.normalize().to_numpy()
    groups, first = [], 0
    for i in range(1, len(days) + 1):
        if i == len(days) or days[i] - days[first] >= np.timedelta64(group_days, "D"):
            groups.append(ordered.iloc[first:i])
            first = i
    return groups


def event_impact_findings(table: CountTable, events: pd.DataFrame, dispersions: np.ndarray,
                          settings: FindingsSettings) -> list[Finding]:
    """Each subject's share in the `event_window_days` after each event (or group of close events) against the
    same span before it."""
    if events is None or events.empty or table.docs.empty:
        return []
    dates = table.docs[s.DATE].to_numpy()
    span = pd.Timedelta(days=settings.event_window_days)
    days = settings.event_window_days
    labels = (f"in the {days} days before", f"in the {days} days after")
    out: list[Finding] = []
    for group in event_groups(events, settings.event_group_days):
        day = pd.Timestamp(group[s.DATE].iloc[0]).normalize()
        before = (dates >= np.datetime64(day - span)) & (dates < np.datetime64(day))
        after = (dates >= np.datetime64(day)) & (dates < np.datetime64(day + span))
        names = [str(label or "event") for label in group.get("label", pd.Series(["event"] * len(group)))]
        also = [{"event": name, "event_date": day_name(when)}
                for name, when in zip(names[1:], group[s.DATE].iloc[1:], strict=True)]
        out += _compare(table, dispersions, settings, before, after, labels, TEST_EVENT,
                        period=day.date().isoformat(), kind="event_impact",
                        details={"event": names[0], "event_date": day_name(day), "events_with_it": also})
    return out


def _compare(table: CountTable, dispersions: np.ndarray, settings: FindingsSettings, first: np.ndarray,
             second: np.ndarray, labels: tuple[str, str], test: str, period: str, kind: str | None,
             details: dict | None = None) -> list[Finding]:
    k1, n1 = table.window_counts(first)
    k2, n2 = table.window_counts(second)
    if n1 < settings.min_side_documents or n2 < settings.min_side_documents:
        return []
    keep = np.flatnonzero(k1 + k2 >= settings.min_compared_subject_documents)
    p = rate_difference_p(k1[keep], n1, k2[keep], n2, dispersions[keep])
    out = []
    for j, p_value in zip(keep, p, strict=True):
        subject = table.subjects.iloc[j]
        effect = k2[j] / n2 - k1[j] / n1
        out.append(Finding(
            kind=kind or ("emerging" if effect >= 0 else "fading"), subject=str(subject["subject"]),
            subject_type=str(subject["subject_type"]), subject_id=str(subject["subject_id"]), test=test,
            p_value=float(p_value), effect=float(effect), effect_name="share in the second window minus the first",
            n_documents=n1 + n2, doc_ids=table.evidence(j, first | second), granularity=table.granularity,
            period=period, before_count=int(k1[j]), before_total=n1, after_count=int(k2[j]), after_total=n2,
            before_label=labels[0], after_label=labels[1], dispersion=float(dispersions[j]),
            details=dict(details or {}),
        ))
    return out
