"""Drawing a chart of `analytics.charts` on a page without Altair checking its spec against the Vega-Lite schema.

Altair checks a chart against the Vega-Lite JSON schema twice: each part as it is built (its "debug mode") and the
whole spec again when Streamlit turns it into the spec it sends. At 100,000 documents the checks took 0.2–0.6 s of a
page's run (three charts on the Actors page). Our charts are built by our code, the same for every corpus; their
specs are checked against the schema by the tests (tests/test_charts.py, tests/test_chart_draw.py), so the app skips
the checks: the spec sent to the browser is the same, only not checked again.
"""

from __future__ import annotations

import functools
from typing import Any

import altair as alt
import streamlit as st

# Each part of a chart is no longer checked as it is built, in the process that imports this module (the app's
# server; the pages import it before they build a chart). The whole spec is still checked by every test that calls
# `to_dict()`.
alt.utils.schemapi.disable_debug_mode()


def unchecked(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The same chart, whose spec (`to_dict`) is no longer checked against the schema when Streamlit asks for it.
    Exports made from it later are not checked again either: the same spec."""
    # An attribute of this object only: Altair's own `to_dict` with validate=False (SchemaBase routes ordinary
    # attribute writes into the spec, hence object.__setattr__).
    object.__setattr__(chart, "to_dict", functools.partial(type(chart).to_dict, chart, validate=False))
    return chart


def draw_chart(chart: alt.TopLevelMixin, slot: Any = None, **options: Any) -> Any:
    """`st.altair_chart` (or `slot.altair_chart`: a container, a column, an st.empty) of a chart of ours, unchecked;
    its return value (a selection event when `on_select` is given)."""
    return (slot or st).altair_chart(unchecked(chart), **options)
