"""A real Dask run over TCP: a `dask scheduler` process and `dask worker` processes, started as separate programs
(as on several machines, here on one), against the same analysis in one process.

The work is the analysis after ingest — entity extraction and passage embedding on the workers, the store
written and the topic model fitted on the driver — over two copies of one ingested store. The speed-up is the
one-process wall time over the cluster's; both are printed with the load average, because on a shared two-core
machine two workers compete with everything else that runs.

    python -m benchmarks.bench --sizes 2000 --profile quality-int8 --dask-tcp 2
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _dask_command() -> list[str]:
    """The `dask` program of this interpreter's environment."""
    program = Path(sys.executable).with_name("dask")
    return [str(program)] if program.exists() else [sys.executable, "-m", "dask"]


def start_cluster(workdir: Path, workers: int) -> tuple[str, list[subprocess.Popen]]:
    """A scheduler and `workers` single-threaded worker processes on this machine, talking over TCP; returns the
    scheduler's address and the processes (to stop with stop_cluster)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    scheduler_file = workdir / "scheduler.json"
    scheduler_file.unlink(missing_ok=True)
    logs = workdir / "dask-logs"
    logs.mkdir(exist_ok=True)
    procs = [subprocess.Popen([*_dask_command(), "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                              env=env, stdout=subprocess.DEVNULL, stderr=open(logs / "scheduler.log", "w"))]
    deadline = time.monotonic() + 120
    while not scheduler_file.exists():
        if time.monotonic() > deadline or procs[0].poll() is not None:
            stop_cluster(procs)
            raise SystemExit(f"the Dask scheduler did not start: see {logs / 'scheduler.log'}")
        time.sleep(0.2)
    for i in range(workers):
        # One thread and no memory limit per worker: spaCy and ONNX Runtime bring their own threads, and the
        # nanny's memory limit would restart a worker in the middle of a batch on a loaded machine.
        procs.append(subprocess.Popen([*_dask_command(), "worker", "--scheduler-file", str(scheduler_file),
                                       "--nthreads", "1", "--nworkers", "1", "--memory-limit", "0",
                                       "--no-dashboard", "--name", f"w{i}"],
                                      env=env, stdout=subprocess.DEVNULL,
                                      stderr=open(logs / f"worker-{i}.log", "w")))
    address = json.loads(scheduler_file.read_text())["address"]
    from distributed import Client

    with Client(address, timeout=120) as client:
        client.wait_for_workers(workers, timeout=300)
    return address, procs


def stop_cluster(procs: list[subprocess.Popen]) -> None:
    """Stop the workers, then the scheduler (the processes this module started, by their handles)."""
    for proc in reversed(procs):
        proc.terminate()
    for proc in reversed(procs):
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def run_dask_tcp(size: int, profile: str, workdir: Path, workers: int, corpus: str = "mixed") -> dict:
    """The analysis of one ingested corpus in one process and on a TCP cluster; returns both timings."""
    from analytics import pipeline, store
    from analytics.ingest import ingest

    if corpus in ("planted", "planted-news"):
        from benchmarks import planted_corpus

        csv_path = planted_corpus.write_csv(size, workdir / f"{corpus}-{size}.csv", processes=os.cpu_count() or 1,
                                            post_share=0.0 if corpus == "planted-news" else planted_corpus.POST_SHARE)
    else:
        from benchmarks.bench import make_corpus

        csv_path = make_corpus(size, workdir / f"corpus-{size}.csv")
    base = workdir / f"dask-base-{size}.duckdb"
    base.unlink(missing_ok=True)
    with store.opened(base) as con:
        ingest([csv_path], con)
    figures: dict = {"size": size, "profile": profile, "corpus": corpus, "workers": workers}

    def one_process(tag: str) -> dict:
        one = workdir / f"dask-one-{size}-{tag}.duckdb"
        shutil.copy(base, one)
        load = os.getloadavg()
        t = time.perf_counter()
        local = pipeline.analyze(one, profile=profile, n_process=1)
        return {"seconds": time.perf_counter() - t, "load_start": load, "load_end": os.getloadavg(),
                "topics": local["topics"].get("topics"), "store": one}

    # One process before and after the cluster: the first run in a process pays numba's compilation and the model
    # loads, which the driver of the cluster run (this process) would otherwise get for free.
    figures["one_process_first"] = one_process("first")

    t = time.perf_counter()
    address, procs = start_cluster(workdir, workers)
    figures["cluster_start_seconds"] = time.perf_counter() - t
    try:
        distributed = workdir / f"dask-tcp-{size}.duckdb"
        shutil.copy(base, distributed)
        load = os.getloadavg()
        t = time.perf_counter()
        remote = pipeline.analyze(distributed, profile=profile, dask=address)
        figures["dask_tcp"] = {"seconds": time.perf_counter() - t, "address": address, "load_start": load,
                               "load_end": os.getloadavg(), "topics": remote["topics"].get("topics")}
    finally:
        stop_cluster(procs)
    figures["one_process_after"] = one_process("after")
    figures["one_process"] = min(figures["one_process_first"], figures["one_process_after"], key=lambda r: r["seconds"])
    figures["speed_up"] = figures["one_process"]["seconds"] / figures["dask_tcp"]["seconds"]
    one = figures["one_process"].pop("store")
    for key in ("one_process_first", "one_process_after"):
        figures[key].pop("store", None)
    with store.opened(one, read_only=True) as a, store.opened(distributed, read_only=True) as b:
        figures["same_mentions"] = store.counts(a).get("entities") == store.counts(b).get("entities")
        fit_a = store.doc_topic_table(a, store.topic_run_id(a)).sort_values("doc_id")["topic_id"].tolist()
        fit_b = store.doc_topic_table(b, store.topic_run_id(b)).sort_values("doc_id")["topic_id"].tolist()
        figures["same_topics"] = fit_a == fit_b
    return figures


def print_dask_run(figures: dict) -> None:
    one, tcp = figures["one_process"], figures["dask_tcp"]
    first, after = figures["one_process_first"]["seconds"], figures["one_process_after"]["seconds"]
    print(f"\n== Dask over TCP: {figures['size']:,} documents ({figures['corpus']}), profile {figures['profile']}, "
          f"{figures['workers']} worker processes ==")
    print(f"one process      {one['seconds']:8.1f} s   load {one['load_start'][0]:.1f} → {one['load_end'][0]:.1f}"
          f"   (the faster of the runs before and after the cluster's: {first:.1f} s, {after:.1f} s)")
    print(f"dask scheduler + {figures['workers']} workers {tcp['seconds']:8.1f} s   load {tcp['load_start'][0]:.1f} → "
          f"{tcp['load_end'][0]:.1f}   (cluster start {figures['cluster_start_seconds']:.1f} s, not counted)")
    print(f"speed-up {figures['speed_up']:.2f}× on {os.cpu_count()} CPUs · same mentions: {figures['same_mentions']} · "
          f"same topics: {figures['same_topics']}")
