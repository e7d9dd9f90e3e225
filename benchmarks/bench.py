"""The benchmark: every stage of the pipeline beside the bare library doing the same work, on a corpus of a given
size. Prints a table and writes JSON. Targets live here, printed beside each figure — never in tests.

    python -m benchmarks.bench --sizes 1000 10000 --profile fast
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
TARGETS = {
    "ingest": ("docs/s ≥ 2000 (ingest+clean+dedup)", lambda r: r["docs_per_s"] >= 2000),
    "entities": ("≥ 0.85 of bare nlp.pipe", lambda r: (r.get("ratio") or 0) >= 0.85),
    "embeddings": ("≥ 0.85 of bare encode", lambda r: (r.get("ratio") or 0) >= 0.85),
}


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_child_rss_mb() -> float:
    """Peak resident memory of the largest finished child process (ingest workers, spaCy processes), in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _sentences() -> list[str]:
    """Sentences to build real-text-like documents from: the demo corpus (shipped)."""
    out = []
    for path in sorted((REPO / "corpora" / "is-online" / "documents").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line)["text"]
                out += [s.strip() for s in text.replace("? ", ". ").split(". ") if len(s.split()) > 4]
    if not out:
        raise SystemExit("the demo corpus is missing: corpora/is-online/documents/*.jsonl")
    return out


def make_corpus(n: int, path: Path, seed: int = 42) -> Path:
    """A CSV of n documents from 30 to 800 words (a mix of posts and articles), dated 2014–2020, 40 sources."""
    rng = random.Random(seed)
    sentences = _sentences()
    sources = [f"Outlet {i:02d}" for i in range(40)]
    types = ["news", "statement", "propaganda", "research", "social", "other"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "date", "source", "source_type", "title", "text"])
        for i in range(n):
            target = rng.choice([30, 60, 120, 250, 400, 600, 800])
            words, parts = 0, []
            while words < target:
                sentence = rng.choice(sentences)
                # vary numbers and order so near-duplicates stay rare, as in real collections
                parts.append(sentence.replace("2019", str(rng.randint(2014, 2020))) + f" ({rng.randint(1, 999)}).")
                words += len(sentence.split()) + 1
            day = pd.Timestamp("2014-01-01") + pd.Timedelta(days=rng.randrange(0, 7 * 365))
            writer.writerow([f"b{i}", day.date().isoformat(), rng.choice(sources), rng.choice(types),
                             parts[0][:80], " ".join(parts)])
    return path


def cpu_seconds() -> float:
    """CPU time of this process (every thread) and its finished children: what other jobs on a shared machine do
    not inflate as much as the wall time."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


LAST_CPU = {"seconds": 0.0}  # CPU seconds of the last `timed` call


def timed(fn):
    cpu = cpu_seconds()
    t = time.perf_counter()
    result = fn()
    LAST_CPU["seconds"] = cpu_seconds() - cpu
    return result, time.perf_counter() - t


def stage_rss_mb() -> float:
    """Resident memory of this process now, in MB (the peak so far is peak_rss_mb)."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024**2


def planted_nmi(con, labels: dict[str, str]) -> dict:
    """Topic count, outliers and NMI of the current fit with the planted themes (outliers count as one class)."""
    from sklearn.metrics import normalized_mutual_info_score

    from analytics import store

    fit = store.doc_topic_table(con, store.topic_run_id(con))
    # The CSV's id column is kept as each document's external id; the store gives documents ids of its own.
    ids = store.documents(con, columns=["id", "external_id"])
    by_store_id = dict(zip(ids["id"], ids["external_id"].map(labels), strict=True))
    fit = fit.assign(theme=fit["doc_id"].map(by_store_id)).dropna(subset=["theme"])
    if fit.empty:
        raise SystemExit("no fitted document carries a planted label: the corpus and its labels file differ")
    planted = fit["theme"]
    assigned = fit[fit["topic_id"] != -1]
    return {"planted_themes": len(set(labels.values())), "topics": int(fit["topic_id"][fit["topic_id"] >= 0].nunique()),
            "outliers": round(float((fit["topic_id"] == -1).mean()), 4),
            "nmi_planted": round(float(normalized_mutual_info_score(planted, fit["topic_id"])), 4),
            "nmi_planted_without_outliers": round(float(normalized_mutual_info_score(
                assigned["theme"], assigned["topic_id"])), 4)}


# Above this many documents the bare-library comparisons run on a seeded sample of this size and are scaled to the
# corpus (per document): the benchmark itself must not hold a million texts and their passages beside the stages.
BARE_LIMIT = 100_000
PART_DOCUMENTS = 250_000  # documents per CSV file of a planted corpus


