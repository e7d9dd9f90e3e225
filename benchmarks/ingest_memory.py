"""Ingest alone, with its memory sampled while it runs: the main process, its ingest workers and DuckDB's buffers.

The full benchmark (`benchmarks.bench`) reports ingest's peak only; this says what grows. Every `--every` seconds a
thread samples the resident memory of this process and of each worker (from /proc) and DuckDB's own account of
its memory (`duckdb_memory()`, asked on a cursor of the ingest's connection), and prints one line. At the end: CPU
seconds (this process and its workers), wall, peak resident memory of each, the load average before and after, and
the store's counts; all of it as JSON with `--out`.

    python -m benchmarks.ingest_memory /tmp/planted-1000000-0.csv --db /tmp/ingest-250k.duckdb
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import threading
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process now, in MB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * PAGE / 1024**2
    except (FileNotFoundError, ProcessLookupError):
        return 0.0


def children() -> list[int]:
    """Process ids of this process's children (the ingest workers)."""
    found: list[int] = []
    for task in Path("/proc/self/task").iterdir():
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return found


def cpu_seconds() -> float:
    """User + system CPU of this process and its finished children."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--every", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None, help="write the figures here as JSON")
    parser.add_argument("--keep", action="store_true", help="ingest into an existing store (default: a new one)")
    args = parser.parse_args()

    from analytics import store
    from analytics.ingest import ingest

    if args.db.exists() and not args.keep:
        args.db.unlink()
    load_start = os.getloadavg()
    con = store.connect(args.db)
    samples: list[dict] = []
    peaks = {"main_mb": 0.0, "workers_mb": 0.0, "main_plus_workers_mb": 0.0}
    stop = threading.Event()
    started = time.perf_counter()
    probe = con.cursor()

    def sample() -> None:
        while not stop.wait(args.every):
            kids = {pid: rss_mb(pid) for pid in children()}
            try:
                duck = probe.execute("SELECT tag, memory_usage_bytes FROM duckdb_memory() "
                                     "WHERE memory_usage_bytes > 0").fetchall()
            except Exception as exc:  # the probe must never stop the ingest it watches
                duck = [("error", str(exc)[:80])]
            row = {"seconds": round(time.perf_counter() - started, 1), "main_mb": round(rss_mb(), 1),
                   "workers_mb": [round(v, 1) for v in kids.values()],
                   "duckdb_mb": {tag: round(v / 1024**2, 1) for tag, v in duck if isinstance(v, int)},
                   "store_file_mb": round(args.db.stat().st_size / 1024**2, 1) if args.db.exists() else 0.0}
            peaks["main_mb"] = max(peaks["main_mb"], row["main_mb"])
            peaks["workers_mb"] = max([peaks["workers_mb"], *row["workers_mb"]])
            peaks["main_plus_workers_mb"] = max(peaks["main_plus_workers_mb"], row["main_mb"] + sum(row["workers_mb"]))
            samples.append(row)
            print(json.dumps(row), flush=True)

    thread = threading.Thread(target=sample, daemon=True)
    cpu = cpu_seconds()
    thread.start()
    report = ingest(args.paths, con, workers=args.workers)
    stop.set()
    thread.join()
    figures = {
        "paths": [str(p) for p in args.paths], "wall_s": round(time.perf_counter() - started, 1),
        "cpu_s": round(cpu_seconds() - cpu, 1),
        "peak_rss_main_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_rss_largest_worker_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "sampled_peaks": peaks, "load_average": {"start": load_start, "end": os.getloadavg()},
        "report": {k: v for k, v in report.as_dict().items() if k != "files"},
        "counts": store.counts(con), "samples": samples,
    }
    probe.close()
    con.close()
    figures["store_file_mb"] = round(args.db.stat().st_size / 1024**2, 1)
    print(json.dumps({k: v for k, v in figures.items() if k != "samples"}, indent=1))
    if args.out:
        args.out.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
