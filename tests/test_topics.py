"""The topic stage on planted corpora (TF-IDF backend: fast, no model) and on the demo corpus (MiniLM, slow)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from planted import planted_corpus, store_documents

from analytics import store
from analytics.embeddings import split_passages
from analytics.topics import TopicParams, auto_label, match_topics, run_topics

PARAMS = TopicParams(backend="tfidf", min_topic_size=8)


def _assignments(con) -> pd.DataFrame:
    run = store.topic_run_id(con)
    return store.doc_topic_table(con, run).set_index("doc_id").sort_index()


def _purity(assign: pd.DataFrame, truth: pd.Series) -> float:
    """Share of documents whose topic's majority theme is their own theme."""
    joined = assign.join(truth.rename("theme"))
    majority = joined.groupby("topic_id")["theme"].agg(lambda t: t.value_counts().index[0])
    return float((joined["topic_id"].map(majority) == joined["theme"]).mean())


@pytest.fixture(scope="module")
def planted():
    return planted_corpus(n_per_theme=40)


@pytest.mark.slow  # fits BERTopic (UMAP, HDBSCAN)
def test_planted_themes_come_out_as_topics(fresh_db, planted):
    store_documents(fresh_db, planted)
    summary = run_topics(fresh_db, params=PARAMS)
    assert summary["action"] == "fit"
    assign = _assignments(fresh_db)
    assert len(assign) == len(planted)
    assert summary["outliers"] <= 0.20
    assert _purity(assign[assign.topic_id != -1], planted.set_index("id")["theme"]) >= 0.95
    topics = store.topic_table(fresh_db, summary["run_id"])
    assert 4 <= len(topics) <= 6
    # every label names words of its topic
    assert all(isinstance(label, str) and label for label in topics["label"])


@pytest.mark.slow  # fits BERTopic (UMAP, HDBSCAN)
def test_same_input_in_another_order_gives_the_same_topics(tmp_path, planted):
    results = []
    for i, frame in enumerate([planted, planted.sample(frac=1, random_state=7)]):
        con = store.connect(tmp_path / f"order{i}.duckdb")
        store_documents(con, frame)
        run_topics(con, params=PARAMS)
        results.append(_assignments(con)["topic_id"])
        con.close()
    assert results[0].equals(results[1])


@pytest.mark.slow  # fits BERTopic (UMAP, HDBSCAN)
def test_second_run_with_nothing_new_does_nothing(fresh_db, planted):
    store_documents(fresh_db, planted)
    first = run_topics(fresh_db, params=PARAMS)
    again = run_topics(fresh_db, params=PARAMS)
    assert again == {"action": "nothing new", "run_id": first["run_id"]}


@pytest.mark.slow  # fits BERTopic (UMAP, HDBSCAN)
def test_labels_and_merges_survive_a_refit_with_new_documents(fresh_db, planted):
    store_documents(fresh_db, planted)
    run_topics(fresh_db, params=PARAMS)
    topics = store.topic_table(fresh_db, store.topic_run_id(fresh_db))
    a, b = topics["topic_id"].iloc[0], topics["topic_id"].iloc[1]
    store.set_topic_label(fresh_db, int(a), "My theme")
    store.merge_topic(fresh_db, int(b), int(a))
    more = planted_corpus(n_per_theme=12, seed=99, start="2017-01-01")
    store_documents(fresh_db, more)
    summary = run_topics(fresh_db, params=PARAMS, refit=True)
    after = store.topic_table(fresh_db, summary["run_id"]).set_index("topic_id")
    assert after.loc[a, "label"] == "My theme"
    assert after.loc[b, "merged_into"] == a
    changes = store.topic_changes(fresh_db, summary["run_id"])
    assert (changes["change"] == "kept").sum() >= 3
    # merged topic's documents are counted under the target
    assign = store.doc_topic_table(fresh_db, summary["run_id"])
    assert (assign["topic_id"] == b).sum() == 0 and (assign["fitted_topic_id"] == b).sum() > 0


def test_match_topics_classifies_kept_born_and_retired():
    e = np.eye(4)
    previous = pd.DataFrame({"topic_id": [10, 11, 12], "centroid": [e[0], e[1], e[2]]})
    current = pd.DataFrame({"topic": [0, 1], "centroid": [e[1], e[3]]})
    mapping, log = match_topics(previous, current)
    assert mapping == {0: 11, 1: 13}
    assert dict(zip(log["topic_id"], log["change"], strict=True)) == {11: "kept", 13: "born", 10: "retired",
                                                                      12: "retired"}


def test_passages_cover_long_texts_within_the_model_window():
    text = " ".join(f"Sentence number {i} has six words." for i in range(200))
    spans = split_passages(text, max_words=180)
    assert len(spans) == 7
    assert all(len(text[a:b].split()) <= 180 for a, b in spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)


