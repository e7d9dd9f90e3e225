"""The fixed layout every chart shares: the plot first, at a set height; the events in a strip below the x axis; the
legend under them in rows that follow the chart's width (below, so that on a phone's first screen the plot comes
before a long list of names); the width of its column.

Vega-Lite sizes the plot, not the whole figure, when a chart is autosized with "fit-x": the width follows the
column (the plot shrinks for the axis labels) while the height stays the plot's own, so a legend or an event strip
adds to the figure's height instead of taking it from the plot. Charts are drawn as SVG in the browser, so each
part (plot, legend, strip) can be measured there.
"""

from __future__ import annotations

import json
import textwrap

import altair as alt
import pandas as pd

PLOT_HEIGHT = 320  # the plot area of a time chart, in pixels; never less than MIN_PLOT_HEIGHT
MIN_PLOT_HEIGHT = 220
FONT = "Source Sans Pro, DejaVu Sans, Helvetica, Arial, sans-serif"
TEXT = "#222222"
MUTED = "#555555"
TITLE_PX = 8.6  # the width of a character of a chart's title (15 px, bold)
TITLE_LINE_CHARS = 30  # a title's lines where the plot is narrow (a phone's column holds about 34 characters)
LABEL_PX = 6.7  # the width of a character of a legend label (12 px font), to give each column room for its labels


def legend(title: str | None, labels: list[str] | None = None, offset: int = 18) -> alt.Legend:
    """A legend below the plot (and its event strip), in as many rows as its entries need, every entry listed (none
    dropped): as many columns as the plot's width has room for with the longest label whole (one or two on a
    phone, at most four). `offset`: pixels between the x axis and the legend (an event strip's height when the chart
    has one)."""
    longest = max((len(str(label)) for label in labels or []), default=24)
    column = int(longest * LABEL_PX + 40)  # symbol, gap and padding included
    columns = f"clamp(floor(width / {column}), 1, 4)"
    return alt.Legend(title=title, orient="bottom", offset=offset, direction="horizontal", columns=alt.ExprRef(columns),
                      labelLimit=alt.ExprRef(f"max(100, width / {columns} - 34)"), symbolLimit=0,
                      symbolType="square", symbolSize=140, labelFontSize=12, titleFontSize=12, columnPadding=14,
                      rowPadding=5, titleAnchor="start")


def fitted_title(title: str) -> alt.TitleParams:
    """A chart's title on one line where the plot is wide enough for it, else in lines of a phone's width (a
    title is never cut)."""
    lines = textwrap.wrap(title, TITLE_LINE_CHARS)
    if len(lines) < 2:
        return alt.TitleParams(text=title, offset=10)
    return alt.TitleParams(text=alt.ExprRef(f"width < {int(len(title) * TITLE_PX)} ? {json.dumps(lines)} : "
                                            f"{json.dumps(title)}"), offset=10)


def sized(chart: alt.TopLevelMixin, height: int = PLOT_HEIGHT, minimum: int = MIN_PLOT_HEIGHT) -> alt.TopLevelMixin:
    """The chart with its plot `height` (at least `minimum`) and the width of its column, drawn as SVG, in the
    house style."""
    title = {"title": fitted_title(chart.title)} if isinstance(chart.title, str) else {}
    return styled(chart.properties(
        **title, width="container", height=max(int(height), minimum),
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding", resize=True),
        usermeta={"embedOptions": {"renderer": "svg", "actions": False}},
    ))


def house_config() -> alt.Config:
    """The house style: fonts, greys, light grid, titles at the left."""
    return alt.Config(
        font=FONT,
        axis=alt.AxisConfig(labelFontSize=11, titleFontSize=12, labelColor=TEXT, titleColor=TEXT,
                            gridColor="#E6E6E6", domainColor="#888888", tickColor="#888888"),
        legend=alt.LegendConfig(labelColor=TEXT, titleColor=TEXT),
        title=alt.TitleConfig(anchor="start", fontSize=15, subtitleFontSize=12, subtitleColor=MUTED, color=TEXT),
        view=alt.ViewConfig(stroke=None),
    )


def styled(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart in the house style (any config it had is replaced). One copy of the chart, not one per part of
    the style as Altair's `configure_*` calls make: each copy of a layered chart deep-copies every layer, which
    cost a tenth of a second a chart."""
    chart = chart.copy(deep=False)
    chart.config = house_config()
    return chart


def granularity_of(periods: pd.Series) -> str:
    """The granularity of a series of period starts (the smallest step between two of them)."""
    dates = pd.Series(pd.to_datetime(periods)).drop_duplicates().sort_values()
    if len(dates) < 2:
        return "month"
    step = dates.diff().dropna().min()
    if step >= pd.Timedelta(days=360):
        return "year"
    if step >= pd.Timedelta(days=89):
        return "quarter"
    if step >= pd.Timedelta(days=28):
        return "month"
    return "week" if step >= pd.Timedelta(days=7) else "day"


def period_end(periods: pd.Series, granularity: str) -> pd.Series:
    """The first day after each period (where its bar or step ends)."""
    start = pd.to_datetime(periods)
    offsets = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1), "month": pd.DateOffset(months=1),
               "quarter": pd.DateOffset(months=3), "year": pd.DateOffset(years=1)}
    return start + offsets[granularity]


def time_axis(granularity: str, title: str | None = None) -> alt.Axis:
    """An x axis whose ticks are the periods' own unit: years as years, never months on a yearly chart."""
    if granularity == "year":
        return alt.Axis(title=title, format="%Y", tickCount={"interval": "year", "step": 1}, labelOverlap=True,
                        grid=False)
    if granularity == "quarter":  # a year at its start, other quarters as 'Q3 2016' (never a month without its year)
        return alt.Axis(title=title, labelOverlap=True, grid=False, labelFlush=True, tickMinStep=89 * 86_400_000,
                        labelExpr="date(datum.value) != 1 || month(datum.value) % 3 != 0 ? '' : "
                                  "month(datum.value) == 0 ? '' + year(datum.value) : "
                                  "'Q' + quarter(datum.value) + ' ' + year(datum.value)")
    days = {"day": 1, "week": 7, "month": 28}.get(granularity, 1)
    # never a tick finer than the period (no weeks under one quarter's step): the step is in milliseconds
    return alt.Axis(title=title, labelOverlap=True, grid=False, labelFlush=True, tickMinStep=days * 86_400_000)


def share_axis(upper: float = 1.0) -> alt.Axis:
    """A y axis of shares in per cent."""
    return alt.Axis(format="%", title=None, tickCount=5 if upper >= 0.5 else 4)


def columns_of(frame: pd.DataFrame, *names: str) -> list[str]:
    """The names among `names` that are columns of `frame` (tooltips list only what the data holds)."""
    return [n for n in names if n in frame.columns]

