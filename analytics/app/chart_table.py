"""The keyboard route to a chart's documents: the numbers behind the chart in a compact table under it (a period
per row, a series per column); selecting a cell (arrow keys and space, or a click) lists the same documents as a
click on the chart would."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import pandas as pd
import streamlit as st

from .. import charts
from .. import schema as s
from .folding import folded


def numbers_table(table: pd.DataFrame, key: str, series: str, order: Sequence[Hashable] | None = None,
                  series_key: str | None = None, granularity: str | None = None, count: str = s.COUNT,
                  total: str = s.TOTAL, share: str = s.SHARE, what: str = "documents") -> dict | None:
    """Draw the table (in a folded section, made when opened) and return the selected cell as the chart's
    selection would give it: {period: first day, `series`: the column's label}; None when no cell is selected."""
    box = folded(f"The numbers behind this chart: a table (select a cell to list its {what})", f"{key}_open")
    if box is None:
        return None
    wide, periods = charts.compact_table(table, series, order, series_key, granularity, count, total, share)
    with box:
        st.caption("Each cell: the series' count of the period's total, and its share. '–': no documents in the "
                   "period. Move with the arrow keys; select a cell with the space bar or a click.")
        event = st.dataframe(wide, key=key, hide_index=True, width="stretch", height=min(36 + 35 * len(wide), 320),
                             on_select="rerun", selection_mode="single-cell",
                             column_config={"period": st.column_config.TextColumn("period", pinned=True)})
    cells = event.selection.cells if event and getattr(event, "selection", None) else []
    if not cells:
        return None
    row, column = cells[0]
    if column == "period" or row >= len(periods):
        return None
    return {s.PERIOD: pd.Timestamp(periods[row]), series: column}
