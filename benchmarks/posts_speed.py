"""Speed on posts: the whole path (ingest, entities, themes) through the real CLI, and the embedding of short texts
beside the bare encode.

    python -m benchmarks.posts_speed --posts 5000 --profile quality
    python -m benchmarks.posts_speed --posts 20000 --profile fast

The posts are the planted posts corpus (benchmarks/planted_posts.py; 17 words on average, a fifth of them 3–6
words, a quarter retweets). End to end: `narrative ingest` then `narrative analyze --profile P` as subprocesses on a
fresh store, timed by wall clock and by the CPU time of the child processes (user + system, spaCy's worker
processes included); posts per second by both. The machine may be shared: the load average is printed before and
after, and CPU seconds are the figure other jobs inflate least.

Embeddings of the same posts' theme texts, each way timed in the same process, rounds interleaved:
- bare: the library's own encode on every text in one call (sentence-transformers sorts a call's texts by length;
  model2vec has no padding);
- in input order: the same encode called batch by batch in the corpus's order, so each batch is padded to its
  longest post (what "no padding to the longest post" is measured against);
- ours: the topic stage's `theme_passages` (texts handed to the backend `texts_per_call` at a time).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).with_name("out")


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def run_cli(*args: str) -> tuple[float, float, str]:
    """Wall and CPU seconds of one `narrative` command in a child process; its last output line."""
    cpu, wall = child_cpu(), time.time()
    done = subprocess.run([sys.executable, "-m", "analytics", *args], capture_output=True, text=True, check=True)
    return time.time() - wall, child_cpu() - cpu, done.stdout.strip().splitlines()[-1] if done.stdout else ""


def end_to_end(csv_path: Path, db: Path, profile: str, n: int) -> dict:
    ingest_wall, ingest_cpu, ingest_out = run_cli("ingest", str(csv_path), "--db", str(db))
    analyze_wall, analyze_cpu, analyze_out = run_cli("analyze", "--profile", profile, "--db", str(db))
    wall, cpu = ingest_wall + analyze_wall, ingest_cpu + analyze_cpu
    return {"posts": n, "profile": profile, "ingest_wall_s": round(ingest_wall, 1),
            "ingest_cpu_s": round(ingest_cpu, 1),
            "analyze_wall_s": round(analyze_wall, 1), "analyze_cpu_s": round(analyze_cpu, 1),
            "posts_per_s_wall": round(n / wall, 1), "posts_per_cpu_s": round(n / cpu, 1),
            "ingest": ingest_out[:300], "analyze_topics": analyze_out[:400]}


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    cpu, wall = self_cpu(), time.time()
    fn()
    return time.time() - wall, self_cpu() - cpu


def embedding_ways(texts: list[str], profile: str, db: Path) -> dict[str, Callable[[], object]]:
    """The ways of embedding the same theme texts compared here, by name."""
    import pandas as pd

    from analytics import store
    from analytics.embeddings import get_backend
    from analytics.topics import PROFILE_BACKENDS
    from analytics.topics.fitting_texts import theme_passages

    backend = get_backend(PROFILE_BACKENDS[profile])
    docs = pd.DataFrame({"id": [f"p{i:07d}" for i in range(len(texts))], "text": texts})
    if profile == "fast":
        model = backend.model()
        batch = 1024
        bare = lambda: model.encode(texts, batch_size=batch, show_progress_bar=False)  # noqa: E731
        in_order = lambda: [model.encode(texts[i:i + batch], batch_size=batch, show_progress_bar=False)  # noqa: E731
                            for i in range(0, len(texts), batch)]
    else:
        backend.encode(texts[:8])  # load outside the timings
        model = backend.model() if hasattr(backend, "model") else None
        batch = backend.batch_size if hasattr(backend, "batch_size") else 64
        if model is not None:
            bare = lambda: model.encode(texts, batch_size=batch, show_progress_bar=False)  # noqa: E731
            in_order = lambda: [model.encode(texts[i:i + batch], batch_size=batch, show_progress_bar=False)  # noqa: E731
                                for i in range(0, len(texts), batch)]
        else:
            bare = in_order = lambda: backend.encode(texts)  # noqa: E731

    def ours() -> object:
        con = store.connect(db.with_name(f"embed-{time.time_ns()}.duckdb"))
        try:
            return theme_passages(con, docs, backend)
        finally:
            con.close()

    return {"bare encode (one call)": bare, "bare encode, batches in input order": in_order,
            "ours (theme_passages)": ours}


def embeddings(texts: list[str], profile: str, db: Path, rounds: int) -> list[dict]:
    ways = embedding_ways(texts, profile, db)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in ways}
    for _ in range(rounds):
        for name, fn in ways.items():
            times[name].append(timed(fn))
    rows = []
    base = min(c for _, c in times["bare encode (one call)"])
    for name, pairs in times.items():
        wall, cpu = min(w for w, _ in pairs), min(c for _, c in pairs)
        rows.append({"way": name, "texts": len(texts), "cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
                     "texts_per_cpu_s": round(len(texts) / cpu, 1), "texts_per_s_wall": round(len(texts) / wall, 1),
                     "bare_cpu_over_ours": round(base / cpu, 3)})
    return rows


def main() -> None:
    from benchmarks.planted_posts import generate, write

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--profile", default="quality", choices=["quality", "quality-int8", "fast"])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-end-to-end", action="store_true")
    args = parser.parse_args()
    started = load()
    result: dict = {"load_before": started}
    with tempfile.TemporaryDirectory() as tmp:
        posts = generate(args.posts, seed=42)
        csv_path = Path(tmp) / "posts.csv"
        write(posts, csv_path)
        if not args.no_end_to_end:
            result["end_to_end"] = end_to_end(csv_path, Path(tmp) / "posts.duckdb", args.profile, args.posts)
            print(json.dumps(result["end_to_end"], indent=1))
        from analytics.post_text import theme_text

        texts = [theme_text(p["text"]) for p in posts]
        result["embeddings"] = embeddings(texts, args.profile, Path(tmp) / "x.duckdb", args.rounds)
        for row in result["embeddings"]:
            print(row)
    result["load_after"] = load()
    print(f"load average before {started}, after {result['load_after']}")
    OUT.mkdir(exist_ok=True)
    target = OUT / f"posts_speed_{args.profile}_{args.posts}.json"
    target.write_text(json.dumps(result, indent=1))
    print(f"written {target}")


if __name__ == "__main__":
    main()
