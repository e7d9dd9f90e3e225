"""Where a page's time goes: each `Corpus` call a page makes, timed on a store with the page's own arguments,
without the app or the browser (the app caches each answer; a cold page load asks each one once).

For each page, the calls it makes in order (as in analytics/app/pages/), unfiltered and then with one source type
picked (the filter the browser benchmark clicks), each call timed twice: first (a fresh process has none of it in
DuckDB's buffer) and again (warm). A call the app makes twice in one run (two pages share the sidebar's) is listed
once per page; the findings, which the app computes once for a set of filters and shares between pages, are timed
on the first page that asks (0 after).

    python -m benchmarks.page_profile --store bench100k.duckdb [--pages overview actors sources] [--explain]

`--explain` prints DuckDB's EXPLAIN ANALYZE of the store queries behind the slowest calls (the SQL logged while
they run).

`--app` times instead each page's whole script run inside Streamlit's test runner (AppTest, no browser), as a
reader's first visit after the server started: a fresh process per page, the About page run first (the app's
modules imported, its warm-up awaited), then the page. Printed per page: the run's wall seconds and the CPU seconds
of the process meanwhile (every thread: DuckDB's too; less inflated by other jobs on the machine than wall time),
and, under cProfile, the CPU seconds in the Corpus's answers (cache misses), in building the charts, and in turning
them into the spec Streamlit sends. The page's findings are not tested (at 100k the app tests them in a background
thread the page does not wait for; their seconds are not the page's): its findings panel says they are running.

    python -m benchmarks.page_profile --store bench100k.duckdb --app [--pages overview actors] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analytics import schema as s
from analytics import timeline
from analytics.config import setting
from analytics.corpus import Corpus
from analytics.filters import Filters


def page_calls(corpus: Corpus, f: Filters, gran: str, found: dict
               ) -> dict[str, list[tuple[str, Callable[[], Any]]]]:
    """The Corpus calls of each page, in the order the page makes them (sidebar first)."""
    top = int(setting("top_themes"))
    sidebar = [("filter_options", corpus.filter_options),
               ("actors(top=choices)", lambda: corpus.actors(top=int(setting("actor_choices"))))]
    platform_gran = timeline.at_least(gran, "quarter")
    chosen = tuple(corpus.actors(top=2)[s.CANONICAL_ID])
    compared = tuple(corpus.actors(top=3)[s.CANONICAL_ID])  # the page compares a few chosen actors
    sizes = corpus.theme_sizes()
    first_theme = int(sizes[s.TOPIC_ID].iloc[0]) if len(sizes) else -1
    volume = corpus.volume(gran)
    busiest = volume.sort_values(s.COUNT).iloc[-1][s.PERIOD] if len(volume) else None
    listed = corpus.search("", include_undated=True, limit=1)
    one_doc = str(listed[s.ID].iloc[0]) if len(listed) else ""

    def findings() -> Any:  # asked by several pages; the app computes it once per filters (the Overview's)
        if (gran, f) not in found:
            found[(gran, f)] = corpus.findings(gran, f)
        return found[(gran, f)]

    return {
        "overview": [*sidebar, ("summary", lambda: corpus.summary(f)),
                     ("volume(by source_type)", lambda: corpus.volume(gran, f, by=s.SOURCE_TYPE)),
                     ("theme_sizes", lambda: corpus.theme_sizes(f, top=top)),
                     ("actors(top)", lambda: corpus.actors(f, top=int(setting("top_actors")))),
                     ("findings (once per filter)", findings)],
        "actors": [*sidebar, ("leading_actors", lambda: corpus.leading_actors(gran, f, per_period=5)),
                   ("actor_counts(3 chosen)", lambda: corpus.actor_counts(gran, f, actors=compared)),
                   ("findings (once per filter)", findings),
                   ("platform_shares", lambda: corpus.platform_shares(platform_gran, f, top=8)),
                   ("events", lambda: corpus.events(f)),
                   # asked when the reader opens "Who is named together" (document first, sentence on a click)
                   ("actor_pairs(document)", lambda: corpus.actor_pairs(f, unit="document", min_count=2)),
                   ("actor_pairs(sentence)", lambda: corpus.actor_pairs(f, unit="sentence", min_count=2)),
                   # the documents behind a point: the first 500 by date and how many there are (reading.first_behind)
                   ("documents_behind(actor), first 500", lambda: corpus.documents_behind(
                       f, actors=list(chosen[:1]), limit=500)),
                   ("count_behind(actor)", lambda: corpus.count_behind(f, actors=list(chosen[:1])))],
        "sources": [*sidebar, ("run", corpus.run), ("labels", corpus.labels),
                    ("share_of_voice", lambda: corpus.share_of_voice(f, by=s.SOURCE, top=25, themes=top + 4)),
                    ("theme_shares(one source)", lambda: corpus.theme_shares(
                        timeline.at_least(gran, "quarter"), f.replace(sources=(corpus.filter_options().sources[0],)),
                        top=top)),
                    ("findings (once per filter)", findings)],
        "themes": [*sidebar, ("theme_shares", lambda: corpus.theme_shares(gran, f, top=top)),
                   ("events", lambda: corpus.events(f)), ("findings (once per filter)", findings)],
        "documents": [*sidebar, ("search(no query)", lambda: corpus.search("", f, include_undated=True, limit=500)),
                      ("search('telegram')", lambda: corpus.search("telegram", f, include_undated=True, limit=500)),
                      ("search, two words", lambda: corpus.search("telegram europol", f, include_undated=True,
                                                                  limit=500)),
                      ("search, no match", lambda: corpus.search("zqxjv", f, include_undated=True, limit=500)),
                      ("term_over_time('telegram')", lambda: corpus.term_over_time("telegram", gran, f))],
        "explorer": [*sidebar, ("themes", corpus.themes), ("labels", corpus.labels),
                     ("theme_languages", lambda: corpus.theme_languages(f)),
                     ("theme_shares(one theme)", lambda: corpus.theme_shares(gran, f, keep=[first_theme])),
                     ("representative_documents", lambda: corpus.representative_documents(first_theme, n=8)),
                     ("theme_sources", lambda: corpus.theme_sources(first_theme, f)),
                     ("merge_suggestions", corpus.merge_suggestions)],
        "amplification": [*sidebar, ("posts_in_view", lambda: corpus.posts_in_view(f)),
                          ("coordination", lambda: corpus.coordination(f)),
                          ("cascades(text, url)", lambda: corpus.cascades(f, kinds=("text", "url"), top=25)),
                          ("trace_trends(hashtag)", lambda: corpus.trace_trends("hashtag", gran, f, top=8,
                                                                                finer_if_needed=True))],
        "reading view": [("documents_behind(theme, period)", lambda: corpus.documents_behind(
                             f, period=busiest, granularity=gran, themes=[first_theme])),
                         ("document", lambda: corpus.document(one_doc))],
    }


def timed(call: Callable[[], Any]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process, every thread) of one call."""
    start, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - start, time.process_time() - cpu


