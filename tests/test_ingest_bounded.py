"""Ingest in bounded memory gives the answers of the whole-run design: the compact near-duplicate index finds the
pairs datasketch's MinHashLSH finds (and the planted ones), commits in steps store exactly what one transaction
stored, an interrupted ingest is resumed by the same command to the uninterrupted result, and a CSV read a row at a
time gives the records of the CSV read whole."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHashLSH

from analytics import store
from analytics.ingest import dedup, ingest, loaders

VOCABULARY = [f"w{i}" for i in range(400)]


def planted_texts(seed: int = 5) -> tuple[list[str], dict[int, int]]:
    """Unrelated texts and near copies of some (a word changed, a sign-off added, a copy of a copy), with the
    position of each copy's original: the known answer."""
    rng = random.Random(seed)
    texts = [" ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(200, 300))) for _ in range(300)]
    originals: dict[int, int] = {}
    for base in range(0, 300, 7):
        words = texts[base].split()
        words[-3] = "changed"
        originals[len(texts)] = base
        texts.append(" ".join(words))
        if base % 3 == 0:  # a wire re-run of the copy: its original is still the first text
            originals[len(texts)] = base
            texts.append(" ".join(words) + " Reporting by wire staff.")
    for base in range(5, 300, 50):  # the very same text under another id (another outlet or date)
        originals[len(texts)] = base
        texts.append(texts[base])
    return texts, originals


def reference(ids: list[str], signatures: np.ndarray, threshold: float = 0.85) -> list[tuple[str, float] | None]:
    """The answers of the former index: datasketch's MinHashLSH and each candidate's MinHash Jaccard, one document
    at a time, originals inserted as they are found."""
    lsh = MinHashLSH(threshold=threshold, num_perm=dedup.NUM_PERM)
    kept: dict[str, object] = {}
    out: list[tuple[str, float] | None] = []
    for doc_id, values in zip(ids, signatures, strict=True):
        m = dedup.from_hashvalues(values)
        best = None
        for candidate in lsh.query(m):
            similarity = float(m.jaccard(kept[candidate]))
            if similarity >= threshold and (best is None or similarity > best[1] or
                                            (similarity == best[1] and candidate < best[0])):
                best = (candidate, similarity)
        out.append(best)
        if best is None:
            lsh.insert(doc_id, m)
            kept[doc_id] = m
    return out


@pytest.fixture(scope="module")
def planted() -> tuple[list[str], np.ndarray, dict[int, int]]:
    texts, originals = planted_texts()
    ids = [f"{i:016x}" for i in range(len(texts))]
    signatures = np.array([dedup.minhash(t).hashvalues for t in texts], dtype=np.uint64)
    return ids, signatures, originals


def resolved(index: dedup.NearDuplicateIndex, ids: list[str], signatures: np.ndarray, chunk: int
             ) -> list[tuple[str, float] | None]:
    out: list[tuple[str, float] | None] = []
    for start in range(0, len(ids), chunk):
        out += index.resolve(ids[start:start + chunk], signatures[start:start + chunk])
    return out


@pytest.mark.parametrize("chunk", [1, 7, 1000])
def test_the_compact_index_finds_the_planted_copies_and_what_datasketch_finds(planted, chunk):
    ids, signatures, originals = planted
    expected = reference(ids, signatures)
    with dedup.NearDuplicateIndex(0.85) as index:
        found = resolved(index, ids, signatures, chunk)
        assert len(index) == len(ids) - len(originals)
    assert found == expected
    # the known answer: every planted copy is linked to its original, no unrelated text to anything
    assert {i: int(f[0], 16) for i, f in enumerate(found) if f} == originals
    assert all(f[1] >= 0.85 for f in found if f)


def test_an_index_rebuilt_from_stored_signatures_answers_as_the_one_that_grew(planted):
    ids, signatures, _ = planted
    expected = reference(ids, signatures)
    with dedup.NearDuplicateIndex(0.85) as grown:
        first = resolved(grown, ids[:200], signatures[:200], 50)
    kept = [i for i, f in enumerate(first) if f is None]  # what ingest stores in `minhashes`
    with dedup.NearDuplicateIndex(0.85) as rebuilt:
        rebuilt.load([ids[i] for i in kept[::-1]], signatures[kept[::-1]])  # any order
        assert first + rebuilt.resolve(ids[200:], signatures[200:]) == expected


class SmallRecentTier(dedup.NearDuplicateIndex):
    """The recent tier merged into the large one every 16 originals (65,536 in use)."""

    RECENT = 16


@pytest.mark.parametrize("chunk", [1, 7, 1000])
def test_merging_the_recent_tier_changes_no_answer(planted, chunk):
    ids, signatures, _ = planted
    with SmallRecentTier(0.85) as index:
        assert resolved(index, ids, signatures, chunk) == reference(ids, signatures)
    with SmallRecentTier(0.85) as grown:
        first = resolved(grown, ids[:200], signatures[:200], chunk)
    kept = [i for i, f in enumerate(first) if f is None]
    with SmallRecentTier(0.85) as rebuilt:
        for part in (kept[:100], kept[100:]):  # loaded in two batches, as the store gives them
            rebuilt.load([ids[i] for i in part], signatures[part])
        assert first + resolved(rebuilt, ids[200:], signatures[200:], chunk) == reference(ids, signatures)


class EveryDigestAlike(dedup.NearDuplicateIndex):
    """Every band digest the same value: every original is a digest match for every document."""

    def _band_digests(self, signatures: np.ndarray) -> np.ndarray:
        return np.zeros((len(signatures), self.bands), dtype=np.uint64)


def test_a_digest_shared_by_chance_does_not_make_a_candidate(planted):
    ids, signatures, _ = planted
    with EveryDigestAlike(0.85) as index:
        assert resolved(index, ids, signatures, 64) == reference(ids, signatures)


def test_other_thresholds_use_datasketchs_bands(planted):
    ids, signatures, _ = planted
    for threshold in (0.5, 0.7, 0.95):
        with dedup.NearDuplicateIndex(threshold) as index:
            lsh = MinHashLSH(threshold=threshold, num_perm=dedup.NUM_PERM)
            assert (index.bands, index.rows) == (lsh.b, lsh.r)
            assert resolved(index, ids, signatures, 100) == reference(ids, signatures, threshold)


# -- ingest: commits in steps, resumption -----------------------------------------------------------------------


def corpus_files(folder: Path, texts: list[str]) -> list[Path]:
    """Three CSV files: the planted texts (near copies among them), exact copies (same text, source and date),
    records with no text and with a date nobody can read, and a ragged row."""
    rows = [[f"{i}", f"2016-{1 + i % 12:02d}-{1 + i % 27:02d}", f"outlet{i % 5}", text] for i, text in enumerate(texts)]
    rows += [list(rows[i]) for i in range(0, 120, 9)]  # exact copies
    rows += [["e1", "2016-01-01", "x", "   "], ["d1", "not a date at all", "x", texts[3] + " again"]]
    rows.insert(150, ["r1", "2016-01-01", "x", "text", "surplus"])
    cut = len(rows) // 3
    paths = []
    for n, part in enumerate((rows[:cut], rows[cut:2 * cut], rows[2 * cut:])):
        path = folder / f"part-{n}.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "date", "source", "text"])
            writer.writerows(part)
        paths.append(path)
    return paths


def state(con) -> dict:
    """Everything ingest writes, row for row (run ids included: resumed runs keep theirs), but the documents'
    integer codes: keys of the store's own, unique but numbered in the order written (an interrupted batch's
    codes are not given again)."""
    q = con.execute
    codes = q("SELECT count(*) = count(DISTINCT doc_code) AND count(*) = count(doc_code) FROM documents").fetchone()
    assert codes[0], "documents without a code of their own"
    return {
        "documents": q("SELECT * EXCLUDE (metadata, doc_code) FROM documents ORDER BY id").fetchall(),
        "minhashes": q("SELECT * FROM minhashes ORDER BY doc_id").fetchall(),
        "duplicates": q("SELECT * FROM duplicates ORDER BY input_file, input_row").fetchall(),
        "rejects": q("SELECT * FROM rejects ORDER BY input_file, input_row").fetchall(),
        "runs": q("SELECT run_id, kind, status, counts FROM runs ORDER BY run_id").fetchall(),
    }


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[Path]:
    return corpus_files(tmp_path_factory.mktemp("bounded"), planted_texts()[0])


@pytest.fixture(scope="module")
def uninterrupted(files, tmp_path_factory) -> tuple[dict, dict]:
    con = store.connect(tmp_path_factory.mktemp("reference") / "reference.duckdb")
    report = ingest(files, con, workers=1, commit_every=10**9)
    try:
        return report.as_dict(), state(con)
    finally:
        con.close()


def test_the_uninterrupted_reference_has_every_kind_of_record(uninterrupted):
    report, _ = uninterrupted
    assert report["near_duplicates"] == len(planted_texts()[1]) and report["duplicates"] == 14
    assert report["rejected"] == 3 and report["read"] == report["stored"] + report["duplicates"] + 3


@pytest.mark.parametrize("every", [1, 7, 100])
def test_commits_in_steps_store_what_one_transaction_stores(files, uninterrupted, tmp_path, every):
    con = store.connect(tmp_path / "steps.duckdb")
    report = ingest(files, con, workers=1, commit_every=every)
    assert (report.as_dict(), state(con)) == uninterrupted
    con.close()


class Interrupted(KeyboardInterrupt):
    """Ctrl-C at the end of a file."""


def interrupt_after(files_done: int):
    def progress(done: int, total: int | None) -> None:
        if done == files_done:
            raise Interrupted

    return progress


@pytest.mark.parametrize(("every", "files_done"), [(5, 1), (7, 2), (100, 1), (10**9, 2)])
def test_an_interrupted_ingest_is_resumed_by_the_same_command(files, uninterrupted, tmp_path, every, files_done):
    con = store.connect(tmp_path / "resumed.duckdb")
    with pytest.raises(Interrupted):
        ingest(files, con, workers=1, commit_every=every, progress=interrupt_after(files_done))
    # what was committed is whole: documents agree with the run's counts so far
    committed = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    counts = con.execute("SELECT counts FROM runs WHERE kind = 'ingest'").fetchone()
    assert committed == (json.loads(counts[0])["stored"] if counts and counts[0] else 0)
    if every < 100:
        assert committed > 0
    report = ingest(files, con, workers=1, commit_every=every)
    assert (report.as_dict(), state(con)) == uninterrupted
    con.close()


def test_another_ingest_after_an_interrupted_one_counts_its_documents_as_stored(files, uninterrupted, tmp_path):
    con = store.connect(tmp_path / "other.duckdb")
    with pytest.raises(Interrupted):
        ingest(files, con, workers=1, commit_every=5, progress=interrupt_after(2))
    kept = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    other = ingest(files[1:], con, workers=1, commit_every=5)  # another command: not a resumption
    assert other.already_stored > 0 and other.balanced()
    again = ingest(files, con, workers=1, commit_every=5)
    assert again.balanced() and again.already_stored == again.read - again.duplicates - again.rejected
    statuses = [r[0] for r in con.execute("SELECT status FROM runs WHERE kind = 'ingest' ORDER BY run_id").fetchall()]
    assert statuses == ["interrupted", "done", "done"]
    stored = con.execute("SELECT sum(CAST(json_extract(counts, '$.stored') AS BIGINT)) FROM runs").fetchone()[0]
    documents = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert kept > 0 and stored == documents == len(uninterrupted[1]["documents"])
    assert sorted(r[0] for r in con.execute("SELECT id FROM documents").fetchall()) == \
        [r[0] for r in uninterrupted[1]["documents"]]
    con.close()


def test_a_changed_file_is_not_resumed_over(files, tmp_path):
    copies = []
    for path in files:
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    con = store.connect(tmp_path / "changed.duckdb")
    with pytest.raises(Interrupted):
        ingest(copies, con, workers=1, commit_every=5, progress=interrupt_after(1))
    with open(copies[0], "a", encoding="utf-8") as fh:
        fh.write("late,2016-02-02,outlet9,A record added after the interruption.\n")
    report = ingest(copies, con, workers=1, commit_every=5)
    assert report.balanced() and report.already_stored > 0  # a new run: the first one's documents were kept
    assert con.execute("SELECT count(*) FROM documents WHERE text LIKE 'A record added%'").fetchone()[0] == 1
    con.close()


# -- CSV read a row at a time -----------------------------------------------------------------------------------


def whole(path: Path) -> list:
    """The records of the CSV decoded whole, as load_csv read every file before."""
    text = path.read_bytes().decode("utf-8")
    return list(loaders._csv_records(path, io.StringIO(text, newline=""), None))


@pytest.mark.parametrize("content", [
    'id,text\r\n1,"a quoted\nnewline"\r\n2,"a quoted\r\nCRLF"\r\n\r\n3,été ½ 中文\r\n4,lone\rreturn\r\n',
    "id;text\n1;semicolons\n2;more;than;the;header\n\n\n3;last line without a newline",
    "id\ttext\n1\ttabs\n2\t\"an \"\"escaped\"\" quote\"\n",
])
def test_a_csv_read_a_row_at_a_time_gives_the_records_read_whole(tmp_path, content):
    path = tmp_path / "rows.csv"
    path.write_bytes(content.encode("utf-8"))
    items = list(loaders.load_csv(path))
    assert items[0] == loaders.FileNote(str(path), "utf-8", 1.0)
    assert items[1:] == whole(path)


def test_blank_and_late_starting_csv_files(tmp_path):
    blank = tmp_path / "blank.csv"
    blank.write_text(" \n" * 70_000, encoding="utf-8")  # white space past the first block read
    assert [i.reason for i in loaders.load_csv(blank) if isinstance(i, loaders.Problem)] == ["empty file"]
    late = tmp_path / "late.csv"
    late.write_text("\n" * 70_000 + "id,text\n1,found\n", encoding="utf-8")  # the header is the blank first line
    assert list(loaders.load_csv(late))[1:] == whole(late)


def test_a_csv_that_is_not_utf8_is_still_decoded_whole(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("id,text\n1,café crème brûlée à la française\n".encode("cp1252"))
    assert loaders.utf8_stream(path) is None
    records = [i for i in loaders.load_csv(path) if isinstance(i, loaders.RawRecord)]
    assert records[0].fields["text"] == "café crème brûlée à la française"
