"""The theme stage reads the corpus chunk by chunk: the same vectors, keys and themes as reading it whole.

A backend of our own (hashed word vectors, passages of 15 words) stands in for a model: documents are cut into
several passages each, and no model is loaded.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from planted import planted_corpus, store_documents

from analytics import store
from analytics.embeddings import BackendBase, document_matrix, passage_sums, unit_rows
from analytics.languages.centring import CentringSums, fit_centring
from analytics.post_text import theme_text
from analytics.topics import TopicParams, run_topics
from analytics.topics.fitting_texts import FitKeys, fitting_texts, theme_passages
from analytics.topics.streamed import corpus_vectors


class HashedWords(BackendBase):
    """Each word a fixed pseudo-random direction (from its sha256); a text the unit sum of its words'."""

    name, dimension, passage_words, texts_per_call = "hashed-words", 48, 15, 50

    def encode(self, texts):
        out = np.zeros((len(texts), self.dimension))
        for i, text in enumerate(texts):
            for word in text.lower().split():
                seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
                out[i] += np.random.default_rng(seed).standard_normal(self.dimension)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.where(norms == 0, 1, norms)).astype(np.float32)


@pytest.fixture(scope="module")
def planted():
    return planted_corpus(n_per_theme=30)


def test_document_sums_chunk_by_chunk_equal_the_whole_matrix():
    rng = np.random.default_rng(42)
    doc_rows = np.sort(rng.integers(0, 40, 150))  # 40 documents, 0-9 passages each, some with none
    rng.shuffle(doc_rows)  # passages in any order: each document's are summed in their order
    vectors = rng.standard_normal((150, 16)).astype(np.float32)
    whole = passage_sums(doc_rows, vectors, 40)
    expected = np.zeros((40, 16))
    np.add.at(expected, doc_rows, vectors.astype(np.float64))
    assert np.allclose(whole, expected, atol=1e-12)
    chunked = np.zeros((40, 16))
    for start in range(0, 40, 7):  # chunks of 7 documents, each with its own passages
        mine = (doc_rows >= start) & (doc_rows < start + 7)
        chunked[start:start + 7] = passage_sums(doc_rows[mine] - start, vectors[mine], min(7, 40 - start))
    assert np.array_equal(chunked, whole)
    unit = unit_rows(whole)
    assert unit.dtype == np.float32
    present = np.isin(np.arange(40), doc_rows)
    assert np.allclose(np.linalg.norm(unit[present], axis=1), 1, atol=1e-6)
    assert not unit[~present].any()  # a document without passages: a zero row, not another's vector


