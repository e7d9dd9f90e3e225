"""Themes on real text whose right answer is known: the demo corpus was written to carry 12 themes (each
document's `theme` field, which the model never sees). MiniLM and the static backend, as users run them."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pandas as pd
import pytest
from sklearn.metrics import normalized_mutual_info_score

from analytics import config, store
from analytics.ingest import ingest
from analytics.topics import TopicParams, read_theme_list, run_topics

pytestmark = pytest.mark.slow


def themes_of(con) -> pd.DataFrame:
    run = store.topic_run_id(con)
    frame = con.execute("SELECT d.id, d.metadata, t.topic_id FROM documents d JOIN doc_topics t ON t.doc_id = d.id "
                        "WHERE t.run_id = ? ORDER BY d.id", [run]).df()
    frame["theme"] = frame["metadata"].map(lambda m: json.loads(m)["theme"])
    return frame


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = store.connect(path)
    ingest([config.DEMO_CORPUS_DIR], con)
    summary = run_topics(con, profile="quality")
    yield con, summary
    con.close()


def test_demo_corpus_themes_are_found(demo_store):
    con, summary = demo_store
    frame = themes_of(con)
    assert summary["outliers"] <= 0.20
    assert normalized_mutual_info_score(frame["theme"], frame["topic_id"]) >= 0.5
    assigned = frame[frame["topic_id"] != -1]
    majority = assigned.groupby("topic_id")["theme"].agg(lambda t: t.value_counts().index[0])
    # at least 10 of the 12 written themes lead a topic of their own
    assert majority.nunique() >= 10, majority.value_counts()


def test_shuffled_input_gives_the_same_topics(demo_store, tmp_path):
    con, _ = demo_store
    rows = []
    for path in sorted((config.DEMO_CORPUS_DIR / "documents").glob("*.jsonl")):
        rows += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    random.Random(5).shuffle(rows)
    folder = tmp_path / "shuffled"
    folder.mkdir()
    (folder / "all.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    other = store.connect(tmp_path / "shuffled.duckdb")
    ingest([folder / "all.jsonl"], other)
    # The same passages' vectors: copy the embedding cache so this test times the fit, not MiniLM again.
    cache = con.execute("SELECT * FROM embeddings").df()
    store.insert_frame(other, "embeddings", cache)
    run_topics(other, profile="quality")
    a = themes_of(con).set_index("id")[["topic_id"]]
    b = themes_of(other).set_index("id")[["topic_id"]]
    assert a.equals(b)
    other.close()


def test_static_backend_finds_the_same_themes_fast(tmp_path):
    con = store.connect(tmp_path / "static.duckdb")
    ingest([config.DEMO_CORPUS_DIR], con)
    summary = run_topics(con, params=TopicParams(backend="static"))
    frame = themes_of(con)
    assert summary["outliers"] <= 0.20
    assert normalized_mutual_info_score(frame["theme"], frame["topic_id"]) >= 0.45
    con.close()


def test_static_model_distillation_is_reproducible(tmp_path):
    from analytics.embeddings import distill_static_model, sha256_of

    first = distill_static_model(tmp_path / "a")
    second = distill_static_model(tmp_path / "b")
    assert sha256_of(first / "model.safetensors") == sha256_of(second / "model.safetensors")
    assert Path(first / "narrative.sha256.json").is_file()


# -- guided and zero-shot topics, merge suggestions (the static backend: the fast profile users run) -------------

KNOWN_THEMES = config.PROJECT_ROOT / "corpora" / "known_themes.csv"
# The written themes each shipped known theme describes (a name can cover two of the corpus's finer themes).
EXPECTED = {
    "Platform takedowns and account suspensions": {"account_suspensions", "twitter_accounts"},
    "Migration to Telegram and smaller apps": {"telegram_shift", "europol_telegram_migration"},
    "Hacktivists exposing accounts": {"hacktivists_opisis"},
    "Claims of responsibility through Amaq": {"attack_claims"},
    "Caliphate and state-building propaganda": {"caliphate_statebuilding"},
    "Recruitment of foreign fighters": {"recruitment_foreign_fighters"},
    "Loss of territory and calls to endure": {"territorial_loss_endurance", "baghuz_baghdadi"},
    "Industry and government cooperation against terrorist content": {"industry_cooperation",
                                                                      "christchurch_platform_pressure"},
}


@pytest.fixture(scope="module")
def static_store(tmp_path_factory):
    con = store.connect(tmp_path_factory.mktemp("static") / "demo.duckdb")
    ingest([config.DEMO_CORPUS_DIR], con)
    yield con
    con.close()


def _majority(con) -> pd.DataFrame:
    frame = themes_of(con)
    frame = frame[frame["topic_id"] != -1]
    return frame.groupby("topic_id")["theme"].agg(lambda t: t.value_counts().index[0])


def _seed_hits(con, seeds: list[list[str]]) -> int:
    """How many seed lists have a topic with at least two of their words among its top-10 words."""
    from analytics.topics import top_words

    tops = [set(top_words(w)) for w in store.topic_table(con, store.topic_run_id(con))["words"]]
    return sum(any(len(set(s) & t) >= 2 for t in tops) for s in seeds)


def test_guided_topics_follow_the_seed_words(static_store):
    con = static_store
    seeds = [words for _, words in read_theme_list(KNOWN_THEMES)]
    run_topics(con, refit=True, params=TopicParams(backend="static"))
    unguided = _seed_hits(con, seeds)
    summary = run_topics(con, refit=True, params=TopicParams(backend="static", seed_topics=seeds))
    guided = _seed_hits(con, seeds)
    assert summary["guided_themes"] == 8
    assert store.last_run(con, "topics")["params"]["seed_topics"] == seeds  # recorded with the run
    assert guided >= 6 and guided >= unguided, (guided, unguided)


def test_zero_shot_named_themes_collect_their_documents(static_store):
    con = static_store
    themes = read_theme_list(KNOWN_THEMES)
    names = [name for name, _ in themes]
    summary = run_topics(con, refit=True, params=TopicParams(
        backend="static", zeroshot_topics=names, zeroshot_words=[w for _, w in themes]))
    topics = store.topic_table(con, store.topic_run_id(con)).set_index("topic_id")
    named = topics[topics["label"].isin(names)]
    assert summary["named_themes_found"] == len(named) >= 4
    majority = _majority(con)
    for topic_id, label in named["label"].items():  # each named theme holds the documents its name describes
        assert majority[topic_id] in EXPECTED[label], (label, majority[topic_id])
    assert summary["outliers"] <= 0.20


def test_hierarchy_suggests_merging_topics_of_one_theme(static_store):
    con = static_store
    summary = run_topics(con, refit=True, params=TopicParams(backend="static"))
    suggestions = summary["merge_suggestions"]
    topic_ids = set(store.topic_table(con, summary["run_id"])["topic_id"])
    assert suggestions and all(set(s["topics"]) <= topic_ids for s in suggestions)
    distances = [s["distance"] for s in suggestions]
    assert distances == sorted(distances)
    majority = _majority(con)
    same = [s for s in suggestions if majority[s["topics"][0]] == majority[s["topics"][1]]]
    # the corpus has 12 written themes and the fit more topics: some suggested pairs are splits of one theme
    assert len(same) >= 2, suggestions
    # key phrases: the Amaq claims theme is read as the agency's name, not only as separate words
    topics = store.topic_table(con, summary["run_id"]).set_index("topic_id")
    claims = [t for t, theme in majority.items() if theme == "attack_claims"]
    phrases = [p for t in claims for p in json.loads(topics.loc[t, "words"])["phrases"]]
    assert any("amaq news" in p or "news agency" in p for p in phrases), phrases
