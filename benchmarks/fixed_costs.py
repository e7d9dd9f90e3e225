"""Fixed costs of the fast path: a cold `narrative ingest` + `narrative analyze` end to end, and where one cold
analysis spends its CPU.

    python -m benchmarks.fixed_costs CORPUS.csv [--baseline OTHER_CHECKOUT] [--rounds 2] [--profile fast]
    python -m benchmarks.fixed_costs CORPUS.csv --stages        # one cold analysis, CPU seconds per part
    python -m benchmarks.fixed_costs --posts 5000 ...            # the planted posts (benchmarks/planted_posts.py)

End to end: each command is a new process (nothing imported, nothing compiled in memory; what is cached on disk —
the static model, numba's compiled code after `narrative models` — is used, as a user's second run would). With
`--baseline`, the same commands run from another checkout of the code (its folder first on PYTHONPATH), rounds
interleaved, so both meet the same machine load; the load average is printed before and after each run, and CPU
seconds (user + system of the process and its children) are the figure other jobs inflate least.

`--stages`: the analysis in one child process with timers around its parts (imports and model loads, numba
compilation from numba's own events, entity extraction, embedding, UMAP, HDBSCAN, the rest of the BERTopic fit,
labels, writes), CPU seconds of that process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).with_name("out")
REPO = Path(__file__).resolve().parents[1]


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def run(code: Path, *args: str) -> dict:
    """One command in a new process with `code` first on the path: wall and CPU seconds, load before and after."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    before, cpu, wall = load(), child_cpu(), time.time()
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=code)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return {"wall_s": round(time.time() - wall, 1), "cpu_s": round(child_cpu() - cpu, 1), "load_before": before,
            "load_after": load(), "last_line": (done.stdout.strip().splitlines() or [""])[-1]}


def end_to_end(code: Path, corpus: Path, db: Path, profile: str) -> dict:
    """`narrative ingest` then `narrative analyze --profile P`, each a cold process, on a new store."""
    for stale in (db, db.with_name(db.stem + ".models")):
        shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(missing_ok=True)
    ingest = run(code, "-m", "analytics", "ingest", str(corpus), "--db", str(db))
    analyze = run(code, "-m", "analytics", "analyze", "--profile", profile, "--db", str(db))
    analyze["last_line"] = analyze["last_line"][:200]
    return {"ingest": ingest, "analyze": analyze, "wall_s": round(ingest["wall_s"] + analyze["wall_s"], 1),
            "cpu_s": round(ingest["cpu_s"] + analyze["cpu_s"], 1)}


# The child of --stages: timers around the analysis's parts, CPU seconds of this process (inclusive: a part's
# time holds the parts it calls, e.g. the BERTopic fit holds UMAP and HDBSCAN).
STAGES_CHILD = r"""
import json, sys, time, importlib
from collections import defaultdict
start = time.process_time()
spent, depth = defaultdict(float), defaultdict(int)

def timed(owner, attr, name):
    try:
        target = importlib.import_module(owner) if isinstance(owner, str) else owner
        original = getattr(target, attr)
    except (ImportError, AttributeError):
        return
    def wrapper(*args, **kwargs):
        depth[name] += 1
        t = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            depth[name] -= 1
            if not depth[name]:
                spent[name] += time.process_time() - t
    setattr(target, attr, wrapper)

import numba
from numba.core import event
class Compiles(event.Listener):
    def __init__(self): self.open = []
    def on_start(self, ev): self.open.append(time.process_time())
    def on_end(self, ev):
        t = self.open.pop()
        if not self.open: spent["numba compilation (inside the parts above)"] += time.process_time() - t
event.register("numba:compile", Compiles())
spent["interpreter, numba and the CLI's imports"] = time.process_time() - start
import analytics.pipeline
timed("analytics.entities.stage", "cached_pipeline", "spaCy import + pipeline build")
timed("analytics.entities.stage", "extract_batch", "entity extraction (per document)")
import analytics.embeddings.static as static_module
timed(static_module.StaticBackend, "model", "static model load")
timed("analytics.topics.stage", "theme_passages", "embedding (with the model load)")
timed("analytics.loading", "topic_libraries", "BERTopic/UMAP/HDBSCAN imports")
timed("analytics.topics.stage", "fit_topics", "topic fit (with the imports when not separate)")
import analytics.topics.fit as fit
timed(fit, "key_phrases", "labels: key phrases")
timed(fit, "merge_suggestions", "merge suggestions (topic hierarchy)")
timed("analytics.topics.stage", "_save_model", "saving the BERTopic model")
timed("analytics.store", "save_topic_fit", "writing the fit to the store")
def umap_timers():
    import umap, hdbscan, bertopic
    timed(umap.UMAP, "fit", "UMAP fit")
    timed(hdbscan.HDBSCAN, "fit", "HDBSCAN fit")
try:
    import analytics.loading as loading_module
except ImportError:  # an older checkout
    loading_module = None
if loading_module is not None:
    original = loading_module.topic_libraries
    def with_timers():
        out = original(); umap_timers(); return out
    loading_module.topic_libraries = with_timers
    timed(loading_module, "topic_libraries", "BERTopic/UMAP/HDBSCAN imports")
else:  # an older checkout: the imports happen inside the fit; done here, timed, before the analysis
    t = time.process_time()
    umap_timers()
    spent["BERTopic/UMAP/HDBSCAN imports"] = time.process_time() - t
from analytics.pipeline import analyze
t = time.process_time()
result = analyze(sys.argv[1], profile=sys.argv[2])
spent["analysis, all"] = time.process_time() - t
spent["process, all"] = time.process_time() - start
print(json.dumps({k: round(v, 2) for k, v in spent.items()}))
"""


