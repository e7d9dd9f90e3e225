"""The findings of a (store version, granularity, filters), tested once in a background thread and shared by every
page and session of this process, so a page can draw everything else while they are tested.

At 100,000 documents the findings of a new set of filters take many seconds (thousands of tests); a page that
waited for them would not answer a click meanwhile (Streamlit stops a script only between its own calls). So a
page asks `ready(...)`, which waits a moment (`wait_for`: long enough for a small corpus, whose findings then show
at once; hardly at all for a large one) and else returns None: the page says the tests are running and asks again
every second until they are done (`findings_view`). The answer is `Corpus.findings` itself, computed once: no
second implementation.

Pages first: tests that no page waits for begin once no page of this process is running its script (`page_run`
marks each run; at most `HOLD` seconds later in any case). Python runs one thread at a time, so tests begun in the
middle of a page took much of it from the page: at 100k the Actors page's run took 5.4–6.5 s with its new
findings being tested beside it and 2.9–3.9 s without (load 15). A page (or an export) that waits for them lets
them begin at once.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
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

HOLD = 10.0  # seconds at most that tests no page waits for wait for the pages' runs to end

_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="findings")
_FUTURES: OrderedDict[tuple, Future] = OrderedDict()
_LOCK = threading.Lock()
_PAGES = threading.Condition()  # guards _running and _wanted
_running = 0  # page runs in progress in this process
_wanted: set[tuple] = set()  # keys whose findings a page (or an export) waits for: begun at once


def wait_for(documents: int) -> float:
    """Seconds a page waits for the findings of this many documents (under its filters)."""
    return WAIT_SMALL if documents <= SMALL else WAIT_LARGE


def _key(path: Path, stamp: str, granularity: str | None, filters: Filters | None) -> tuple:
    return (str(path), stamp, timeline.check_granularity(granularity or str(setting("granularity"))),
            filters or Filters())


@contextlib.contextmanager
def page_run() -> Iterator[None]:
    """Marks a page's script run: tests no page waits for begin after it (see the module's docstring)."""
    global _running
    with _PAGES:
        _running += 1
    try:
        yield
    finally:
        with _PAGES:
            _running -= 1
            _PAGES.notify_all()


def _want(key: tuple) -> None:
    """Someone waits for these findings: their tests begin at once."""
    with _PAGES:
        _wanted.add(key)
        _PAGES.notify_all()


def _test(path: Path, granularity: str, filters: Filters) -> Findings:
    corpus = Corpus(path)
    corpus.retries = RETRIES
    return corpus.findings(granularity, filters)


def _test_after_the_pages(key: tuple) -> Findings:
    with _PAGES:  # pages first: see the module's docstring
        _PAGES.wait_for(lambda: _running == 0 or key in _wanted, timeout=HOLD)
        _wanted.discard(key)
    return _test(Path(key[0]), key[2], key[3])


def future(path: Path, stamp: str, granularity: str | None, filters: Filters | None) -> Future:
    """The findings being tested (or tested) for this store version, granularity and filters; started if new. A
    set whose tests failed is started again (a failure is raised to the page that waits for it)."""
    key = _key(path, stamp, granularity, filters)
    with _LOCK:
        found = _FUTURES.get(key)
        if found is None or (found.done() and found.exception() is not None):
            found = _POOL.submit(_test_after_the_pages, key)
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
    timeout = max(0.0, (wait_until or 0.0) - time.monotonic())
    if timeout and not pending.done():
        _want(_key(path, stamp, granularity, filters))
    try:
        return pending.result(timeout=timeout)
    except FutureTimeout:
        return None


def result(path: Path, stamp: str, granularity: str | None, filters: Filters | None) -> Findings:
    """The findings, waiting for them as long as they take."""
    pending = future(path, stamp, granularity, filters)
    if not pending.done():
        _want(_key(path, stamp, granularity, filters))
    return pending.result()


def forget() -> None:
    """Drop every kept set (after an edit or an analysis; their store versions are old anyway)."""
    with _LOCK:
        _FUTURES.clear()
    with _PAGES:
        _wanted.clear()
