"""The theme stage alone at scale: planted documents written straight into a store, then the stage timed in a
fresh process (CPU seconds, wall, peak resident memory) with the topic quality against the planted themes.

The full benchmark (`benchmarks.bench`) runs ingest and entity extraction first, and its peak memory is the
largest of every stage's; this isolates the stage that streams the corpus (docs/SCALING.md §3). The documents are
inserted as the CSV gives them (no cleaning, no near-duplicate search: ingest has its own figures).

    python -m benchmarks.topic_stage prepare --size 1000000 --db /tmp/topics-1m.duckdb
    python -m benchmarks.topic_stage run --db /tmp/topics-1m.duckdb [--profile fast]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path

PART_DOCUMENTS = 250_000  # documents per CSV file, as the full benchmark writes them


def prepare(size: int, db: Path, csv_dir: Path) -> None:
    """Write (or reuse) the planted CSV files of `size` documents and insert them into a new store at `db`; the
    planted labels go beside it (`<db>.labels.parquet`)."""
    import pandas as pd

    from analytics import store
    from benchmarks import planted_corpus

    csv_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for start in range(0, size, PART_DOCUMENTS):
        part = "" if size <= PART_DOCUMENTS else f"-{start // PART_DOCUMENTS}"
        path = csv_dir / f"planted-{size}{part}.csv"
        if not path.exists() or not planted_corpus.labels_path(path).exists():
            planted_corpus.write_csv(min(PART_DOCUMENTS, size - start), path, start=start,
                                     processes=os.cpu_count() or 1)
        paths.append(path)
    if db.exists():
        db.unlink()
    con = store.connect(db)
    for path in paths:
        con.execute(
            "INSERT INTO documents (id, external_id, date, date_precision, date_origin, source, source_type, title, "
            "text, language, input_file, input_row, words) "
            "SELECT id, id, CAST(date AS TIMESTAMP), 'day', 'field', source, source_type, title, text, 'en', ?, "
            "row_number() OVER (), len(string_split(text, ' ')) "
            "FROM read_csv(?, header = true, all_varchar = true)", [str(path), str(path)])
    labels = pd.concat([pd.read_csv(planted_corpus.labels_path(p), usecols=["id", "theme"]) for p in paths])
    labels.to_parquet(labels_file(db))
    print(f"{db}: {store.document_count(con):,} documents")
    con.close()


def labels_file(db: Path) -> Path:
    return db.with_name(db.name + ".labels.parquet")


def run(db: Path, profile: str) -> dict:
    """The theme stage (a full fit) on the prepared store, in this process; figures as a dict."""
    import pandas as pd
    from sklearn.metrics import normalized_mutual_info_score

    from analytics import store
    from analytics.topics import run_topics

    load_start = os.getloadavg()
    con = store.connect(db)
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu0 = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    wall0 = time.perf_counter()
    summary = run_topics(con, profile=profile, refit=True)
    wall = time.perf_counter() - wall0
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = {"documents": summary["documents"], "profile": profile, "wall_seconds": round(wall, 1),
               "cpu_seconds": round(own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime - cpu0, 1),
               "peak_rss_mb": round(own.ru_maxrss / 1024), "load_average": {"start": load_start,
                                                                        "end": os.getloadavg()},
               **{k: summary[k] for k in ("topics", "outliers", "fitted_on", "assigned_outside_sample")}}
    fit = store.doc_topic_table(con, summary["run_id"])
    labels = pd.read_parquet(labels_file(db)).set_index("id")["theme"]
    fit = fit.assign(theme=fit["doc_id"].map(labels)).dropna(subset=["theme"])
    placed = fit[fit["topic_id"] != -1]
    figures["nmi_planted"] = round(float(normalized_mutual_info_score(fit["theme"], fit["topic_id"])), 4)
    figures["nmi_planted_without_outliers"] = round(float(normalized_mutual_info_score(
        placed["theme"], placed["topic_id"])), 4)
    con.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["prepare", "run"])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--csv-dir", type=Path, help="where the planted CSV files are (or are written); default: "
                        "beside the store")
    parser.add_argument("--profile", default="fast")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.step == "prepare":
        prepare(args.size, args.db, args.csv_dir or args.db.parent)
        return
    figures = run(args.db, args.profile)
    print(json.dumps(figures, indent=2, default=float))


if __name__ == "__main__":
    main()
