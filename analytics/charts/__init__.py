"""Chart builders: a Corpus table in, an `alt.Chart` out — no Streamlit and no file I/O here (exports return
bytes). The app, the report and a notebook draw with the same builders.

Cut by concern: `layout` (the fixed layout and house style every chart shares), `colours` (the palette and the
stable colour of each theme, actor and platform), `tooltips` (the words on hover), `events` (the strip of events
below a time chart), `stacked` (stacked shares and counts over time), `lines` (shares with their band, actors),
`bars`, `heatmap`, `network`, `tables` (the numbers behind a chart, for the table under it and the data file),
`export` (a figure to publish: caption, PNG at print resolution, SVG) and `bundle` (the ZIP of a figure).
"""

from __future__ import annotations

import altair as alt

from .. import schema as s
from .bars import lead_lag_chart, topic_words_chart
from .bundle import csv_bytes, figure_zip, methods_in_words, slug
from .colours import (
    OTHER_GREY,
    PALETTE,
    SOURCE_TYPE_COLOURS,
    UNASSIGNED_GREY,
    actor_colours,
    contrast_ratio,
    series_colours,
    theme_colours,
)
from .events import event_layers, place_labels
from .export import Caption, caption, export_bytes, filters_in_words, publication_chart
from .heatmap import heatmap
from .layout import MIN_PLOT_HEIGHT, PLOT_HEIGHT
from .lines import actors_chart, share_with_band
from .network import network_chart
from .stacked import PICK, platform_chart, platform_table, stack_table, theme_order, themes_chart, volume_chart
from .tables import compact_table, readable_data

OUTLIER_LABEL = s.OUTLIER_LABEL

alt.data_transformers.disable_max_rows()

__all__ = [
    "MIN_PLOT_HEIGHT",
    "OTHER_GREY",
    "OUTLIER_LABEL",
    "PALETTE",
    "PICK",
    "PLOT_HEIGHT",
    "SOURCE_TYPE_COLOURS",
    "UNASSIGNED_GREY",
    "Caption",
    "actor_colours",
    "actors_chart",
    "caption",
    "compact_table",
    "contrast_ratio",
    "csv_bytes",
    "event_layers",
    "export_bytes",
    "figure_zip",
    "filters_in_words",
    "heatmap",
    "lead_lag_chart",
    "methods_in_words",
    "network_chart",
    "place_labels",
    "platform_chart",
    "platform_table",
    "publication_chart",
    "readable_data",
    "series_colours",
    "share_with_band",
    "slug",
    "stack_table",
    "theme_colours",
    "theme_order",
    "themes_chart",
    "topic_words_chart",
    "volume_chart",
]
