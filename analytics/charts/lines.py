"""Lines over time: a share with its 95 % band (one theme, the outliers), and chosen actors' mentions or shares.

Every period with documents is a visible point; lines join only neighbouring periods that both have documents (a
period without documents breaks the line: it is a gap, not a zero), and they are straight, so they never swing
past the points. A series that is mostly empty (fewer than half of its periods with a count) is drawn as points
alone: a line between two isolated spikes would suggest a rise that nobody counted.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from .. import schema as s
from .colours import HIGHLIGHT, actor_colours, colour_scale, theme_colours
from .events import event_layers, strip_offset
from .layout import PLOT_HEIGHT, granularity_of, legend, period_end, share_axis, sized, time_axis
from .stacked import PICK
from .tooltips import with_share_words


def segments(frame: pd.DataFrame, series: str, value: str) -> pd.DataFrame:
    """The frame with `segment`: runs of neighbouring periods of one series whose `value` is present (a line is
    drawn per segment), and `sparse`: whether the series has a count in fewer than half of its periods."""
    out = frame.sort_values([series, s.PERIOD], kind="stable").copy()
    present = out[value].notna()
    starts = present & ~present.groupby(out[series]).shift(fill_value=False).astype(bool)
    out["segment"] = starts.groupby(out[series]).cumsum().where(present)
    counted = out[value].fillna(0) > 0
    out["sparse"] = counted.groupby(out[series]).transform("mean") < 0.5
    return out


def _upper(values: pd.Series, share: bool) -> float:
    top = float(np.nanmax(values)) if values.notna().any() else 1.0
    if not share:
        return max(top, 1.0)
    return float(min(1.0, np.ceil(max(top, 0.05) * 20) / 20))  # the next 5 %, never above 100 %


def line_layers(data: pd.DataFrame, x: alt.X, y_field: str, y_scale: alt.Scale, axis: alt.Axis,
                colour: alt.Color, tooltip: list, selectable: bool, pick_fields: Sequence[str]) -> list[alt.Chart]:
    """Lines per segment (dense series only), visible points (hollow where the period is thin), and a wider
    invisible target around each point that a click selects (then ringed)."""
    y = alt.Y(f"{y_field}:Q", scale=y_scale, axis=axis)
    drawn = data[data[y_field].notna()]
    lines = alt.Chart(drawn[~drawn["sparse"]]).mark_line(strokeWidth=2.2, interpolate="linear").encode(
        x=x, y=y, color=colour, detail="line_id:N")
    filled = alt.condition("datum.thin", alt.value(0), alt.value(1)) if s.THIN in drawn else alt.value(1)
    points = alt.Chart(drawn).mark_point(size=46, strokeWidth=1.8, filled=False).encode(
        x=x, y=y, color=colour, fill=colour, fillOpacity=filled, tooltip=tooltip)
    layers = [lines, points]
    if selectable:
        pick = alt.selection_point(name=PICK, fields=list(pick_fields), on="click", clear="dblclick",
                                   toggle=False, empty=False)
        layers.append(alt.Chart(drawn).mark_point(size=420, filled=True, strokeWidth=2.5).encode(
            x=x, y=y, tooltip=tooltip, fill=alt.value("#000000"), fillOpacity=alt.value(0.001),
            stroke=alt.condition(pick, alt.value(HIGHLIGHT), alt.value("transparent"))).add_params(pick))
    return layers


def share_with_band(table: pd.DataFrame, colour_field: str = s.LABEL, title: str = "",
                    granularity: str | None = None, events: pd.DataFrame | None = None,
                    height: int = PLOT_HEIGHT - 60, selectable: bool = False) -> alt.TopLevelMixin:
    """Each series' share per period (Corpus.theme_shares rows) with its 95 % Wilson band from the same (pooled)
    counts; themes keep their colours (by topic id when the table has one)."""
    granularity = granularity or granularity_of(table[s.PERIOD])
    data = with_share_words(table, granularity)
    data = segments(data, colour_field, s.SHARE)
    data["line_id"] = data[colour_field].astype(str) + "·" + data["segment"].astype(str)
    data[s.PERIOD] = pd.to_datetime(data[s.PERIOD])
    keys = (data.drop_duplicates(colour_field)[s.TOPIC_ID].astype(int).tolist() if s.TOPIC_ID in data
            else list(range(data[colour_field].nunique())))
    names = data.drop_duplicates(colour_field)[colour_field].tolist()
    colours = theme_colours(keys) if s.TOPIC_ID in data else {k: c for k, c in zip(
        keys, actor_colours([str(n) for n in names]).values(), strict=True)}
    colour = alt.Color(f"{colour_field}:N", scale=colour_scale(colours, names, keys),
                       legend=legend(None, names, **strip_offset(events)) if len(names) > 1 else None)
    upper = _upper(data[s.CI_HIGH], True)
    y_scale = alt.Scale(domain=[0, upper], nice=False, clamp=True)
    x = alt.X(f"{s.PERIOD}:T", axis=time_axis(granularity))
    tooltip = [alt.Tooltip("period_label:N", title="period"), alt.Tooltip(f"{colour_field}:N", title="series"),
               alt.Tooltip("documents_text:N", title="documents"), alt.Tooltip("share_text:N", title="share"),
               alt.Tooltip("interval_text:N", title="95 % interval"), alt.Tooltip("note:N", title="note")]
    band_data = data[data[s.SHARE].notna()]
    band = alt.Chart(band_data).mark_area(opacity=0.16, interpolate="linear").encode(
        x=x, y=alt.Y(f"{s.CI_LOW}:Q", scale=y_scale), y2=f"{s.CI_HIGH}:Q", color=colour, detail="line_id:N")
    layers = [band, *line_layers(data, x, s.SHARE, y_scale, share_axis(upper), colour, tooltip, selectable,
                                 [s.PERIOD, colour_field])]
    if events is not None and not events.empty:
        span = (data[s.PERIOD].min(), period_end(data[s.PERIOD], granularity).max())
        layers += event_layers(events, height, span)
    return sized(alt.layer(*layers, title=title or alt.Undefined), height)


def actors_chart(counts: pd.DataFrame, measure: str = "mentions", title: str = "",
                 corpus_order: Sequence[str] | None = None, granularity: str | None = None,
                 events: pd.DataFrame | None = None, height: int = PLOT_HEIGHT) -> alt.TopLevelMixin:
    """Chosen actors' mentions (or document share) per period (Corpus.actor_counts rows), one colour per actor
    from `corpus_order` (Corpus.actors' order); a click selects (period, canonical_id)."""
    granularity = granularity or granularity_of(counts[s.PERIOD]) if len(counts) else "quarter"
    data = with_share_words(counts.rename(columns={"documents": s.COUNT}), granularity)
    data = data.rename(columns={s.COUNT: "documents"})
    gap = data[s.SHARE].isna()
    value = s.SHARE if measure == s.SHARE else "mentions"
    data["plotted"] = data[value].astype(float).where(~gap)
    data = segments(data, s.CANONICAL_ID, "plotted")
    data["line_id"] = data[s.CANONICAL_ID].astype(str) + "·" + data["segment"].astype(str)
    data["mentions_text"] = [("–" if g else f"{int(m):,}") for m, g in zip(data["mentions"], gap, strict=True)]
    data[s.PERIOD] = pd.to_datetime(data[s.PERIOD])
    order = data.groupby(s.CANONICAL_ID)["mentions"].sum().sort_values(ascending=False, kind="stable").index.tolist()
    names = [data.loc[data[s.CANONICAL_ID] == a, s.CANONICAL_NAME].iloc[0] for a in order]
    colour = alt.Color(f"{s.CANONICAL_NAME}:N", scale=colour_scale(actor_colours(order, corpus_order), names, order),
                       sort=names, legend=legend("actor", names, **strip_offset(events if len(data) else None)))
    share = measure == s.SHARE
    upper = _upper(data["plotted"], share)
    y_scale = alt.Scale(domain=[0, upper], nice=not share, clamp=share)
    axis = share_axis(upper) if share else alt.Axis(title="mentions", format="d", tickMinStep=1)
    tooltip = [alt.Tooltip("period_label:N", title="period"), alt.Tooltip(f"{s.CANONICAL_NAME}:N", title="actor"),
               alt.Tooltip("mentions_text:N", title="mentions"),
               alt.Tooltip("documents_text:N", title="documents naming it"),
               alt.Tooltip("share_text:N", title="share of documents"),
               alt.Tooltip("interval_text:N", title="95 % interval"), alt.Tooltip("note:N", title="note")]
    x = alt.X(f"{s.PERIOD}:T", axis=time_axis(granularity))
    layers = line_layers(data, x, "plotted", y_scale, axis, colour, tooltip, True, [s.PERIOD, s.CANONICAL_ID])
    if events is not None and not events.empty and len(data):
        span = (data[s.PERIOD].min(), period_end(data[s.PERIOD], granularity).max())
        layers += event_layers(events, height, span)
    return sized(alt.layer(*layers, title=title or alt.Undefined), height)
