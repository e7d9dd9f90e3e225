"""Benchmark of the coordination stage (issue 18): the time to find coordinated accounts among N simulated posts.

    python -m benchmarks.amplification --posts 10000 100000
    python -m benchmarks.amplification --posts 100000 --runs 2 --baseline
    python -m benchmarks.amplification --recovery 10     (planted groups found, and silence without them, per seed)
    python -m benchmarks.amplification --store --posts 100000   (through the store: export, ingest, Corpus, CLI)

The corpus is the tests' simulated social corpus (tests/social_corpus.py): organic accounts with daily rhythms,
sessions, news links that go round for a few hours, viral texts, popular hashtags, and ten planted accounts that post
the same links, texts or hashtag sequences within a minute, twenty times. About 42 posts per account over two weeks,
so the number of accounts grows with N. The timed stage is `analytics.amplification.coordination` from the posts and
traces frames to the groups (items, crowds, the pair search, the test, the groups); cascades and hashtag shares are
timed beside it. `--baseline` also times DuckDB doing only the first step of the pair search (a range self-join
listing every pair of posts of the same item by two accounts within the window), as a reference for the bare work.
Prints a table and the load average; writes JSON with --out. Target: under a minute at 100,000 posts on two cores.

`--store` times the path a user takes instead: the same simulated posts written as a 4CAT CSV export (texts with
their links and hashtags, near-identical copies; tests/social_store.py), ingested into a fresh store
(`analytics.ingest`, worker processes as `narrative ingest` uses them), then `Corpus.coordination` (reading posts and
traces under the filters from the store, the search, the network) and `narrative coordination --json` in a fresh
process; the pure function on the frames the store gives is timed beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS_AT_100K = 60.0
POSTS_PER_ACCOUNT = 42  # what the simulation gives over 14 days, on average


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def simulated(posts: int, seed: int):
    """The tests' simulated corpus at about `posts` posts (the generator lives with the tests that check it)."""
    sys.path.insert(0, str(REPO / "tests"))
    from social_corpus import social_corpus

    return social_corpus(seed, n_organic=max(50, round(posts / POSTS_PER_ACCOUNT)), n_planted=10, days=14)


