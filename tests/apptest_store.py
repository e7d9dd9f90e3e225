"""A small analysed store with known content for the app tests: planted themes, hand-made mentions, events,
and documents whose text and title carry script and event-handler payloads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from planted import planted_corpus, store_documents

from analytics import store
from analytics.topics import TopicParams, run_topics

XSS_TEXT = ('<script>window.__xss = 1</script> Telegram channels were removed by Europol. '
            '<img src=x onerror="window.__xss = 2"> <iframe src="javascript:alert(3)"></iframe> '
            'The purge of bots and accounts continued on the platform. ') * 3
XSS_TITLE = '<b onmouseover="window.__xss=4">Hostile title</b><script>window.__xss=5</script>'
XSS_ID = "xss0000000000001"
ACTOR_WORDS = {"telegram": ("Telegram", "PLATFORM"), "europol": ("Europol", "AGENCY"),
               "anonymous": ("Anonymous", "HACKTIVIST"), "mosul": ("Mosul", "GPE")}


def build_app_store(db: Path) -> Path:
    """Write the test store at db (replacing it) and return its path."""
    if db.exists():
        db.unlink()
    con = store.connect(db)
    docs = planted_corpus(n_per_theme=30, start="2016-01-01")
    hostile = pd.DataFrame([{"id": XSS_ID, "date": pd.Timestamp("2016-06-15"), "source": "Hostile Outlet",
                             "source_type": "propaganda", "text": XSS_TEXT, "theme": "takedown"}])
    store_documents(con, pd.concat([docs, hostile], ignore_index=True))
    con.execute("UPDATE documents SET title = ? WHERE id = ?", [XSS_TITLE, XSS_ID])
    con.execute("UPDATE documents SET title = 'Report ' || substr(id, 1, 6) WHERE title IS NULL")
    run_topics(con, params=TopicParams(backend="tfidf", min_topic_size=8))
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
