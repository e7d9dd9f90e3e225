"""Themes on posts, measured: our topic stage beside bare BERTopic on the same corpus of posts.

A planted posts corpus (benchmarks/planted_posts.py: eight known themes, t.co links, HTML entities, usernames,
hashtag games, retweets, a little French and Arabic) is ingested into a fresh store with the real ingest, then:

- ours: `topics.run_topics(profile=…, refit=True)`, the stage as `narrative analyze` runs it;
- bare BERTopic: `BERTopic()` with its defaults on the raw post texts and the same document vectors as ours
  (several UMAP seeds, as `narrative topic-quality` does), and once more on vectors of the raw texts.

Reported for each: themes, outlier share, NMI with the planted themes (over every stored post, outliers as one
more group; and over the posts each method assigned), NPMI of each theme's top ten content words over the posts'
words (stop words of every language present, link pieces, entity names and usernames are not content words),
diversity of the top words, and the labels that hold a link piece, an HTML entity, a stop word or a username.

    python -m benchmarks.posts_themes --posts 3000 --profile fast
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analytics import store
from analytics.post_text import FURNITURE_WORDS, theme_text
from analytics.topic_quality import TOKEN_PATTERN, diversity

OUT = Path(__file__).with_name("out")
ENTITY_NAMES = frozenset({"amp", "gt", "lt", "quot", "apos", "nbsp"})


def stop_words() -> frozenset[str]:
    """Stop words of the languages of the planted corpus, from two sources the stage does not share with this
    check: scikit-learn's English list and spaCy's English, French and Arabic lists."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    from spacy.lang.ar.stop_words import STOP_WORDS as AR
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.fr.stop_words import STOP_WORDS as FR

    return frozenset(w.casefold() for w in set(ENGLISH_STOP_WORDS) | EN | FR | AR)


def url_pieces(texts: list[str]) -> frozenset[str]:
    """Every word-like piece of every link in the corpus ("https", "t", "co", the link ids)."""
    from analytics.ingest.social import URL

    pieces: set[str] = set(FURNITURE_WORDS)
    for text in texts:
        for m in URL.finditer(text):
            pieces.update(p.casefold() for p in re.split(r"[^\w]+", m.group(0)) if p)
    return frozenset(pieces)


def label_problems(label_words: list[str], stop: frozenset[str], urls: frozenset[str],
                   usernames: frozenset[str]) -> list[str]:
    """What is wrong with a label's words: a link piece, an HTML entity, a stop word, a username."""
    problems = []
    for word in label_words:
        w = word.casefold()
        parts = [p for p in re.split(r"[^\w]+", w) if p] or [w]
        if "&" in w or w in ENTITY_NAMES or any(p in ENTITY_NAMES for p in parts):
            problems.append(f"entity:{word}")
        elif w in urls or any(p in urls and len(p) > 1 for p in parts) or "http" in w or "t.co" in w:
            problems.append(f"url:{word}")
        elif w in stop:
            problems.append(f"stop:{word}")
        elif w.lstrip("@") in usernames:
            problems.append(f"username:{word}")
    return problems


def label_words(label: str) -> list[str]:
    """The words of one of our labels ("Telegram, channels & bots")."""
    return [w.strip() for w in re.split(r",|&", label) if w.strip()]


