"""Which sources carry which themes: a source × theme grid coloured by how far each count is from what the source's
size and the theme's size predict.

Every source gets a row tall enough for its name (none is dropped); theme names are cut to fit the column heads and
given whole in the tooltip; the legend says in words what the colours mean. The colour is the Pearson residual,
(observed − expected) / √expected, which the reader never has to know by that name.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from .. import schema as s
from .layout import sized

ROW_PX = 24  # the height of a source's row
THEME_CHARS = 24  # a theme's name in the column heads is cut to this many characters
SOURCE_PX = 200  # a source's name is cut to this many pixels (whole in the tooltip)
NARROW = "(containerSize()[0] > 0 && containerSize()[0] < 560)"  # a phone (an export has no container: wide)
WORDS = (f"datum.value < 0 ? ({NARROW} ? 'less' : 'less than its size predicts') : "
         f"({NARROW} ? 'more' : 'more than its size predicts')")


def heatmap(sov: pd.DataFrame, value: str = "residual", title: str = "") -> alt.TopLevelMixin:
    """Source × theme cells (Corpus.share_of_voice): colour by residual, the number of documents written in."""
    data = sov.rename(columns={s.LABEL: "theme"}).copy()
    if data.empty:
        return sized(alt.Chart(pd.DataFrame({"x": []})).mark_point(), 120)
    lim = float(np.nanmax(np.abs(data[value]))) or 1.0
    themes = data.groupby("theme", sort=False)[s.COUNT].sum()
    ids = data.drop_duplicates("theme").set_index("theme")[s.TOPIC_ID] if s.TOPIC_ID in data else pd.Series()
    last = [t for t in themes.index if ids.get(t) in (s.OTHER_TOPIC, s.OUTLIER_TOPIC)]
    theme_order = [t for t in themes.sort_values(ascending=False, kind="stable").index if t not in last] + last
    source_order = data.groupby("source")[s.COUNT].sum().sort_values(ascending=False, kind="stable").index.tolist()
    data["strong"] = data[value].abs() > 0.55 * lim
    data["documents_text"] = [f"{int(k):,} of the source's {int(n):,} ({100 * sh:.0f} %)" for k, n, sh in zip(
        data[s.COUNT], data["source_total"], data[s.SHARE], strict=True)]
    data["expected_text"] = [f"{e:.1f}" for e in data["expected"]]
    data["lift_text"] = [f"{v:.1f} times what its size predicts" for v in data["lift"]]
    base = alt.Chart(data).encode(
        x=alt.X("theme:N", sort=theme_order, title=None, axis=alt.Axis(
            orient="top", labelAngle=alt.ExprRef(f"{NARROW} ? -90 : -40"), labelAlign="left", labelBaseline="middle",
            labelExpr=f"truncate(datum.label, {NARROW} ? {THEME_CHARS - 6} : {THEME_CHARS})",
            labelOverlap=False, labelLimit=0, labelFontSize=11, ticks=False, domain=False)),
        y=alt.Y("source:N", sort=source_order, title=None, axis=alt.Axis(
            labelOverlap=False, labelLimit=alt.ExprRef(f"{NARROW} ? {SOURCE_PX // 2} : {SOURCE_PX}"),
            labelFontSize=11, ticks=False, domain=False)),
    )
    rect = base.mark_rect(stroke="#FFFFFF", strokeWidth=1).encode(
        color=alt.Color(f"{value}:Q", scale=alt.Scale(scheme="blueorange", domain=[-lim, lim]),
                        legend=alt.Legend(title="The source carries the theme", orient="bottom",
                                          direction="horizontal", values=[-lim, lim], labelExpr=WORDS,
                                          gradientLength=alt.ExprRef(f"{NARROW} ? 150 : 460"), labelLimit=200,
                                          titleLimit=400, labelOverlap=False)),
        tooltip=[alt.Tooltip("source:N"), alt.Tooltip("theme:N"), alt.Tooltip("documents_text:N", title="documents"),
                 alt.Tooltip("expected_text:N", title="expected from the sizes"),
                 alt.Tooltip("lift_text:N", title="that is")],
    )
    text = base.mark_text(fontSize=alt.ExprRef(f"{NARROW} ? 9 : 10")).encode(
        text=f"{s.COUNT}:Q", color=alt.condition("datum.strong", alt.value("#FFFFFF"), alt.value("#222222")))
    return sized(alt.layer(rect, text, title=title or alt.Undefined), ROW_PX * len(source_order), minimum=ROW_PX)
