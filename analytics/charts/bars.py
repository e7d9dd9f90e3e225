"""Small bar charts: a theme's top words, and the correlation at each lag between two series."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .colours import PALETTE
from .layout import sized


def topic_words_chart(words: list[tuple[str, float]], title: str = "") -> alt.TopLevelMixin:
    """A theme's words and their c-TF-IDF weights: every word labelled, bars from zero so their lengths compare."""
    data = pd.DataFrame(words, columns=["word", "weight"])
    bars = alt.Chart(data).mark_bar(color=PALETTE[0]).encode(
        x=alt.X("weight:Q", title="how distinctive of the theme (c-TF-IDF weight)", scale=alt.Scale(zero=True),
                axis=alt.Axis(format=".2f", tickCount=4)),
        y=alt.Y("word:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220, labelOverlap=False)),
        tooltip=["word:N", alt.Tooltip("weight:Q", format=".3f")],
    )
    return sized(alt.layer(bars, title=title or alt.Undefined), max(120, 24 * len(data)))


def lead_lag_chart(result: dict, x_name: str, y_name: str) -> alt.TopLevelMixin:
    """Correlation at each lag; a positive lag means the second series follows the first."""
    data = pd.DataFrame({"lag": result["lags"], "r": result["correlations"]})
    data["best"] = data["lag"] == result["best_lag"]
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("lag:O", title=f"lag in periods (positive: {x_name} first)", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("r:Q", title="correlation", scale=alt.Scale(domain=[-1, 1])),
        color=alt.condition("datum.best", alt.value(PALETTE[1]), alt.value(PALETTE[0])),
        tooltip=["lag:O", alt.Tooltip("r:Q", format=".2f", title="correlation")],
    )
    return sized(alt.layer(bars, title=f"Does {y_name} follow {x_name}?"), 220)