class ContentIndex:
    """Binary post-word matrix over the posts' theme texts, for NPMI over content words."""

    def __init__(self, texts: list[str], stop: frozenset[str], excluded: frozenset[str], min_df: int = 5) -> None:
        from sklearn.feature_extraction.text import CountVectorizer

        vectorizer = CountVectorizer(stop_words=sorted(stop | excluded), min_df=min_df, binary=True,
                                     token_pattern=TOKEN_PATTERN)
        self.matrix = vectorizer.fit_transform(texts).tocsc().astype(np.float64)
        self.vocab = vectorizer.vocabulary_
        self.n = len(texts)

    def npmi(self, a: str, b: str) -> float:
        ia, ib = self.vocab[a], self.vocab[b]
        col_a, col_b = self.matrix[:, ia], self.matrix[:, ib]
        p_ab = col_a.multiply(col_b).sum() / self.n
        if p_ab == 0:
            return -1.0
        if p_ab == 1:
            return 1.0
        return float(np.log(p_ab / ((col_a.sum() / self.n) * (col_b.sum() / self.n))) / -np.log(p_ab))

    def content(self, words: list[str], n: int = 10) -> list[str]:
        unigrams = dict.fromkeys(w for phrase in words for w in phrase.lower().split())
        return [w for w in unigrams if w in self.vocab][:n]

    def coherence(self, topics: list[list[str]]) -> float:
        import itertools

        scores = []
        for words in topics:
            content = self.content(words)
            pairs = [self.npmi(a, b) for a, b in itertools.combinations(content, 2)]
            if pairs:
                scores.append(float(np.mean(pairs)))
        return round(float(np.mean(scores)), 4) if scores else float("nan")


def agreement(truth: list[str], found: np.ndarray) -> dict[str, float]:
    """NMI with the planted themes over every post (outliers one more group) and over the assigned posts."""
    from sklearn.metrics import normalized_mutual_info_score as nmi

    truth_a = np.asarray(truth)
    assigned = found != -1
    return {"nmi": round(float(nmi(truth_a, found)), 4),
            "nmi_assigned": round(float(nmi(truth_a[assigned], found[assigned])), 4) if assigned.any() else 0.0}


def bare_bertopic(texts: list[str], matrix: np.ndarray, seed: int) -> tuple[np.ndarray, list[list[str]]]:
    """BERTopic with its defaults (UMAP seeded so a run can be repeated) on these texts and vectors."""
    from bertopic import BERTopic
    from umap import UMAP

    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    model = BERTopic(umap_model=umap_model, top_n_words=10)
    topics, _ = model.fit_transform(texts, embeddings=matrix)
    words = [[w for w, _ in model.get_topic(t)] for t in sorted(set(topics)) if t != -1]
    return np.asarray(topics), words


def measure(con: Any, truth: dict[str, str] | None, profile: str, bare_runs: int, usernames: frozenset[str],
            ) -> list[dict[str, Any]]:
    """Fit our themes on the store's documents and bare BERTopic on the same; one row per method."""
    from analytics import topics
    from analytics.embeddings import document_matrix, get_backend, passage_vectors

    docs = store.documents(con, columns=["id", "external_id", "text"]).sort_values("id", ignore_index=True)
    texts = docs["text"].tolist()
    stop = stop_words()
    urls = url_pieces(texts)
    index = ContentIndex([theme_text(t) for t in texts], stop, urls | usernames | ENTITY_NAMES)
    labels = [truth.get(str(e)) for e in docs["external_id"]] if truth else None
    rows = []

    started = time.process_time(), time.time()
    summary = topics.run_topics(con, profile=profile, refit=True)
    cpu, wall = time.process_time() - started[0], time.time() - started[1]
    rows.append({"method": f"ours ({profile})", **score_run(con, summary["run_id"], docs, labels, index,
                                                           (stop, urls, usernames)),
                 "cpu_s": round(cpu, 1), "wall_s": round(wall, 1)})

    backend = get_backend(topics.PROFILE_BACKENDS.get(profile, profile))
    vector_sets = {"ours": _our_vectors(con, docs, backend)}
    raw = passage_vectors(con, docs[["id", "text"]], backend)
    vector_sets["raw text"] = document_matrix(raw, docs["id"].tolist())
    for name, matrix in vector_sets.items():
        if matrix is None:
            continue
        runs = []
        for seed in range(bare_runs):
            found_bare, words = bare_bertopic(texts, matrix, seed)
            names = [w[:3] for w in words]  # BERTopic names a topic by its first words ("0_https_co_police")
            bad = [p for n in names for p in label_problems(n, stop, urls, usernames)]
            runs.append({"topics": len(words), "outliers": float(np.mean(found_bare == -1)),
                         **(agreement(labels, found_bare) if labels else {}), "npmi_content": index.coherence(words),
                         "diversity": diversity([index.content(w) for w in words]), "bad_labels": len(bad),
                         "label_problems": bad[:12], "labels": ["_".join(n) for n in names][:30]})
        rows.append({"method": f"bare BERTopic (defaults; {name} vectors; mean of {bare_runs} seeds)",
                     **{k: round(float(np.mean([r[k] for r in runs])), 4) for k in runs[0]
                        if isinstance(runs[0][k], float | int)},
                     "label_problems": runs[0]["label_problems"], "labels": runs[0]["labels"]})
    return rows


