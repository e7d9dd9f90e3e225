"""A real store with planted findings, for the tests of `Corpus.findings` and of every surface that shows them.

Quarterly documents 2014–2017 (60 a quarter, news and social alternating, four outlets). Planted from 2016 Q1:
the actor Telegram (a platform) rises from 8 % to 30 % of documents and Twitter (a platform) falls from 30 % to
8 %; the theme "Telegram channels" rises from 5 % to 25 %; documents using the framing word "endurance" rise from
5 % to 25 %. The theme "noise" stays at 15 % throughout, and so do the actor Europol and the other documents
(outliers). One event, "Platform purge", on 1 Jan 2016. With `shuffle_seed`, the same documents with their
dates permuted across documents: nothing is left to find over time.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
from apptest_store import store_fit
from planted import store_documents

from analytics import store

TELEGRAM_THEME, NOISE_THEME = 4, 7
LABELS = {TELEGRAM_THEME: "Telegram channels", NOISE_THEME: "noise"}
ACTORS = {"telegram": ("Telegram", "PLATFORM"), "twitter": ("Twitter", "PLATFORM"), "europol": ("Europol", "AGENCY")}


def planted_documents(seed: int = 42, quarters: int = 16, per_quarter: int = 60) -> pd.DataFrame:
    """The documents with their planted theme (topic_id), actors (list of canonical ids) and text."""
    rng = np.random.default_rng(seed)
    starts = pd.date_range("2014-01-01", periods=quarters, freq="QS")
    rows = []
    for t, start in enumerate(starts):
        late = t >= quarters // 2
        for i in range(per_quarter):
            actors = [a for a, rate in (("telegram", 0.30 if late else 0.08), ("twitter", 0.08 if late else 0.30),
                                        ("europol", 0.15)) if rng.random() < rate]
            draw = rng.random()
            topic = TELEGRAM_THEME if draw < (0.25 if late else 0.05) else (
                NOISE_THEME if draw < (0.40 if late else 0.20) else -1)
            words = ["A short planted document."] + [ACTORS[a][0] + " was named." for a in actors]
            if rng.random() < (0.25 if late else 0.05):
                words.append("It spoke of endurance.")
            rows.append({"id": f"q{t:02d}-{i:03d}", "date": start + pd.Timedelta(days=int(rng.integers(0, 85))),
                         "source": f"outlet {i % 4}", "source_type": "news" if i % 2 else "social",
                         "text": " ".join(words), "topic_id": topic, "actors": actors})
    return pd.DataFrame(rows)


def build_findings_store(db: Path, shuffle_seed: int | None = None) -> Path:
    """Write the store at db: documents, the themes as a finished fit, the actors' mentions, the event, and the
    framing lexicon (a file beside the store, named in the store's meta as a corpus manifest names it)."""
    docs = planted_documents()
    if shuffle_seed is not None:
        docs["date"] = np.random.default_rng(shuffle_seed).permutation(docs["date"].to_numpy())
    if db.exists():
        db.unlink()
    lexicon = db.with_suffix(".framing.csv")
    lexicon.write_text("frame,term\nendurance,endurance\n", encoding="utf-8")
    con = store.connect(db)
    store_documents(con, docs.drop(columns=["topic_id", "actors"]))
    store_fit(con, docs[["id", "topic_id"]].rename(columns={"id": "doc_id"}), LABELS)
    rows = []
    for doc_id, text, actors in zip(docs["id"], docs["text"], docs["actors"], strict=True):
        for actor in actors:
            name, label = ACTORS[actor]
            start = text.index(name)
            rows.append({"doc_id": doc_id, "start_char": start, "end_char": start + len(name), "sent_start": 0,
                         "sent_end": len(text), "text": name, "label": label, "canonical_id": actor,
                         "canonical_name": name, "origin": "alias", "pipeline_version": "test"})
    store.insert_mentions(con, pd.DataFrame(rows), docs["id"].tolist())
    store.replace_events(con, pd.DataFrame({"date": [pd.Timestamp("2016-01-01")], "date_precision": "day",
                                            "label": ["Platform purge"], "description": [""], "kind": ["platform"]}))
    store.set_meta(con, "framing_path", str(lexicon))
    store.set_meta(con, "corpus_name", "Planted findings corpus")
    con.close()
    return db


def listed_findings(at) -> list[str]:
    """The sentences of the significant findings a page lists (Markdown bullets, escaped: read back as text)."""
    out = []
    for block in at.markdown:
        for line in block.value.splitlines():
            match = re.fullmatch(r"- (.+) \(([a-z ]+); \d+ documents\)", line)
            if match:
                out.append(html.unescape(re.sub(r"\\(.)", r"\1", match.group(1))))
    return out