def duckdb_pairs_seconds(items) -> tuple[float, int]:
    """DuckDB listing every pair of posts of the same item by two accounts within 60 s (a range self-join)."""
    import duckdb

    frame = items.assign(t=items["date"].astype("int64") // 1_000_000)[["item", "account", "t"]]
    con = duckdb.connect()
    con.register("items", frame)
    start = time.perf_counter()
    n = con.execute("""
        SELECT count(*) FROM items a JOIN items b
          ON a.item = b.item AND b.t >= a.t AND b.t <= a.t + 60000 AND a.account <> b.account
    """).fetchone()[0]
    return time.perf_counter() - start, int(n)


def run(posts: int, seed: int, baseline: bool) -> dict:
    from analytics.amplification import coordination
    from analytics.amplification.cascades import cascades
    from analytics.amplification.items import shared_items
    from analytics.amplification.settings import CoordinationParams
    from analytics.amplification.trends import trace_shares

    start = time.perf_counter()
    data = simulated(posts, seed)
    made = time.perf_counter() - start
    load_before = _load()
    cpu0 = time.process_time()
    start = time.perf_counter()
    result = coordination(data.posts, data.traces)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    found = set().union(*map(set, result.clusters["accounts"])) if len(result.clusters) else set()
    best = max((set(g) for g in result.clusters["accounts"]), key=lambda g: len(g & data.planted_accounts),
               default=set())
    start = time.perf_counter()
    cascade_table = cascades(data.posts, data.traces)
    cascade_seconds = time.perf_counter() - start
    start = time.perf_counter()
    trace_shares(data.posts, data.traces, "hashtag", granularity="day", top=20)
    trend_seconds = time.perf_counter() - start
    figures = {
        "posts": len(data.posts), "accounts": int(data.posts["source"].nunique()), "traces": len(data.traces),
        "simulate_seconds": round(made, 2), "coordination_seconds": round(seconds, 2),
        "coordination_cpu_seconds": round(cpu, 2), "pairs_compared": result.pairs_compared,
        "pairs_tested": len(result.pairs), "pairs_significant": int(result.pairs["significant"].sum()),
        "clusters": len(result.clusters), "accounts_in_clusters": len(found),
        "planted_precision": round(len(best & data.planted_accounts) / len(best), 3) if best else 0.0,
        "planted_recall": round(len(best & data.planted_accounts) / len(data.planted_accounts), 3),
        "crowded_items": len(result.crowds), "cascades": len(cascade_table),
        "cascades_seconds": round(cascade_seconds, 2), "hashtag_shares_seconds": round(trend_seconds, 2),
        "peak_rss_mb": round(_peak_rss_mb()), "load_before": load_before, "load_after": _load(),
    }
    if baseline:
        params = CoordinationParams()
        items = shared_items(data.posts, data.traces, params.kinds)
        figures["duckdb_pair_join_seconds"], figures["duckdb_pairs_within_60s"] = duckdb_pairs_seconds(items)
    return figures


def through_store(posts: int, seed: int, folder: Path) -> dict:
    """The coordination stage through the store at about `posts` posts (see --store)."""
    import subprocess

    sys.path.insert(0, str(REPO / "tests"))
    from social_store import build_social_store

    from analytics import Corpus, store
    from analytics.amplification import coordination

    load_before = _load()
    start = time.perf_counter()
    data = build_social_store(folder, seed=seed, n_organic=max(50, round(posts / POSTS_PER_ACCOUNT)), days=14,
                              n_actions=20, with_fit=False, workers=None)
    build_seconds = time.perf_counter() - start
    corpus = Corpus.open(data.db)
    with store.opened(data.db, read_only=True) as con:
        frames = (store.posts(con, store.scope()), store.post_traces(con, store.scope()))

    def timed(task) -> tuple[float, float]:
        cpu0, start = time.process_time(), time.perf_counter()
        task()
        return time.perf_counter() - start, time.process_time() - cpu0

    tasks = {"corpus": corpus.coordination, "store_frames": lambda: coordination(*frames),
             "simulated_frames": lambda: coordination(data.corpus.posts, data.corpus.traces)}
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in tasks}
    for _ in range(3):  # interleaved, so the machine's load falls on each alike; the best of three is kept
        for name, task in tasks.items():
            runs[name].append(timed(task))
    best = {name: (min(w for w, _ in r), min(c for _, c in r)) for name, r in runs.items()}
    found = corpus.coordination()
    start = time.perf_counter()
    cli = subprocess.run([sys.executable, "-m", "analytics", "coordination", "--json", "--db", str(data.db)],
                         capture_output=True, text=True, check=True)
    cli_seconds = time.perf_counter() - start
    start = time.perf_counter()  # the same new process doing nothing but start: Python, imports, click
    subprocess.run([sys.executable, "-m", "analytics", "--help"], capture_output=True, check=True)
    start_seconds = time.perf_counter() - start
    groups = json.loads(cli.stdout)
    match = max((set(g["accounts"]) for g in groups), key=lambda g: len(g & data.planted_accounts), default=set())
    hit = len(match & data.planted_accounts)
    return {
        "posts": len(frames[0]), "traces": len(frames[1]), "accounts": int(frames[0]["source"].nunique()),
        "export_and_ingest_seconds": round(build_seconds, 1),
        "corpus_coordination_seconds": round(best["corpus"][0], 2),
        "corpus_coordination_cpu_seconds": round(best["corpus"][1], 2),
        "pure_on_store_frames_seconds": round(best["store_frames"][0], 2),
        "pure_on_store_frames_cpu_seconds": round(best["store_frames"][1], 2),
        "pure_on_simulated_frames_seconds": round(best["simulated_frames"][0], 2),
        "pure_on_simulated_frames_cpu_seconds": round(best["simulated_frames"][1], 2),
        "cli_json_seconds": round(cli_seconds, 2), "cli_start_seconds": round(start_seconds, 2),
        "groups": len(groups), "pairs_compared": found.result.pairs_compared,
        "planted_precision": round(hit / len(match), 3) if match else 0.0,
        "planted_recall": round(hit / len(data.planted_accounts), 3),
        "peak_rss_mb": round(_peak_rss_mb()), "load_before": load_before, "load_after": _load(),
    }


RECOVERY_SCENARIOS = {
    "standard: 20 actions, each joined by 75 % of the 10 planted accounts": {},
    "weak: 10 actions, 60 % join": {"n_actions": 10, "participation": 0.6},
    "very weak: 6 actions, 60 % join": {"n_actions": 6, "participation": 0.6},
    "fast news: a quarter of stories shared within 5 minutes": {"fast_life": 300.0},
}


