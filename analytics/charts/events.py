"""Events in a strip below a time chart's x axis: a tick for every event (hover for its date and description), a
written label for the few the strip has room for, chosen by importance, and a faint line across the plot for those.

The strip lies outside the plot, so it never takes the plot's height. Which labels are written depends on the
chart's width: each label carries the narrowest plot width at which it still fits beside the labels already
chosen (`min_width`), and the chart shows a label only when it is at least that wide, so a phone shows two or
three labels and a wide screen a dozen, none overlapping.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .. import schema as s
from .layout import MUTED

IMPORTANCE = "documents_after"  # Corpus.events: documents dated in the weeks after the event (more: more important)
LABEL_CHARS = 26  # a written label is cut to this many characters; the full label is in the tooltip
CHAR_PX = 6.1  # the width of a character at the strip's font size, in pixels (to keep labels apart)
WIDTHS = (240, 320, 460, 640, 880, 1180)  # plot widths at which more labels are tried (the first: always shown)
ROWS = 2
STRIP = 66  # the strip's height below the plot, in pixels (axis labels included)
LEGEND_OFFSET = STRIP - 8  # from the x axis to a legend under the strip (its labels' second row ends there)
NEVER = 1_000_000  # the min_width of a label never written (not NaN: JSON turns it into null, and null <= 900)


def short_label(label: str, limit: int = LABEL_CHARS) -> str:
    """The label cut at a word to `limit` characters, with an ellipsis."""
    label = str(label)
    if len(label) <= limit:
        return label
    cut = label[: limit - 1].rsplit(" ", 1)[0] if " " in label[: limit - 1] else label[: limit - 1]
    return cut.rstrip(" ,;:–-") + "…"


def place_labels(events: pd.DataFrame, span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> pd.DataFrame:
    """Each event with `row` (0 or 1), `min_width` (the narrowest plot width at which its label is written; NEVER:
    never), `align`, the short label `text` and `x` (its place along the span, 0 to 1); events tried in order
    of importance, then date."""
    ev = events.assign(**{s.DATE: pd.to_datetime(events[s.DATE])}).sort_values(s.DATE).reset_index(drop=True)
    ev["text"] = [short_label(v) for v in ev[s.LABEL]]
    ev["row"], ev["min_width"] = 0, NEVER
    if ev.empty:
        ev["align"] = []
        return ev
    first, last = span or (ev[s.DATE].min(), ev[s.DATE].max())
    length = max((pd.Timestamp(last) - pd.Timestamp(first)).total_seconds(), 1.0)
    ev["x"] = ((ev[s.DATE] - pd.Timestamp(first)).dt.total_seconds() / length).clip(0, 1)
    ev["align"] = ["left" if x < 0.12 else "right" if x > 0.88 else "center" for x in ev["x"]]
    order = ev.sort_values([IMPORTANCE, s.DATE], ascending=[False, True], kind="stable").index if (
        IMPORTANCE in ev) else ev.index
    rows: list[list[int]] = [[] for _ in range(ROWS)]
    for width in WIDTHS:
        for i in order:
            if ev.at[i, "min_width"] != NEVER:
                continue
            for row in range(ROWS):
                if all(_apart(ev, i, j, width) for j in rows[row]):
                    rows[row].append(i)
                    ev.loc[i, ["row", "min_width"]] = [row, width if width > WIDTHS[0] else 0]
                    break
    return ev


def _extent(ev: pd.DataFrame, i: int, width: float) -> tuple[float, float]:
    """The pixels a label covers at plot width `width`."""
    x, w = ev.at[i, "x"] * width, len(ev.at[i, "text"]) * CHAR_PX + 8
    align = ev.at[i, "align"]
    return (x, x + w) if align == "left" else (x - w, x) if align == "right" else (x - w / 2, x + w / 2)


def _apart(ev: pd.DataFrame, i: int, j: int, width: float) -> bool:
    a, b = _extent(ev, i, width), _extent(ev, j, width)
    return a[1] <= b[0] or b[1] <= a[0]


def strip_offset(events: pd.DataFrame | None) -> dict[str, int]:
    """The legend's offset (`layout.legend`'s keyword) that puts it under the event strip when there are events."""
    return {"offset": LEGEND_OFFSET} if events is not None and not events.empty else {}


def event_layers(events: pd.DataFrame, plot_height: int, span: tuple[pd.Timestamp, pd.Timestamp] | None = None
                 ) -> list[alt.Chart]:
    """The strip below a plot of height `plot_height` (pixels): ticks with tooltips for every event, labels that
    fit the width, and a faint line across the plot for each labelled event. Add them to the chart's layers."""
    if events is None or events.empty:
        return []
    ev = place_labels(events, span)
    ev["description"] = ev["description"].fillna("") if "description" in ev else ""
    ev["date_text"] = ev[s.DATE].dt.strftime("%-d %b %Y")
    top = plot_height + 30  # below the x axis's labels
    tooltip = [alt.Tooltip("date_text:N", title="date"), alt.Tooltip(f"{s.LABEL}:N", title="event"),
               alt.Tooltip("description:N", title="what happened")]
    x = alt.X(f"{s.DATE}:T")
    ticks = alt.Chart(ev).mark_rule(color=MUTED, strokeWidth=1.5).encode(
        x=x, y=alt.value(top), y2=alt.value(top + 9), tooltip=tooltip)
    hover = alt.Chart(ev).mark_point(shape="square", size=140, opacity=0.001, filled=True).encode(
        x=x, y=alt.value(top + 4), tooltip=tooltip)
    shown = "datum.min_width <= width"
    lines = alt.Chart(ev).transform_filter(shown).mark_rule(
        color="#777777", strokeDash=[3, 3], strokeWidth=1, opacity=0.55).encode(x=x, y=alt.value(0),
                                                                                y2=alt.value(plot_height))
    labels = alt.Chart(ev).transform_filter(shown).mark_text(
        align=alt.ExprRef("datum.align"), dy=alt.ExprRef("13 * datum.row"), baseline="top", fontSize=10.5,
        color="#333333").encode(x=x, y=alt.value(top + 13), text="text:N", tooltip=tooltip)
    caption = alt.Chart(pd.DataFrame({"t": ["events"]})).mark_text(
        align="right", baseline="middle", fontSize=10, color=MUTED, dx=-6).encode(
        x=alt.value(0), y=alt.value(top + 4), text="t:N")
    return [lines, ticks, hover, labels, caption]
