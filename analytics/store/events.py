"""Event annotations (dated, labelled) drawn on the timelines."""

from __future__ import annotations

import duckdb
import pandas as pd

from .connection import insert_frame, transaction


def replace_events(con: duckdb.DuckDBPyConnection, events: pd.DataFrame) -> int:
    """Replace the store's event annotations with these."""
    with transaction(con):
        con.execute("DELETE FROM events")
        return insert_frame(con, "events", events)


def events(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Event annotations, by date."""
    return con.execute("SELECT * FROM events ORDER BY date").df()
