"""The app draws our charts without Altair's schema checks (analytics/app/chart_draw.py): the spec it sends is the
one a checked chart gives, and the check is really skipped (an invalid chart goes through unchecked). That every
spec the pages send is valid Vega-Lite is checked in tests/test_app.py."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from analytics import charts
from analytics import schema as s
from analytics.app.chart_draw import unchecked


def _volume() -> pd.DataFrame:
    periods = pd.date_range("2016-01-01", periods=6, freq="MS")
    return pd.DataFrame({s.PERIOD: list(periods) * 2, s.SOURCE_TYPE: ["news"] * 6 + ["propaganda"] * 6,
                         s.COUNT: [5, 0, 7, 3, 9, 2, 1, 4, 0, 6, 2, 8]})


def test_an_unchecked_chart_gives_the_checked_spec():
    checked = charts.volume_chart(_volume(), granularity="month").to_dict()  # validated against the schema
    assert unchecked(charts.volume_chart(_volume(), granularity="month")).to_dict() == checked
    alt.vegalite.v6.schema.core.Root.validate(checked)


def test_the_schema_check_is_really_skipped():
    broken = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")
    broken["width"] = "wide"  # no such width in Vega-Lite
    with pytest.raises(alt.utils.schemapi.SchemaValidationError):
        broken.to_dict()
    assert unchecked(broken).to_dict()["width"] == "wide"