def test_streamed_vectors_equal_the_whole_corpus_read(fresh_db, planted):
    store_documents(fresh_db, planted)
    backend = HashedWords()
    corpus = store.corpus_texts(fresh_db)
    whole = document_matrix(theme_passages(fresh_db, corpus.rename(columns={"id": "id"}), backend),
                            corpus["id"].tolist())
    assert len(whole) == len(planted)
    with corpus_vectors(fresh_db, backend, chunk_documents=7) as vectors:
        assert len(vectors.chunks) == -(-len(planted) // 7)
        assert len(vectors.passage_rows) > 2 * len(planted)  # several passages a document
        for chunk in vectors.chunks:  # a chunk's passages are its documents'
            rows = vectors.passage_rows[chunk.start:chunk.end]
            assert set(rows.tolist()) == set(range(chunk.doc_start, chunk.doc_end))
        assert np.allclose(vectors.matrix[vectors.rows(corpus["id"])], whole, atol=1e-6)
        passage_file = vectors.passage_file
        rows = np.concatenate([r for r, _ in vectors.passage_chunks()])
        assert np.array_equal(rows, vectors.passage_rows)
    assert not passage_file.exists()  # the temporary passage file goes with the block


def test_the_pass_reports_its_progress_from_the_start(fresh_db, planted):
    """The progress bar begins when the pass does (0 of all), then each chunk's end: a bar begun at the first
    chunk's end printed a rate of billions of documents a second and no time left for that chunk."""
    store_documents(fresh_db, planted)
    seen: list[tuple[int, int]] = []
    with corpus_vectors(fresh_db, HashedWords(), chunk_documents=7, progress=lambda d, t: seen.append((d, t))):
        pass
    total = len(planted)
    assert seen == [(d, total) for d in [0, *(min(end, total) for end in range(7, total + 7, 7))]]


def test_fit_keys_chunk_by_chunk_give_the_representatives_of_the_whole_corpus():
    rng = np.random.default_rng(42)
    words = "floods rail strike vaccine trial election wildfire ransomware housing oil film".split()
    texts = [" ".join(rng.choice(words, 12)) for _ in range(30)]
    texts += [texts[3].upper(), texts[5] + "  ", texts[7][:40] + "…", texts[7][:10] + "…", texts[20][:30] + "…",
              "links only https://t.co/x", texts[11]]
    corpus = pd.DataFrame({"id": [f"d{i:03d}" for i in range(len(texts))], "text": texts})
    corpus = corpus.sample(frac=1, random_state=3).reset_index(drop=True)  # the store gives no id order
    corpus["duplicate_of"] = None
    corpus.loc[corpus["id"] == "d010", "duplicate_of"] = "d002"
    copies = pd.DataFrame({"doc_id": ["d012"], "original_id": ["d015"]})
    whole = fitting_texts(corpus, copies, min_fit_words=3)
    keys = FitKeys()
    for start in range(0, len(corpus), 7):
        part = corpus.iloc[start:start + 7]
        keys.add(part["id"].tolist(), [theme_text(t) for t in part["text"]], part["duplicate_of"].tolist())
    assert keys.needs_full_keys  # texts cut short wait for the full texts
    keys.resolve_cut([[theme_text(t) for t in corpus["text"].iloc[i:i + 7]] for i in range(0, len(corpus), 7)])
    chunked = keys.fitting_texts(copies, min_fit_words=3)
    pd.testing.assert_frame_equal(chunked.frame, whole.frame)
    reps = whole.frame.set_index("id")["representative"]
    assert reps["d030"] == "d003" and reps["d031"] == "d005" and reps["d036"] == "d011"  # repeats
    assert reps["d032"] == "d007" and reps["d034"] == "d020"  # cut texts join the full text they begin
    assert reps["d033"] == "d033"  # too short a cut to join anything
    assert reps["d010"] == "d002" and reps["d012"] == "d015"  # near-copies and retweets take their original
    assert "d035" in whole.assigned_after["id"].tolist()  # links only: no words to fit on


def test_language_means_from_chunk_sums_equal_fit_centring():
    rng = np.random.default_rng(42)
    languages = {f"d{i:02d}": lang for i, lang in enumerate(["en"] * 25 + ["ar"] * 12 + ["fr"] * 4 + [None] * 3)}
    doc_ids = sorted(languages)
    doc_of_passage = np.repeat(np.arange(len(doc_ids)), rng.integers(1, 4, len(doc_ids)))
    vectors = rng.standard_normal((len(doc_of_passage), 8)).astype(np.float32)
    passages = pd.DataFrame({"doc_id": [doc_ids[r] for r in doc_of_passage], "vector": list(vectors)})
    expected = fit_centring(passages, languages)
    sums = CentringSums()
    for start in range(0, len(doc_ids), 7):
        mine = (doc_of_passage >= start) & (doc_of_passage < start + 7)
        chunk_languages = np.array([languages[d] for d in doc_ids[start:start + 7]], dtype=object)
        sums.add(chunk_languages, doc_of_passage[mine] - start, vectors[mine])
    streamed = sums.centring()
    assert sorted(streamed.means) == sorted(expected.means) == ["*", "ar", "en"]  # fr: too few documents
    for lang, mean in expected.means.items():
        assert np.allclose(streamed.means[lang], mean, atol=1e-12)


@pytest.mark.slow  # fits BERTopic (UMAP, HDBSCAN) twice
def test_refit_in_chunks_of_seven_gives_the_themes_of_one_chunk_and_reads_only_the_sample_texts(
        tmp_path, planted, monkeypatch):
    from analytics.topics import stage

    read: list[int] = []
    documents = store.documents

    def counting_documents(con, columns=None, ids=None, with_text=True):
        if ids is not None and (columns is None or "text" in columns):
            read.append(len(list(ids)))
        return documents(con, columns=columns, ids=ids, with_text=with_text)

    monkeypatch.setattr(store, "documents", counting_documents)
    monkeypatch.setattr(store, "corpus_texts", None)  # the whole corpus's texts at once: never read
    params = TopicParams(backend=HashedWords.name, min_topic_size=8, fit_sample=80)
    shuffled = planted.sample(frac=1, random_state=1)
    first, later = shuffled.iloc[:96], shuffled.iloc[96:]
    results = []
    for chunk in (7, 10_000):
        con = store.connect(tmp_path / f"chunk{chunk}.duckdb")
        store_documents(con, first)
        read.clear()
        summary = stage.refit_topics(con, params=params, backend=HashedWords(), chunk_documents=chunk)
        # the fitting sample's texts, and no others; none when the corpus was read in one chunk (kept from the pass)
        assert read == ([80] if chunk < len(first) else [])
        assert summary["fitted_on"] == 80 and summary["assigned_outside_sample"] == len(first) - 80
        run = summary["run_id"]
        store_documents(con, later)  # new documents: assigned to the fit a chunk at a time
        added = stage.assign_new_documents(con, run, sorted(later["id"]), backend=HashedWords(),
                                           chunk_documents=chunk)
        assert added["new_documents"] == len(later)
        results.append({
            "assign": store.doc_topic_table(con, run).sort_values("doc_id", ignore_index=True),
            "weights": con.execute("SELECT doc_id, topic_id, weight FROM doc_topic_weights WHERE run_id = ? "
                                   "ORDER BY 1, 2", [run]).df(),
            "topics": store.topic_table(con, run)[["topic_id", "label"]],
            "outliers": summary["outliers"]})
        con.close()
    small, whole = results
    assert len(small["assign"]) == len(planted)
    pd.testing.assert_frame_equal(small["assign"], whole["assign"])
    pd.testing.assert_frame_equal(small["weights"], whole["weights"])
    pd.testing.assert_frame_equal(small["topics"], whole["topics"])
    truth = planted.set_index("id")["theme"]
    assigned = small["assign"][small["assign"]["topic_id"] != -1].set_index("doc_id").join(truth)
    majority = assigned.groupby("topic_id")["theme"].agg(lambda t: t.value_counts().index[0])
    assert (assigned["topic_id"].map(majority) == assigned["theme"]).mean() >= 0.9  # still the planted themes
    # a later run with nothing new does nothing
    con = store.connect(tmp_path / "chunk7.duckdb")
    assert run_topics(con, params=params, backend=HashedWords())["action"] == "nothing new"
    con.close()


def test_memory_limit_holds_for_the_block_and_is_put_back(tmp_path):
    con = store.connect(tmp_path / "limit.duckdb")
    limit = "SELECT current_setting('memory_limit')"
    default = con.execute(limit).fetchall()[0][0]
    with store.memory_limited(con, "64MB"):
        assert con.execute(limit).fetchall()[0][0] == "61.0 MiB"  # 64 × 10^6 bytes
    assert con.execute(limit).fetchall()[0][0] == default  # DuckDB's default exactly, not its rounded print
    with store.memory_limited(con, ""):
        assert con.execute(limit).fetchall()[0][0] == default
    with pytest.raises(ValueError, match="not a memory size"):
        with store.memory_limited(con, "1GB'; DROP TABLE documents; --"):
            pass
    assert store.document_count(con) == 0
    con.close()


@pytest.mark.flow  # two whole theme stages on a planted corpus
def test_refit_under_a_small_memory_limit_gives_the_same_fit(tmp_path, planted):
    from analytics.topics import stage

    params = TopicParams(backend=HashedWords.name, min_topic_size=8, fit_sample=80)
    results = []
    for limit in ("", "32MB"):
        con = store.connect(tmp_path / f"limit{limit or 'none'}.duckdb")
        store_documents(con, planted)
        default = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
        run = stage.refit_topics(con, params=params, backend=HashedWords(), chunk_documents=50,
                                 memory_limit=limit)["run_id"]
        assert con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] == default
        results.append((
            store.doc_topic_table(con, run).sort_values("doc_id", ignore_index=True),
            con.execute("SELECT doc_id, topic_id, weight FROM doc_topic_weights WHERE run_id = ? ORDER BY 1, 2",
                        [run]).df(),
            store.topic_table(con, run)[["topic_id", "label", "size"]]))
        con.close()
    for unlimited, limited in zip(*results, strict=True):
        pd.testing.assert_frame_equal(unlimited, limited)


