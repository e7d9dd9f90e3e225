"""What the app's pages share, made ready once per server process, in a background thread started by the first run.

Every page's sidebar asks the corpus for its filter choices (sources, source types, languages, the actors most
named): the same for every page and session of a store version, and cached so; at 100,000 documents asking them
takes a few tenths of a second, which the first page a reader opens no longer pays when it comes after the first
run (they are asked here, after the imports, for the corpus that run showed).

A page with a chart needs the chart library: importing Altair (and jsonschema, which it loads) and its first chart
(Altair indexes every class of the Vega-Lite schema the first time it wraps an encoding) cost about a second of
CPU on this project's test machine whatever the corpus, paid by whichever page is drawn first with a chart. The
first run of a server draws the page the reader opened; meanwhile this thread imports the pages' modules and
draws one small chart, so the reader's next page finds them ready. A page that needs them sooner simply waits for
the import (Python's import lock), as it would have without this thread.

Nothing else of a corpus is read here: each page's own numbers are counted when it asks for them.
"""

from __future__ import annotations

import importlib
import threading
from pathlib import Path

import pandas as pd

# The modules the pages import beyond the frame's own (the chart library first: the largest).
PAGE_MODULES = ("analytics.charts", "analytics.app.chart_draw", "analytics.app.export",
                "analytics.app.findings_view", "analytics.app.sidebar", "analytics.app.chart_table",
                "analytics.app.reading", "analytics.app.kwic", "analytics.app.selection", "analytics.app.edit_flow",
                "analytics.app.tables", "analytics.charts_amplification")

_STARTED = threading.Event()
_LOCK = threading.Lock()
_DONE = threading.Event()
DONE_STEPS: list[str] = []  # what the warm-up has made ready, in order (for the tests and a curious reader)


def start(db: Path) -> None:
    """Start the warm-up once per process (later calls return at once); `db`: the store of the corpus shown."""
    with _LOCK:
        if _STARTED.is_set():
            return
        _STARTED.set()
    threading.Thread(target=_warm, args=(db,), name="app-warm-up", daemon=True).start()


def wait(timeout: float | None = None) -> bool:
    """Whether the warm-up has finished (waiting up to `timeout` seconds for it)."""
    return _DONE.wait(timeout)


def _warm(db: Path) -> None:
    try:
        for name in PAGE_MODULES:
            importlib.import_module(name)
        DONE_STEPS.append("modules")
        from .. import charts
        from .. import schema as s

        periods = pd.date_range("2020-01-01", periods=3, freq="MS")
        volume = pd.DataFrame({s.PERIOD: periods, s.SOURCE_TYPE: ["news"] * 3, s.COUNT: [1, 2, 3]})
        charts.volume_chart(volume, granularity="month").to_dict(validate=False)
        DONE_STEPS.append("chart")
        if _sidebar_choices(db):
            DONE_STEPS.append("sidebar")
    except Exception:  # noqa: BLE001 - a warm-up that fails costs only time: the page imports and draws as before
        pass
    finally:
        _DONE.set()


def _sidebar_choices(db: Path) -> bool:
    """The sidebar's questions asked through the pages' cache (CachedCorpus), for a corpus with documents and no
    analysis running (else the pages say so, and ask nothing); whether they were asked."""
    from .. import jobs
    from .sidebar import actor_choices
    from .state import CachedCorpus

    if not db.exists() or jobs.state(db).running:
        return False
    corpus = CachedCorpus.open(db)
    if not corpus.counts()["documents"]:
        return False
    corpus.filter_options()
    actor_choices(corpus)
    return True
