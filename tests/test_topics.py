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


def test_same_input_in_another_order_gives_the_same_topics(tmp_path, planted):
    results = []
    for i, frame in enumerate([planted, planted.sample(frac=1, random_state=7)]):
        con = store.connect(tmp_path / f"order{i}.duckdb")
        store_documents(con, frame)
        run_topics(con, params=PARAMS)
        results.append(_assignments(con)["topic_id"])
        con.close()
    assert results[0].equals(results[1])


def test_second_run_with_nothing_new_does_nothing(fresh_db, planted):
    store_documents(fresh_db, planted)
    first = run_topics(fresh_db, params=PARAMS)
    again = run_topics(fresh_db, params=PARAMS)
    assert again == {"action": "nothing new", "run_id": first["run_id"]}


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
    with pytest.raises(NarrativeError, match=r"blank.csv, row 3: the theme has no name"):
        read_theme_list(blank)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,words\nA,a\n", encoding="utf-8")
    with pytest.raises(NarrativeError, match=r"wrong.csv: no `theme` column"):
        read_theme_list(wrong)


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


def test_phrases_stay_inside_a_clause_and_do_not_end_on_stop_words():
    from analytics.topics import _phrases

    got = _phrases("Amaq News Agency claimed the attack, Europol said.", frozenset({"the", "said"}))
    assert "amaq news" in got and "amaq news agency" in got and "news agency claimed" in got
    assert not [p for p in got if p.startswith("the ") or p.endswith(" the")]
    assert "attack europol" not in got  # the comma ends the clause