APP_PAGES = ["overview", "themes", "explorer", "actors", "sources", "amplification", "documents", "corpus"]
# One page's run in a fresh process; prints one JSON line. argv: store, page.
_ONE_RUN = """
import cProfile, json, os, pstats, sys, tempfile, time
from streamlit.testing.v1 import AppTest
import threading
import analytics.app.findings_queue as findings_queue
import analytics.app.frame as frame

# The findings are not tested here (at 100k they take many seconds, in a thread the page does not wait for): their
# CPU seconds would be counted as the page's.
findings_queue._test = lambda *args: threading.Event().wait()

store, page = sys.argv[1], sys.argv[2]
os.environ["NARRATIVE_DB"] = store
os.environ.setdefault("NARRATIVE_DATA", tempfile.mkdtemp())
state = {"profile": None, "wall": 0.0, "cpu": 0.0}
plain = frame._frame


def timed_frame():
    profile = state["profile"]
    if profile is not None:
        profile.enable()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        plain()
    finally:
        state["wall"], state["cpu"] = time.perf_counter() - wall, time.process_time() - cpu
        if profile is not None:
            profile.disable()


frame._frame = timed_frame
app = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(frame.__file__))), "..", "app.py")
at = AppTest.from_file(os.path.abspath(app), default_timeout=900)
at.switch_page("analytics/app/pages/about.py")
at.run()
try:
    from analytics.app import warm_up
    warm_up.wait(120)
except ImportError:  # a version of the app without a warm-up
    pass
state["profile"] = cProfile.Profile(time.process_time)
at.switch_page(f"analytics/app/pages/{page}.py")
at.run()
stats = pstats.Stats(state["profile"]).stats


def inside(test):
    return sum(ct for (file, _, name), (_, _, _, ct, _) in stats.items() if test(file, name))


print(json.dumps({"page": page, "wall": state["wall"], "cpu": state["cpu"],
                  "corpus": inside(lambda f, n: f.endswith("app/state.py") and n == "ask"),
                  "charts": sum(ct for (f, _, n), (_, _, _, ct, callers) in stats.items() if "/analytics/charts/" in f
                                and not any("/analytics/charts/" in c[0] for c in callers)),
                  "spec": inside(lambda f, n: n == "_convert_altair_to_vega_lite_spec"),
                  "exception": bool(at.exception)}), flush=True)
os._exit(0)  # not waiting for the findings still being tested in the background
"""


