"""The findings of a (store version, granularity, filters), tested once in a background thread and shared by every
page and session of this process, so a page can draw everything else while they are tested.

At 100,000 documents the findings of a new set of filters take many seconds (thousands of tests); a page that
waited for them would not answer a click meanwhile (Streamlit stops a script only between its own calls). So a
page asks `ready(...)`, which waits a moment (`wait_for`: long enough for a small corpus, whose findings then show
at once; hardly at all for a large one) and else returns None: the page says the tests are running and asks again
every second until they are done (`findings_view`). The answer is `Corpus.findings` itself, computed once: no
second implementation.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from .. import timeline
from ..config import setting
from ..corpus import Corpus
from ..corpus.findings import Findings
from ..filters import Filters

# How long a page waits for its findings before drawing on (and showing them when they are done): on a small
# corpus they take well under a second, so the page waits and shows them at once; on a large one they take many
# seconds (their lead/lag tests grow with the subjects and source types, not only the documents), so it does not
# wait: on the 100,000-document benchmark corpus they took 2.5 s more than the page with one source type picked and
# 17 s more unfiltered (quiet machine), so the 0.3 s a page used to wait only delayed it.
SMALL = 5_000  # documents under the filters
WAIT_SMALL = 3.0  # seconds
WAIT_LARGE = 0.0
KEPT = 8  # sets of findings kept (at 100k documents about 50 MB each, mostly the ids of the documents behind them)
RETRIES = 6  # opens of a store another process writes (as the app's other questions)

_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="findings")
_FUTURES: OrderedDict[tuple, Future] = OrderedDict()
_LOCK = threading.Lock()


def wait_for(documents: int) -> float:
    """Seconds a page waits for the findings of this many documents (under its filters)."""
    return WAIT_SMALL if documents <= SMALL else WAIT_LARGE


def _key(path: Path, stamp: str, granularity: str | None, filters: Filters | None) -> tuple:
    return (str(path), stamp, timeline.check_granularity(granularity or str(setting("granularity"))),
            filters or Filters())


def _test(path: Path, granularity: str, filters: Filters) -> Findings:
    corpus = Corpus(path)
    corpus.retries = RETRIES
    return corpus.findings(granularity, filters)


def future(path: Path, stamp: str, granularity: str | None, filters: Filters | None) -> Future:
    """The findings being tested (or tested) for this store version, granularity and filters; started if new. A
    set whose tests failed is started again (a failure is raised to the page that waits for it)."""
    key = _key(path, stamp, granularity, filters)
    with _LOCK:
        found = _FUTURES.get(key)
        if found is None or (found.done() and found.exception() is not None):
            found = _POOL.submit(_test, Path(key[0]), key[2], key[3])
            _FUTURES[key] = found
            while len(_FUTURES) > KEPT:
                _FUTURES.popitem(last=False)
        _FUTURES.move_to_end(key)
    return found


def ready(path: Path, stamp: str, granularity: str | None, filters: Filters | None,
          wait_until: float | None = None) -> Findings | None:
    """The findings if they are done by `wait_until` (a time.monotonic() value; default: now), else None. A
    failure of the tests is raised here."""
    pending = future(path, stamp, granularity, filters)
    try:
        return pending.result(timeout=max(0.0, (wait_until or 0.0) - time.monotonic()))
    except FutureTimeout:
        return None


def result(path: Path, stamp: str, granularity: str | None, filters: Filters | None) -> Findings:
    """The findings, waiting for them as long as they take."""
    return future(path, stamp, granularity, filters).result()


def forget() -> None:
    """Drop every kept set (after an edit or an analysis; their store versions are old anyway)."""
    with _LOCK:
        _FUTURES.clear()
