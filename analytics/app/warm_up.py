"""What the app's pages share, made ready once per server process, in a background thread started by the first run.

A page with a chart needs the chart library: importing Altair (and jsonschema, which it loads) and its first chart
(Altair indexes every class of the Vega-Lite schema the first time it wraps an encoding) cost about a second of
CPU at 100,000 documents on this project's test machine, paid by whichever page is drawn first with a chart. The
first run of a server draws the page the reader opened; meanwhile this thread imports the pages' modules and
draws one small chart, so the reader's next page finds them ready. A page that needs them sooner simply waits for
the import (Python's import lock), as it would have without this thread.

Nothing of a corpus is read here: the pages' numbers are counted when a page asks for them.
"""

from __future__ import annotations

import importlib
import threading

import pandas as pd

# The modules the pages import beyond the frame's own (the chart library first: the largest).
PAGE_MODULES = ("analytics.charts", "analytics.app.chart_draw", "analytics.app.export",
                "analytics.app.findings_view", "analytics.app.sidebar", "analytics.app.chart_table",
                "analytics.app.reading", "analytics.app.kwic", "analytics.app.selection", "analytics.app.edit_flow",
                "analytics.app.tables", "analytics.charts_amplification")

_STARTED = threading.Event()
_LOCK = threading.Lock()
_DONE = threading.Event()


def start() -> None:
    """Start the warm-up once per process (later calls return at once)."""
    with _LOCK:
        if _STARTED.is_set():
            return
        _STARTED.set()
    threading.Thread(target=_warm, name="app-warm-up", daemon=True).start()


def wait(timeout: float | None = None) -> bool:
    """Whether the warm-up has finished (waiting up to `timeout` seconds for it)."""
    return _DONE.wait(timeout)


def _warm() -> None:
    try:
        for name in PAGE_MODULES:
            importlib.import_module(name)
        from .. import charts
        from .. import schema as s

        periods = pd.date_range("2020-01-01", periods=3, freq="MS")
        volume = pd.DataFrame({s.PERIOD: periods, s.SOURCE_TYPE: ["news"] * 3, s.COUNT: [1, 2, 3]})
        charts.volume_chart(volume, granularity="month").to_dict(validate=False)
    except Exception:  # noqa: BLE001 - a warm-up that fails costs only time: the page imports and draws as before
        pass
    finally:
        _DONE.set()