def test_auto_label_is_short_and_skips_near_repeats():
    assert auto_label(["telegram", "channels", "channel", "bots"]) == "Telegram, channels & bots"


@pytest.mark.slow  # fits BERTopic (UMAP, HDBSCAN)
def _eager_auto_label(words: list[str], texts: list[str], n: int = 3, min_coverage: float = 0.2) -> str:
    """auto_label as it read every word's coverage before picking (the reference for the lazy reading)."""
    import re

    from analytics.topics.labels import _stem, _surface_form

    lowered = [t.lower() for t in texts]
    share = {w: sum(bool(re.search(rf"(?<![\w-]){re.escape(w.lower())}(?![\w-])", t)) for t in lowered)
             / len(lowered) for w in words}
    covered = [w for w in words if share[w] >= min_coverage]
    picked: list[str] = []
    for word in covered + [w for w in words if w not in covered]:
        if not any(_stem(word) == _stem(p) or _stem(word) in p.lower() or _stem(p) in word.lower() for p in picked):
            picked.append(word)
        if len(picked) == n:
            break
    picked = [_surface_form(w, texts) for w in picked]
    picked[0] = picked[0][:1].upper() + picked[0][1:]
    return picked[0] if len(picked) == 1 else ", ".join(picked[:-1]) + " & " + picked[-1]


