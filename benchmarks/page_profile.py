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
        "actors": [*sidebar, ("actor_counts", lambda: corpus.actor_counts(gran, f)),
                   ("actors() colour order", corpus.actors),
                   ("findings (once per filter)", findings),
                   ("platform_shares", lambda: corpus.platform_shares(platform_gran, f, top=8)),
                   ("events", lambda: corpus.events(f)),
                   ("leading_actors", lambda: corpus.leading_actors(gran, f, per_period=5)),
                   ("actor_pairs(document)", lambda: corpus.actor_pairs(f, unit="document", min_count=2)),
                   ("documents_behind(actor)", lambda: corpus.documents_behind(f, actors=list(chosen[:1])))],
        "sources": [*sidebar, ("run", corpus.run), ("labels", corpus.labels),
                    ("share_of_voice", lambda: corpus.share_of_voice(f, by=s.SOURCE, top=25, themes=top + 4)),
                    ("theme_shares(one source)", lambda: corpus.theme_shares(
                        timeline.at_least(gran, "quarter"), f.replace(sources=(corpus.filter_options().sources[0],)),
                        top=top)),
                    ("findings (once per filter)", findings)],
        "themes": [*sidebar, ("theme_shares", lambda: corpus.theme_shares(gran, f, top=top)),
                   ("events", lambda: corpus.events(f)), ("findings (once per filter)", findings)],
        "documents": [*sidebar, ("search(no query)", lambda: corpus.search("", f, include_undated=True, limit=500))],
    }


def timed(call: Callable[[], Any]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process, every thread) of one call."""
    start, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--pages", nargs="+", default=["overview", "actors", "sources", "themes", "documents"])
    parser.add_argument("--again", action="store_true", help="time each call a second time (warm)")
    parser.add_argument("--source-type", default=None, help="the filter (default: the first source type)")
    args = parser.parse_args()
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
