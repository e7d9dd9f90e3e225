"""A platform cannot be named before it existed: "a telegram" in a speech of 1902 is a message, the "Signal
Service" of 1881 a branch of the army. The alias list's `active_from` says when an actor began; mentions of it in
documents dated earlier are not counted, in a first analysis and when an edited list is applied."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from analytics import entities, store
from analytics.entities import aliases as alias_list
from analytics.entities.dating import without_anachronisms
from analytics.errors import InputError
from analytics.ingest import ingest

ALIASES = Path(__file__).resolve().parents[1] / "corpora" / "aliases.csv"

DOCS = [  # (date, text); the actors the alias list should count in each
    ("1902-12-02", "A telegram from the consul at Manila reported the cholera. The Signal Service reports the "
                   "weather daily.", set()),
    ("2016-05-01", "Telegram channels of the group were removed; supporters moved to Signal and WhatsApp.",
     {"telegram", "signal", "whatsapp"}),
    (None, "Telegram channels carried the statement.", {"telegram"}),  # undated: nothing says it is older
    ("2013-08-13", "A telegram arrived the day before the app was launched.", set()),
    ("2013-08-14", "Telegram was launched that day.", {"telegram"}),
]


def _ingest(tmp_path: Path):
    rows = [{"id": f"d{i}", "source": "wire", "text": text, **({"date": date} if date else {})}
            for i, (date, text, _) in enumerate(DOCS)]
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    con = store.connect(tmp_path / "s.duckdb")
    ingest([path], con)
    return con


def _platforms_by_date(con) -> dict[object, set[str]]:
    docs = store.documents(con, columns=["id", "date"]).set_index("id")["date"]
    mentions = store.mentions(con)
    named: dict[object, set[str]] = {}
    for doc_id, date in docs.items():
        key = None if pd.isna(date) else pd.Timestamp(date).strftime("%Y-%m-%d")
        ids = set(mentions.loc[mentions["doc_id"] == doc_id, "canonical_id"])
        named[key] = ids & {"telegram", "signal", "whatsapp"}
    return named


def _expected() -> dict[object, set[str]]:
    return {date: want for date, _, want in DOCS}


@pytest.mark.slow  # the fast profile's pipeline reads the pinned spaCy model's tokenizer
def test_a_platform_is_not_named_before_it_existed(tmp_path):
    con = _ingest(tmp_path)
    entities.run_entities(con, ALIASES, profile="fast")
    assert _platforms_by_date(con) == _expected()
    # the per-document actor counts every page reads agree with the mentions
    counted = set(con.execute("SELECT doc_id || ':' || canonical_id FROM doc_actors").fetchall())
    stored = set(con.execute("SELECT DISTINCT doc_id || ':' || canonical_id FROM entities").fetchall())
    assert counted == stored
    con.close()


@pytest.mark.slow  # the fast profile's pipeline reads the pinned spaCy model's tokenizer
def test_an_edited_list_with_first_days_is_applied_to_stored_mentions(tmp_path):
    undated_list = tmp_path / "aliases.csv"
    with open(ALIASES, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with open(undated_list, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[c for c in rows[0] if c != "active_from"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    con = _ingest(tmp_path)
    entities.run_entities(con, undated_list, profile="fast")
    assert "telegram" in _platforms_by_date(con)["1902-12-02"]  # without first days: the message is the app
    summary = entities.run_entities(con, ALIASES, profile="fast")  # the list with them: applied to what is stored
    assert summary["renormalised"] >= 0 and summary["documents"] == 0
    assert _platforms_by_date(con) == _expected()
    con.close()


def test_a_name_the_model_found_goes_back_to_its_own_reading():
    mentions = pd.DataFrame({
        "doc_id": ["old", "old", "new"], "start_char": [0, 10, 0], "end_char": [6, 18, 8], "sent_start": 0,
        "sent_end": 20, "text": ["Signal", "telegram", "Telegram"], "label": ["PLATFORM", "PLATFORM", "PLATFORM"],
        "canonical_id": ["signal", "telegram", "telegram"], "canonical_name": ["Signal", "Telegram", "Telegram"],
        "origin": ["model+alias", "alias", "alias"], "pipeline_version": "v"})
    dates = {"old": pd.Timestamp("1881-01-01"), "new": pd.Timestamp("2016-01-01")}
    first_days = {"signal": pd.Timestamp("2014-07-29"), "telegram": pd.Timestamp("2013-08-14")}
    kept = without_anachronisms(mentions, dates, first_days)
    assert list(kept["doc_id"]) == ["old", "new"]  # the list's own match in 1881 is dropped
    old = kept.iloc[0]
    assert (old["canonical_id"], old["label"], old["origin"]) == ("org:signal", "ORG", "model")
    assert kept.iloc[1]["canonical_id"] == "telegram"


def test_first_days_are_checked_and_a_list_without_them_keeps_its_digest(tmp_path):
    with open(ALIASES, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    plain = tmp_path / "plain.csv"
    with open(plain, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[c for c in rows[0] if c != "active_from"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    empty = tmp_path / "empty.csv"
    with open(empty, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**r, "active_from": ""} for r in rows)
    assert alias_list.load_aliases(plain).digest == alias_list.load_aliases(empty).digest
    assert alias_list.load_aliases(plain).active_from() == {}
    assert alias_list.load_aliases(ALIASES).digest != alias_list.load_aliases(plain).digest
    bad = tmp_path / "bad.csv"
    with open(bad, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([rows[0], {**rows[1], "active_from": "launched in 2013"}])
    with pytest.raises(InputError, match=r"line 3: active_from 'launched in 2013' is not a year"):
        alias_list.load_aliases(bad)
