"""The fast paths of ingest give what the libraries give: py3langid's answers from the numpy byte walk, and
datasketch's MinHash values from the vectorised MinHash."""

from __future__ import annotations

import json
import random
import zlib

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from analytics.ingest import clean, dedup, fastlangid

SHORT_TEXTS = {
    "fr": "Le gouvernement français a annoncé mardi de nouvelles mesures contre le terrorisme.",
    "de": "Die Bundesregierung hat am Dienstag neue Maßnahmen gegen den Terrorismus angekündigt.",
    "ar": "أعلنت الحكومة يوم الثلاثاء عن إجراءات جديدة لمكافحة الإرهاب في البلاد",
    "ru": "Правительство во вторник объявило о новых мерах по борьбе с терроризмом.",
    "es": "El gobierno anunció el martes nuevas medidas contra el terrorismo en el país.",
    "en": "The government announced new measures against terrorism on Tuesday morning.",
}


def _texts() -> list[str]:
    rng = random.Random(3)
    base = list(SHORT_TEXTS.values()) + ["", "a", "12345 67890", "!!!! ???", "SHOUTING IN CAPITALS HERE NOW",
                                         "bad surrogate \ud800 here", "x " * 700]
    words = " ".join(base).split()
    mixed = [" ".join(rng.choice(words) for _ in range(rng.randrange(1, 400))) for _ in range(200)]
    return base + mixed


def test_fast_language_identifier_answers_as_py3langid():
    reference = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    fast = fastlangid.load()
    assert isinstance(fast, fastlangid.FastIdentifier)
    for text in _texts():
        assert fast.classify(text[:1000]) == reference.classify(text[:1000]), text[:60]


@pytest.mark.parametrize("lang", sorted(SHORT_TEXTS))
def test_short_texts_in_other_languages_are_identified(lang):
    assert clean.detect_language(SHORT_TEXTS[lang]) == lang


def _reference_minhash(text: str) -> LeanMinHash:
    words = dedup._WORD.findall(text.casefold())
    shingles = {" ".join(words)} if len(words) <= 5 else {" ".join(words[i:i + 5]) for i in range(len(words) - 4)}
    m = MinHash(num_perm=dedup.NUM_PERM, seed=1, scheme=dedup.SCHEME, hashfunc=zlib.crc32)
    m.update_batch([s.encode("utf-8") for s in shingles])
    return LeanMinHash(m)


def test_vectorised_minhash_equals_datasketch():
    for text in _texts() + ["one two three four five", "one two three four five six", "Straße STRASSE ß"]:
        ours, theirs = dedup.minhash(text), _reference_minhash(text)
        assert ours.hashvalues.dtype == theirs.hashvalues.dtype
        assert np.array_equal(ours.hashvalues, theirs.hashvalues), text[:60]
        assert dedup.signature_bytes(ours) == dedup.signature_bytes(theirs)
        assert ours.jaccard(theirs) == 1.0