def recovery(seeds: int) -> None:
    """Per scenario, over `seeds` simulated corpora of ~12,000 posts (300 organic accounts, two weeks): precision and
    recall of the reported group that best matches the planted one, other groups reported, and what the same
    corpora without the planted accounts give."""
    import numpy as np

    sys.path.insert(0, str(REPO / "tests"))
    from social_corpus import social_corpus

    from analytics.amplification import coordination

    for name, options in RECOVERY_SCENARIOS.items():
        precision, recall, extra, null_groups, null_pairs = [], [], 0, 0, 0
        for seed in range(1, seeds + 1):
            data = social_corpus(seed, **options)
            result = coordination(data.posts, data.traces)
            groups = [set(g) for g in result.clusters["accounts"]]
            best = max(groups, key=lambda g: len(g & data.planted_accounts), default=set())
            hit = len(best & data.planted_accounts)
            precision.append(hit / len(best) if best else 0.0)
            recall.append(hit / len(data.planted_accounts))
            extra += len(groups) - (1 if best else 0)
            organic = social_corpus(seed, n_planted=0, **options)
            null = coordination(organic.posts, organic.traces)
            null_groups += len(null.clusters)
            null_pairs += int(null.pairs["significant"].sum()) if len(null.pairs) else 0
        print(f"{name}: precision mean {np.mean(precision):.2f} (min {min(precision):.2f}), recall mean "
              f"{np.mean(recall):.2f} (min {min(recall):.2f}), other groups {extra}; without the planted accounts: "
              f"{null_groups} groups, {null_pairs} significant pairs ({seeds} seeds)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=1, help="runs per size (the same corpus each time)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", action="store_true", help="also time DuckDB's range self-join of the pairs")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--recovery", type=int, metavar="SEEDS",
                        help="instead of timing, check planted recovery and null silence over this many seeds")
    parser.add_argument("--store", action="store_true", help="time the path through the store instead (export, "
                        "ingest, Corpus.coordination, narrative coordination --json)")
    args = parser.parse_args()
    if args.recovery:
        recovery(args.recovery)
        return
    if args.store:
        import tempfile

        print(f"machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}; "
              f"load average at start {_load()}")
        rows = []
        for n in args.posts:
            with tempfile.TemporaryDirectory() as folder:
                figures = through_store(n, args.seed, Path(folder))
            rows.append(figures)
            print(f"{figures['posts']:>9,} posts {figures['accounts']:>6,} accounts · export + ingest "
                  f"{figures['export_and_ingest_seconds']:.1f} s · best of 3, wall (cpu): Corpus.coordination "
                  f"{figures['corpus_coordination_seconds']:.2f} s ({figures['corpus_coordination_cpu_seconds']:.2f} "
                  f"s), the pure function on the store's frames {figures['pure_on_store_frames_seconds']:.2f} s "
                  f"({figures['pure_on_store_frames_cpu_seconds']:.2f} s), on the simulated frames "
                  f"{figures['pure_on_simulated_frames_seconds']:.2f} s "
                  f"({figures['pure_on_simulated_frames_cpu_seconds']:.2f} s) · narrative coordination --json "
                  f"{figures['cli_json_seconds']:.2f} s (a new process; starting one alone "
                  f"{figures['cli_start_seconds']:.2f} s) · groups {figures['groups']} (planted P "
                  f"{figures['planted_precision']:.2f} R {figures['planted_recall']:.2f}) · peak RSS "
                  f"{figures['peak_rss_mb']:,} MB · load {figures['load_before']} → {figures['load_after']}")
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(rows, indent=2), encoding="utf-8")
        return
    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}; "
          f"load average at start {_load()}")
    rows = []
    for n in args.posts:
        for r in range(args.runs):
            figures = run(n, args.seed, args.baseline) | {"run": r + 1}
            rows.append(figures)
            target = ""
            if 90_000 <= figures["posts"] <= 110_000:
                ok = figures["coordination_seconds"] < TARGET_SECONDS_AT_100K
                target = f"target < {TARGET_SECONDS_AT_100K:.0f} s at 100k: {'met' if ok else 'MISSED'}"
            print(f"{figures['posts']:>9,} posts {figures['accounts']:>6,} accounts · coordination "
                  f"{figures['coordination_seconds']:>6.2f} s (cpu {figures['coordination_cpu_seconds']:.2f} s) · "
                  f"pairs compared {figures['pairs_compared']:,}, tested {figures['pairs_tested']:,}, significant "
                  f"{figures['pairs_significant']:,} · groups {figures['clusters']} (planted P "
                  f"{figures['planted_precision']:.2f} R {figures['planted_recall']:.2f}) · cascades "
                  f"{figures['cascades_seconds']:.2f} s · peak RSS {figures['peak_rss_mb']:,} MB · load "
                  f"{figures['load_before']} → {figures['load_after']}  {target}")
            if args.baseline:
                print(f"{'':>9}  DuckDB range self-join (pairs within 60 s only): "
                      f"{figures['duckdb_pair_join_seconds']:.2f} s, {figures['duckdb_pairs_within_60s']:,} pairs")
    sizes = sorted({r["posts"] for r in rows})
    if len(sizes) > 1:
        best = {n: min(r["coordination_seconds"] for r in rows if r["posts"] == n) for n in sizes}
        for a, b in zip(sizes, sizes[1:], strict=False):
            print(f"scaling {a:,} → {b:,} posts (×{b / a:.1f}): time ×{best[b] / max(best[a], 1e-9):.1f}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(rows, indent=2), encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