def stages(code: Path, corpus: Path, db: Path, profile: str) -> dict:
    """Ingest (cold process), then the analysis in one child with timers around its parts."""
    for stale in (db, db.with_name(db.stem + ".models")):
        shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(missing_ok=True)
    ingest = run(code, "-m", "analytics", "ingest", str(corpus), "--db", str(db))
    analysis = run(code, "-c", STAGES_CHILD, str(db), profile)
    return {"ingest": ingest, "analysis": {k: v for k, v in analysis.items() if k != "last_line"},
            "parts_cpu_s": json.loads(analysis["last_line"] if analysis["last_line"].startswith("{") else "{}")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, help="a CSV (or any file `narrative ingest` reads)")
    parser.add_argument("--posts", type=int, help="instead of a corpus: this many planted posts (seed 42)")
    parser.add_argument("--profile", default="fast")
    parser.add_argument("--baseline", type=Path, help="another checkout of the code, timed the same way")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--stages", action="store_true", help="one cold analysis with timers around its parts")
    args = parser.parse_args()
    codes = {"this": REPO} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus
        if args.posts:
            from benchmarks.planted_posts import generate, write

            corpus = Path(tmp) / "posts.csv"
            write(generate(args.posts, seed=42), corpus)  # the posts, and their truth beside them
        if corpus is None:
            raise SystemExit("give a corpus file or --posts N")
        corpus = corpus.resolve()
        documents = args.posts or None
        result: dict = {"corpus": str(corpus if not args.posts else f"{args.posts} planted posts"),
                        "profile": args.profile, "load_before": load(), "runs": []}
        for round_ in range(args.rounds):
            for name, code in codes.items():
                db = Path(tmp) / f"{name}.duckdb"
                row = (stages if args.stages else end_to_end)(code, corpus, db, args.profile)
                if documents is None:
                    documents = int(row["ingest"]["last_line"].split("stored ")[1].split()[0]) \
                        if "stored " in row["ingest"]["last_line"] else None
                row.update(code=name, round=round_ + 1)
                if documents and not args.stages:
                    row["documents"] = documents
                    row["per_s_wall"] = round(documents / row["wall_s"], 1)
                    row["per_cpu_s"] = round(documents / row["cpu_s"], 1)
                result["runs"].append(row)
                print(json.dumps(row, indent=1), flush=True)
        result["load_after"] = load()
    print(f"load average before {result['load_before']}, after {result['load_after']}")
    OUT.mkdir(exist_ok=True)
    name = f"posts{args.posts}" if args.posts else corpus.stem
    target = OUT / f"fixed_costs_{name}_{args.profile}{'_stages' if args.stages else ''}.json"
    target.write_text(json.dumps(result, indent=1))
    print(f"written {target}")


if __name__ == "__main__":
    main()
