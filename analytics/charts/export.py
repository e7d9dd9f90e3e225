"""A chart as a figure to publish: its title, a subtitle with the filters and the counts, a source line ("Data: …,
N documents; made with Narrative Timeline") and the date written into the image, at a fixed width; PNG at print
resolution (300 pixels per inch) and SVG, rendered offline by vl-convert."""

from __future__ import annotations

import copy
import datetime as dt
import textwrap
from dataclasses import dataclass

import altair as alt
import pandas as pd

from ..filters import Filters
from .layout import FONT, MUTED, TEXT, styled

EXPORT_WIDTH = 860  # the figure's plot width in the image, in CSS pixels
PNG_SCALE = 3.0  # 860 px of plot → about 2,900 pixels across the whole figure
PNG_PPI = 300  # so the PNG prints about 24 cm wide at 300 pixels per inch
TOOL = "Narrative Timeline"


@dataclass(frozen=True)
class Caption:
    """The words a published figure carries: title, subtitle (filters and counts), source line, date."""

    title: str
    subtitle: str
    source: str
    date: dt.date

    @property
    def footer(self) -> str:
        """The source line and the date, as printed under the figure."""
        return f"{self.source} · {self.date.day} {self.date:%B %Y}"


def filters_in_words(filters: Filters | None, granularity: str | None = None,
                     actor_names: dict[str, str] | None = None) -> str:
    """The filters as a reader would say them: 'news and statement sources, 2015-01-01 to 2016-12-31, naming
    Telegram; by quarter'. 'All dated documents' when nothing is filtered."""
    f = filters or Filters()
    parts = []
    if f.start or f.end:
        first, last = f.start.isoformat() if f.start else "the start", f.end.isoformat() if f.end else "the end"
        parts.append(f"{first} to {last}")
    if f.source_types:
        parts.append(f"{' and '.join(f.source_types)} sources")
    if f.sources:
        shown = ", ".join(f.sources[:4]) + (f" and {len(f.sources) - 4} more" if len(f.sources) > 4 else "")
        parts.append(f"from {shown}")
    if f.languages:
        parts.append(f"in {', '.join(f.languages)}")
    if f.actor:
        parts.append(f"naming {(actor_names or {}).get(f.actor, f.actor)}")
    if f.themes:
        parts.append(f"{len(f.themes)} chosen theme(s)")
    text = ", ".join(parts) if parts else "all dated documents"
    return text + (f"; by {granularity}" if granularity else "")


def caption(title: str, corpus_name: str, documents: int, filters: Filters | None = None,
            granularity: str | None = None, extra: str = "", date: dt.date | None = None,
            actor_names: dict[str, str] | None = None) -> Caption:
    """The caption of a figure of `documents` documents (under the filters) of the corpus `corpus_name`."""
    subtitle = f"{documents:,} documents: {filters_in_words(filters, granularity, actor_names)}"
    if extra:
        subtitle += f". {extra}"
    return Caption(title=title, subtitle=subtitle,
                   source=f"Data: {corpus_name}, {documents:,} documents; made with {TOOL}",
                   date=date or dt.datetime.now(dt.UTC).date())


def publication_chart(chart: alt.TopLevelMixin, words: Caption, width: int = EXPORT_WIDTH) -> alt.VConcatChart:
    """The chart at a fixed plot width with the caption written in: title and subtitle above, source line and
    date below."""
    inner = copy.deepcopy(chart)
    for attribute in ("config", "autosize", "usermeta", "title"):
        setattr(inner, attribute, alt.Undefined)
    inner = inner.properties(width=width)
    footer = alt.Chart(pd.DataFrame({"line": [words.footer]})).mark_text(
        align="left", baseline="top", fontSize=11, color=MUTED, font=FONT).encode(
        text="line:N", x=alt.value(0), y=alt.value(4)).properties(width=width, height=18)
    figure = alt.vconcat(inner, footer, spacing=10, title=alt.TitleParams(
        text=words.title, subtitle=textwrap.wrap(words.subtitle, 110) or alt.Undefined, anchor="start",
        fontSize=18, subtitleFontSize=13, color=TEXT, subtitleColor=MUTED, offset=12, font=FONT,
    )).properties(padding={"left": 16, "right": 24, "top": 16, "bottom": 14}, background="#FFFFFF")
    return styled(figure)


def with_inline_data(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with every table written into it as values. Altair turns tables into data through a data
    transformer that is global to the process, and a Streamlit app swaps in its own while it draws a chart on
    another thread: an export made then would lose its data. Values written in are never transformed."""
    chart = copy.deepcopy(chart)
    stack = [chart]
    while stack:
        part = stack.pop()
        if isinstance(getattr(part, "data", None), pd.DataFrame):
            part.data = alt.InlineData(values=alt.to_values(part.data)["values"])
        for children in ("layer", "vconcat", "hconcat", "concat"):
            stack.extend(c for c in (getattr(part, children, None) or []) if c is not alt.Undefined)
    return chart


def export_bytes(chart: alt.TopLevelMixin, fmt: str, scale: float = PNG_SCALE, words: Caption | None = None,
                 width: int = EXPORT_WIDTH) -> bytes:
    """PNG (at print resolution) or SVG of a chart, with its caption written in when `words` are given (otherwise
    the chart alone at `width`)."""
    import vl_convert as vlc

    if words is not None:
        figure = publication_chart(chart, words, width)
    else:
        figure = copy.deepcopy(chart)
        for attribute in ("autosize", "usermeta"):
            setattr(figure, attribute, alt.Undefined)
        figure = figure.properties(width=width)
    spec = with_inline_data(figure).to_dict()
    if fmt == "svg":
        return vlc.vegalite_to_svg(spec).encode("utf-8")
    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=scale, ppi=PNG_PPI)
    raise ValueError(f"unknown export format {fmt!r}: use png or svg")
