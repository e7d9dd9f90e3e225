"""Themes on real short text: UK news articles of 2014 cut into sentence-length "posts", ours beside bare BERTopic.

    python -m benchmarks.posts_real ../shared/corpora/uk_immigration_news_2014/articles.csv --posts 3000

The corpus (not shipped) is lower-cased news text with one sentence or paragraph per line after a header block.
Lines of 8–40 words are the posts: at most two per article, `--posts` of them drawn with a fixed seed, each with
its article's outlet as the account and its date; written as an X-style CSV and ingested as posts. There are no
known themes, so the reference is the themes our stage finds on the *whole articles* the posts come from (same
profile): each post carries its article's theme (an outlier article is a group of its own), and NMI says how far
themes fitted on the short texts agree with those fitted on the long ones. Coherence (NPMI over content words),
diversity, theme counts, outliers and label problems as in benchmarks/posts_themes.py.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import tempfile
from pathlib import Path

import pandas as pd

from analytics import store
from benchmarks.posts_themes import OUT, measure

HEADER_END = "copyright"


def article_lines(text: str) -> list[str]:
    """The body lines of one article: after the header block that ends with the copyright line."""
    lines = text.splitlines()
    start = next((i + 1 for i, line in enumerate(lines[:20]) if line.strip().startswith(HEADER_END)), 0)
    return [line.strip() for line in lines[start:] if line.strip()]


def cut_posts(articles: pd.DataFrame, n: int, seed: int = 42, per_article: int = 2) -> pd.DataFrame:
    """Sentence-length posts of the articles: tweet_id, username, created_at, text, article."""
    rng = random.Random(seed)
    rows = []
    for doc_id, outlet, date, text in zip(articles["doc_id"], articles["outlet"], articles["date"], articles["text"],
                                          strict=True):
        lines = [line for line in article_lines(str(text)) if 8 <= len(line.split()) <= 40]
        for k, line in enumerate(rng.sample(lines, min(per_article, len(lines)))):
            rows.append({"tweet_id": f"{doc_id}-{k}", "username": outlet, "created_at": date, "text": line,
                         "article": doc_id})
    rng.shuffle(rows)
    return pd.DataFrame(rows[:n])


def article_themes(articles: pd.DataFrame, folder: Path, profile: str) -> dict[str, int]:
    """Our stage's theme of each whole article (outliers -1)."""
    from analytics import topics
    from analytics.ingest import ingest

    path = folder / "articles.jsonl"
    articles.rename(columns={"doc_id": "id", "outlet": "source"}).to_json(path, orient="records", lines=True)
    con = store.connect(folder / "articles.duckdb")
    ingest([path], con)
    run = topics.run_topics(con, profile=profile, refit=True)
    docs = store.documents(con, columns=["id", "external_id"])
    assigned = store.doc_topic_table(con, run["run_id"]).set_index("doc_id")["topic_id"]
    themes = {str(e): int(assigned.get(d, -1)) for d, e in zip(docs["id"], docs["external_id"], strict=True)}
    con.close()
    return themes


def main() -> None:
    from analytics.ingest import ingest

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--profile", default="fast")
    parser.add_argument("--bare-runs", type=int, default=2)
    args = parser.parse_args()
    articles = pd.read_csv(args.csv)
    posts = cut_posts(articles, args.posts)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        used = articles[articles["doc_id"].isin(set(posts["article"]))]
        reference = article_themes(used, folder, args.profile)
        truth = {t: str(reference.get(a, -1)) for t, a in zip(posts["tweet_id"], posts["article"], strict=True)}
        posts.drop(columns="article").to_csv(folder / "posts.csv", index=False, quoting=csv.QUOTE_MINIMAL)
        con = store.connect(folder / "posts.duckdb")
        ingest([folder / "posts.csv"], con)
        rows = measure(con, truth, args.profile, args.bare_runs, frozenset())
        con.close()
    summary = {"articles": len(used), "article_themes": len(set(reference.values()) - {-1}), "posts": len(posts)}
    print(json.dumps(summary))
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print(table.drop(columns=["labels", "label_problems"]).to_string(index=False))
    for row in rows:
        print(f"\n{row['method']}: labels {row['labels'][:20]}\n  problems {row['label_problems']}")
    OUT.mkdir(exist_ok=True)
    (OUT / f"posts_real_{args.profile}_{args.posts}.json").write_text(json.dumps({**summary, "rows": rows},
                                                                                  indent=1, default=str))


if __name__ == "__main__":
    main()