def test_corpus_batches_give_every_document_once_in_store_order_and_leave_nothing_open(tmp_path, planted):
    con = store.connect(tmp_path / "batches.duckdb")
    store_documents(con, planted.head(60))
    con.execute("DELETE FROM documents WHERE id IN (SELECT id FROM documents WHERE rowid IN (3, 17, 18))")
    stored = con.execute("SELECT id FROM documents ORDER BY rowid").fetchall()
    # Passage vectors are written between batches, as the theme stage does. With no query left open between
    # batches, each write's checkpoint may merge the row groups it appends (DuckDB: 122,880 rows each); a query
    # kept open made every checkpoint append one more small row group, and the next one with nothing open merged
    # them all at once, in memory.
    con.execute("CREATE TABLE written (n INTEGER)")
    con.execute("SET checkpoint_threshold = '1kB'").fetchall()  # every commit below checkpoints
    batches = []
    for batch in store.corpus_batches(con, 10, ("text",)):
        batches.append(batch)
        with store.transaction(con):
            con.execute("INSERT INTO written SELECT range FROM range(50000)")
    assert [len(b) for b in batches] == [9, 8, 10, 10, 10, 10]  # batches of row ids: 3, then 17 and 18 deleted
    assert pd.concat(batches)["id"].tolist() == [r[0] for r in stored]
    assert list(batches[0].columns) == ["id", "text", "duplicate_of"]
    row_groups = con.execute("SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('written')").fetchall()
    assert row_groups[0][0] <= 3  # 300,000 rows in full row groups, not six appended ones
    con.close()