def app_runs(store_path: Path, pages: list[str], repeat: int) -> None:
    """Each page's script run as a first visit (see the module's docstring), `repeat` times, in seconds."""
    import json
    import statistics
    import subprocess
    import sys

    print(f"store {store_path}; load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n"
          f"{'page':<14} {'wall s':>8} {'CPU s':>8} {'Corpus':>8} {'charts':>8} {'spec':>8}   (medians of {repeat}; "
          "Corpus, charts, spec: CPU seconds under the profiler)")
    for page in pages:
        found = []
        for _ in range(repeat):
            done = subprocess.run([sys.executable, "-c", _ONE_RUN, str(store_path.resolve()), page],
                                  capture_output=True, text=True, timeout=1800)
            if done.returncode:
                raise SystemExit(f"{page}: {done.stderr[-2000:]}")
            found.append(json.loads(done.stdout.strip().splitlines()[-1]))
        cells = [statistics.median(r[k] for r in found) for k in ("wall", "cpu", "corpus", "charts", "spec")]
        flag = "  EXCEPTION" if any(r["exception"] for r in found) else ""
        print(f"{page:<14} " + " ".join(f"{v:8.2f}" for v in cells) + flag, flush=True)
    print(f"load {os.getloadavg()[0]:.1f} at the end")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--pages", nargs="+", default=None)
    parser.add_argument("--again", action="store_true", help="time each call a second time (warm)")
    parser.add_argument("--source-type", default=None, help="the filter (default: the first source type)")
    parser.add_argument("--app", action="store_true", help="time each page's whole script run (see above)")
    parser.add_argument("--repeat", type=int, default=1, help="with --app: runs of each page")
    args = parser.parse_args()
    if args.app:
        app_runs(args.store, args.pages or APP_PAGES, args.repeat)
        return
    args.pages = args.pages or ["overview", "actors", "sources", "themes", "documents"]
    corpus = Corpus.open(args.store)
    options = corpus.filter_options()
    picked = args.source_type or options.source_types[0]
    print(f"store {args.store}: granularity {options.granularity}; filter: source type {picked!r}; "
          f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    found: dict = {}  # the findings of each filter, computed once
    for filters, name in ((Filters(), "no filter"), (Filters(source_types=(picked,)), f"source type {picked}")):
        for page in args.pages:
            calls = page_calls(corpus, filters, options.granularity, found)[page]
            print(f"\n{page} ({name})\n{'call':<28} {'first wall':>10} {'first CPU':>10} {'again wall':>10} "
                  f"{'again CPU':>10}")
            total = [0.0] * 4
            for label, call in calls:
                times = [*timed(call), *(timed(call) if args.again else (float("nan"),) * 2)]
                total = [a + b for a, b in zip(total, times, strict=True)]
                print(f"{label:<28} " + " ".join(f"{v:10.2f}" for v in times), flush=True)
            print(f"{'sum':<28} " + " ".join(f"{v:10.2f}" for v in total))
    print(f"\nload {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