def run(size: int, profile: str, workdir: Path, corpus: str = "mixed", bare_limit: int = BARE_LIMIT) -> dict:
    """Every stage on a corpus of `size` documents; returns the figures."""
    from analytics import config, store, timeline
    from analytics.ingest import ingest

    labels: dict[str, str] = {}
    if corpus in ("planted", "planted-news"):
        from benchmarks import planted_corpus

        # in files of at most PART_DOCUMENTS documents: ingest refuses a file over 1 GB (1M planted: 1.75 GB)
        csv_paths = []
        for start in range(0, size, PART_DOCUMENTS):
            part = "" if size <= PART_DOCUMENTS else f"-{start // PART_DOCUMENTS}"
            name = f"{corpus}-{size}{part}.csv"
            csv_paths.append(planted_corpus.write_csv(
                min(PART_DOCUMENTS, size - start), workdir / name, start=start, processes=os.cpu_count() or 1,
                post_share=0.0 if corpus == "planted-news" else planted_corpus.POST_SHARE))
            labels.update(planted_corpus.read_labels(csv_paths[-1]))
    else:
        csv_paths = [make_corpus(size, workdir / f"corpus-{size}.csv")]
    db = workdir / f"bench-{size}-{profile}.duckdb"
    if db.exists():
        db.unlink()
    figures: dict = {"size": size, "profile": profile, "corpus": corpus, "stages": {}, "rss_after_mb": {},
                     "load_average": {"start": os.getloadavg()}}
    t_all = time.perf_counter()
    # Bare: pandas reading the same CSV, in pieces above the bare limit (a million rows at once would hold every
    # text in the benchmark's own memory, beside the stages it measures)
    _, bare = timed(lambda: [pd.read_csv(path) if size <= bare_limit else
                             sum(len(part) for part in pd.read_csv(path, chunksize=bare_limit)) for path in csv_paths])
    con = store.connect(db)
    report, secs = timed(lambda: ingest(csv_paths, con))
    if report.stored < 0.9 * size:  # a refused file would leave the stages below timing next to nothing
        raise SystemExit(f"ingest stored {report.stored:,} of {size:,} documents: {report}")
    cpu = LAST_CPU["seconds"]
    words = int(store.documents(con, columns=["words"])["words"].sum())
    all_ids = store.documents(con, columns=["id"])["id"]
    sample_ids = all_ids if len(all_ids) <= bare_limit else all_ids.sample(bare_limit, random_state=42)
    docs = store.documents(con, columns=["id", "text"], ids=sample_ids.tolist())
    scale = len(all_ids) / max(1, len(docs))  # bare seconds of the sample × scale = bare seconds of the corpus
    del all_ids, sample_ids
    figures["stages"]["ingest"] = {"seconds": secs, "docs_per_s": size / secs, "words_per_s": words / secs,
                                   "bare_seconds": bare, "bare": "pandas.read_csv", "stored": report.stored,
                                   "cpu_seconds": cpu}
    figures["rss_after_mb"]["ingest"] = stage_rss_mb()
    figures["peak_rss_after_mb"] = {"ingest": peak_rss_mb()}

    # entities: ours end to end (store writes included) vs bare nlp.pipe with the same components
    from analytics import entities

    aliases = config.DEFAULT_ALIASES
    # The stage reuses this process's pipeline (entities.cached_pipeline): load it once, outside both timings.
    _, load = timed(lambda: entities.cached_pipeline(entities.load_aliases(aliases), profile))
    nlp = entities.cached_pipeline(entities.load_aliases(aliases), profile).english
    texts = docs["text"].tolist()
    # Warm the pipeline (the tokenizer caches the splits of the strings it has seen) before both timings: timed
    # first, bare alone used to pay for the warm-up and ours ran on a warm cache.
    [None for _ in nlp.pipe(texts[:500], batch_size=64)]
    # Bare: the same spaCy pipeline object over the same texts, results thrown away; ours adds reading the
    # store, building mention rows (sentences, canonical ids) and writing them in transactions, the writes on a
    # second thread (DuckDB inserts Arrow data without the GIL).
    _, bare = timed(lambda: [None for _ in nlp.pipe(texts, batch_size=64)])
    bare *= scale
    # One process, as bare: the automatic process count is timed by the Dask/one-process comparison instead.
    _, secs = timed(lambda: entities.run_entities(con, aliases, profile=profile, n_process=1))
    figures["stages"]["entities"] = {"seconds": secs, "docs_per_s": size / secs, "words_per_s": words / secs,
                                     "bare_seconds": bare, "bare": "nlp.pipe (same components)",
                                     "ratio": bare / secs, "components": nlp.pipe_names,
                                     "pipeline_load_seconds": load, "cpu_seconds": LAST_CPU["seconds"]}
    figures["rss_after_mb"]["entities"] = stage_rss_mb()
    figures["peak_rss_after_mb"]["entities"] = peak_rss_mb()

    # embeddings and topics
    from analytics import topics
    from analytics.embeddings import get_backend, split_passages

    backend_name = topics.PROFILE_BACKENDS[profile]
    backend = get_backend(backend_name)
    passages = [t[a:b] for t in texts for a, b in split_passages(t)]
    backend.encode(passages[:8])  # load the model outside the timings
    _, bare = timed(lambda: backend.encode(passages))
    bare *= scale
    n_passages = len(passages)
    passages = texts = docs = None  # the sample is not needed past here
    fresh = get_backend(backend_name)
    for loaded in ("_model", "_session", "_tokenizer"):  # same loaded model: time the stage, not the load
        if hasattr(backend, loaded):
            setattr(fresh, loaded, getattr(backend, loaded))
    from analytics.topics.streamed import corpus_vectors

    def embed_corpus() -> None:  # what the theme stage does first: read, embed, cache and reduce chunk by chunk
        with corpus_vectors(con, fresh):
            pass

    _, secs = timed(embed_corpus)
    cpu = LAST_CPU["seconds"]
    bare_name = {"minilm": "SentenceTransformer.encode", "static": "model2vec StaticModel.encode",
                 "minilm-int8": "onnxruntime InferenceSession.run (same batches)"}[backend_name]
    figures["stages"]["embeddings"] = {"seconds": secs, "docs_per_s": size / secs, "words_per_s": words / secs,
                                       "bare_seconds": bare, "bare": f"{bare_name} (same passages)",
                                       "ratio": bare / secs, "passages_in_bare_sample": n_passages,
                                       "bare_sample_documents": round(size / scale), "cpu_seconds": cpu}
    figures["rss_after_mb"]["embeddings"] = stage_rss_mb()
    figures["peak_rss_after_mb"]["embeddings"] = peak_rss_mb()
    # Bare BERTopic first: the first fit in a process pays numba's compilation, and that should not be ours alone.
    n_fit = min(size, topics.TopicParams().fit_sample)
    bare_fit = _bare_bertopic(con, fresh, n_fit)
    result, secs = timed(lambda: topics.run_topics(con, profile=profile, refit=True))
    cpu = LAST_CPU["seconds"]
    figures["stages"]["topic fit"] = {"seconds": secs, "docs_per_s": size / secs, "topics": result.get("topics"),
                                      "outliers": result.get("outliers"), "fitted_on": result.get("fitted_on"),
                                      "note": "embeddings from the cache; UMAP + HDBSCAN + c-TF-IDF + outliers",
                                      "cpu_seconds": cpu}
    fit = figures["stages"]["topic fit"]
    fit.update(bare_fit)
    fit["ratio"] = fit["bare_seconds"] / fit["seconds"]
    figures["rss_after_mb"]["topic fit"] = stage_rss_mb()
    figures["peak_rss_after_mb"]["topic fit"] = peak_rss_mb()
    if labels:
        figures["planted"] = planted_nmi(con, labels)

    # incremental: 1 % new documents after the fit are entity-extracted and assigned, nothing else recomputed
    n_extra = max(10, size // 100)
    extra = make_corpus(n_extra, workdir / f"extra-{size}.csv", seed=7)
    ingest([extra], con)
    done, ent_secs = timed(lambda: entities.run_entities(con, aliases, profile=profile))
    added, top_secs = timed(lambda: topics.run_topics(con, profile=profile))
    figures["stages"]["incremental (+1 %)"] = {"seconds": ent_secs + top_secs,
                                               "docs_per_s": n_extra / (ent_secs + top_secs),
                                               "entity_documents": done["documents"], "topics": added.get("action")}

    tl_docs = store.timeline_documents(con)
    assign = store.doc_topic_table(con, store.topic_run_id(con))
    _, secs = timed(lambda: timeline.shares(tl_docs, assign, "month"))
    figures["stages"]["aggregation"] = {"seconds": secs, "docs_per_s": size / secs}

    con.close()
    figures["page_queries_ms_warm"] = page_query_timings(db)
    figures["load_average"]["end"] = os.getloadavg()
    figures["wall_seconds"] = time.perf_counter() - t_all
    figures["peak_rss_mb"] = peak_rss_mb()
    figures["peak_child_rss_mb"] = peak_child_rss_mb()
    return figures


PAGE_QUERY_TARGET_MS = 300


def page_queries(path: Path) -> dict:
    """The questions the app's pages ask, as they ask them: every `Corpus` call of every page
    (benchmarks.page_profile.page_calls), unfiltered and with one source type picked, name → call. The calls the
    sidebar makes on every page are listed once. The findings are not among them: the app tests them once per
    store version and set of filters in a background thread the pages do not wait for (timed apart)."""
    from analytics.corpus import Corpus
    from analytics.filters import Filters
    from benchmarks.page_profile import page_calls

    corpus = Corpus.open(path)
    options = corpus.filter_options()
    out: dict = {}
    for filters, suffix in ((Filters(), ""), (Filters(source_types=(options.source_types[0],)), " (one type)")):
        for page, calls in page_calls(corpus, filters, options.granularity, {}).items():
            for label, call in calls:
                if label.startswith("findings"):
                    continue
                shared = label in ("filter_options", "actors(top=choices)")
                name = f"sidebar: {label}" if shared else f"{page}: {label}{suffix}"
                out.setdefault(name, call)
    return out


def page_query_timings(path: Path, repeats: int = 5) -> dict:
    """Warm time of each page question (see page_queries): one run to warm, then the median of `repeats` runs, in
    ms — wall time, and CPU time of this process (all threads), which other processes on a shared machine do not
    inflate: with DuckDB's threads it is an upper bound of the wall time the question would take on an idle
    machine. As in the app, the questions share one read-only connection (`store.reads_kept_open`, the app's page
    run); opening the store, which a page run pays once, is timed apart ("open the store"). Frames the Corpus
    keeps between questions are dropped before every run, so each is timed as a new filter asks it."""
    from analytics import store
    from analytics.corpus import Corpus
    from analytics.corpus.base import forget_kept

    out = {}
    walls, cpus = [], []
    for _ in range(repeats):
        cpu = time.process_time()
        _, secs = timed(lambda: Corpus.open(path))
        walls.append(secs)
        cpus.append(time.process_time() - cpu)
    out["open the store (once per page run)"] = {"wall": round(sorted(walls)[len(walls) // 2] * 1000, 1),
                                                 "cpu": round(sorted(cpus)[len(cpus) // 2] * 1000, 1)}
    with store.reads_kept_open(path):
        for name, fn in page_queries(path).items():
            forget_kept()
            fn()
            walls, cpus = [], []
            for _ in range(repeats):
                forget_kept()
                cpu = time.process_time()
                _, secs = timed(fn)
                walls.append(secs)
                cpus.append(time.process_time() - cpu)
            out[name] = {"wall": round(sorted(walls)[len(walls) // 2] * 1000, 1),
                         "cpu": round(sorted(cpus)[len(cpus) // 2] * 1000, 1)}
    return out


def print_page_queries(timings: dict) -> None:
    # Shared machines make warm wall times noisy: the load average says how much.
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"page queries (ms, warm median; target ≤ {PAGE_QUERY_TARGET_MS}; load average {load} on "
          f"{os.cpu_count()} CPUs; verdict on the smaller of wall and CPU time):")
    print(f"  {'query':<48} {'wall':>8} {'cpu':>8}")
    for name, ms in timings.items():
        best = min(ms["wall"], ms["cpu"])
        verdict = "met" if best <= PAGE_QUERY_TARGET_MS else "NOT met"
        print(f"  {name:<48} {ms['wall']:>8.1f} {ms['cpu']:>8.1f}  {verdict}")


def _bare_bertopic(con, backend, n_fit: int) -> dict:
    """Bare BERTopic.fit_transform with default settings on the same vectors and texts (the same sample size:
    the first documents by id)."""
    from bertopic import BERTopic

    from analytics import store, topics

    first = store.documents(con, columns=["id"])["id"].sort_values().head(n_fit).tolist()
    docs = store.documents(con, columns=["id", "text"], ids=first).sort_values("id", ignore_index=True)
    passages = topics.passage_vectors(con, docs, backend)
    matrix = topics.document_matrix(passages, docs["id"].tolist())
    model = BERTopic(embedding_model=None, calculate_probabilities=False)
    (found, _), secs = timed(lambda: model.fit_transform(docs["text"].tolist(), embeddings=matrix))
    import numpy as np

    found = np.asarray(found)
    return {"bare_seconds": secs, "bare": "BERTopic() defaults, fit_transform, same vectors",
            "bare_topics": int(len(set(found.tolist()) - {-1})),
            "bare_outliers": round(float(np.mean(found == -1)), 4)}


def print_table(figures: dict) -> None:
    print(f"\n== {figures['size']:,} documents, profile {figures['profile']} ==")
    print(f"{'stage':<12} {'seconds':>9} {'cpu s':>8} {'docs/s':>9} {'words/s':>10} {'bare s':>8} {'ratio':>6}  target")
    for stage, r in figures["stages"].items():
        target = TARGETS.get(stage)
        verdict = "" if target is None else f"{target[0]}: {'met' if target[1](r) else 'NOT met'}"
        cpu = r.get("cpu_seconds", float("nan"))
        print(f"{stage:<12} {r['seconds']:>9.2f} {cpu:>8.1f} {r.get('docs_per_s', 0):>9.1f} "
              f"{r.get('words_per_s', 0):>10.0f} "
              f"{r.get('bare_seconds', float('nan')):>8.2f} {r.get('ratio', float('nan')):>6.2f}  {verdict}")
    print(f"wall {figures['wall_seconds']:.1f} s · peak RSS {figures['peak_rss_mb']:.0f} MB (target ≤ 6144 MB at 100k)"
          f" · largest worker process {figures.get('peak_child_rss_mb', 0):.0f} MB")
    peaks = figures["peak_rss_after_mb"]
    print("memory after each stage (MB, resident now / peak so far): " + ", ".join(
        f"{stage} {now:.0f} / {peaks[stage]:.0f}" for stage, now in figures["rss_after_mb"].items()))
    load = figures.get("load_average", {})
    print(f"load average at start {tuple(round(x, 1) for x in load.get('start', ()))}, at end "
          f"{tuple(round(x, 1) for x in load.get('end', ()))} on {os.cpu_count()} CPUs")
    if "planted" in figures:
        p = figures["planted"]
        print(f"planted structure: {p['planted_themes']} planted themes → {p['topics']} topics, outliers "
              f"{p['outliers']:.1%}, NMI with the planted themes {p['nmi_planted']:.3f} "
              f"({p['nmi_planted_without_outliers']:.3f} over the documents not left as outliers)")
    print_page_queries(figures["page_queries_ms_warm"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--profile", choices=["quality", "quality-int8", "fast"], default="fast")
    parser.add_argument("--corpus", choices=["mixed", "planted", "planted-news"], default="mixed",
                        help="mixed: demo sentences in random order (speed only); planted: documents from planted "
                        "themes (benchmarks.planted_corpus), half posts and half articles, with topic count, "
                        "outliers and NMI against them; planted-news: the same, news articles only")
    parser.add_argument("--dask-tcp", type=int, metavar="WORKERS", default=0,
                        help="instead: time entities + embeddings + topics on a Dask cluster of a scheduler and "
                        "WORKERS worker processes started over TCP, against the same work in one process")
    parser.add_argument("--bare-limit", type=int, default=BARE_LIMIT,
                        help="largest number of documents the bare-library comparisons run on (a seeded sample "
                        "above it, scaled per document)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out")
    parser.add_argument("--store", type=Path, help="only time the page queries on this existing store "
                        "(opened read-only; e.g. a copy of a 100k benchmark store)")
    parser.add_argument("--repeats", type=int, default=5, help="with --store: timed runs of each page query")
    args = parser.parse_args()
    if args.store:
        from analytics.corpus import Corpus

        print(f"{args.store}: {Corpus.open(args.store).counts()}")
        print_page_queries(page_query_timings(args.store, args.repeats))
        return
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            if args.dask_tcp:
                from benchmarks.dask_tcp import print_dask_run, run_dask_tcp

                figures = run_dask_tcp(size, args.profile, Path(tmp), args.dask_tcp, args.corpus) | {"machine": machine}
                print_dask_run(figures)
                out = args.out / f"dask-tcp-{size}-{args.profile}-{args.corpus}.json"
                out.write_text(json.dumps(figures, indent=2, default=float))
                print(f"wrote {out}")
                continue
            figures = run(size, args.profile, Path(tmp), args.corpus, args.bare_limit) | {"machine": machine}
            print_table(figures)
            out = args.out / f"bench-{size}-{args.profile}-{args.corpus}.json"
            out.write_text(json.dumps(figures, indent=2, default=float))
            print(f"wrote {out}")


if __name__ == "__main__":
    main()
