"""What a reader clicked in a chart (Streamlit's selection state), as plain values."""

from __future__ import annotations

import pandas as pd


def selected_points(event: object, name: str = "pick") -> list[dict]:
    """The points a reader clicked in an Altair chart, as a list of dicts."""
    if not event:
        return []
    selection = event.get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    value = selection.get(name) if selection else None
    if not value:
        return []
    if isinstance(value, dict):  # some Streamlit versions: {field: [values]}
        keys = list(value)
        return [dict(zip(keys, vals, strict=False)) for vals in zip(*[value[k] for k in keys], strict=False)]
    return list(value)


def to_timestamp(value: object) -> pd.Timestamp:
    """A Vega-Lite time value (epoch ms or ISO string) as a Timestamp."""
    if isinstance(value, int | float):
        return pd.Timestamp(value, unit="ms")
    return pd.Timestamp(value)