def _mixed_inputs(folder):
    """A CSV with exact and near copies, bad dates, empty texts, ragged rows and other languages; a folder of
    scraped pages sharing boilerplate; a JSONL with a bad line."""
    import csv as csv_module

    folder.mkdir()
    rng = random.Random(11)
    words = ["channel", "account", "platform", "group", "report", "outlet", "message", "video", "network",
             "supporters", "removed", "published", "claimed", "suspended", "researchers", "officials"]
    rows = []
    for i in range(600):
        text = f"Item {i}: " + " ".join(rng.choice(words) for _ in range(rng.randint(20, 120))) + "."
        rows.append([f"a{i}", f"2016-{1 + i % 12:02d}-{1 + i % 28:02d}", text, f"outlet{i % 7}"])
    rows += [list(rows[i]) for i in range(0, 100, 9)]  # exact copies
    rows += [[f"n{i}", rows[i][1], rows[i][2] + " (wire)", "wire"] for i in range(200, 260, 6)]  # near copies
    rows += [[f"l{k}", "2017-03-01", text, "intl"] for k, text in enumerate(SHORT_TEXTS.values())]
    rows += [["d1", "not a date", "Some text here that is fine.", "x"], ["e1", "2016-01-01", "  ", "x"],
             ["r1", "2016-01-01", "t", "x", "surplus"]]
    rng.shuffle(rows)
    with open(folder / "mixed.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv_module.writer(fh)
        out.writerow(["id", "date", "text", "source"])
        out.writerows(rows)
    pages = folder / "pages"
    pages.mkdir()
    for i in range(12):
        body = " ".join(rng.choice(words) for _ in range(40))
        (pages / f"2019-01-{i + 1:02d}_p{i}.txt").write_text(
            f"Home\nSubscribe now\nSite navigation line\nHeadline number {i}\n\n{body.capitalize()}.\n\n"
            f"{body} again, as a second paragraph of prose.\nFooter line\n", encoding="utf-8")
    lines = [f'{{"text": "Line {i} {" ".join(rng.choice(words) for _ in range(15))}", "date": "2018-05-0{1 + i % 9}"}}'
             for i in range(80)]
    lines.insert(17, "{not json")
    (folder / "more.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    posts = []  # posts with links, tags, handles and retweets of each other: traces and copy links
    for i in range(90):
        body = " ".join(rng.choice(words) for _ in range(12))
        text = f"{body} https://www.example.org/p{i % 5}?utm_source=x #tag{i % 4} @user{i % 6}"
        if i % 10 == 9:
            text = f"RT @account{i - 9}: {posts[-9]['tweet']}"
        posts.append({"created_at": f"2019-11-22T10:{i % 60:02d}:00Z", "username": f"account{i}", "tweet": text})
    (folder / "posts.jsonl").write_text("\n".join(json.dumps(p) for p in posts) + "\n", encoding="utf-8")
    return folder


def _tables(con) -> dict:
    return {
        # every column but the documents' integer codes (the store's own keys, numbered in the order written)
        "documents": con.execute("SELECT * EXCLUDE (doc_code) FROM documents ORDER BY input_file, input_row, id").df(),
        "duplicates": con.execute("SELECT * FROM duplicates ORDER BY ALL").df(),
        "rejects": con.execute("SELECT * FROM rejects ORDER BY ALL").df(),
        "minhashes": con.execute("SELECT * FROM minhashes ORDER BY doc_id").df(),
        "doc_traces": con.execute("SELECT * FROM doc_traces ORDER BY ALL").df(),
        "doc_copies": con.execute("SELECT * FROM doc_copies ORDER BY ALL").df(),
    }


@pytest.mark.flow  # a pool of worker processes ingests beside one process
def test_workers_store_what_one_process_stores(tmp_path, monkeypatch):
    from analytics import store
    from analytics.ingest import ingest, parallel

    # Small batches and threshold so that a test-sized input goes through the pool, in many batches.
    monkeypatch.setattr(parallel, "MIN_RECORDS", 50)
    monkeypatch.setattr(parallel, "BATCH", 16)
    starts = []
    real_start = parallel.Preparer._start
    monkeypatch.setattr(parallel.Preparer, "_start", lambda self: starts.append(self.workers) or real_start(self))
    inputs = _mixed_inputs(tmp_path / "in")
    results = {}
    for workers in (1, 2):
        con = store.connect(tmp_path / f"w{workers}.duckdb")
        try:
            first = ingest([inputs], con, workers=workers)
            again = ingest([inputs], con, workers=workers)  # everything already stored
            results[workers] = (first.as_dict(), again.as_dict(), _tables(con),
                                [(f.file, f.read, f.stored, f.duplicates, f.rejected) for f in first.files])
        finally:
            con.close()
    assert starts and set(starts) == {2}  # the pool ran (once per input file large enough), never for workers=1
    one, two = results[1], results[2]
    assert one[0] == two[0] and one[1] == two[1] and one[3] == two[3]
    assert one[0]["duplicates"] > 0 and one[0]["near_duplicates"] > 0 and one[0]["rejected"] >= 4
    assert one[1]["stored"] == 0
    for name, frame in one[2].items():
        assert frame.equals(two[2][name]), name
    assert len(one[2]["doc_traces"]) > 300 and one[2]["doc_copies"]["original_id"].notna().sum() == 9
    languages = set(one[2]["documents"]["language"])
    assert {"fr", "de", "ar", "ru", "es", "en"} <= languages


def test_worker_pool_is_used_only_for_large_inputs(monkeypatch):
    from analytics.ingest import parallel

    started = []
    monkeypatch.setattr(parallel.Preparer, "_start", lambda self: started.append(1) or (_ for _ in ()).throw(
        AssertionError("pool started")))
    preparer = parallel.Preparer(2)
    batches = iter([([None] * 10, [None] * 10)])
    assert [len(out) for _, out in preparer.run(batches, {})] == [10]
    assert not started