def score_run(con: Any, run_id: int, docs: pd.DataFrame, labels: list[str] | None, index: ContentIndex,
              banned: tuple[frozenset[str], frozenset[str], frozenset[str]]) -> dict[str, Any]:
    """Themes, outliers, NMI, NPMI over content words, diversity and label problems of a stored fit."""
    from analytics import topics

    assigned = store.doc_topic_table(con, run_id).set_index("doc_id")["topic_id"]
    found = assigned.reindex(docs["id"]).fillna(-1).astype(int).to_numpy()
    table = store.topic_table(con, run_id)
    words = [topics.top_words(w, n=20) for w in table["words"]]
    problems = [p for label in table["label"] for p in label_problems(label_words(label), *banned)]
    problems += [f"empty:{label}" for label in table["label"] if label.startswith("(")]
    return {"topics": len(table), "outliers": round(float(np.mean(found == -1)), 4),
            **(agreement(labels, found) if labels else {}), "npmi_content": index.coherence(words),
            "diversity": round(diversity([index.content(w) for w in words]), 4),
            "bad_labels": len(problems), "label_problems": problems[:12], "labels": table["label"].tolist()}


def _our_vectors(con: Any, docs: pd.DataFrame, backend: Any) -> np.ndarray | None:
    """The document vectors our stage fitted on (what it embeds for themes), when the stage says how."""
    from analytics.topics import stage

    if not hasattr(stage, "theme_document_matrix"):
        return None
    return stage.theme_document_matrix(con, docs[["id", "text"]], backend)


def planted_store(folder: Path, n: int, seed: int) -> tuple[Any, dict[str, str], frozenset[str]]:
    """A store holding the planted posts corpus; the planted theme of each post id; the corpus's usernames."""
    from analytics.ingest import ingest
    from benchmarks.planted_posts import generate, usernames, write

    posts = generate(n, seed=seed)
    write(posts, folder / "posts.csv")
    con = store.connect(folder / "posts.duckdb")
    ingest([folder / "posts.csv"], con)
    return con, {p["tweet_id"]: p["theme"] for p in posts}, frozenset(usernames(posts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--profile", default="fast")
    parser.add_argument("--bare-runs", type=int, default=3)
    args = parser.parse_args()
    load = _load()
    with tempfile.TemporaryDirectory() as tmp:
        con, truth, names = planted_store(Path(tmp), args.posts, args.seed)
        rows = measure(con, truth, args.profile, args.bare_runs, names)
        con.close()
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_columns", 20, "display.max_colwidth", 60):
        print(table.drop(columns=["labels", "label_problems"]).to_string(index=False))
    for row in rows:
        print(f"\n{row['method']}: labels {row['labels'][:30]}\n  problems {row['label_problems']}")
    print(f"\nload average before/after: {load} / {_load()}")
    OUT.mkdir(exist_ok=True)
    target = OUT / f"posts_themes_{args.profile}_{args.posts}_{args.seed}.json"
    target.write_text(json.dumps(rows, indent=1, default=str))
    print(f"written {target}")


def _load() -> str:
    import os

    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