def test_auto_label_reading_coverage_as_it_picks_gives_the_label_of_reading_it_all_first():
    import json
    import random
    from collections import Counter

    from analytics import config
    from analytics.topics import tokenize

    texts = [json.loads(line)["text"] for path in sorted((config.DEMO_CORPUS_DIR / "documents").glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) > 100
    rng = random.Random(42)
    seen = set()
    for _ in range(60):
        members = rng.sample(texts, rng.randint(3, 25))
        counts = Counter(w for t in members for w in set(tokenize(t)))
        common = [w for w, _ in counts.most_common(60)]
        words = rng.sample(common, 20)  # words of every coverage, in a shuffled order, near-repeats among them
        expected = _eager_auto_label(words, members)
        assert auto_label(words, members) == expected
        seen.add(expected)
    assert len(seen) > 50  # varied labels, not one case sixty times


def test_large_corpus_fits_on_a_sample_and_assigns_the_rest(fresh_db, planted):
    store_documents(fresh_db, planted)
    params = TopicParams(backend="tfidf", min_topic_size=8, fit_sample=100)
    summary = run_topics(fresh_db, params=params)
    assert summary["fitted_on"] == 100 and summary["assigned_outside_sample"] == len(planted) - 100
    assign = _assignments(fresh_db)
    assert len(assign) == len(planted)
    topics = store.topic_table(fresh_db, summary["run_id"])
    assert topics["size"].sum() == (assign["topic_id"] != -1).sum()
    assert _purity(assign[assign.topic_id != -1], planted.set_index("id")["theme"]) >= 0.9


def test_theme_list_errors_name_the_file_and_row(tmp_path):
    from analytics.errors import NarrativeError
    from analytics.topics import read_theme_list

    good = tmp_path / "themes.csv"
    good.write_text("theme,seed_words\nTakedowns,suspended; Removed ;\nNamed only,\n", encoding="utf-8")
    assert read_theme_list(good) == [("Takedowns", ["suspended", "removed"]), ("Named only", [])]
    blank = tmp_path / "blank.csv"
    blank.write_text("theme,seed_words\nA,a;b\n,c;d\n", encoding="utf-8")
    with pytest.raises(NarrativeError, match=r"blank.csv: row 3: the theme has no name"):
        read_theme_list(blank)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,words\nA,a\n", encoding="utf-8")
    with pytest.raises(NarrativeError, match=r"wrong.csv: no `theme` column"):
        read_theme_list(wrong)


@pytest.mark.slow  # loads the static embedding model
def test_refit_with_another_embedding_model_keeps_labels(fresh_db, planted):
    """Changing profile (here TF-IDF → static vectors) refits in another vector space: the previous topics are
    placed in the new space by their documents, so a user's label follows its theme."""
    store_documents(fresh_db, planted)
    run_topics(fresh_db, params=PARAMS)
    first = store.doc_topic_table(fresh_db, store.topic_run_id(fresh_db))
    labelled = int(first.loc[first["topic_id"] != -1, "topic_id"].value_counts().index[0])
    members = set(first.loc[first["topic_id"] == labelled, "doc_id"])
    store.set_topic_label(fresh_db, labelled, "My theme")
    summary = run_topics(fresh_db, refit=True, params=TopicParams(backend="static", min_topic_size=8))
    after = store.doc_topic_table(fresh_db, summary["run_id"])
    topics = store.topic_table(fresh_db, summary["run_id"]).set_index("topic_id")
    assert "My theme" in set(topics["label"])
    now = set(after.loc[after["topic_id"] == topics.index[topics["label"] == "My theme"][0], "doc_id"])
    assert len(now & members) >= 0.8 * len(members)


@pytest.mark.slow  # loads the static embedding model
def test_fitted_model_is_saved_beside_the_store_with_safetensors(tmp_path, planted):
    from analytics import pipeline

    db = tmp_path / "saved.duckdb"
    con = store.connect(db)
    store_documents(con, planted)
    con.close()
    first = pipeline.analyze(db, profile="fast")["topics"]
    folder = tmp_path / "saved.models" / f"topics-run-{first['run_id']}"
    files = {p.name for p in folder.iterdir()}
    assert {"topics.json", "topic_embeddings.safetensors", "ctfidf.safetensors", "config.json"} <= files
    assert not [p for p in folder.rglob("*") if p.suffix in {".pkl", ".pickle", ".bin"}]
    second = pipeline.analyze(db, profile="fast", refit=True)["topics"]
    kept = sorted(p.name for p in (tmp_path / "saved.models").iterdir())
    assert kept == [f"topics-run-{second['run_id']}"]  # only the current fit's model
    # The Corpus hands the saved model back, labelled as the app shows its themes (a user's name included).
    from analytics import Corpus, edits

    corpus = Corpus.open(db)
    renamed = int(corpus.theme_sizes()["topic_id"].iloc[0])
    edits.rename_theme(db, renamed, "Named by the reader")
    model = corpus.topic_model()
    labels = corpus.labels()
    shown = {t: model.custom_labels_[i] for i, t in enumerate(sorted(model.get_topics()))}
    live = {t for t in labels if t >= 0}
    assert "Named by the reader" in shown.values()
    assert {label for t, label in shown.items() if t >= 0} == {labels[t] for t in live}
    assert model.transform(["Telegram channels and bots were removed by Europol."])[0][0] in model.get_topics()


def test_phrases_stay_inside_a_clause_and_do_not_end_on_stop_words():
    from analytics.topics.labels import _phrases

    got = _phrases("Amaq News Agency claimed the attack, Europol said.", frozenset({"the", "said"}))
    assert "amaq news" in got and "amaq news agency" in got and "news agency claimed" in got
    assert not [p for p in got if p.startswith("the ") or p.endswith(" the")]
    assert "attack europol" not in got  # the comma ends the clause

def reference_split(text: str, max_words: int = 180) -> list[tuple[int, int]]:
    """split_passages as it was before it was made faster (a look-behind regex, every piece split into words):
    plain and slow, kept as the reference."""
    import re

    pieces, pos = [], 0
    for match in re.finditer(r"(?<=[.!?…])\s+|\n{2,}", text):
        pieces.append((pos, match.start()))
        pos = match.end()
    pieces.append((pos, len(text)))
    spans, start, words, last_end = [], None, 0, 0
    for a, b in pieces:
        n = len(text[a:b].split())
        if n == 0:
            continue
        if start is not None and words + n > max_words:
            spans.append((start, last_end))
            start, words = None, 0
        if n > max_words:
            tokens = list(re.finditer(r"\S+", text[a:b]))
            spans += [(a + tokens[i].start(), a + tokens[min(i + max_words, len(tokens)) - 1].end())
                      for i in range(0, len(tokens), max_words)]
            continue
        start = a if start is None else start
        words += n
        last_end = b
    if start is not None:
        spans.append((start, last_end))
    return spans or [(0, len(text))]


def test_passage_spans_are_the_reference_spans_on_random_and_real_texts():
    import random

    from analytics import config

    rng = random.Random(5)
    # Plain pieces (one space between words) and every kind of whitespace the fast path must hand back.
    plain = ["word", "Word.", "x!", "?", "…", " ", ".", "b.", "été", "«", "ok?", "?!", "  "]
    mixed = plain + ["\n", "\n\n", "\n\n\n", "\t", "\u00a0", "\u2003", "\x1c", "\r\n", " \n"]
    texts = ["", " ", "\n\n", "One.", " lead and trail ", "a.  b"]
    texts += ["".join(rng.choice(plain) for _ in range(rng.randint(0, 80))) for _ in range(3000)]
    texts += ["".join(rng.choice(mixed) for _ in range(rng.randint(0, 80))) for _ in range(3000)]
    for path in sorted((config.DEMO_CORPUS_DIR / "documents").glob("*.jsonl")):
        texts += [pd.read_json(path, lines=True)["text"].iloc[i] for i in range(3)]
    for text in texts:
        for most in (1, 2, 5, 12, 180):
            assert split_passages(text, most) == reference_split(text, most), (text, most)


@pytest.mark.slow  # loads the static embedding model
def test_stored_passage_vectors_are_the_encoded_passages(fresh_db, tmp_path):
    """Passage rows and vectors, stored and returned, are the model's vectors of exactly the reference passages,
    whatever the chunking; a second call reads the same frame from the cache."""
    from analytics import config
    from analytics.embeddings import get_backend
    from analytics.ingest import ingest
    from analytics.topics import passage_vectors

    demo = pd.concat([pd.read_json(p, lines=True) for p in sorted((config.DEMO_CORPUS_DIR / "documents")
                                                                   .glob("*.jsonl"))])
    long = demo.head(40).assign(text=[" ".join(demo["text"].iloc[i:i + 6]) for i in range(40)])
    long.to_json(tmp_path / "long.jsonl", orient="records", lines=True, date_format="iso")
    ingest([config.DEMO_CORPUS_DIR / "documents", tmp_path / "long.jsonl"], fresh_db)
    corpus = store.corpus_texts(fresh_db)
    backend = get_backend("static")
    backend.batch = 100  # several chunks of even size
    first = passage_vectors(fresh_db, corpus, backend)
    spans = [(i, n, a, b) for i, t in zip(corpus["id"], corpus["text"], strict=True)
             for n, (a, b) in enumerate(reference_split(t))]
    assert len(spans) > len(corpus) + 80  # long documents have several passages
    assert list(first[["doc_id", "passage", "start_char", "end_char"]].itertuples(index=False, name=None)) == spans
    texts = dict(zip(corpus["id"], corpus["text"], strict=True))
    expected = backend.encode([texts[i][a:b] for i, _, a, b in spans])
    assert np.array_equal(np.vstack(first["vector"].to_list()), expected)
    stored = fresh_db.execute("SELECT doc_id, passage, start_char, end_char, vector FROM embeddings "
                              "WHERE model = ? ORDER BY doc_id, passage", [backend.name]).df()
    assert list(stored[["doc_id", "passage", "start_char", "end_char"]].itertuples(index=False, name=None)) == spans
    assert np.array_equal(np.vstack(stored["vector"].to_list()), expected)
    again = passage_vectors(fresh_db, corpus.sample(frac=1, random_state=1), backend)
    pd.testing.assert_frame_equal(again.drop(columns="vector"), first.drop(columns="vector"), check_dtype=False)
    assert np.array_equal(np.vstack(again["vector"].to_list()), expected)
    # A document given twice: its keys are written once (the conflict check stays on for repeated ids).
    ids = corpus["id"].head(3).tolist()
    fresh_db.execute("DELETE FROM embeddings WHERE doc_id IN (SELECT unnest(?))", [ids])
    twice = passage_vectors(fresh_db, pd.concat([corpus.head(3), corpus.head(3)]), backend)
    assert len(twice) == 2 * len(first[first["doc_id"].isin(ids)])
    assert fresh_db.execute("SELECT count(*) FROM embeddings").fetchone()[0] == len(spans)


@pytest.mark.slow  # fits BERTopic (UMAP, HDBSCAN)
def test_merge_suggestions_are_the_closest_leaf_pairs_of_bertopics_own_hierarchy():
    import json

    from test_topic_streaming import HashedWords

    from analytics import config
    from analytics.topics.fit import fit_topics

    docs = [json.loads(line) for path in sorted((config.DEMO_CORPUS_DIR / "documents").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = sorted((d for d in docs if d.get("language", "en") == "en"), key=lambda d: d["doc_id"])
    texts, ids = [d["text"] for d in docs], [d["doc_id"] for d in docs]
    backend = HashedWords()
    matrix = backend.encode(texts).astype(np.float64)
    fit = fit_topics(texts, ids, matrix, backend, TopicParams(backend=backend.name, min_topic_size=5,
                                                              merge_suggestions=1000))
    n_topics = len(fit.topics)
    assert n_topics >= 8  # a hierarchy with merges of leaves and of branches
    # what BERTopic's hierarchy gives: its merges of two leaf topics, closest first
    tree = fit.model.hierarchical_topics(texts)
    tree[["Child_Left_ID", "Child_Right_ID"]] = tree[["Child_Left_ID", "Child_Right_ID"]].astype(int)
    leaves = tree[(tree["Child_Left_ID"] < n_topics) & (tree["Child_Right_ID"] < n_topics)].sort_values("Distance")
    expected = [{"topics": [int(a), int(b)], "distance": round(float(d), 4)}
                for a, b, d in zip(leaves["Child_Left_ID"], leaves["Child_Right_ID"], leaves["Distance"], strict=True)]
    assert len(expected) >= 3
    assert fit.merge_suggestions == expected
