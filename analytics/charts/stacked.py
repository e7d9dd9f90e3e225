"""Stacked shares over time (themes, platforms, a source's theme mix) and stacked counts (documents by source type).

Each period is drawn as a step: its share holds from the period's first day to the next period's, exactly as it
was counted, so no interpolation can invent a hill between two periods or push the stack above 100 %. The stack is
summed here from the shares the Corpus gives (never by Vega-Lite, whose stacking fills missing values with 0):
a period with no documents has no share, and the chart leaves it empty, shaded as a gap, with a tooltip saying so.

Under the bands lies a grid of invisible cells, one per period and series, each exactly the step it covers: the
pointer is always over the cell of the band it sees, so hovering names that band's counts and a click selects that
(period, series), which is then outlined.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import altair as alt
import numpy as np
import pandas as pd

from .. import schema as s
from ..timeline.intervals import wilson_interval
from .colours import (
    HIGHLIGHT,
    OTHER_KEY,
    SOURCE_TYPE_COLOURS,
    actor_colours,
    colour_scale,
    series_colours,
    theme_colours,
)
from .events import event_layers, strip_offset
from .layout import PLOT_HEIGHT, granularity_of, legend, period_end, share_axis, sized, time_axis
from .tooltips import with_share_words

PICK = "pick"  # the name of the selection the app reads


def stack_table(table: pd.DataFrame, key: str, label: str, order: Sequence[Hashable], measure: str = s.SHARE,
                granularity: str | None = None, count: str = s.COUNT, total: str = s.TOTAL,
                share: str = s.SHARE, unit: str = "documents") -> pd.DataFrame:
    """One row per period and series (in `order`, bottom first) with y0/y1, the band's bottom and top: the sum of
    the shares (or counts) of the series below it. A period whose share is missing (no documents) or whose total
    is 0 is a gap: y0/y1 NaN for every series. Adds period_end, gap and the tooltip words."""
    granularity = granularity or granularity_of(table[s.PERIOD])
    rank = {k: i for i, k in enumerate(order)}
    data = table[table[key].isin(rank)].copy()
    data[s.PERIOD] = pd.to_datetime(data[s.PERIOD])
    data["stack_rank"] = data[key].map(rank)
    data = data.sort_values([s.PERIOD, "stack_rank"], kind="stable", ignore_index=True)
    data["gap"] = data[share].isna() | (data[total].fillna(0) == 0)
    gap_period = data.groupby(s.PERIOD)["gap"].transform("all")
    value = (data[share] if measure == s.SHARE else data[count]).astype(float).where(~gap_period)
    data["value"] = value
    data["y1"] = value.fillna(0).groupby(data[s.PERIOD]).cumsum().where(~gap_period)
    data["y0"] = data["y1"] - value
    data["gap"] = gap_period
    data["period_end"] = period_end(data[s.PERIOD], granularity)
    data = with_share_words(data, granularity, count=count, total=total, share=share, unit=unit)
    data["series"] = data[label]
    return data


def _steps(cells: pd.DataFrame) -> pd.DataFrame:
    """The outline of each band as step points: a point at every period start and one at the end of every run of
    periods with documents; runs are separate segments, so a gap breaks the band."""
    rows = []
    for _, band in cells.groupby("stack_rank", sort=True):
        band = band.sort_values(s.PERIOD)
        run = (band["gap"] != band["gap"].shift()).cumsum()
        for segment, part in band[~band["gap"]].groupby(run[~band["gap"]]):
            points = part[[s.PERIOD, "y0", "y1", "series", "stack_rank"]].copy()
            end = points.iloc[[-1]].copy()
            end[s.PERIOD] = part["period_end"].iloc[-1]
            rows.append(pd.concat([points, end]).assign(segment=int(segment)))
    if not rows:
        return pd.DataFrame(columns=[s.PERIOD, "y0", "y1", "series", "stack_rank", "segment"])
    return pd.concat(rows, ignore_index=True)


def stacked_chart(table: pd.DataFrame, *, key: str, label: str, order: Sequence[Hashable],
                  colours: dict[Hashable, str], measure: str = s.SHARE, granularity: str | None = None,
                  events: pd.DataFrame | None = None, selectable: bool = True, title: str = "",
                  legend_title: str | None = None, count: str = s.COUNT, total: str = s.TOTAL, share: str = s.SHARE,
                  count_unit: str = "documents", height: int = PLOT_HEIGHT) -> alt.TopLevelMixin:
    """Stacked steps of each series' share (or count) per period, series in `order` from the bottom up, coloured
    by `colours` (key → colour); events in a strip below; a click selects a (period, `label`) (the selection
    `pick`)."""
    granularity = granularity or granularity_of(table[s.PERIOD])
    cells = stack_table(table, key, label, order, measure, granularity, count, total, share, count_unit)
    labels = [cells.loc[cells[key] == k, "series"].iloc[0] for k in order if (cells[key] == k).any()]
    keys = [k for k in order if (cells[key] == k).any()]
    colour = alt.Color("series:N", scale=colour_scale(colours, labels, keys), sort=labels,
                       legend=legend(legend_title, labels, **strip_offset(events)))
    x = alt.X(f"{s.PERIOD}:T", axis=time_axis(granularity))
    upper = 1.0 if measure == s.SHARE else float(np.nanmax(cells["y1"])) if cells["y1"].notna().any() else 1.0
    y_scale = alt.Scale(domain=[0, upper], nice=measure != s.SHARE, zero=True)
    y = alt.Y("y1:Q", scale=y_scale, axis=share_axis() if measure == s.SHARE else alt.Axis(title=count_unit,
                                                                                           format="d"))
    bands = alt.Chart(_steps(cells)).mark_area(interpolate="step-after", stroke="#FFFFFF", strokeWidth=0.6,
                                               strokeOpacity=0.9).encode(
        x=x, y=y, y2="y0:Q", color=colour, detail="segment:N", order=alt.Order("stack_rank:Q"))
    gaps = cells[cells["gap"]].drop_duplicates(s.PERIOD).assign(top=upper)
    tooltip = [alt.Tooltip("period_label:N", title="period"), alt.Tooltip("series:N", title=legend_title or "series"),
               alt.Tooltip("documents_text:N", title=count_unit),
               alt.Tooltip("share_text:N", title="share"), alt.Tooltip("interval_text:N", title="95 % interval"),
               alt.Tooltip("note:N", title="note")]
    shade = alt.Chart(gaps).mark_rect(color="#EFEFEF").encode(
        x=x, x2="period_end:T", y=alt.Y("top:Q", scale=y_scale), y2=alt.datum(0),
        tooltip=[alt.Tooltip("period_label:N", title="period"), alt.Tooltip("note:N", title="note")])
    thin = cells[~cells["gap"] & cells[s.THIN].fillna(False).astype(bool)] if s.THIN in cells else cells.iloc[:0]
    marks = alt.Chart(thin.drop_duplicates(s.PERIOD).assign(
        middle=lambda d: d[s.PERIOD] + (d["period_end"] - d[s.PERIOD]) / 2)).mark_point(
        shape="triangle-down", size=30, filled=True, color="#444444").encode(
        x=alt.X("middle:T"), y=alt.value(-7),
        tooltip=[alt.Tooltip("period_label:N", title="period"), alt.Tooltip("note:N", title="note")])
    layers: list[alt.Chart] = [shade, bands, marks]
    solid = cells[~cells["gap"]]
    pick = alt.selection_point(name=PICK, fields=[s.PERIOD, label], on="click", clear="dblclick",
                               toggle=False, empty=False)
    hit = alt.Chart(solid).mark_rect(fill="#000000", fillOpacity=0.001, strokeWidth=2.5).encode(
        x=x, x2="period_end:T", y=alt.Y("y1:Q", scale=y_scale), y2="y0:Q", tooltip=tooltip,
        stroke=alt.condition(pick, alt.value(HIGHLIGHT), alt.value("transparent")) if selectable
        else alt.value("transparent"))
    layers.append(hit.add_params(pick) if selectable else hit)
    if events is not None and not events.empty:
        span = (cells[s.PERIOD].min(), cells["period_end"].max())
        layers += event_layers(events[(pd.to_datetime(events[s.DATE]) >= span[0])
                                      & (pd.to_datetime(events[s.DATE]) < span[1])], height, span)
    return sized(alt.layer(*layers, title=title or alt.Undefined), height)


def theme_order(table: pd.DataFrame) -> list[int]:
    """Themes from the bottom of the stack up: the largest first, then 'Other themes', then the outliers."""
    sizes = table.groupby(s.TOPIC_ID)[s.COUNT].sum().sort_values(ascending=False, kind="stable")
    named = [int(t) for t in sizes.index if t not in (s.OTHER_TOPIC, s.OUTLIER_TOPIC)]
    return named + [t for t in (s.OTHER_TOPIC, s.OUTLIER_TOPIC) if t in sizes.index]


def themes_chart(table: pd.DataFrame, measure: str = s.SHARE, events: pd.DataFrame | None = None,
                 selectable: bool = True, title: str = "", granularity: str | None = None,
                 height: int = PLOT_HEIGHT) -> alt.TopLevelMixin:
    """Theme shares (or counts) per period from Corpus.theme_shares, stacked as steps; a click selects a
    (period, theme label) as the selection `pick` with fields period and label."""
    order = theme_order(table)
    return stacked_chart(table, key=s.TOPIC_ID, label=s.LABEL, order=order, colours=theme_colours(order),
                         measure=measure, granularity=granularity, events=events, selectable=selectable,
                         title=title, legend_title="theme", height=height)


def platform_table(table: pd.DataFrame) -> pd.DataFrame:
    """Corpus.platform_shares as stackable rows: each platform's mentions of all platform mentions in the period,
    and 'Other platforms' for the mentions of platforms not shown; no share where no platform is named."""
    if table.empty:
        return pd.DataFrame(columns=[s.PERIOD, s.CANONICAL_ID, s.CANONICAL_NAME, s.COUNT, s.TOTAL, s.SHARE,
                                     s.CI_LOW, s.CI_HIGH])
    rows = table.drop(columns=[s.COUNT, s.TOTAL], errors="ignore").rename(
        columns={"mentions": s.COUNT, "platform_total": s.TOTAL})[
        [s.PERIOD, s.CANONICAL_ID, s.CANONICAL_NAME, s.COUNT, s.TOTAL]]
    per_period = rows.groupby(s.PERIOD).agg(shown=(s.COUNT, "sum"), total=(s.TOTAL, "max")).reset_index()
    other = per_period.assign(**{s.CANONICAL_ID: OTHER_KEY, s.CANONICAL_NAME: "Other platforms",
                                 s.COUNT: per_period[s.TOTAL] - per_period["shown"]})
    if (other[s.COUNT] > 0).any():
        rows = pd.concat([rows, other[rows.columns]], ignore_index=True)
    k, n = rows[s.COUNT].to_numpy(dtype=float), rows[s.TOTAL].to_numpy(dtype=float)
    low, high = wilson_interval(k, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n > 0, k / np.where(n > 0, n, 1), np.nan)
    return rows.assign(**{s.SHARE: share, s.CI_LOW: np.where(n > 0, low, np.nan),
                          s.CI_HIGH: np.where(n > 0, high, np.nan)})


def platform_chart(table: pd.DataFrame, events: pd.DataFrame | None = None,
                   corpus_order: Sequence[str] | None = None, granularity: str | None = None,
                   title: str = "", height: int = PLOT_HEIGHT, selectable: bool = True) -> alt.TopLevelMixin:
    """The migration view: each platform's share of all platform mentions per period (Corpus.platform_shares),
    stacked as steps; platforms keep the colour `corpus_order` gives them (Corpus.actors' order); a click
    selects (period, canonical_name)."""
    rows = platform_table(table)
    sizes = rows.groupby(s.CANONICAL_ID)[s.COUNT].sum().sort_values(ascending=False, kind="stable")
    order = [k for k in sizes.index if k != OTHER_KEY] + ([OTHER_KEY] if OTHER_KEY in sizes.index else [])
    return stacked_chart(rows, key=s.CANONICAL_ID, label=s.CANONICAL_NAME, order=order,
                         colours=actor_colours(order, corpus_order), granularity=granularity, events=events,
                         selectable=selectable, title=title, legend_title="platform", count_unit="platform mentions",
                         height=height)


def volume_chart(volume: pd.DataFrame, by: str = s.SOURCE_TYPE, title: str = "", granularity: str | None = None,
                 height: int = 240) -> alt.TopLevelMixin:
    """Documents per period (Corpus.volume), stacked by `by` (source type: each its fixed colour)."""
    if volume.empty:
        return sized(alt.Chart(pd.DataFrame({s.PERIOD: []})).mark_point(), height)
    data = volume.assign(**{by: volume[by].fillna("unknown")})
    data[s.TOTAL] = data.groupby(s.PERIOD)[s.COUNT].transform("sum")
    data[s.SHARE] = (data[s.COUNT] / data[s.TOTAL].where(data[s.TOTAL] > 0)).astype(float)
    order = data.groupby(by)[s.COUNT].sum().sort_values(ascending=False, kind="stable").index.tolist()
    fixed = {v: SOURCE_TYPE_COLOURS[v] for v in order if v in SOURCE_TYPE_COLOURS}
    colours = {**series_colours({v: i for i, v in enumerate(order)}, fixed)}
    return stacked_chart(data.assign(series_label=data[by]), key=by, label="series_label", order=order,
                         colours=colours, measure=s.COUNT, granularity=granularity, selectable=False, title=title,
                         legend_title=by.replace("_", " "), height=height)
