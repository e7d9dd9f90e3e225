"""The benchmark's planted corpus: its structure is what was planted, and it is made one document at a time."""

from __future__ import annotations

import csv
import re
import tracemalloc
from collections import Counter
from datetime import date

import pytest

from benchmarks import planted_corpus as pc

N = 4000


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return list(pc.documents(N, seed=42))


def _theme_words() -> dict[str, set[str]]:
    return {t.name: {w.lower() for w in t.nouns + t.verbs + t.adjectives} for t in pc.THEMES}


def test_same_seed_same_documents_and_any_slice_alone():
    whole = list(pc.documents(50, seed=7))
    assert list(pc.documents(50, seed=7)) == whole
    assert list(pc.documents(10, seed=7, start=30)) == whole[30:40]  # a slice needs nothing before it
    assert list(pc.documents(50, seed=8)) != whole


def test_each_document_is_mostly_its_planted_theme(docs):
    vocab = _theme_words()
    agree, articles_mixed = 0, 0
    names = sorted({n for t in pc.THEMES for n in t.names}, key=len, reverse=True)
    for doc in docs:
        text = doc["text"]
        for name in names:  # names may share a word with another beat ("Network Rail"): count content words
            text = text.replace(name, " ")
        words = re.findall(r"[a-z\-]+", text.lower())
        counts = Counter({name: sum(w in v for w in words) for name, v in vocab.items()})
        top, n_top = counts.most_common(1)[0]
        agree += top == doc["theme"]
        if doc["kind"] == "news":
            share = counts[doc["theme"]] / max(1, sum(counts.values()))
            articles_mixed += 0.6 < share < 0.99  # mostly its theme, with some of the secondary one
        else:
            assert set(counts) and counts[doc["theme"]] == sum(counts.values())  # posts: one theme only
    assert agree / len(docs) > 0.99
    assert articles_mixed / sum(d["kind"] == "news" for d in docs) > 0.8


def test_lengths_are_posts_and_articles(docs):
    kinds = Counter(d["kind"] for d in docs)
    assert 0.45 < kinds["post"] / N < 0.55
    for doc in docs:
        words = len(doc["text"].split())
        if doc["kind"] == "post":
            assert 8 <= words <= 60 + 25  # the target, the last sentence's overshoot, the handle
        else:
            assert 250 <= words <= 900 + 25


def _share(docs: list[dict], theme: str, keep) -> float:
    chosen = [d for d in docs if keep(date.fromisoformat(d["date"]))]
    return sum(d["theme"] == theme for d in chosen) / len(chosen)


def test_planted_shifts_over_time(docs):
    assert _share(docs, "online extremism", lambda d: d.year == 2020) > 3 * _share(
        docs, "online extremism", lambda d: d.year == 2014)
    assert _share(docs, "floods", lambda d: d.year == 2014) > 3 * _share(docs, "floods", lambda d: d.year == 2020)
    assert _share(docs, "space", lambda d: d.year < 2017) == 0
    assert _share(docs, "space", lambda d: d.year >= 2017) > 0.03
    q2 = _share(docs, "ransomware", lambda d: d.year == 2017 and d.month in (4, 5, 6))
    rest = _share(docs, "ransomware", lambda d: d.year == 2017 and d.month > 6)
    assert q2 > 3 * rest
    # themes without a planted shift stay level: football's share in the first and last two years
    early = _share(docs, "football", lambda d: d.year <= 2015)
    late = _share(docs, "football", lambda d: d.year >= 2019)
    assert 0.5 < early / late < 2


@pytest.mark.flow
def test_written_csv_streams_and_holds_labels(tmp_path, monkeypatch):
    monkeypatch.setattr(pc, "CHUNK", 100)  # pieces of 100 documents: memory holds one piece, not the corpus
    path = tmp_path / "corpus.csv"
    tracemalloc.start()
    pc.write_csv(3000, path, seed=3)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    text_bytes = sum(len(r["text"]) for r in rows)
    assert len(rows) == 3000 and len({r["id"] for r in rows}) == 3000
    assert peak < text_bytes / 3  # a piece at a time (a thirtieth of the corpus here), not the corpus
    labels = pc.read_labels(path)
    assert labels == {d["id"]: d["theme"] for d in pc.documents(3000, seed=3)}


@pytest.mark.flow
def test_parallel_generation_writes_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(pc, "CHUNK", 400)  # several pieces from a small corpus
    one = pc.write_csv(1000, tmp_path / "one.csv", seed=5)
    two = pc.write_csv(1000, tmp_path / "two.csv", seed=5, processes=2)
    assert one.read_bytes() == two.read_bytes()
    assert pc.labels_path(one).read_bytes() == pc.labels_path(two).read_bytes()
